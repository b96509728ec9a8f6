"""Benchmark: the real-document development questions through a local LLM vs the extractive default.

    python -m eval.bench.llm --model .venv/share/gov-rag/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \\
        --n 60 --deadline-min 70

Ingests /work/shared/corpus-dev/docs (or --corpus) into a scratch RAG_HOME (reused when given
with --home), picks a stratified subset of eval/datasets/real_dev.jsonl (kinds interleaved, so
any prefix is stratified too), and answers it with each backend in its own process, so the peak
RSS of each is its own. The LLM goes first; when --deadline-min runs out it stops starting new
questions and the extractive backend answers exactly the questions the LLM finished: ``n`` in
the results is what was really measured. Both answer through the same chain: evidence gate,
figure-level citation verification. Writes eval/bench/results/llm.json and llm.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval import metrics as m
from eval import scoring
from eval.dataset import EvalItem, load_dataset
from eval.runner import evaluate_item

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
DATASET = REPO / "eval" / "datasets" / "real_dev.jsonl"
CORPUS = Path("/work/shared/corpus-dev/docs")
RESULTS = REPO / "eval" / "bench" / "results"
LLM_CONTEXT = 1024  # the small-context design point: a 1.5B model on two shared cores prefills ~10-30 tokens/s
LLM_MAX_TOKENS = 160  # three cited sentences fit


def stratified(items: Sequence[EvalItem], n: int, seed: int = 0) -> list[EvalItem]:
    """Up to ``n`` items, kinds taken in turn (each kind shuffled with ``seed``): every prefix is stratified."""
    by_kind: dict[str, list[EvalItem]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    rng = random.Random(seed)
    queues = []
    for kind in sorted(by_kind):
        group = sorted(by_kind[kind], key=lambda i: i.id)
        rng.shuffle(group)
        queues.append(group)
    out: list[EvalItem] = []
    while len(out) < n and any(queues):
        for queue in queues:
            if queue and len(out) < n:
                out.append(queue.pop(0))
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures_removed(result: dict[str, Any]) -> int:
    """Figures in the sentences citation verification removed from this answer."""
    from rag.answer.citations import figures

    return sum(len(figures(sentence)) for sentence in result.get("dropped", []))


def worker(args: argparse.Namespace) -> int:
    """One backend over the chosen items, in this process; JSON lines of results on stdout."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    update: dict[str, Any] = {"home": args.home, "llm_backend": args.worker}
    if args.worker == "gguf":
        update.update(
            gguf_path=args.model,
            llm_context_tokens=LLM_CONTEXT,
            llm_max_tokens=LLM_MAX_TOKENS,
            llm_temperature=0.0,
            llm_timeout_s=600.0,
        )
    assistant = Assistant.from_settings(Settings(**update))
    wanted = args.ids.split(",")
    items = {i.id: i for i in load_dataset(args.dataset)}
    deadline = time.monotonic() + args.deadline_min * 60 if args.deadline_min else None
    for item_id in wanted:
        if deadline is not None and time.monotonic() > deadline:
            log.warning("deadline reached: stopping before %s", item_id)
            break
        result = evaluate_item(assistant, items[item_id], 5)
        result["figures_removed"] = figures_removed(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        log.info("%s %s %.1f s", args.worker, item_id, result["timings_ms"].get("total", 0) / 1000)
    print(json.dumps({"peak_rss_mb": peak_rss_mb()}), flush=True)
    assistant.close()
    return 0


def run_backend(backend: str, ids: Sequence[str], args: argparse.Namespace) -> tuple[list[dict[str, Any]], float]:
    cmd = [
        sys.executable,
        "-m",
        "eval.bench.llm",
        "--worker",
        backend,
        "--home",
        str(args.home),
        "--dataset",
        str(args.dataset),
        "--ids",
        ",".join(ids),
        "--deadline-min",
        str(args.deadline_min if backend == "gguf" else 0),
    ]
    if args.model:
        cmd += ["--model", str(args.model)]
    results: list[dict[str, Any]] = []
    rss = 0.0
    partial = RESULTS / f".llm-{backend}.partial.jsonl"
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=os.environ.copy()) as proc:
        assert proc.stdout is not None
        with partial.open("w", encoding="utf-8") as keep:
            for line in proc.stdout:
                if not line.startswith("{"):  # anything else a native library printed
                    continue
                row = json.loads(line)
                if "peak_rss_mb" in row:
                    rss = float(row["peak_rss_mb"])
                    continue
                results.append(row)
                keep.write(line)
                keep.flush()
    if proc.returncode:
        raise SystemExit(f"{backend} worker failed with exit code {proc.returncode} (results so far: {partial})")
    partial.unlink()
    return results, rss


def summary(results: Sequence[dict[str, Any]], rss: float) -> dict[str, Any]:
    agg = scoring.aggregate(results)
    answerable = [r for r in results if r["answerable"]]
    unanswerable = [r for r in results if not r["answerable"]]
    shown_unsupported = sum(1 for r in results if r.get("answer", {}).get("unsupported"))
    return {
        "n": len(results),
        "answer_accuracy": agg["answer_accuracy"],
        "answers_correct": sum(1 for r in answerable if r.get("answer", {}).get("answer_correct")),
        "n_answerable": len(answerable),
        "refusals": sum(1 for r in results if r.get("refused")),
        "false_refusals": sum(1 for r in answerable if r.get("refused")),
        "unanswerable_refused": sum(1 for r in unanswerable if r.get("refused")),
        "n_unanswerable": len(unanswerable),
        "figures_removed": sum(int(r.get("figures_removed", 0)) for r in results),
        "sentences_removed": sum(len(r.get("dropped", [])) for r in results),
        "answers_shown_with_unsupported_figure": shown_unsupported,
        "errors": sum(1 for r in results if r.get("error")),
        "latency_p50_ms": agg["latency_p50_ms"],
        "latency_p95_ms": agg["latency_p95_ms"],
        "peak_rss_mb": round(rss, 1),
        "by_kind": {
            kind: m.rate(r.get("answer", {}).get("answer_correct") for r in results if r["kind"] == kind)
            for kind in sorted({r["kind"] for r in results})
        },
    }


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    rows = report["backends"]
    names = list(rows)
    lines = [
        "# LLM vs extractive on real_dev (stratified subset)",
        "",
        f"Dataset `{report['dataset']}`, n = {report['n']} of {report['dataset_n']} questions "
        f"(stratified by kind, seed {report['seed']}); corpus {report['corpus_docs']} real documents. "
        f"Machine: {report['machine']}. LLM: `{report['model']}` via xllamacpp, "
        f"{report['llm']['threads']} thread, context {report['llm']['context_tokens']}, "
        f"max_tokens {report['llm']['max_tokens']}, temperature 0.",
        "",
        "| metric | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    metrics = [
        ("answer accuracy (answerable)", "answer_accuracy", 3),
        ("answers correct", "answers_correct", 0),
        ("refusals (all)", "refusals", 0),
        ("false refusals (answerable)", "false_refusals", 0),
        ("unanswerable refused", "unanswerable_refused", 0),
        ("figures the model wrote that verification removed", "figures_removed", 0),
        ("sentences removed by verification", "sentences_removed", 0),
        ("answers shown with an unsupported figure", "answers_shown_with_unsupported_figure", 0),
        ("errors", "errors", 0),
        ("latency p50 (ms)", "latency_p50_ms", 0),
        ("latency p95 (ms)", "latency_p95_ms", 0),
        ("peak RSS (MB)", "peak_rss_mb", 0),
    ]
    for label, key, digits in metrics:
        cells = []
        for name in names:
            value = rows[name][key]
            if key == "answers_correct":
                value = f"{value}/{rows[name]['n_answerable']}"
            elif key == "unanswerable_refused":
                value = f"{value}/{rows[name]['n_unanswerable']}"
            elif isinstance(value, float) and digits == 0:
                value = f"{value:.0f}"
            cells.append(_fmt(value, digits))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Answer accuracy by kind:", "", "| kind | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    kinds = sorted({k for r in rows.values() for k in r["by_kind"]})
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(_fmt(rows[n]["by_kind"].get(kind)) for n in names) + " |")
    lines += ["", f"Command: `{report['command']}`", ""]
    return "\n".join(lines)


def ensure_home(home: Path | None, corpus: Path) -> Path:
    if home is not None and (home / "registry.sqlite3").exists():
        return home
    home = home or Path(tempfile.mkdtemp(prefix="llm-bench-"))
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant.from_settings(Settings(home=home))
    report = assistant.ingest([corpus])
    assistant.close()
    log.info("ingested %s into %s: %s", corpus, home, report)
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="the GGUF file (1.5B: python -m rag.llm.weights qwen2.5-coder-1.5b)")
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--home", type=Path, help="scratch RAG_HOME (ingested once if empty)")
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deadline-min", type=float, default=0, help="stop starting LLM questions after this")
    parser.add_argument("--out", type=Path, default=RESULTS / "llm")
    parser.add_argument("--worker", choices=["extractive", "gguf"], help=argparse.SUPPRESS)
    parser.add_argument("--ids", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if args.worker:
        return worker(args)
    if "real_blind" in args.dataset.name:
        raise SystemExit("real_blind is the blind set: never benchmark or tune on it.")
    if not args.corpus.is_dir():
        print(f"corpus {args.corpus} not found: nothing to benchmark", file=sys.stderr)
        return 0
    if args.model is None or not args.model.is_file():
        raise SystemExit("--model must be the GGUF file (make models; python -m rag.llm.weights qwen2.5-coder-1.5b)")
    args.home = ensure_home(args.home, args.corpus)
    items = load_dataset(args.dataset)
    chosen = stratified(items, args.n, args.seed)
    RESULTS.mkdir(parents=True, exist_ok=True)
    llm_results, llm_rss = run_backend("gguf", [i.id for i in chosen], args)
    done = [r["id"] for r in llm_results]
    ext_results, ext_rss = run_backend("extractive", done, args)
    from rag.llm.gguf import default_threads

    report = {
        "dataset": str(args.dataset.relative_to(REPO)) if args.dataset.is_relative_to(REPO) else str(args.dataset),
        "dataset_n": len(items),
        "n": len(done),
        "seed": args.seed,
        "ids": done,
        "corpus_docs": sum(1 for p in args.corpus.iterdir() if p.is_file()),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "model": args.model.name,
        "llm": {"threads": default_threads(), "context_tokens": LLM_CONTEXT, "max_tokens": LLM_MAX_TOKENS},
        "command": "python -m eval.bench.llm " + " ".join(a for a in (argv or sys.argv[1:])),
        "backends": {
            "extractive (default)": summary(ext_results, ext_rss),
            f"gguf {args.model.stem}": summary(llm_results, llm_rss),
        },
        "items": {"gguf": llm_results, "extractive": ext_results},
    }
    args.out.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    args.out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
