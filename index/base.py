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
    # Calibrated on real documents (python -m eval.bench.quality --calibrate eval/datasets/real_dev.jsonl):
    # corpus-dev (163 real government documents) x 176 real_dev questions and the sample sets, grid
    # rrf_k {2,5,10,20,60} x dense {0..1} x phrase {0..1}. rrf_k=10, dense 0.15, phrase 0.75 sits in the
    # middle of a flat optimum (k 5-20, dense 0-0.2, phrase 0.5-1.0): evidence-hit@1 0.875 / MRR 0.926 on
    # real_dev (BM25 alone 0.801 / 0.886, dense alone 0.733 / 0.843; old defaults 0.858 / 0.918) and
    # 0.966 / 0.981 on the sample sets (BM25 0.905 / 0.943). Heavier dense weights (1.0) gain one real_dev
    # question and lose two sample ones.
    rrf_k: int = 10
    bm25_weight: float = 1.0
    dense_weight: float = 0.15
    candidates: int = 50
    hnsw_threshold: int = 50_000  # flat (exact) below, HNSW above: measured, see index/dense.py
    phrase_weight: float = 0.75  # query-bigram coverage added to the fused top 20 (index.rerank); 0 = off
    # Added by the index package (defaults keep older callers unchanged):
    bm25_method: str = "lucene"  # bm25s variant; "robertson" reproduces rank-bm25's BM25Okapi
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 256  # recall@10 0.990 vs 0.983 at 128 on 8k real vectors, ~1 ms more at 160k (hnsw.md)


class SearchBackend(Protocol):
    """Add, delete, search and persist records. Filters apply before top-k."""

    def add(self, records: Sequence[Record], progress: Callable[[int], None] | None = None) -> None: ...

    def delete(self, ids: Iterable[str]) -> int: ...

    def search(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]: ...

    def get(self, ids: Sequence[str]) -> list[Record]: ...

    def ids(self) -> set[str]: ...

    def save(self) -> None: ...

    def __len__(self) -> int: ...
