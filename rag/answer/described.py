"""The document a question describes without 《》 (…分工方案里…, …工作总结中…): what it is asked of.

The words of that description identify the document, so a passage whose title or heading states
them is under it; the sentence that answers need not repeat them (rag.answer.select).
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.textnorm import fold
from rag.lang import vocab

DESCRIBED_MIN, DESCRIBED_MAX = 4, 30  # length of a document described at the start of a question
_IN_DOCUMENT = "中里内"  # …汇报中 / …方案里: what follows is asked of that document


@lru_cache(maxsize=1)
def _described_pattern() -> re.Pattern[str]:
    endings = sorted({fold(ending) for ending, _ in vocab().doc_types}, key=len, reverse=True)
    kinds = "|".join(re.escape(e) for e in endings)
    return re.compile(rf"^(.{{{DESCRIBED_MIN},{DESCRIBED_MAX}}}?(?:{kinds}))[{_IN_DOCUMENT}]")


def described_document(text: str) -> str:
    """The document ``text`` opens by describing (区域制造中心建设汇报中… -> 区域制造中心建设汇报), or ""."""
    found = _described_pattern().match(text)
    return found.group(1) if found else ""
