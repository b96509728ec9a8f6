"""Render and write evaluation reports: report.json, report.md and PNG plots.

Plots use matplotlib's Agg canvas directly (no pyplot global state), so writing a report works
headless and from threads. Plot labels stay ASCII: CJK glyphs need a font the machine may lack.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.scoring import CONTRACT_METRICS, REASON_LABELS

log = logging.getLogger(__name__)

KIND_COLUMNS = (
    "evidence_hit@5",
    "mrr",
    "answer_accuracy",
    "citation_precision",
    "citation_recall",
    "refusal_accuracy",
    "false_refusal_rate",
)
BASELINE_COLUMNS = ("evidence_hit@1", "evidence_hit@5", "doc_hit@5", "mrr", "ndcg@10", "recall@5")
BASELINE_LABELS = {
    "langchain_bm25": "LangChain BM25Retriever（默认按空白分词）",
    "langchain_ensemble_jieba": "LangChain EnsembleRetriever（jieba BM25 + FAISS，0.5/0.5）",
    "ours": "本系统（混合检索）",
}
PLOT_METRICS = ("evidence_hit@5", "answer_accuracy", "citation_recall", "refusal_accuracy")
MAX_FAILURES_IN_MD = 50
MANIFEST_KEYS = ("format_version", "backend", "embedding", "tokenizer", "counts")


def fmt(name: str, value: Any) -> str:
    """A metric for people: fractions with three decimals, latencies in whole ms, '—' when not applicable."""
    if value is None:
        return "—"
    if name.endswith("_ms"):
        return f"{float(value):.0f} ms"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_table(report: Mapping[str, Any]) -> str:
    """The Markdown summary the CLI prints: metrics, metrics by kind, and the baseline table if any."""
    metrics = report.get("metrics", {})
    lines = [f"## 评测结果：{Path(str(report.get('dataset', ''))).name}（n={report.get('n', 0)}）", ""]
    names = list(CONTRACT_METRICS) + [
        n
        for n in (
            "recall@5",
            "recall@10",
            *(f"latency_{s}_p{q}_ms" for s in ("search", "retrieve", "answer") for q in (50, 95)),
        )
        if n in metrics
    ]
    lines += _table(["指标", "数值"], [[n, fmt(n, metrics.get(n))] for n in names])
    by_kind = report.get("by_kind") or {}
    if by_kind:
        lines += ["", "### 按问题类型", ""]
        rows = [[kind, str(v.get("n", ""))] + [fmt(c, v.get(c)) for c in KIND_COLUMNS] for kind, v in by_kind.items()]
        lines += _table(["kind", "n", *KIND_COLUMNS], rows)
    baselines = report.get("baselines") or {}
    if baselines:
        lines += ["", "### 检索对比（同一批分块、同一批查询）", ""]
        order = [b for b in ("langchain_bm25", "langchain_ensemble_jieba", "ours") if b in baselines]
        order += [b for b in baselines if b not in order]
        rows = [
            [
                BASELINE_LABELS.get(b, b),
                *(fmt(c, baselines[b].get(c)) for c in BASELINE_COLUMNS),
                fmt("latency_p50_ms", baselines[b].get("latency_p50_ms")),
            ]
            for b in order
        ]
        lines += _table(["检索器", *BASELINE_COLUMNS, "检索 p50"], rows)
    cache = report.get("embedding_cache") or {}
    if cache and cache.get("misses", 0) < report.get("n", 0):
        lines += [
            "",
            f"注意：本次只有 {cache.get('misses', 0)} 次查询向量是新算的（{cache.get('hits', 0)} 次来自嵌入缓存），"
            "少于问题数，延迟偏低；要测冷启动延迟，请用新的 RAG_HOME 重新入库后再评测。",
        ]
    n_fail = len(report.get("failures") or [])
    lines += ["", f"未通过条目：{n_fail} 条（详见 report.md / report.json 的 failures）。"]
    return "\n".join(lines)


def render_markdown(report: Mapping[str, Any], plots: Sequence[str] = ()) -> str:
    """The full report.md: run facts, the summary tables, plots and the failure list."""
    models = report.get("models") or {}
    manifest = report.get("index_manifest") or {}
    head = [
        "# 评测报告",
        "",
        f"- 评测集：`{report.get('dataset')}`（sha256 {str(report.get('dataset_sha256', ''))[:12]}）",
        f"- 时间：{report.get('created_at', '')}；git 提交：{report.get('git_commit') or '（未知）'}",
        f"- 向量模型：{models.get('embedder') or models.get('embed_model')}；"
        f"回答后端：{models.get('llm_backend')}（{models.get('llm_model')}）",
        f"- 索引：{json.dumps({k: manifest[k] for k in MANIFEST_KEYS if k in manifest}, ensure_ascii=False)}"
        "（完整清单见 report.json 的 index_manifest）",
        "",
    ]
    body = [render_table(report), ""]
    for plot in plots:
        body += [f"![{plot}]({plot})", ""]
    failures = list(report.get("failures") or [])
    if failures:
        body += ["## 未通过条目", ""]
        for f in failures[:MAX_FAILURES_IN_MD]:
            reasons = "；".join(REASON_LABELS.get(r, r) for r in f.get("reasons", []))
            expected = f["expected"] if isinstance(f["expected"], str) else "、".join(f["expected"]) or "—"
            body += [
                f"### {f['id']}（{f['kind']}）：{reasons}",
                "",
                f"- 问题：{f['question']}",
                *([f"- 对话历史：{f['history']}"] if f.get("history") else []),
                f"- 期望：{expected}",
                *([f"- 参考答案：{f['reference']}"] if f.get("reference") else []),
                f"- 实际：{_one_line(str(f.get('got', '')))}",
                *([f"- 无出处的数字：{'、'.join(f['unsupported_figures'])}"] if f.get("unsupported_figures") else []),
                "- 前几条检索结果：",
                *[f"  {h['rank']}. `{h['source']}` {_one_line(h['text'])[:120]}" for h in f.get("top_hits", [])],
                "",
            ]
        if len(failures) > MAX_FAILURES_IN_MD:
            body.append(f"……另有 {len(failures) - MAX_FAILURES_IN_MD} 条，见 report.json。")
    return "\n".join(head + body) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- plots


def plot_metric_by_kind(report: Mapping[str, Any], path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    by_kind = report.get("by_kind") or {}
    kinds = list(by_kind)
    fig = Figure(figsize=(max(7.0, 1.4 * len(kinds) + 4), 4.0))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    width = 0.8 / len(PLOT_METRICS)
    for i, metric in enumerate(PLOT_METRICS):
        values = [by_kind[k].get(metric) for k in kinds]
        xs = [j + i * width for j in range(len(kinds))]
        ax.bar(xs, [v if v is not None else 0.0 for v in values], width=width, label=metric)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(kinds))])
    ax.set_xticklabels([f"{k}\n(n={by_kind[k].get('n', '')})" for k in kinds])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("fraction")
    ax.set_title("Metrics by question kind (missing = not applicable, drawn as 0)")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_latency(report: Mapping[str, Any], path: Path) -> None:
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    items = report.get("items") or []
    fig = Figure(figsize=(7.5, 4.0))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    series = {
        stage: [max(float(r["timings_ms"][stage]), 0.1) for r in items if stage in r.get("timings_ms", {})]
        for stage in ("search", "retrieve", "generate", "total")
    }
    series = {stage: values for stage, values in series.items() if values}
    if series:
        # Shared log-spaced bins: stages differ by orders of magnitude (1 ms generate vs 1 s cold search).
        every = [v for values in series.values() for v in values]
        bins = np.geomspace(min(every), max(every) * 1.01 + 0.1, 25).tolist()
        for stage, values in series.items():
            ax.hist(values, bins=bins, alpha=0.5, label=f"{stage} (n={len(values)})")
        ax.set_xscale("log")
        ax.legend(fontsize="small")
    else:
        ax.text(0.5, 0.5, "no timings", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Latency per stage")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


# ---------------------------------------------------------------- writing


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(report: Mapping[str, Any], report_dir: Path) -> list[Path]:
    """Write report.json, report.md, metric_by_kind.png and latency_hist.png; returns the paths."""
    report_dir.mkdir(parents=True, exist_ok=True)
    plots: list[str] = []
    for name, draw in (("metric_by_kind.png", plot_metric_by_kind), ("latency_hist.png", plot_latency)):
        try:
            draw(report, report_dir / name)
            plots.append(name)
        except Exception as exc:  # a plot must never cost the numbers
            log.warning("plot %s not written: %s", name, exc)
    json_path = report_dir / "report.json"
    md_path = report_dir / "report.md"
    _atomic_write(json_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    _atomic_write(md_path, render_markdown(report, plots))
    return [json_path, md_path, *(report_dir / p for p in plots)]
