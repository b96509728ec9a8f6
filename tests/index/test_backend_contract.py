"""One contract for every SearchBackend (in the style of Haystack's DocumentStore test mixins).

``BackendContract`` holds the tests; each subclass provides ``open_backend(folder)`` for one
backend. Both halves of MilvusIndex (dense and BM25) run inside milvus-lite here, and its
results must equal the local HybridIndex's on the sample corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eval.bench.corpus import questions, sample_chunks
from index.base import IndexConfig
from index.embedders import FakeEmbedder
from index.hybrid import HybridIndex
from index.records import Filter, Record
from tests.index.conftest import make_records

PUBLIC = Filter(equals={"visibility": ["public"]})


def _close(backend: Any) -> None:
    close = getattr(backend, "close", None)
    if close is not None:
        close()


class BackendContract:
    """Behaviour every backend must show; subclasses implement ``open_backend``."""

    def open_backend(self, folder: Path) -> Any:
        raise NotImplementedError

    @pytest.fixture
    def backend(self, tmp_path: Path) -> Iterator[Any]:
        backend = self.open_backend(tmp_path / "store")
        backend.add(make_records())
        yield backend
        _close(backend)

    # -- add / get / replace / delete -------------------------------------------------------------
    def test_add_get_ids(self, backend: Any) -> None:
        assert len(backend) == 6
        assert backend.ids() == {f"r{i}" for i in range(6)}
        got = backend.get(["r3", "missing", "r1"])
        assert [r.id for r in got] == ["r3", "r1"]
        assert got[0].meta["region"] == "合川区" and "新型储能" in got[0].text

    def test_same_id_replaces(self, backend: Any) -> None:
        backend.add([Record("r0", "乡村振兴示范村建设42个", {"visibility": "public", "date": "2024-06-04"})])
        assert len(backend) == 6
        assert backend.search("乡村振兴示范村", 1)[0].id == "r0"
        assert all(h.id != "r0" for h in backend.search_bm25("规上工业总产值757.2亿元", 6))

    def test_delete(self, backend: Any) -> None:
        assert backend.delete(["r0", "nope"]) == 1
        assert backend.delete(["r0"]) == 0
        assert len(backend) == 5 and "r0" not in backend.ids()
        assert all(h.id != "r0" for h in backend.search(" 2023年全年规上工业总产值实现757.2亿元", 10))
        assert backend.get(["r0"]) == []

    def test_empty_query_and_unknown_words(self, backend: Any) -> None:
        assert backend.search("   ", 5) == []
        assert backend.search("规上工业总产值", 0) == []
        assert backend.search_bm25("齉龘靐", 5) == []

    # -- filters and visibility -----------------------------------------------------------------
    def test_filter_equals_applies_before_top_k(self, backend: Any) -> None:
        hits = backend.search("规上工业总产值 产值", 1, Filter(equals={"region": ["合川区"]}))
        assert [h.id for h in hits] == ["r3"]

    def test_filter_dates(self, backend: Any) -> None:
        flt = Filter(date_from="2024-01-01", date_to="2024-05-31")
        hits = backend.search("产值 企业 GDP 增长", 6, flt)
        assert {h.id for h in hits} <= {"r2", "r5"} and hits
        assert all("2024-01-01" <= h.meta["date"] <= "2024-05-31" for h in hits)

    def test_visibility_public_never_returns_internal(self, backend: Any) -> None:
        for query in ("市级专精特新企业136家，国家级小巨人11家", "两江新区一季度直管区GDP增长7.2%"):
            assert backend.search(query, 1)[0].meta["visibility"] == "internal"  # staff sees it
            hits = backend.search(query, 10, PUBLIC)
            assert hits and all(h.meta["visibility"] == "public" for h in hits)
            assert all(h.meta["visibility"] == "public" for h in backend.search_bm25(query, 10, PUBLIC))
            assert all(h.meta["visibility"] == "public" for h in backend.search_dense(query, 10, PUBLIC))

    # -- persistence ----------------------------------------------------------------------------
    def test_persistence_reopen(self, tmp_path: Path) -> None:
        first = self.open_backend(tmp_path / "p")
        first.add(make_records())
        first.delete(["r4"])
        before = [(h.id, round(h.score, 5)) for h in first.search("产值 增长", 5)]
        first.save()
        _close(first)
        second = self.open_backend(tmp_path / "p")
        try:
            assert len(second) == 5 and "r4" not in second.ids()
            assert [(h.id, round(h.score, 5)) for h in second.search("产值 增长", 5)] == before
        finally:
            _close(second)

    # -- parity with the local index on the sample corpus ---------------------------------------
    def test_parity_with_local_index_on_sample_corpus(self, tmp_path: Path) -> None:
        records = [Record(c.id, c.text, {"source": c.source, "visibility": "public"}) for c in sample_chunks()]
        reference = HybridIndex(tmp_path / "ref", FakeEmbedder(), IndexConfig())
        reference.add(records)
        backend = self.open_backend(tmp_path / "parity")
        try:
            backend.add(records)
            qs = [q.question for q in questions(include_dev=False)][:25]
            for q in qs:
                ref = reference.search_bm25(q, 5)
                got = backend.search_bm25(q, 5)
                assert [round(h.score, 3) for h in got] == pytest.approx([round(h.score, 3) for h in ref], abs=2e-3), q
                ref_h, got_h = reference.search(q, 5), backend.search(q, 5)
                assert [round(h.score, 4) for h in got_h] == pytest.approx([round(h.score, 4) for h in ref_h], abs=1e-3)
                if len(ref_h) > 1 and ref_h[0].score - ref_h[1].score > 1e-3:
                    assert got_h[0].id == ref_h[0].id, q
        finally:
            _close(backend)


class TestHybridIndexContract(BackendContract):
    def open_backend(self, folder: Path) -> Any:
        return HybridIndex.open(folder, FakeEmbedder(), IndexConfig())


@pytest.mark.slow
class TestMilvusIndexContract(BackendContract):
    def open_backend(self, folder: Path) -> Any:
        pytest.importorskip("pymilvus")
        pytest.importorskip("milvus_lite")
        from index.milvus_backend import MilvusIndex

        folder.mkdir(parents=True, exist_ok=True)
        return MilvusIndex(str(folder / "milvus.db"), FakeEmbedder(), IndexConfig())
