"""What a document as a whole says, over its retrieved passages: its text, its topic words when
the page has no title of its own, and the signature lines that sign it.

A sentence is read under its document: a field (承办人:…) or a signature line is about what the
whole letter is about, and an untitled page's repeated words say what each of its sentences is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import PurePath

from index.textnorm import fold
from rag.answer.orgs import organisations
from rag.answer.passages import Passage, SentenceFacts
from rag.answer.query import Query
from rag.answer.shape import TERMINAL
from rag.lang.data import read_list

ORG_LINE_MAX = 120  # characters of a signature line (four offices and the title they sign)


def document_text(passages: Sequence[Passage], document: str) -> str:
    """Everything the retrieved passages of one document state: text, titles, headings."""
    return " ".join(
        f"{p.context} " + " ".join(s.folded for s in p.sentences) for p in passages if p.document == document
    )


def text_coverage(query: Query, weights: dict[str, float], text: str) -> float:
    """IDF-weighted share of the question's words ``text`` states anywhere."""
    total = sum(weights.get(t, 0.0) for t in query.terms)
    return sum(weights.get(t, 0.0) for t in query.terms if t in text) / total if total > 0 else 0.0


TOPIC_SENTENCES = 2  # a question word this many sentences of one document state is what the document is about


def untitled(passage: Passage) -> bool:
    """The page has no title of its own: ingestion found none and named it by its file (dev_0079)."""
    return not passage.title or passage.title == PurePath(passage.source).stem


def document_topics(query: Query, passages: Sequence[Passage]) -> dict[str, str]:
    """Per untitled document, the question's words that its retrieved sentences keep repeating
    (烟花爆竹 in a 禁燃禁放 notice whose page has no title): like a title, they say what every
    sentence is about."""
    texts: dict[str, list[str]] = {}
    for p in passages:
        if untitled(p):  # a page with a title of its own says what it is about there
            texts.setdefault(p.document, []).extend(s.folded for s in p.sentences)
    return {
        doc: " ".join(t for t in query.terms if sum(1 for x in folded if t in x) >= TOPIC_SENTENCES)
        for doc, folded in texts.items()
    }


@lru_cache(maxsize=1)
def _org_kinds() -> frozenset[str]:
    return frozenset(fold(w) for w in read_list("org_kind_words.txt"))


def asks_organisations(query: Query) -> bool:
    """A list or 哪个单位 question whose asked word is an organisation kind (部门, 单位: org_kind_words.txt)."""
    return query.answer_type in ("list", "organisation") and bool(set(query.focus) & _org_kinds())


def is_org_line(sentence: SentenceFacts) -> bool:
    """A short line without closing punctuation naming an organisation (a signature line)."""
    text = sentence.folded.strip()
    return len(text) <= ORG_LINE_MAX and not text.endswith(tuple(TERMINAL)) and bool(organisations(text))
