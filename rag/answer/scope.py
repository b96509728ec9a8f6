"""Questions that name a document ("区域制造中心建设汇报中…", "合川区制造业高质量发展行动方案的…") are
answered from that document only.

Without this, a compound question about one report can take one part's figure from another document
that happens to use the same words (亩均产值 in a speech instead of the report that was asked about).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import SequenceMatcher

from index.textnorm import fold_for_match

# A title fragment counts as naming the document only when the question calls it a document.
_DOC_NOUN = re.compile(r"汇报|报告|方案|复函|通知|讲话|发言|报道|新闻|文件|意见|规划|计划|办法|函|摘登")
MIN_SHARED = 6  # characters of the title the question must repeat verbatim
_LOOKAHEAD = 4  # the document noun may follow the shared fragment within this many characters


def named_documents(question: str, titles: Mapping[str, str]) -> list[str]:
    """Sources whose title the question quotes as a document name (empty: the question names none)."""
    q = fold_for_match(question)
    named: list[str] = []
    for source, title in titles.items():
        t = fold_for_match(title)
        match = SequenceMatcher(None, q, t, autojunk=False).find_longest_match(0, len(q), 0, len(t))
        if match.size < MIN_SHARED:
            continue
        end = match.a + match.size
        tail = q[max(match.a, end - 2) : end + _LOOKAHEAD]
        if _DOC_NOUN.search(tail):
            named.append(source)
    return named
