"""The document a question describes without 《》 (…分工方案里…, …工作总结中…): what it is asked of.

The gate restricts the evidence to a retrieved document that fits the description, when one in
scope does (rag.answer.gate).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.answer.record import document_kinds
from rag.lang.numerals import alternation

DESCRIBED_MIN, DESCRIBED_MAX = 4, 30  # length of a document described at the start of a question
_IN_DOCUMENT = "中里内"  # …汇报中 / …方案里: what follows is asked of that document


@lru_cache(maxsize=1)
def _described_pattern() -> re.Pattern[str]:
    kinds = alternation(document_kinds())
    return re.compile(rf"^(.{{{DESCRIBED_MIN},{DESCRIBED_MAX}}}?(?:{kinds}))[{_IN_DOCUMENT}]")


def described_document(text: str) -> str:
    """The document ``text`` opens by describing (区域制造中心建设汇报中… -> 区域制造中心建设汇报), or ""."""
    found = _described_pattern().match(text)
    return found.group(1) if found else ""
