"""Metadata questions (文号, 发文机关, 成文日期, 文种 of a named document), answered from the record.

The value comes from the document's registry fields (carried in every hit's metadata); the quote
is the shortest sentence of a passage of that document stating the value — normally a clause of
the document's metadata card chunk ("文号：…"), written by ingestion — so the answer goes through
the same citation and verification path as any other. The document is the one the question names
or, failing that, the gated passage whose title and heading cover the question best.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from index.textnorm import fold
from rag.answer.gate import PartEvidence
from rag.answer.passages import Passage
from rag.answer.select import idf

# Answer type -> the registry field (rag.models.DocMeta, as indexed in each hit's metadata).
FIELDS = {"doc_number": "doc_number", "issuer": "issuer", "doc_date": "date", "doc_type": "doc_type"}
FetchDocument = Callable[[str, str], Sequence[Passage]]  # (query text, source) -> passages of that document


@dataclass(frozen=True)
class MetadataAnswer:
    passage: Passage
    quote: str


def _title_coverage(evidence: PartEvidence, passage: Passage) -> float:
    weights = idf(evidence.query.terms, evidence.passages)
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if t in passage.context) / total


def best_document(evidence: PartEvidence) -> Passage | None:
    """The gated passage whose document the question is about (title/heading coverage, then rank)."""
    if not evidence.passages:
        return None
    return max(evidence.passages, key=lambda p: (_title_coverage(evidence, p), -p.n))


def _stating(value: str, passages: Sequence[Passage]) -> MetadataAnswer | None:
    wanted = fold(value)
    best: MetadataAnswer | None = None
    for passage in passages:
        for sentence in passage.sentences:
            if wanted in sentence.folded and (best is None or len(sentence.text) < len(best.quote)):
                best = MetadataAnswer(passage, sentence.text)
    return best


def answer_metadata(evidence: PartEvidence, fetch: FetchDocument) -> MetadataAnswer | None:
    """The passage and quote answering a metadata question, or None (then it is answered as text)."""
    field = FIELDS.get(evidence.query.answer_type)
    doc = best_document(evidence)
    if field is None or doc is None:
        return None
    value = str(doc.meta.get(field) or "")
    if not value:
        return None
    same_doc = [p for p in evidence.passages if p.source == doc.source]
    found = _stating(value, same_doc)
    if found is None:
        found = _stating(value, fetch(f"{doc.title} {value}", doc.source))
    if found is None:
        return None
    return MetadataAnswer(replace(found.passage, n=1), found.quote)

