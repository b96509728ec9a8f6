"""复函 drafting: a reply template over the one answer pipeline (see assemble.py for how).

input (suggestion.py) -> region scope (scope.py) -> statements from the facade (assemble.py)
-> letter (letter.py, wording from rag/data/reply_template.toml) -> .docx (docx.py).
"""

from rag.drafting.assemble import AskFn, DraftingFacade, build_draft, supported
from rag.drafting.docx import export_docx
from rag.drafting.letter import Part, ReplyDraft, Statement
from rag.drafting.scope import RegionScope, document_place, office_scope, scope_filter
from rag.drafting.suggestion import Suggestion

__all__ = [
    "AskFn",
    "DraftingFacade",
    "Part",
    "RegionScope",
    "ReplyDraft",
    "Statement",
    "Suggestion",
    "build_draft",
    "document_place",
    "export_docx",
    "office_scope",
    "scope_filter",
    "supported",
]
