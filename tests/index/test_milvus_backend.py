from __future__ import annotations

from pathlib import Path

import pytest

from index.embedders import FakeEmbedder
from index.records import Filter, Record

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from index.milvus_backend import MilvusIndex, filter_expression


def test_filter_expression() -> None:
    flt = Filter(equals={"visibility": ["public"], "region": ["铜梁区", None]}, date_from="2024-01-01")
    expr = filter_expression(flt)
    assert 'meta["visibility"] == "public"' in expr
    assert 'not exists meta["region"]' in expr
    assert 'meta["date"] >= "2024-01-01"' in expr
    assert filter_expression(None) == ""


@pytest.mark.slow
def test_milvus_round_trip(tmp_path: Path, records: list[Record]) -> None:
    uri = str(tmp_path / "milvus.db")
    idx = MilvusIndex(uri, FakeEmbedder())
    idx.add(records)
    assert len(idx) == 6
    assert idx.search("规上工业总产值", 1)[0].id == "r0"
    public = Filter(equals={"visibility": ["public"]})
    hits = idx.search("市级专精特新企业136家，国家级小巨人11家", 10, public)
    assert hits and all(h.meta["visibility"] == "public" for h in hits)
    assert [h.id for h in idx.search("规上工业总产值 产值", 1, Filter(equals={"region": ["合川区"]}))] == ["r3"]
    assert idx.delete(["r0"]) == 1
    assert all(h.id != "r0" for h in idx.search("2023年全年规上工业总产值实现757.2亿元", 10))
    idx.save()
    idx.close()
    reopened = MilvusIndex(uri, FakeEmbedder())
    assert len(reopened) == 5 and "r0" not in reopened.ids()
    assert reopened.search("小巨人", 1)[0].id == "r2"
    reopened.close()
