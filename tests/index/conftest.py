"""Shared fixtures: a tiny record set with metadata, FakeEmbedder, indexes under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.base import IndexConfig
from index.embedders import FakeEmbedder
from index.hybrid import HybridIndex
from index.records import Record

TEXTS = [
    ("r0", "2023年全年规上工业总产值实现757.2亿元，工业增加值增长3.3%", "public", "2024-06-04", "铜梁区"),
    ("r1", "铜经信函〔2024〕54号 关于第126号建议的复函", "public", "2024-06-04", "铜梁区"),
    ("r2", "市级专精特新企业136家，国家级小巨人11家", "internal", "2024-05-01", "铜梁区"),
    ("r3", "到2027年，新型储能产业产值力争突破30亿元", "public", "2023-09-15", "合川区"),
    ("r4", "重慶沿江承接產業轉移示範區承接東部地區產業轉移項目347個", "public", "2022-01-29", None),
    ("r5", "两江新区一季度直管区GDP增长7.2%，战略性新兴产业产值增长18.4%", "internal", "2024-04-26", "两江新区"),
]


def make_records() -> list[Record]:
    return [
        Record(rid, text, {"visibility": vis, "date": date, "region": region, "doc_type": "其他"})
        for rid, text, vis, date, region in TEXTS
    ]


@pytest.fixture
def records() -> list[Record]:
    return make_records()


@pytest.fixture
def index(tmp_path: Path, records: list[Record]) -> HybridIndex:
    idx = HybridIndex(tmp_path / "idx", FakeEmbedder(), IndexConfig())
    idx.add(records)
    return idx
