"""The evidence gate: the only place that decides to refuse before anything is generated.

Two rules, nothing else vetoes:

1. Constraints. A place, year or named document in the question must appear in a retrieved
   passage. Places are compared through the gazetteer: a passage satisfies an asked place when it
   is about that place or about a place inside it (a 上虞区 passage answers a question about 绍兴市
   or 浙江省), never the other way round: a province-wide statement says nothing about one county.
   Only the passages meeting every constraint go on.
2. Score. The best sentence score of the selector (rag.answer.select) over those passages must
   reach ``Settings.evidence_threshold`` (calibrated on the development set). A compound question
   passes only when every part does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from index.textnorm import fold
from rag.answer import refusal
from rag.answer.passages import Passage
from rag.answer.query import Query
from rag.answer.select import Scored, rank_sentences
from rag.lang import Place, doc_numbers, gazetteer

NAMED_DOC_SHARE = 0.6  # share of a named title's character pairs a passage title must repeat


@dataclass(frozen=True)
class PartEvidence:
    """The gate's finding for one (sub-)question."""

    query: Query
    passages: tuple[Passage, ...]  # those meeting the constraints, in rank order
    ranked: tuple[Scored, ...]  # their sentences, best first
    score: float
    reason: str | None  # a refusal reason, or None when the part may be answered


@dataclass(frozen=True)
class Evidence:
    parts: tuple[PartEvidence, ...]

    @property
    def score(self) -> float:
        return min((p.score for p in self.parts), default=0.0)

    @property
    def reason(self) -> str | None:
        return next((p.reason for p in self.parts if p.reason), None)

    @property
    def passages(self) -> tuple[Passage, ...]:
        """Passages meeting the constraints of any part, in rank order (numbers as retrieved)."""
        seen: dict[str, Passage] = {}
        for part in self.parts:
            for p in part.passages:
                seen.setdefault(p.chunk_id, p)
        return tuple(sorted(seen.values(), key=lambda p: p.n))


def place_ok(asked: Place, passage: Passage) -> bool:
    """The passage is about ``asked`` or about a place inside it."""
    gaz = gazetteer()
    return any(p == asked or asked in gaz.ancestors(p) for p in passage.places)


def _bigrams(text: str) -> set[str]:
    return {a + b for a, b in pairwise(text)}


def names_document(named: str, passage: Passage) -> bool:
    """The passage belongs to the document the question names (by 文号 or by title)."""
    number = str(passage.meta.get("doc_number") or "")
    found = doc_numbers(named)
    if found:
        theirs = doc_numbers(number)
        return bool(theirs) and theirs[0].normalised == found[0].normalised
    title, wanted = fold(passage.title), fold(named)
    if not title:
        return False
    if wanted in title or title in wanted:
        return True
    grams = _bigrams(wanted)
    return bool(grams) and len(grams & _bigrams(title)) / len(grams) >= NAMED_DOC_SHARE


def meets_constraints(query: Query, passage: Passage) -> bool:
    if not all(place_ok(place, passage) for place in query.places):
        return False
    if not all(year in passage.years for year in query.years):
        return False
    return not query.named_doc or names_document(query.named_doc, passage)


def assess_part(query: Query, passages: Sequence[Passage], threshold: float) -> PartEvidence:
    if not passages:
        return PartEvidence(query, (), (), 0.0, refusal.NO_EVIDENCE)
    kept = tuple(p for p in passages if meets_constraints(query, p))
    if not kept:
        return PartEvidence(query, (), (), 0.0, refusal.OUT_OF_SCOPE)
    ranked = tuple(rank_sentences(query, kept))
    score = ranked[0].score if ranked else 0.0
    reason = None if score >= threshold else refusal.LOW_COVERAGE
    return PartEvidence(query, kept, ranked, score, reason)


def assess(query: Query, passages: Sequence[Passage], threshold: float) -> Evidence:
    """The gate over every part of the question."""
    return Evidence(tuple(assess_part(part, passages, threshold) for part in query.subqueries))
