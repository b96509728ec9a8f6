from __future__ import annotations

import pytest

from index.fusion import rrf


def test_rrf_hand_computed() -> None:
    fused = rrf({"bm25": ["a", "b", "c"], "dense": ["c", "a"]}, {"bm25": 1.0, "dense": 0.5}, k=60)
    expected = {
        "a": 1 / 61 + 0.5 / 62,
        "b": 1 / 62,
        "c": 1 / 63 + 0.5 / 61,
    }
    assert [doc for doc, _ in fused] == ["a", "c", "b"]
    for doc, score in fused:
        assert score == pytest.approx(expected[doc])


def test_rrf_small_k_and_zero_weight() -> None:
    fused = rrf({"bm25": ["x", "y"], "dense": ["y"]}, {"bm25": 1.0, "dense": 0.0}, k=5)
    assert fused == [("x", pytest.approx(1 / 6)), ("y", pytest.approx(1 / 7))]


def test_rrf_ties_keep_first_seen_and_duplicates_vote_once() -> None:
    fused = rrf({"a": ["p", "q", "p"], "b": ["q", "p"]}, {}, k=1)
    assert [d for d, _ in fused] == ["p", "q"]
    assert fused[0][1] == pytest.approx(fused[1][1])


def test_rrf_empty() -> None:
    assert rrf({}, {}) == []
    with pytest.raises(ValueError):
        rrf({"a": ["x"]}, {}, k=-1)
