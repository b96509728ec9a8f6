"""The evidence gate: the only place that decides to refuse before anything is generated.

Two rules, nothing else vetoes:

1. Constraints. A place, year or named document in the question must appear in the retrieved
   passages, judged per document: a document is in scope when its retrieved passages (text,
   title, heading, region) name every asked place and year, and, if the question names a
   document (《…》 or a 文号), when one of them is or mentions it. Places are compared through the
   gazetteer: an asked place is satisfied by itself or by a place inside it (a 上虞区 document
   answers a question about 绍兴市 or 浙江省, though its figures are its own: other_area), never
   the other way round: a province-wide statement says nothing about one county, and a 铜梁区
   figure is not a 合川区 one. Only the passages of in-scope documents go on.
2. Score. The best sentence score of the selector (rag.answer.select) over those passages must
   reach ``Settings.evidence_threshold`` (calibrated on the development set), counting only the
   sentences that state what the question pins down (rag.answer.constraints: a figure of the asked
   kind, the asked year, series member and organisation). When the best sentence breaks one of
   those, the refusal names the rule (no_figure, other_year, other_ordinal, other_organisation).
   A compound question passes only when every part does. The answering sentence's document must
   name every long thing the question asks about (劳动节), at least as an abbreviation (not_stated).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from index.textnorm import fold
from rag.answer import described, refusal
from rag.answer.constraints import document_ordinals_ok, document_year, missing_thing, screen
from rag.answer.document import document_text
from rag.answer.passages import Passage
from rag.answer.query import Query
from rag.answer.record import publication_verbs
from rag.answer.select import Scored, idf, rank_sentences
from rag.lang import Place, doc_numbers, gazetteer, own_doc_numbers
from rag.lang.markers import relative_years

CANDIDATES = 10  # best sentences checked against the question's constraints
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


def place_ok(asked: Place, places: Sequence[Place]) -> bool:
    """One of ``places`` is ``asked`` or lies inside it."""
    gaz = gazetteer()
    return any(p == asked or asked in gaz.ancestors(p) for p in places)


@dataclass(frozen=True)
class DocumentScope:
    """What the retrieved passages of one document say it is about: places and years."""

    places: tuple[Place, ...]
    years: frozenset[int]


def document_scopes(passages: Sequence[Passage]) -> dict[str, DocumentScope]:
    """Per document: the places and years its title, heading, region and retrieved text name
    (今年/去年 read against the document's date)."""
    places: dict[str, dict[Place, None]] = {}
    found_years: dict[str, set[int]] = {}
    for p in passages:
        doc_places = places.setdefault(p.document, {})
        doc_years = found_years.setdefault(p.document, set())
        doc_places.update(dict.fromkeys(p.places))
        doc_years.update(p.years)
        written = document_year(p)
        for s in p.sentences:
            doc_places.update(dict.fromkeys(s.places))
            doc_years.update(s.years)
            if written is not None:
                doc_years.update(relative_years(s.folded, written))  # 今年 in a 2023 document
    return {src: DocumentScope(tuple(places[src]), frozenset(found_years[src])) for src in places}


def _passage_scope(passage: Passage) -> DocumentScope:
    places = dict.fromkeys(passage.places)
    found = set(passage.years)
    for s in passage.sentences:
        places.update(dict.fromkeys(s.places))
        found.update(s.years)
    return DocumentScope(tuple(places), frozenset(found))


def _section(passage: Passage) -> tuple[str, str]:
    """The passage's document and the top of its heading path: the section it belongs to."""
    return passage.document, passage.heading.split(">")[0].strip()


def section_places(passages: Sequence[Passage]) -> dict[tuple[str, str], tuple[Place, ...]]:
    """Per (document, top heading): the place its retrieved passages are about, with those above it.
    A speech collection's section names its district once, at its start (沙坪坝区委书记 …); the
    section's later chunks are about that district too. The section's place is the most specific one
    its sentences name most often; a section listing several districts alike (包括涪陵、永川…) has none."""
    counts: dict[tuple[str, str], Counter[Place]] = {}
    for p in passages:
        if not p.heading:
            continue
        named = counts.setdefault(_section(p), Counter())
        for s in p.sentences:
            named.update(set(s.places))
    gaz = gazetteer()
    out: dict[tuple[str, str], tuple[Place, ...]] = {}
    for key, named in counts.items():
        specific = [(n, p) for p, n in named.items() if not any(p in gaz.ancestors(o) for o in named)]
        specific.sort(key=lambda c: -c[0])
        if specific and (len(specific) == 1 or specific[0][0] > specific[1][0]):
            place = specific[0][1]
            out[key] = (place, *gaz.ancestors(place))
    return out


def in_scope(
    query: Query, passage: Passage, document: DocumentScope, section: Sequence[Place] = (), unplaced: bool = False
) -> bool:
    """The passage speaks of every asked place (or a place inside it); its document, of every asked year.

    For places the nearest statement decides: what the passage itself names, and only when it names
    no place at all, what its document names elsewhere (a speech collection's section about one
    district does not answer for the district of the next section; a reply's body need not repeat
    the county its header names). Years are judged per document: a passage quoting a comparison
    year (比2021年) is still about the year its document reports; the selector's year penalty
    handles sentences that name only other years. With ``unplaced``, a document naming no place at
    all (在全市…会议上的讲话, no region) passes the place check: it may be about the asked one."""
    own = _passage_scope(passage)
    places = own.places or document.places
    named = [p for s in passage.sentences for p in s.places]
    if section and all(any(p == s or p in gazetteer().ancestors(s) for s in section) for p in named):
        places = (*places, *section)  # its text names no place but its section's (or theirs above): the section's
    if (places or not unplaced) and not all(place_ok(place, places) for place in query.places):
        return False
    return all(year in document.years for year in query.years)


def _bigrams(text: str) -> set[str]:
    return {a + b for a, b in pairwise(text)}


def names_document(named: str, passage: Passage) -> bool:
    """The passage is of, or speaks of, the document the question names (by 文号 or by title)."""
    found = doc_numbers(named)
    if found:
        stated = doc_numbers(f"{passage.meta.get('doc_number') or ''} {passage.text}")
        return any(n.normalised == found[0].normalised for n in stated)
    title, wanted = fold(passage.title), fold(named)
    if wanted in title or wanted in fold(passage.text) or (title and title in wanted):
        return True
    asked = {m.place for m in gazetteer().find(wanted)}
    if asked and not asked & {m.place for m in gazetteer().find(title)}:
        return False  # 《楚雄州…议事规则》 is not 禄丰市's, however alike the rest of the title
    grams = _bigrams(wanted)
    return bool(grams) and len(grams & _bigrams(title)) / len(grams) >= NAMED_DOC_SHARE


def described_document(query: Query) -> str:
    """A document the question opens by describing, without 《》 (区域制造中心建设汇报中…, …分工方案里…)."""
    return "" if query.named_doc else described.described_document(query.text)


def document_coverage(query: Query, passage: Passage, pool: Sequence[Passage]) -> float:
    """IDF-weighted share of the question's words the passage's title, heading, issuer or text state."""
    weights = idf(query.terms, pool)
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    text = passage.context + " " + " ".join(s.folded for s in passage.sentences)
    return sum(w for t, w in weights.items() if t in text) / total


def states_doc_number(passage: Passage) -> bool:
    """The passage's record has a 文号, or its text states one."""
    return bool(passage.meta.get("doc_number")) or bool(own_doc_numbers(passage.text))


def cited_number(query: Query, ranked: Sequence[Scored]) -> Scored | None:
    """The sentence answering a question about the 文号 of a document the page cites (同时废止的旧预案
    文号是什么): it states a 文号 and every word of the question its page's title does not state."""
    for scored in ranked:
        title = scored.passage.context
        # (印发 in 用什么文号印发的 asks how the page itself was issued: no relation to another document)
        relation = [t for t in query.terms if t not in title and t not in publication_verbs()]
        if relation and doc_numbers(scored.sentence.folded) and all(t in scored.sentence.folded for t in relation):
            return scored
    return None


def assess_part(query: Query, passages: Sequence[Passage], threshold: float) -> PartEvidence:
    if not passages:
        return PartEvidence(query, (), (), 0.0, refusal.NO_EVIDENCE)
    scopes = document_scopes(passages)
    sections = section_places(passages)
    named = {p.document for p in passages if query.named_doc and names_document(query.named_doc, p)}
    described = described_document(query)
    # a document described loosely restricts the evidence only when one retrieved document fits it
    fitting = {p.document for p in passages if described and names_document(described, p)}

    def scoped(unplaced: bool) -> tuple[Passage, ...]:
        found = tuple(
            p
            for p in passages
            if in_scope(query, p, scopes[p.document], sections.get(_section(p), ()), unplaced)
            and (not query.named_doc or p.document in named)
        )
        # the described document restricts only among those in scope (another city's 政府工作报告 fits
        # 嘉兴市2025年政府工作报告 by its words, not by its place)
        fit = tuple(p for p in found if p.document in fitting)
        return fit or found

    # no document names the asked place: one that names no place at all may still be about it
    kept = scoped(False) or scoped(True)
    ranked = tuple(rank_sentences(query, kept))
    if not ranked:
        return PartEvidence(query, (), (), 0.0, refusal.OUT_OF_SCOPE)
    if query.is_metadata:
        # the answer is a field of the record: what must be sure is which document is meant
        score = max(ranked[0].score, max(document_coverage(query, p, kept) for p in kept))
        reason = None if score >= threshold else refusal.LOW_COVERAGE
        if (
            reason is None
            and query.ordinals
            and not any(
                document_ordinals_ok(query, document_text(kept, d)) for d in dict.fromkeys(p.document for p in kept)
            )
        ):
            reason = refusal.OTHER_ORDINAL  # 三次会议的决议 asked of the 二次会议's
        if reason is None and set(query.fields) == {"doc_number"} and not any(states_doc_number(p) for p in kept):
            cited = cited_number(query, ranked)
            if cited is None:
                reason = refusal.NO_DOC_NUMBER  # 文号是多少 of a page without one: no number to give
            else:  # the cited document's number: that sentence is the answer
                ranked = (cited,)
        return PartEvidence(query, kept, ranked, score, reason)
    # what the question pins down (figure, year, series member, organisation) must be what is quoted
    passing, broken = screen(query, ranked, CANDIDATES)
    score = passing[0].score if passing else 0.0
    if score >= threshold:
        if passing and missing_thing(query, document_text(kept, passing[0].passage.document)):
            return PartEvidence(query, kept, passing, score, refusal.NOT_STATED)
        return PartEvidence(query, kept, passing, score, None)
    reason = broken if broken and ranked[0].score >= threshold else refusal.LOW_COVERAGE
    return PartEvidence(query, kept, passing or ranked, score if passing else ranked[0].score, reason)


def assess(query: Query, passages: Sequence[Passage], threshold: float) -> Evidence:
    """The gate over every part of the question."""
    return Evidence(tuple(assess_part(part, passages, threshold) for part in query.subqueries))
