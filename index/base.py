"""The protocol every search backend implements (local BM25+FAISS hybrid, Milvus)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from index.records import Filter, Hit, Record


@dataclass(frozen=True)
class IndexConfig:
    """Parameters written next to the index (manifest), so a loaded index searches as it was built."""

    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    # Tuned on the sample questions (eval/bench/quality.py --grid): with k=60 the dense vote reorders
    # BM25's confident top ranks and evidence-hit@1 falls from 0.91 to 0.73; k=5 with dense at 0.15
    # keeps BM25's top-1 and lets dense rescue the misses (hit@5 0.99 -> 1.00).
    rrf_k: int = 5
    bm25_weight: float = 1.0
    dense_weight: float = 0.15
    candidates: int = 50
    hnsw_threshold: int = 200_000
    phrase_weight: float = 0.5  # query-bigram coverage added to the fused top 20 (index.rerank); 0 = off
    # Added by the index package (defaults keep older callers unchanged):
    bm25_method: str = "lucene"  # bm25s variant; "robertson" reproduces rank-bm25's BM25Okapi
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 128


class SearchBackend(Protocol):
    """Add, delete, search and persist records. Filters apply before top-k."""

    def add(self, records: Sequence[Record], progress: Callable[[int], None] | None = None) -> None: ...

    def delete(self, ids: Iterable[str]) -> int: ...

    def search(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]: ...

    def get(self, ids: Sequence[str]) -> list[Record]: ...

    def ids(self) -> set[str]: ...

    def save(self) -> None: ...

    def __len__(self) -> int: ...
