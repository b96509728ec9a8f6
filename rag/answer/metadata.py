"""Metadata questions (文号, 发文机关 and the date asked with them), answered from the record.

The value comes from the document's registry fields (carried in every hit's metadata); the quote
is the shortest sentence of a passage of that document stating the value — normally a clause of
the document's metadata card chunk ("文号：…"), written by ingestion — so the answer goes through
the same citation and verification path as any other. When the registry has no 文号 the first
文号 the document's opening passage states is used (the header of an official document).

The document is the one whose title, or best sentence, covers the question best among the gated
passages (the gate has already applied the named-document, place and year constraints).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.textnorm import fold
from rag.answer.gate import PartEvidence
from rag.answer.passages import Passage
from rag.answer.record import asked_publication_verbs, publication_verbs
from rag.answer.select import idf
from rag.lang import dates, month_days, own_doc_numbers

# Answer type -> the registry field (rag.models.DocMeta, as indexed in each hit's metadata).
FIELDS = {"doc_number": "doc_number", "issuer": "issuer", "doc_date": "date", "doc_type": "doc_type"}
FetchDocument = Callable[[str, str], Sequence[Passage]]  # (query text, document id) -> passages of that document


@dataclass(frozen=True)
class MetadataAnswer:
    passage: Passage
    quote: str


def _title_coverage(evidence: PartEvidence, passage: Passage, weights: dict[str, float]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if t in passage.context) / total


def best_document(evidence: PartEvidence) -> Passage | None:
    """The gated passage whose document the question is about: the best of its title coverage and its
    best sentence's coverage, ties to the better-ranked passage."""
    if not evidence.passages:
        return None
    weights = idf(evidence.query.terms, evidence.passages)
    best_sentence: dict[str, float] = {}
    for scored in evidence.ranked:
        source = scored.passage.document
        best_sentence[source] = max(best_sentence.get(source, 0.0), scored.coverage)
    return max(
        evidence.passages,
        key=lambda p: (max(_title_coverage(evidence, p, weights), best_sentence.get(p.document, 0.0)), -p.n),
    )


def _stating(value: str, passages: Sequence[Passage]) -> MetadataAnswer | None:
    wanted = fold(value)
    best: MetadataAnswer | None = None
    for passage in passages:
        for sentence in passage.sentences:
            if wanted in sentence.folded and (best is None or len(sentence.text) < len(best.quote)):
                best = MetadataAnswer(passage, sentence.text)
    return best


def _opening_number(passages: Sequence[Passage]) -> str:
    """The first 文号 stated by the earliest passage of a document that states one."""

    def position(p: Passage) -> int:
        value = p.meta.get("position")
        return value if isinstance(value, int) else 10**6

    for passage in sorted(passages, key=position):
        found = own_doc_numbers(passage.text)
        if found:
            return found[0].raw
    return ""


EVENT_CANDIDATES = 5  # best sentences searched for the text's own statement of the asked act
NAMES_DOCUMENT = 0.5  # coverage at which a sentence names a document the question describes by its kind


def _dated_act(text: str, verbs: Sequence[str]) -> bool:
    """A date followed by the asked verb before any other act (2023年7月，…办公厅印发; 于2025年3月25日通过),
    not a date of another act (…2024年11月13日…会议通过，现印发给你们 does not date 印发)."""
    starts = [d.end for d in dates(text)] + [text.find(m) + len(m) for m in month_days(text)]
    acts = publication_verbs()
    for end in starts:
        found = [(at, v) for v in acts if (at := text.find(v, end)) >= 0]
        if found and min(found)[1] in verbs:
            return True
    return False


def stated_act(evidence: PartEvidence) -> MetadataAnswer | None:
    """The document's text stating when the asked act happened (《…》已经2024年11月13日…会议通过;
    2002年7月8日由市政府发布): more exact than the record's date, which is when the page was issued.
    The sentence must name the document (or, described by its kind, state most of the question's
    words), and date the verb the question asks with."""
    query = evidence.query
    verbs = asked_publication_verbs(query.text)
    if "doc_date" not in query.fields or not verbs:
        return None
    for scored in evidence.ranked[:EVENT_CANDIDATES]:
        sentence = scored.sentence
        names = query.named_doc in sentence.folded if query.named_doc else scored.coverage >= NAMES_DOCUMENT
        if names and _dated_act(sentence.folded, verbs):
            return MetadataAnswer(scored.passage, sentence.text)
    return None


def answer_metadata(evidence: PartEvidence, fetch: FetchDocument) -> list[MetadataAnswer]:
    """One quote per asked field the document's record (or its header) answers; empty: answer as text."""
    doc = best_document(evidence)
    if doc is None:
        return []
    act = stated_act(evidence)
    same_doc = [p for p in evidence.passages if p.document == doc.document]
    fetched: list[Passage] = []
    out: list[MetadataAnswer] = []
    for kind in evidence.query.fields:
        field = FIELDS.get(kind)
        if field is None:
            continue
        if kind == "doc_date" and act is not None:
            if act not in out:
                out.append(act)
            continue
        value = str(doc.meta.get(field) or "")
        if not value and kind == "doc_number":
            if not fetched:
                fetched = list(fetch(doc.title or evidence.query.text, doc.document))
            value = _opening_number([*same_doc, *fetched])
        if not value:
            continue
        found = _stating(value, same_doc)
        if found is None:
            more = fetch(f"{doc.title} {value}", doc.document)
            fetched.extend(more)
            found = _stating(value, more)
        if found is not None and found not in out:
            out.append(found)
    return out
