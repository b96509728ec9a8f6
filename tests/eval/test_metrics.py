"""Metric functions on small hand-computed examples."""

from __future__ import annotations

import math

import pytest

from eval import metrics as m


def test_contains_ignores_whitespace_pinyin_and_script() -> None:
    passage = "重慶沿江承接產業轉移示範區(qū) 承接東部地區產業轉移項目347個"
    assert m.contains(passage, "示范区承接东部地区产业转移项目 347个")
    assert not m.contains(passage, "348个")
    assert not m.contains(passage, "")


def test_evidence_matches_and_novel_relevance() -> None:
    passages = ["甲乙", "乙丙", "丁", "甲"]
    matches = m.evidence_matches(["甲", "丙"], passages)
    assert matches == [frozenset({0}), frozenset({1}), frozenset(), frozenset({0})]
    # the fourth passage repeats evidence 0 already found at rank 1: not novel
    assert m.novel_relevance(matches) == [True, True, False, False]


def test_hit_at_k() -> None:
    rel = [False, False, True, False]
    assert m.hit_at_k(rel, 1) == 0.0
    assert m.hit_at_k(rel, 2) == 0.0
    assert m.hit_at_k(rel, 3) == 1.0
    assert m.hit_at_k([], 5) == 0.0


def test_reciprocal_rank() -> None:
    assert m.reciprocal_rank([False, True, True]) == 0.5
    assert m.reciprocal_rank([False, False, False]) == 0.0
    assert m.reciprocal_rank([False, False, True], k=2) == 0.0
    assert m.reciprocal_rank([True]) == 1.0


def test_ndcg_hand_computed() -> None:
    # relevant at ranks 2 and 3, two relevant in total:
    # DCG = 1/log2(3) + 1/log2(4) = 0.6309 + 0.5 ; IDCG = 1 + 1/log2(3) = 1.6309
    value = m.ndcg_at_k([False, True, True, False], 10, 2)
    assert value == pytest.approx((1 / math.log2(3) + 0.5) / (1 + 1 / math.log2(3)))
    assert value == pytest.approx(0.6934, abs=1e-4)
    assert m.ndcg_at_k([True, False], 10, 1) == 1.0
    assert m.ndcg_at_k([False, False], 10, 1) == 0.0
    assert m.ndcg_at_k([True], 10, 0) == 0.0
    # a relevant result beyond the cut-off does not count
    assert m.ndcg_at_k([False, True], 1, 1) == 0.0


def test_recall_at_k() -> None:
    matches = [frozenset({0}), frozenset(), frozenset({1, 0}), frozenset({2})]
    assert m.recall_at_k(matches, 4, 1) == 0.25
    assert m.recall_at_k(matches, 4, 3) == 0.5
    assert m.recall_at_k(matches, 4, 10) == 0.75
    assert m.recall_at_k(matches, 0, 10) == 0.0


def test_doc_relevance() -> None:
    assert m.doc_relevance(["a.txt", "b.txt", "a.txt"], ["a.txt"]) == [True, False, True]


def test_answer_correct_requires_every_gold_string() -> None:
    answer = "2023年铜梁区规上工业总产值实现757.2億元[1]，研發強度達2.57%[2]。"
    assert m.answer_correct(answer, ["757.2亿元", "2.57%"])
    assert not m.answer_correct(answer, ["757.2亿元", "3.3%"])
    assert not m.answer_correct(answer, [])


def test_answer_correct_accepts_any_date_format() -> None:
    assert m.answer_correct("印发日期是2024年6月4日[1]。", ["2024-06-04"])
    assert m.answer_correct("落款为2023-09-12。", ["2023年9月12日"])
    assert m.answer_correct("更新于2024年5月。", ["2024-05"])
    assert not m.answer_correct("印发日期是2024年6月14日。", ["2024-06-04"])
    assert m.normalise_dates("2024/6/4与2024年12月") == "2024-06-04与2024-12"
    assert m.normalise_dates("2023年12个车间，2023-2027年") == "2023年12个车间，2023-2027年"


def test_citation_precision_and_recall() -> None:
    cited = ["工业投资增长24.9%", "无关段落", "工業增加值增長3.3%"]
    evidence = ["工业投资增长24.9%", "工业增加值增长3.3%", "研发强度达2.57%"]
    assert m.citation_precision(cited, evidence) == pytest.approx(2 / 3)
    assert m.citation_recall(cited, evidence) == pytest.approx(2 / 3)
    assert m.citation_precision([], evidence) is None
    assert m.citation_recall([], evidence) == 0.0
    assert m.citation_recall(cited, []) is None


def test_aggregation_helpers() -> None:
    assert m.mean([1.0, None, 0.0]) == 0.5
    assert m.mean([None]) is None
    assert m.rate([True, False, None, True]) == pytest.approx(2 / 3)
    assert m.rate([]) is None
    assert m.percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert m.percentile([10.0, 20.0, 30.0, 40.0], 95) == pytest.approx(38.5)
    assert m.percentile([], 50) is None
