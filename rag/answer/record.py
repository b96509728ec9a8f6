"""What a question asks of a document's record rather than its text: the verbs of issuing a
document (印发, 通过, 落款: rag/lang/data/publication_verbs.txt) and documents named by their kind
(…的批复，是哪天发的)."""

from __future__ import annotations

import re
from functools import lru_cache

from index.textnorm import fold
from rag.lang import vocab
from rag.lang.data import read_list
from rag.lang.numerals import alternation

QUOTED = re.compile(r"《([^《》]{2,80})》")  # a document named in 《》


@lru_cache(maxsize=1)
def publication_verbs() -> tuple[str, ...]:
    """Verbs of issuing or adopting a document (rag/lang/data/publication_verbs.txt)."""
    return tuple(fold(w) for w in read_list("publication_verbs.txt"))


@lru_cache(maxsize=1)
def document_kinds() -> frozenset[str]:
    """The title endings that name a kind of document (方案, 实施方案, 批复: rag/lang/data/doc_types.tsv)."""
    return frozenset(fold(ending) for ending, _ in vocab().doc_types)


@lru_cache(maxsize=1)
def _kind_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(document_kinds())})(?=[,，、;；]|的?(?:是|在|于))")


def mentions_document_kind(text: str) -> bool:
    """The question speaks of a document by its kind, as what it asks about (…的批复，是哪天发的)."""
    return bool(_kind_pattern().search(QUOTED.sub("", text)))


def asked_publication_verbs(text: str) -> tuple[str, ...]:
    """The verbs of issuing the question uses outside 《》 (哪天通过的 -> 通过)."""
    outside = QUOTED.sub("", text)
    return tuple(v for v in publication_verbs() if v in outside)


def of_record(text: str, kind: str) -> bool:
    """A date or office asked of a named document is its record's only when asked how it was issued
    (哪天印发的, 哪个机关发的); 对《…》有意见最晚什么时候寄到 and 按《…》由哪个部门主管 ask what its text states."""
    return kind not in ("date", "organisation") or bool(asked_publication_verbs(text))
