"""Per-item scores and their aggregation: the glue between what the system returned and eval.metrics.

Kept apart from the runner so the baselines score their rankings exactly the way ours is scored,
and so aggregation (which items a metric applies to) is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from eval import metrics as m
from eval.dataset import EvalItem

RETRIEVAL_CUTOFFS = (1, 5, 10)

# Contract metric names (report.json "metrics"), in the order reports show them.
CONTRACT_METRICS = (
    "evidence_hit@1",
    "evidence_hit@5",
    "doc_hit@5",
    "mrr",
    "ndcg@10",
    "answer_accuracy",
    "citation_precision",
    "citation_recall",
    "refusal_accuracy",
    "false_refusal_rate",
    "unsupported_figures",
    "latency_p50_ms",
    "latency_p95_ms",
)
RETRIEVAL_METRICS = (
    "evidence_hit@1",
    "evidence_hit@5",
    "evidence_hit@10",
    "doc_hit@5",
    "mrr",
    "ndcg@10",
    "recall@5",
    "recall@10",
)
# Lower is better for these; compare.py uses it to say whether a delta is an improvement.
LOWER_IS_BETTER = ("false_refusal_rate", "unsupported_figures")


def retrieval_scores(item: EvalItem, passages: Sequence[str], sources: Sequence[str]) -> dict[str, float | None]:
    """Evidence- and document-level scores of one ranked list; None where the item has no gold data."""
    scores: dict[str, float | None] = dict.fromkeys(RETRIEVAL_METRICS)
    if item.evidence:
        matches = m.evidence_matches(item.evidence, passages)
        any_rel = [bool(x) for x in matches]
        for cut in RETRIEVAL_CUTOFFS:
            scores[f"evidence_hit@{cut}"] = m.hit_at_k(any_rel, cut)
        scores["mrr"] = m.reciprocal_rank(any_rel, 10)
        scores["ndcg@10"] = m.ndcg_at_k(m.novel_relevance(matches), 10, len(item.evidence))
        scores["recall@5"] = m.recall_at_k(matches, len(item.evidence), 5)
        scores["recall@10"] = m.recall_at_k(matches, len(item.evidence), 10)
    if item.gold_docs:
        scores["doc_hit@5"] = m.hit_at_k(m.doc_relevance(sources, item.gold_docs), 5)
    return scores


def answer_scores(
    item: EvalItem,
    answer_text: str,
    refused: bool,
    cited_passages: Sequence[str],
    find_unsupported: Callable[[str, Sequence[str]], Sequence[str]],
    find_figures: Callable[[str], Sequence[str]],
    cited_sources: Sequence[str] = (),
) -> dict[str, Any]:
    """Answer, citation, refusal and figure scores of one answer (None = not applicable).

    An answer is correct when every gold string is in it and, for items with gold documents, at
    least one citation is of a gold document: the right words cited from the wrong file are not a
    grounded answer."""
    out: dict[str, Any] = {
        "answer_correct": None,
        "citation_precision": None,
        "citation_recall": None,
        "refusal_correct": None,
        "false_refusal": None,
        "unsupported": [],
        "n_figures": 0,
    }
    if item.answerable:
        out["false_refusal"] = refused
        if item.answers:
            cites_gold = not item.gold_docs or any(m.doc_relevance(cited_sources, item.gold_docs))
            out["answer_correct"] = (not refused) and cites_gold and m.answer_correct(answer_text, item.answers)
        if item.evidence:
            out["citation_recall"] = 0.0 if refused else m.citation_recall(cited_passages, item.evidence)
            if not refused:
                out["citation_precision"] = m.citation_precision(cited_passages, item.evidence)
    else:
        out["refusal_correct"] = refused
    if not refused:
        out["unsupported"] = list(find_unsupported(answer_text, cited_passages))
        out["n_figures"] = len(find_figures(answer_text))
    return out


def aggregate_retrieval(results: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    """Means of the retrieval scores over the items each applies to."""
    return {name: m.mean(r["retrieval"].get(name) for r in results) for name in RETRIEVAL_METRICS}


def retriever_row(results: Sequence[Mapping[str, Any]], latencies_ms: Sequence[float]) -> dict[str, Any]:
    """One row of the retriever comparison table; ours and each baseline are built by this one function
    so the columns can never drift apart. ``n`` counts the items with evidence to score."""
    return {
        **aggregate_retrieval(results),
        "latency_p50_ms": m.percentile(latencies_ms, 50),
        "n": sum(1 for r in results if r["retrieval"].get("evidence_hit@1") is not None),
    }


def _latency(results: Sequence[Mapping[str, Any]], key: str) -> list[float]:
    return [float(r["timings_ms"][key]) for r in results if r.get("timings_ms", {}).get(key) is not None]


def aggregate(results: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    """All metrics of a set of item results (the contract names plus recall@k and per-stage latency)."""
    out: dict[str, float | None] = dict.fromkeys(CONTRACT_METRICS)
    out.update(aggregate_retrieval(results))
    answered = [r for r in results if "answer" in r]
    out["answer_accuracy"] = m.rate(r["answer"]["answer_correct"] for r in answered)
    out["citation_precision"] = m.mean(r["answer"]["citation_precision"] for r in answered)
    out["citation_recall"] = m.mean(r["answer"]["citation_recall"] for r in answered)
    out["refusal_accuracy"] = m.rate(r["answer"]["refusal_correct"] for r in answered)
    out["false_refusal_rate"] = m.rate(r["answer"]["false_refusal"] for r in answered)
    n_figures = sum(r["answer"]["n_figures"] for r in answered)
    n_unsupported = sum(len(r["answer"]["unsupported"]) for r in answered)
    out["unsupported_figures"] = n_unsupported / n_figures if n_figures else (0.0 if answered else None)
    out["answers_with_unsupported_figures"] = m.rate(bool(r["answer"]["unsupported"]) for r in answered)
    total = _latency(results, "total")
    out["latency_p50_ms"] = m.percentile(total, 50)
    out["latency_p95_ms"] = m.percentile(total, 95)
    for stage in ("search", "retrieve", "gate", "generate", "answer"):
        values = _latency(results, stage)
        out[f"latency_{stage}_p50_ms"] = m.percentile(values, 50)
        out[f"latency_{stage}_p95_ms"] = m.percentile(values, 95)
    out["error_rate"] = m.rate(bool(r.get("error")) for r in results)
    return out


def failure_reasons(result: Mapping[str, Any]) -> list[str]:
    """Machine-readable reasons an item counts as a failure (empty list = passed)."""
    reasons: list[str] = []
    if result.get("error"):
        return ["error"]
    retrieval = result["retrieval"]
    answer = result["answer"]
    if retrieval.get("evidence_hit@5") == 0.0:
        reasons.append("retrieval_miss")
    if answer["false_refusal"]:
        reasons.append("false_refusal")
    elif answer["answer_correct"] is False:
        reasons.append("wrong_answer")
    if answer["refusal_correct"] is False:
        reasons.append("should_refuse")
    if answer["unsupported"]:
        reasons.append("unsupported_figures")
    return reasons


REASON_LABELS = {
    "error": "运行出错",
    "retrieval_miss": "前5条检索结果不含证据",
    "false_refusal": "误拒答（文档中有答案）",
    "wrong_answer": "答案缺少标准答案",
    "should_refuse": "应拒答却作答",
    "unsupported_figures": "答案中有引用段落里没有的数字",
}
