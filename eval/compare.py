"""Compare two evaluation reports: the deltas of every metric, overall, by kind and for baselines.

Takes report.json paths (or the report folders that hold them), so `rag eval --compare A B`
works on any two runs, even of different versions, as long as they share metric names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval.dataset import DatasetError
from eval.report import fmt
from eval.scoring import CONTRACT_METRICS, LOWER_IS_BETTER

KIND_METRICS = ("evidence_hit@5", "answer_accuracy", "refusal_accuracy", "false_refusal_rate")


def load_report(path: Path) -> dict[str, Any]:
    """A report.json, given the file or its folder; a clear error if it is neither."""
    path = Path(path)
    if path.is_dir():
        path = path / "report.json"
    if not path.is_file():
        raise DatasetError(
            f"找不到评测报告 {path}：请传入 report.json 或包含它的文件夹（rag eval --report DIR 生成）。"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path} 不是有效的 JSON 报告：{exc}。请重新运行 rag eval 生成。") from exc
    if not isinstance(data, dict) or "metrics" not in data:
        raise DatasetError(f"{path} 缺少 metrics 字段，不是 rag eval 生成的报告。")
    return data


def delta(a: float | None, b: float | None) -> float | None:
    """b - a, or None when either side is missing."""
    if a is None or b is None:
        return None
    return float(b) - float(a)


def verdict(name: str, change: float | None, eps: float = 1e-9) -> str:
    """更好 / 更差 / 持平, knowing that latencies, false refusals and unsupported figures should go down."""
    if change is None:
        return "—"
    if abs(change) <= eps:
        return "持平"
    lower_better = name in LOWER_IS_BETTER or name.endswith("_ms")
    return "更好" if (change < 0) == lower_better else "更差"


def _fmt_delta(name: str, change: float | None) -> str:
    if change is None:
        return "—"
    if name.endswith("_ms"):
        return f"{change:+.0f} ms"
    return f"{change:+.3f}"


def _rows(names: list[str], a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    lines = []
    for name in names:
        va, vb = a.get(name), b.get(name)
        change = delta(va, vb)
        lines.append(
            f"| {name} | {fmt(name, va)} | {fmt(name, vb)} | {_fmt_delta(name, change)} | {verdict(name, change)} |"
        )
    return lines


def compare_reports(a: Mapping[str, Any], b: Mapping[str, Any], label_a: str = "A", label_b: str = "B") -> str:
    """Markdown with the metric deltas of ``b`` relative to ``a``."""
    ma, mb = a.get("metrics", {}), b.get("metrics", {})
    extra = sorted((set(ma) | set(mb)) - set(CONTRACT_METRICS))
    header = f"| 指标 | {label_a} | {label_b} | 变化 | 判断 |\n|---|---|---|---|---|"
    lines = [
        f"## 评测对比：{label_a} → {label_b}",
        "",
        f"- {label_a}：{a.get('dataset')}，n={a.get('n')}，提交 {a.get('git_commit') or '未知'}",
        f"- {label_b}：{b.get('dataset')}，n={b.get('n')}，提交 {b.get('git_commit') or '未知'}",
    ]
    if a.get("dataset_sha256") and a.get("dataset_sha256") != b.get("dataset_sha256"):
        lines.append("- 注意：两份报告使用的评测集内容不同，差值不能直接比较。")
    lines += ["", header, *_rows([*CONTRACT_METRICS, *extra], ma, mb)]
    kinds_a, kinds_b = a.get("by_kind") or {}, b.get("by_kind") or {}
    for kind in sorted(set(kinds_a) | set(kinds_b)):
        lines += [
            "",
            f"### {kind}",
            "",
            header,
            *_rows(list(KIND_METRICS), kinds_a.get(kind, {}), kinds_b.get(kind, {})),
        ]
    base_a, base_b = a.get("baselines") or {}, b.get("baselines") or {}
    for name in sorted(set(base_a) & set(base_b)):
        lines += [
            "",
            f"### 检索器 {name}",
            "",
            header,
            *_rows(["evidence_hit@5", "mrr", "ndcg@10"], base_a[name], base_b[name]),
        ]
    return "\n".join(lines)


def compare(a: Path, b: Path) -> str:
    """What `rag eval --compare A B` prints: deltas of report B relative to report A."""
    return compare_reports(load_report(a), load_report(b), label_a=str(a), label_b=str(b))
