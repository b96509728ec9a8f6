"""Run the assistant over an evaluation set and build the report.

Drives the system only through the facade (``search``, ``ask``, ``index_manifest``, ``settings``)
so the numbers describe what CLI and UI users get. One failing item is recorded as an error and
never stops the run.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from eval import scoring
from eval.dataset import EvalItem, load_dataset
from index.embedder import Embedder
from index.records import Hit, Record
from rag.models import Answer

log = logging.getLogger(__name__)

SEARCH_DEPTH = 10  # nDCG@10 and recall@10 need ten results whatever k is
TOP_HITS_IN_FAILURES = 3
HIT_TEXT_CHARS = 300  # passages in report.json are cut: enough to recognise, small enough to diff


class EvalTarget(Protocol):
    """What the harness needs of ``rag.assistant.Assistant`` (fakes implement it in tests)."""

    settings: Any
    embedder: Embedder | None

    def all_chunks(self) -> list[Record]: ...

    def search(self, query: str, k: int | None = None, flt: Any = None, audience: str = "staff") -> list[Hit]: ...

    def ask(
        self, question: str, history: Sequence[tuple[str, str]] = (), audience: str = "citizen", flt: Any = None
    ) -> Answer: ...

    def index_manifest(self) -> dict[str, Any]: ...


# ---------------------------------------------------------------- helpers


def retrieval_query(item: EvalItem) -> str:
    """The query every retriever gets: follow-ups are made standalone with the chain's own rule rewrite.

    The rule-based rewrite (no LLM) keeps ours and the baselines on the same text, so only the
    retriever differs; the chain's full behaviour on history is measured by the answer metrics.
    """
    if not item.history:
        return item.question
    from rag.assistant import standalone_question

    return standalone_question(item.question, item.history)


def figure_checkers() -> tuple[Callable[[str, Sequence[str]], Sequence[str]], Callable[[str], Sequence[str]]]:
    """The answer chain's own figure rules, so "unsupported" means what the verifier means."""
    from rag.assistant import figures, unsupported_figures

    return unsupported_figures, figures


def hit_passage(hit: Hit) -> str:
    return str(hit.meta.get("display_text") or hit.text)


def git_commit(start: Path | None = None) -> str | None:
    """The commit of the working tree the harness runs from (None outside git or before the first commit)."""
    cwd = start or Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def progress_bar(total: int, description: str, enabled: bool) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr; silent when disabled or when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not (enabled and console.is_terminal),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


# ---------------------------------------------------------------- one item


def _answer(target: EvalTarget, item: EvalItem, result: dict[str, Any]) -> None:
    start = time.perf_counter()
    answer = target.ask(item.question, history=item.history, audience="staff")
    result["timings_ms"]["total"] = (time.perf_counter() - start) * 1000
    for stage in ("retrieve", "gate", "generate"):
        if stage in answer.timings_ms:
            result["timings_ms"][stage] = float(answer.timings_ms[stage])
    if "gate" in answer.timings_ms:  # the answer stages after retrieval: gate (select) + compose + verify
        result["timings_ms"]["answer"] = float(answer.timings_ms["gate"]) + float(
            answer.timings_ms.get("generate", 0.0)
        )
    cited = [c.passage or c.quote for c in answer.citations]
    find_unsupported, find_figures = figure_checkers()
    sources = [c.source for c in answer.citations]
    result["answer"] = scoring.answer_scores(
        item, answer.answer, answer.refused, cited, find_unsupported, find_figures, sources
    )
    result["got"] = answer.answer
    result["refused"] = answer.refused
    result["refusal_reason"] = answer.refusal_reason
    result["citations"] = [
        {"n": c.n, "source": c.source, "chunk_id": c.chunk_id, "quote": c.quote} for c in answer.citations
    ]
    result["dropped"] = list(answer.dropped)
    result["figures_removed"] = sum(len(find_figures(s)) for s in answer.dropped)  # what verification took out


def _search(target: EvalTarget, item: EvalItem, result: dict[str, Any], depth: int) -> None:
    start = time.perf_counter()
    hits = target.search(result["query"], k=depth, audience="staff")
    result["timings_ms"]["search"] = (time.perf_counter() - start) * 1000
    passages = [hit_passage(h) for h in hits]
    sources = [str(h.meta.get("source", "")) for h in hits]
    result["retrieval"] = scoring.retrieval_scores(item, passages, sources)
    result["top_hits"] = [
        {"rank": i + 1, "chunk_id": h.id, "source": sources[i], "score": h.score, "text": passages[i][:HIT_TEXT_CHARS]}
        for i, h in enumerate(hits)
    ]


def evaluate_item(target: EvalTarget, item: EvalItem, depth: int) -> dict[str, Any]:
    """Answer and search one item; every score the report needs, JSON-ready.

    The answer comes first so its latency is the cold, end-to-end one a user sees (the embedding
    cache would otherwise already hold the query vector from the search). A step that raises is
    recorded as the item's error; the other step still runs.
    """
    result: dict[str, Any] = {
        "id": item.id,
        "kind": item.kind,
        "question": item.question,
        "answerable": item.answerable,
        "expected": list(item.answers),
        "reference": item.reference,
        "query": retrieval_query(item),
        "timings_ms": {},
        "retrieval": dict.fromkeys(scoring.RETRIEVAL_METRICS),
        "top_hits": [],
    }
    if item.history:
        result["history"] = [list(turn) for turn in item.history]
    errors: list[str] = []
    for step in (lambda: _answer(target, item, result), lambda: _search(target, item, result, depth)):
        try:
            step()
        except Exception as exc:  # one broken item must not cost the whole run
            log.exception("item %s failed", item.id)
            errors.append(f"{type(exc).__name__}: {exc}")
    if errors:
        result["error"] = "; ".join(errors)
    return result


# ---------------------------------------------------------------- report


def failures(results: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Failed items with question, expected, got, reasons and the top hits (shortened)."""
    out: list[dict[str, Any]] = []
    for r in results:
        reasons = scoring.failure_reasons(r)
        if not reasons:
            continue
        out.append(
            {
                "id": r["id"],
                "kind": r["kind"],
                "question": r["question"],
                "history": r.get("history", []),
                "expected": r["expected"] if r["answerable"] else "（应拒答）",
                "reference": r.get("reference", ""),
                "got": r.get("got", r.get("error", "")),
                "refused": r.get("refused"),
                "refusal_reason": r.get("refusal_reason", ""),
                "reasons": reasons,
                "unsupported_figures": r.get("answer", {}).get("unsupported", []),
                "top_hits": [{**h, "text": h["text"][:200]} for h in r.get("top_hits", [])[:TOP_HITS_IN_FAILURES]],
            }
        )
    return out


def _models(target: EvalTarget) -> dict[str, Any]:
    settings = target.settings
    embedder = getattr(target, "embedder", None)
    return {
        "embed_model": getattr(settings, "embed_model", None),
        "embedder": getattr(embedder, "name", None),
        "llm_backend": getattr(settings, "llm_backend", None),
        "llm_model": getattr(settings, "llm_model", None),
    }


def _config(target: EvalTarget) -> dict[str, Any]:
    settings = target.settings
    dump = getattr(settings, "model_dump", None)
    if dump is None:
        return {}
    config: dict[str, Any] = dump(mode="json")  # SecretStr fields come out masked
    return config


def build_report(
    target: EvalTarget, dataset_path: Path, results: Sequence[Mapping[str, Any]], k: int
) -> dict[str, Any]:
    by_kind: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in results:
        by_kind[r["kind"]].append(r)
    try:
        manifest = target.index_manifest()
    except Exception as exc:  # a report without a manifest is still worth having
        log.warning("index manifest unavailable: %s", exc)
        manifest = {}
    return {
        "dataset": str(dataset_path),
        "dataset_sha256": _sha256(dataset_path),
        "n": len(results),
        "k": k,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "config": _config(target),
        "models": _models(target),
        "index_manifest": manifest,
        "metrics": {
            **scoring.aggregate(results),
            "figures_removed": sum(int(r.get("figures_removed", 0)) for r in results),
        },
        "by_kind": {kind: {"n": len(rs), **scoring.aggregate(rs)} for kind, rs in sorted(by_kind.items())},
        "failures": failures(results),
        "items": list(results),
    }


def cache_counts(target: Any) -> tuple[int, int] | None:
    """(hits, misses) of the embedding cache, if the embedder keeps them.

    Query vectors are cached on disk, so a second run over the same questions measures warm
    latency; the report records how many lookups were hits so readers know which one they see.
    """
    embedder = getattr(target, "embedder", None)
    hits, misses = getattr(embedder, "hits", None), getattr(embedder, "misses", None)
    if isinstance(hits, int) and isinstance(misses, int):
        return hits, misses
    return None


def ours_retrieval_row(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Our row of the retriever table, over the same items the baselines are scored on.

    Latency is the chain's own "retrieve" stage when it reports one: it ran first and cold,
    like the baselines' first (uncached) query embedding, whereas the harness search ran warm.
    """
    scored = [r for r in results if "search" in r["timings_ms"] and any(v is not None for v in r["retrieval"].values())]
    timings = [r["timings_ms"].get("retrieve", r["timings_ms"]["search"]) for r in scored]
    return scoring.retriever_row(scored, timings)


def run_eval(
    assistant: EvalTarget,
    dataset_path: Path,
    report_dir: Path | None,
    k: int = 10,
    baselines: bool = False,
    progress: bool = True,
) -> dict[str, Any]:
    """Evaluate ``assistant`` on a dataset; write report.json, report.md and plots when ``report_dir`` is set.

    ``k`` is the retrieval depth (at least 10 results are always fetched so nDCG@10 is defined).
    With ``baselines`` the LangChain retrievers are scored on the same chunks and queries and the
    report gets a "baselines" table next to ours.
    """
    dataset_path = Path(dataset_path)
    items = load_dataset(dataset_path)
    depth = max(k, SEARCH_DEPTH)
    results: list[dict[str, Any]] = []
    cache_before = cache_counts(assistant)
    with progress_bar(len(items), "评测中", progress) as advance:
        for item in items:
            results.append(evaluate_item(assistant, item, depth))
            advance()
    report = build_report(assistant, dataset_path, results, k)
    cache_after = cache_counts(assistant)
    if cache_before is not None and cache_after is not None:
        report["embedding_cache"] = {
            "hits": cache_after[0] - cache_before[0],
            "misses": cache_after[1] - cache_before[1],
        }
    if baselines:
        from eval.baselines import run_baselines

        report["baselines"] = run_baselines(assistant, items, depth, progress=progress)
        report["baselines"]["ours"] = ours_retrieval_row(results)
    if report_dir is not None:
        from eval.report import write_report

        write_report(report, Path(report_dir))
    errors = sum(1 for r in results if r.get("error"))
    if errors:
        log.warning("%d of %d items failed with an error; see report failures", errors, len(results))
    return report
