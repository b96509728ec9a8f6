"""run_eval with a fake assistant: hand-checked metrics, report files, Markdown table, compare deltas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.compare import compare, verdict
from eval.dataset import DatasetError
from eval.report import render_table
from eval.runner import run_eval
from eval.scoring import CONTRACT_METRICS
from tests.eval.fakes import FakeAssistant

ITEMS = [
    {
        "id": "f1",
        "question": "2023年规上工业总产值是多少？",
        "answers": ["757.2亿元"],
        "gold_docs": ["000.txt"],
        "evidence": ["规上工业总产值实现757.2亿元"],
        "answerable": True,
        "kind": "fact",
    },
    {
        "id": "f2",
        "question": "新型储能产业产值目标？",
        "answers": ["30亿元"],
        "gold_docs": ["002.txt"],
        "evidence": ["新型储能产业产值力争突破30亿元"],
        "answerable": True,
        "kind": "fact",
    },
    {
        "id": "t1",
        "question": "示範區承接多少個項目？",
        "answers": ["347个"],
        "gold_docs": ["004.txt"],
        "evidence": ["承接東部地區產業轉移項目347個"],
        "answerable": True,
        "kind": "traditional",
    },
    {
        "id": "u1",
        "question": "北京市的补贴标准？",
        "answers": [],
        "gold_docs": [],
        "evidence": [],
        "answerable": False,
        "kind": "unanswerable",
    },
    {
        "id": "u2",
        "question": "成都市的补贴标准？",
        "answers": [],
        "gold_docs": [],
        "evidence": [],
        "answerable": False,
        "kind": "unanswerable",
    },
]
ANSWERS = {
    # correct, cites the evidence chunk
    "2023年规上工业总产值是多少？": ("全年规上工业总产值实现757.2亿元[1]。", False, ["c1"]),
    # wrong figure (31 is in no cited passage), cites one right and one unrelated chunk
    "新型储能产业产值目标？": ("力争突破31亿元[1]，工业投资增长24.9%[2]。", False, ["c3", "c2"]),
    # false refusal
    "示範區承接多少個項目？": ("文档中没有找到相关内容。", True, []),
    # correct refusal
    "北京市的补贴标准？": ("文档中没有找到相关内容。", True, []),
    # "成都市..." is missing: ask raises -> recorded as an error, run continues
}


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in ITEMS) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def report(tmp_path: Path, dataset: Path) -> dict[str, Any]:
    return run_eval(FakeAssistant(tmp_path / "home", ANSWERS), dataset, tmp_path / "out", k=5, progress=False)


def test_report_has_contract_keys(report: dict[str, Any]) -> None:
    for key in ("dataset", "n", "config", "git_commit", "metrics", "by_kind", "failures"):
        assert key in report
    assert report["n"] == 5
    assert set(CONTRACT_METRICS) <= set(report["metrics"])
    assert report["config"]["embed_model"] == "none"
    assert "sk-test-secret" not in json.dumps(report)  # secrets are masked in the config dump
    assert report["index_manifest"]["chunks"] == 4
    assert report["models"]["llm_backend"] == "extractive"


def test_metrics_hand_computed(report: dict[str, Any]) -> None:
    m = report["metrics"]
    # every evidence chunk ranks first for its question in the fake search (shared characters)
    assert m["evidence_hit@1"] == 1.0 and m["evidence_hit@5"] == 1.0 and m["mrr"] == 1.0
    assert m["doc_hit@5"] == 1.0
    # f1 correct, f2 wrong, t1 refused -> 1/3
    assert m["answer_accuracy"] == pytest.approx(1 / 3)
    # f1: 1/1 cited passages hold evidence, f2: 1/2; t1 refused -> no precision
    assert m["citation_precision"] == pytest.approx(0.75)
    # f1: 1, f2: 1, t1 refused: 0
    assert m["citation_recall"] == pytest.approx(2 / 3)
    # u1 refused; u2 errored and has no answer
    assert m["refusal_accuracy"] == 1.0
    assert m["false_refusal_rate"] == pytest.approx(1 / 3)
    # figures in answers: f1 757.2亿元 ; f2 31亿元 (unsupported), 24.9% -> 1 of 3
    assert m["unsupported_figures"] == pytest.approx(1 / 3)
    assert m["latency_retrieve_p50_ms"] == 10.0 and m["latency_generate_p95_ms"] == 30.0
    assert m["latency_p50_ms"] is not None and m["latency_p95_ms"] >= m["latency_p50_ms"]
    assert m["error_rate"] == pytest.approx(1 / 5)


def test_by_kind_and_failures(report: dict[str, Any]) -> None:
    assert report["by_kind"]["fact"]["n"] == 2
    assert report["by_kind"]["fact"]["answer_accuracy"] == 0.5
    assert report["by_kind"]["traditional"]["false_refusal_rate"] == 1.0
    failures = {f["id"]: f for f in report["failures"]}
    assert set(failures) == {"f2", "t1", "u2"}
    assert failures["f2"]["reasons"] == ["wrong_answer", "unsupported_figures"]
    assert failures["f2"]["unsupported_figures"] == ["31亿元"]
    assert failures["f2"]["expected"] == ["30亿元"]
    assert failures["f2"]["got"].startswith("力争突破31亿元")
    assert failures["f2"]["top_hits"][0]["source"] == "002.txt"
    assert failures["t1"]["reasons"] == ["false_refusal"]
    assert failures["u2"]["reasons"] == ["error"] and "scripted failure" in failures["u2"]["got"]


def test_report_files(tmp_path: Path, report: dict[str, Any]) -> None:
    out = tmp_path / "out"
    on_disk = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert on_disk["metrics"] == report["metrics"]
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "answer_accuracy" in md and "f2（fact）" in md and "![metric_by_kind.png]" in md
    for png in ("metric_by_kind.png", "latency_hist.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_table(report: dict[str, Any]) -> None:
    table = render_table(report)
    assert "| answer_accuracy | 0.333 |" in table
    assert "| unanswerable | 2 |" in table
    assert "未通过条目：3 条" in table


def test_followup_uses_standalone_query(tmp_path: Path) -> None:
    path = tmp_path / "fu.jsonl"
    item = {
        "id": "fu1",
        "question": "那工业投资增长了多少？",
        "answers": ["24.9%"],
        "gold_docs": ["000.txt"],
        "evidence": ["工业投资增长24.9%"],
        "answerable": True,
        "kind": "followup",
        "history": [["2023年铜梁区规上工业总产值是多少？", "757.2亿元。"]],
    }
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    fake = FakeAssistant(tmp_path / "home", {"那工业投资增长了多少？": ("工业投资增长24.9%[1]。", False, ["c2"])})
    report = run_eval(fake, path, None, progress=False)
    # the chain's rule rewrite made the follow-up standalone before searching
    assert fake.searched[0] != "那工业投资增长了多少？" and "工业投资" in fake.searched[0]
    assert report["metrics"]["answer_accuracy"] == 1.0


def test_baselines_table(tmp_path: Path, dataset: Path) -> None:
    from index.embedders import FakeEmbedder

    fake = FakeAssistant(tmp_path / "home", ANSWERS, embedder=FakeEmbedder())
    report = run_eval(fake, dataset, None, baselines=True, progress=False)
    baselines = report["baselines"]
    assert set(baselines) == {"langchain_bm25", "langchain_ensemble_jieba", "ours"}
    for row in baselines.values():
        assert row["n"] == 3
        assert 0.0 <= row["evidence_hit@5"] <= 1.0
    # whitespace BM25 cannot split Chinese: with 4 short chunks it still returns all of them (hit@5 = 1)
    assert baselines["ours"]["evidence_hit@1"] == 1.0
    assert "LangChain EnsembleRetriever" in render_table(report)


def test_baselines_skip_ensemble_without_embedder(tmp_path: Path, dataset: Path) -> None:
    report = run_eval(FakeAssistant(tmp_path / "home", ANSWERS), dataset, None, baselines=True, progress=False)
    assert set(report["baselines"]) == {"langchain_bm25", "ours"}


def test_compare_prints_deltas(tmp_path: Path, dataset: Path) -> None:
    a = tmp_path / "a"
    run_eval(FakeAssistant(tmp_path / "h1", ANSWERS), dataset, a, progress=False)
    better = dict(ANSWERS)
    better["新型储能产业产值目标？"] = ("力争突破30亿元[1]。", False, ["c3"])
    b = tmp_path / "b"
    run_eval(FakeAssistant(tmp_path / "h2", better), dataset, b, progress=False)
    text = compare(a / "report.json", b)  # a file or its folder
    assert "| answer_accuracy | 0.333 | 0.667 | +0.333 | 更好 |" in text
    assert "| unsupported_figures | 0.333 | 0.000 | -0.333 | 更好 |" in text
    assert "| refusal_accuracy | 1.000 | 1.000 | +0.000 | 持平 |" in text


def test_compare_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="找不到评测报告"):
        compare(tmp_path / "x", tmp_path / "y")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(DatasetError, match="metrics"):
        compare(bad, bad)


def test_verdict_directions() -> None:
    assert verdict("mrr", 0.1) == "更好"
    assert verdict("latency_p50_ms", 5.0) == "更差"
    assert verdict("false_refusal_rate", -0.1) == "更好"
    assert verdict("mrr", None) == "—"


def test_warm_cache_note() -> None:
    warm = {"n": 10, "metrics": {}, "embedding_cache": {"hits": 20, "misses": 0}}
    cold = {"n": 10, "metrics": {}, "embedding_cache": {"hits": 10, "misses": 12}}
    assert "延迟偏低" in render_table(warm)
    assert "延迟偏低" not in render_table(cold)


def test_cache_counts_reads_embedder_counters(tmp_path: Path) -> None:
    from eval.runner import cache_counts

    class Counting:
        hits, misses = 3, 4

    fake = FakeAssistant(tmp_path, ANSWERS)
    assert cache_counts(fake) is None
    fake.embedder = Counting()  # type: ignore[assignment]
    assert cache_counts(fake) == (3, 4)
