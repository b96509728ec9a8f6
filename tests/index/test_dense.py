"""The flat -> HNSW switch: where it happens, that it is one-way, and that the setting reaches the index.

The threshold's value comes from eval/bench/results/hnsw.md (recall on real vectors, latency); these
tests pin the behaviour around it, never timings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.base import IndexConfig
from index.dense import FLAT, HNSW, DenseIndex
from index.embedders import FakeEmbedder
from index.hybrid import HybridIndex
from index.records import Filter, Record
from rag.assistant import index_config
from rag.settings import Settings

THRESHOLD = 30


def _records(prefix: str, n: int) -> list[Record]:
    return [
        Record(
            f"{prefix}{i}", f"第{i}批 {prefix}项目{i}个 投资{i}亿元", {"visibility": "public" if i % 3 else "internal"}
        )
        for i in range(n)
    ]


def test_flat_at_the_threshold_hnsw_one_past_it(tmp_path: Path) -> None:
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder(), IndexConfig(hnsw_threshold=THRESHOLD))
    idx.add(_records("a", THRESHOLD))
    assert len(idx) == THRESHOLD and idx.dense_kind == FLAT
    idx.add(_records("b", 1))
    assert len(idx) == THRESHOLD + 1 and idx.dense_kind == HNSW


def test_switch_keeps_every_vector_searchable_and_survives_reopen(tmp_path: Path) -> None:
    config = IndexConfig(hnsw_threshold=THRESHOLD)
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder(), config)
    idx.add(_records("a", 20))
    idx.add(_records("b", 20))  # crosses the threshold: HNSW rebuilt over all 40
    assert idx.dense_kind == HNSW
    assert idx.search_dense("第5批 a项目5个 投资5亿元", 1)[0].id == "a5"  # a vector added before the switch
    assert idx.search_dense("第7批 b项目7个 投资7亿元", 1)[0].id == "b7"
    public = Filter(equals={"visibility": ["public"]})
    assert all(h.meta["visibility"] == "public" for h in idx.search_dense("第3批 b项目3个", 5, public))
    idx.save()
    reopened = HybridIndex.open(idx.path, FakeEmbedder(), config)
    assert reopened.dense_kind == HNSW
    assert reopened.search_dense("第5批 a项目5个 投资5亿元", 1)[0].id == "a5"


def test_shrinking_below_the_threshold_does_not_switch_back(tmp_path: Path) -> None:
    """One-way on purpose: a delete storm must not rebuild the graph twice (flat, then HNSW again)."""
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder(), IndexConfig(hnsw_threshold=THRESHOLD))
    idx.add(_records("a", THRESHOLD + 10))
    assert idx.dense_kind == HNSW
    assert idx.delete([f"a{i}" for i in range(25)]) == 25
    assert len(idx) == 15 and idx.dense_kind == HNSW
    assert idx.search_dense("第30批 a项目30个 投资30亿元", 1)[0].id == "a30"


def test_below_the_threshold_dense_search_is_exact(tmp_path: Path) -> None:
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder(), IndexConfig(hnsw_threshold=THRESHOLD))
    idx.add(_records("a", THRESHOLD))
    dense = idx._dense
    assert dense is not None and dense.kind == FLAT
    q = FakeEmbedder().embed_queries(["第4批 a项目 投资"])[0]
    got = dense.top(q, 10, np.ones(THRESHOLD, dtype=bool))
    exact = np.sort(dense.vectors @ q)[::-1][:10]  # scores, not slots: tied scores may come in any order
    assert np.allclose([score for _, score in got], exact, atol=1e-5)


def test_rebuild_changes_kind_without_the_embedder() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((50, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    dense = DenseIndex(16, hnsw_m=8, ef_construction=40, ef_search=64)
    dense.append(vectors)
    dense.rebuild(HNSW)
    assert dense.kind == HNSW and len(dense) == 50
    top = dense.top(vectors[7], 1, np.ones(50, dtype=bool))
    assert top[0][0] == 7 and top[0][1] == pytest.approx(1.0, abs=1e-5)


def test_threshold_setting_reaches_the_index(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Settings(home=tmp_path).hnsw_threshold == IndexConfig().hnsw_threshold  # one default, two places
    monkeypatch.setenv("RAG_HNSW_THRESHOLD", "1234")
    assert index_config(Settings(home=tmp_path)).hnsw_threshold == 1234
