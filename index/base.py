"""The protocol every search backend implements (local BM25+FAISS hybrid, Milvus)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from index.records import Filter, Hit, Record


@dataclass(frozen=True)
class IndexConfig:
    """Parameters written next to the index (manifest), so a loaded index searches as it was built."""

    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    rrf_k: int = 60
    bm25_weight: float = 1.0
    dense_weight: float = 0.35
    candidates: int = 50
    hnsw_threshold: int = 50_000


class SearchBackend(Protocol):
    """Add, delete, search and persist records. Filters apply before top-k."""

    def add(self, records: Sequence[Record]) -> None: ...

    def delete(self, ids: Iterable[str]) -> int: ...

    def search(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]: ...

    def get(self, ids: Sequence[str]) -> list[Record]: ...

    def ids(self) -> set[str]: ...

    def save(self) -> None: ...

    def __len__(self) -> int: ...
