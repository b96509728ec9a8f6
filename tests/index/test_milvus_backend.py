from __future__ import annotations

import math
from pathlib import Path

import pytest

from index.embedders import FakeEmbedder
from index.records import Filter, Record

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from index.milvus_backend import MilvusIndex, doc_weights, filter_expression, idf, term_dim


def test_filter_expression() -> None:
    flt = Filter(equals={"visibility": ["public"], "region": ["铜梁区", None]}, date_from="2024-01-01")
    expr = filter_expression(flt)
    assert 'meta["visibility"] == "public"' in expr
    assert 'not exists meta["region"]' in expr
    assert 'meta["date"] >= "2024-01-01"' in expr
    assert filter_expression(None) == ""


def test_bm25_sparse_weights_by_hand() -> None:
    """doc weight x query weight = the bm25s Lucene score: tf/(tf + k1(1-b+b dl/avgdl)) x log(1+(N-df+.5)/(df+.5))."""
    weights = doc_weights(["产值", "产值", "工业"], avgdl=3.0, k1=1.2, b=0.75)
    assert weights[term_dim("产值")] == pytest.approx(2 / (1.2 + 2))
    assert weights[term_dim("工业")] == pytest.approx(1 / (1.2 + 1))
    longer = doc_weights(["产值", "工业", "投资", "增长", "工业", "产值"], avgdl=3.0, k1=1.2, b=0.75)
    assert longer[term_dim("产值")] == pytest.approx(2 / (1.2 * (0.25 + 0.75 * 2) + 2))  # longer doc, lower weight
    assert idf(1, 2) == pytest.approx(math.log(2))
    assert 0 <= term_dim("〔2024〕54号") < 2**32 - 1


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


@pytest.mark.slow
def test_milvus_collection_reopens_in_a_new_process(tmp_path: Path) -> None:
    """A second process finds the collection 'released'; opening must load it (seen with milvus-lite 3.2).
    Each step runs in its own process, as CLI commands do (milvus-lite locks its file per process)."""
    import subprocess
    import sys

    uri = str(tmp_path / "milvus.db")
    head = "from index.embedders import FakeEmbedder\nfrom index.milvus_backend import MilvusIndex\n"
    head += "from index.records import Record\n"
    build = head + (
        f"idx = MilvusIndex({uri!r}, FakeEmbedder())\n"
        "idx.add([Record('a', '规上工业总产值757.2亿元', {'visibility': 'public'}),"
        " Record('b', '新型储能产业产值30亿元', {'visibility': 'public'})])\n"
        "idx.save()\nidx.close()\n"
    )
    reopen = (
        head + f"idx = MilvusIndex({uri!r}, FakeEmbedder())\nprint(idx.search('规上工业总产值', 1)[0].id, len(idx))\n"
    )
    for script in (build, reopen):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
        assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["a", "2"]
