from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.base import IndexConfig
from index.embedders import FakeEmbedder
from index.errors import CorruptIndexError, IncompatibleIndexError
from index.hybrid import HybridIndex
from index.metafilter import MetaMasker
from index.records import Filter, Record
from index.storage import MANIFEST

PUBLIC = Filter(equals={"visibility": ["public"]})


def test_empty_index_returns_nothing(tmp_path: Path) -> None:
    idx = HybridIndex.open(tmp_path / "new", FakeEmbedder())
    assert len(idx) == 0
    assert idx.search("规上工业") == []
    assert idx.search_bm25("规上工业") == [] and idx.search_dense("规上工业") == []


def test_search_returns_record_text_meta_and_ranks(index: HybridIndex) -> None:
    hits = index.search("规上工业总产值", k=3)
    assert hits[0].id == "r0"
    assert hits[0].text.startswith("2023年全年规上工业总产值")
    assert hits[0].meta["region"] == "铜梁区"
    assert hits[0].ranks["bm25"] == 1 and "dense" in hits[0].ranks
    assert len(hits) == 3


def test_traditional_text_found_by_simplified_query(index: HybridIndex) -> None:
    assert index.search_bm25("承接产业转移示范区", k=1)[0].id == "r4"


def test_filter_applies_before_top_k(index: HybridIndex) -> None:
    # r3 ranks low for this query, but it is the only 合川区 record: the filter must still return it.
    flt = Filter(equals={"region": ["合川区"]})
    assert index.search_bm25("规上工业总产值 产值", k=1)[0].id == "r0"
    for search in (index.search, index.search_bm25, index.search_dense):
        hits = search("规上工业总产值 产值", 1, flt)
        assert [h.id for h in hits] == ["r3"], search.__name__


def test_date_range_and_missing_values(index: HybridIndex) -> None:
    flt = Filter(date_from="2024-01-01", date_to="2024-05-31")
    ids = {h.id for h in index.search("产业 企业 增长", 10, flt)}
    assert ids == {"r2", "r5"}
    none_region = Filter(equals={"region": [None]})
    assert {h.id for h in index.search("产业", 10, none_region)} == {"r4"}


def test_public_filter_never_returns_internal(index: HybridIndex) -> None:
    internal_text = "市级专精特新企业136家，国家级小巨人11家，新兴产业产值"
    for search in (index.search, index.search_bm25, index.search_dense):
        hits = search(internal_text, 10, PUBLIC)
        assert hits and all(h.meta["visibility"] == "public" for h in hits), search.__name__
    assert index.search(internal_text, 1)[0].id == "r2"  # without the filter it is the top hit


def test_mask_equals_filter_matches(records: list[Record]) -> None:
    masker = MetaMasker()
    metas = [r.meta for r in records] + [None]
    masker.reset(metas)
    filters = [
        PUBLIC,
        Filter(equals={"region": ["铜梁区", None]}),
        Filter(equals={"visibility": ["public"], "doc_type": ["其他"]}, date_from="2023-01-01"),
        Filter(date_to="2024-04-30"),
        Filter(equals={"nope": ["x"]}),
    ]
    for flt in filters:
        expected = [m is not None and flt.matches(m) for m in metas]
        assert masker.mask(flt).tolist() == expected


def test_readd_replaces_and_reuses_vectors(index: HybridIndex) -> None:
    calls: list[int] = []
    index.add([Record("r0", "完全不同的文本：渝西跨越计划", {"visibility": "public"})], progress=calls.append)
    assert calls == [1]
    assert len(index) == 6
    assert index.get(["r0"])[0].text.startswith("完全不同")
    assert all(h.id != "r0" for h in index.search_bm25("757.2亿元", 5))
    assert index.search_bm25("渝西跨越计划", 1)[0].id == "r0"
    # same text, new meta: no embedding needed, meta updated
    index.add([Record("r0", "完全不同的文本：渝西跨越计划", {"visibility": "internal"})])
    assert index.get(["r0"])[0].meta["visibility"] == "internal"
    assert index.search("渝西跨越计划", 5, PUBLIC) == [] or all(h.id != "r0" for h in index.search("渝西", 5, PUBLIC))


def test_delete_never_returned_by_either_retriever(index: HybridIndex, tmp_path: Path) -> None:
    assert index.delete(["r0", "missing"]) == 1
    assert "r0" not in index.ids() and len(index) == 5
    query = "2023年全年规上工业总产值实现757.2亿元"
    for search in (index.search, index.search_bm25, index.search_dense):
        assert all(h.id != "r0" for h in search(query, 10)), search.__name__
    index.save()
    reopened = HybridIndex.open(index.path, FakeEmbedder())
    assert all(h.id != "r0" for h in reopened.search(query, 10))


def test_compaction_after_many_deletes(tmp_path: Path) -> None:
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder())
    idx.add([Record(f"n{i}", f"第{i}号记录 产业项目{i}个", {}) for i in range(200)])
    assert idx.delete([f"n{i}" for i in range(100)]) == 100
    assert len(idx._records) == 100  # compacted: dead slots gone
    assert idx.search_bm25("产业项目150个", 1)[0].id == "n150"
    assert idx.search_dense("第150号记录 产业项目150个", 1)[0].id == "n150"


def test_persistence_round_trip(index: HybridIndex) -> None:
    index.save()
    reopened = HybridIndex.open(index.path, FakeEmbedder())
    assert reopened.ids() == index.ids()
    for query in ("规上工业总产值", "小巨人", "承接产业转移"):
        assert [h.id for h in reopened.search(query, 5)] == [h.id for h in index.search(query, 5)]
    manifest = json.loads((index.path / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["embedding"] == {"name": "fake-ngram-64", "dim": 64}
    assert manifest["tokenizer"]["version"] == index.tokenizer.version
    assert manifest["counts"]["records"] == 6 and manifest["bm25"]["k1"] == 1.2
    assert set(manifest["files"]) >= {"records.jsonl", "vectors.npy", "tokens.npy"}


def test_checksum_corruption_detected(index: HybridIndex) -> None:
    index.save()
    manifest = json.loads((index.path / MANIFEST).read_text(encoding="utf-8"))
    vectors = index.path / manifest["generation"] / "vectors.npy"
    data = bytearray(vectors.read_bytes())
    data[-1] ^= 0xFF
    vectors.write_bytes(bytes(data))
    with pytest.raises(CorruptIndexError, match="校验和"):
        HybridIndex.open(index.path, FakeEmbedder())


def test_incompatible_model_says_how_to_rebuild(index: HybridIndex) -> None:
    index.save()
    with pytest.raises(IncompatibleIndexError, match="rag ingest --rebuild") as err:
        HybridIndex.open(index.path, FakeEmbedder(dim=32))
    assert "fake-ngram-64" in str(err.value)
    with pytest.raises(IncompatibleIndexError):
        HybridIndex.open(index.path, None)


def test_incompatible_format_version(index: HybridIndex) -> None:
    index.save()
    path = index.path / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["format_version"] = 999
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IncompatibleIndexError, match="格式版本"):
        HybridIndex.open(index.path, FakeEmbedder())


def test_crash_during_save_keeps_old_index(index: HybridIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    index.save()
    index.add([Record("new", "新增记录 渝西跨越计划", {"visibility": "public"})])

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk died")

    monkeypatch.setattr("index.storage.os.replace", crash)
    with pytest.raises(OSError):
        index.save()
    monkeypatch.undo()
    old = HybridIndex.open(index.path, FakeEmbedder())
    assert "new" not in old.ids() and len(old) == 6
    index.save()  # the next save cleans up and succeeds
    assert "new" in HybridIndex.open(index.path, FakeEmbedder()).ids()
    assert len([p for p in index.path.iterdir() if p.is_dir()]) == 1


def test_crash_while_writing_files_keeps_old_index(index: HybridIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    index.save()
    index.delete(["r1"])
    monkeypatch.setattr("index.dense.np.save", lambda *a, **k: (_ for _ in ()).throw(OSError("full")))
    with pytest.raises(OSError):
        index.save()
    monkeypatch.undo()
    assert "r1" in HybridIndex.open(index.path, FakeEmbedder()).ids()
    assert not any(p.name.startswith(".tmp-") for p in index.path.iterdir())


def test_hnsw_switch_above_threshold(tmp_path: Path) -> None:
    config = IndexConfig(hnsw_threshold=50)
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder(), config)
    idx.add(
        [
            Record(f"a{i}", f"第{i}条 企业{i}家 产值{i}亿元", {"visibility": "public" if i % 2 else "internal"})
            for i in range(40)
        ]
    )
    assert idx.dense_kind == "flat"
    idx.add([Record(f"b{i}", f"第{i}条 项目{i}个 投资{i}亿元", {"visibility": "public"}) for i in range(40)])
    assert idx.dense_kind == "hnsw"
    assert idx.search_dense("第7条 项目7个 投资7亿元", 1)[0].id == "b7"
    hits = idx.search_dense("第7条 企业7家 产值7亿元", 5, PUBLIC)
    assert hits and all(h.meta["visibility"] == "public" for h in hits)
    idx.save()
    reopened = HybridIndex.open(idx.path, FakeEmbedder(), config)
    assert reopened.dense_kind == "hnsw"
    assert reopened.search_dense("第7条 项目7个 投资7亿元", 1)[0].id == "b7"
    dense = reopened._dense
    assert dense is not None
    q = FakeEmbedder().embed_queries(["第3条 企业3家"])[0]
    approx = [s for s, _ in dense.top(q, 10, np.ones(80, dtype=bool))]
    assert len(set(approx) & set(dense.exact_top(q, 10))) >= 9


def test_weighted_fusion_keeps_bm25_top1_when_dense_disagrees(tmp_path: Path) -> None:
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder(), IndexConfig())
    idx.add(
        [Record("exact", "渝西跨越计划 实施方案 第三批", {}), Record("fuzzy", "渝西 跨越 计划计划计划 方案方案", {})]
    )
    for q in ("渝西跨越计划实施方案",):
        bm25_top = idx.search_bm25(q, 1)[0].id
        assert idx.search(q, 1)[0].id == bm25_top


class _ReverseReranker:
    def score(self, query: str, hits: list) -> list[float]:  # type: ignore[type-arg]
        return [float(i) for i in range(len(hits))]


def test_reranker_hook_reorders(tmp_path: Path, records: list[Record]) -> None:
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder(), reranker=_ReverseReranker())
    idx.add(records)
    plain = HybridIndex(tmp_path / "idx2", FakeEmbedder())
    plain.add(records)
    assert idx.search("规上工业总产值", 3)[0].id != plain.search("规上工业总产值", 3)[0].id


def test_bm25_only_index(tmp_path: Path, records: list[Record]) -> None:
    idx = HybridIndex(tmp_path / "idx", None)
    idx.add(records)
    assert idx.search("铜经信函[2024]54号", 1)[0].id == "r1"
    idx.save()
    assert HybridIndex.open(idx.path, None).search("小巨人", 1)[0].id == "r2"
