"""The local search backend: BM25 (bm25s) + dense (FAISS), fused by weighted RRF, saved atomically.

Every record lives in a *slot*; the BM25 token ids, the vector and the metadata of a slot sit
at the same position in their stores, so one boolean mask (live slots AND the metadata
filter) constrains both retrievers before top-k. Deleting marks a slot dead; once a quarter
of the slots are dead they are compacted away (no re-embedding, no re-tokenising).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from index.base import IndexConfig
from index.dense import FLAT, HNSW, DenseIndex
from index.embedder import Embedder, Vectors, embed_records
from index.errors import CorruptIndexError, IncompatibleIndexError, SearchIndexError
from index.fusion import Reranker, rerank, rrf
from index.metafilter import BoolMask, MetaMasker
from index.records import Filter, Hit, Record
from index.rerank import PhraseReranker
from index.sparse import IntArray, SparseIndex
from index.storage import read_manifest, verify, write_generation
from index.tokenizer import Tokenizer, default_tokenizer

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
COMPACT_MIN_DEAD = 64
COMPACT_DEAD_FRACTION = 0.25
REBUILD_HINT = "请用 rag ingest --rebuild 重建索引 / rebuild it with `rag ingest --rebuild`"


def _encode(tokens: Sequence[str], vocab: dict[str, int]) -> IntArray:
    """Token ids in ``vocab``, growing it."""
    return np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32, count=len(tokens))


class HybridIndex:
    """BM25 ⊕ dense hybrid over records; implements ``index.base.SearchBackend``."""

    def __init__(
        self,
        path: Path,
        embedder: Embedder | None,
        config: IndexConfig = IndexConfig(),  # noqa: B008 - frozen dataclass, safe as a default
        tokenizer: Tokenizer | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self.path = Path(path)
        self.embedder = embedder
        self.config = config
        self.tokenizer = tokenizer if tokenizer is not None else default_tokenizer()
        self.reranker = reranker if reranker is not None else self._phrase_reranker()
        self._records: list[Record | None] = []
        self._slots: dict[str, int] = {}
        self._sparse = SparseIndex(config.bm25_k1, config.bm25_b, config.bm25_method)
        self._dense = self._new_dense() if embedder is not None else None
        self._masker = MetaMasker()
        self._lock = threading.RLock()
        self._refresh()

    def _phrase_reranker(self) -> Reranker | None:
        """The built-in lexical reranker, unless ``config.phrase_weight`` is 0."""
        weight = self.config.phrase_weight
        return PhraseReranker(self.tokenizer, weight) if weight > 0 else None

    def _new_dense(self) -> DenseIndex:
        assert self.embedder is not None
        cfg = self.config
        return DenseIndex(
            self.embedder.dim, hnsw_m=cfg.hnsw_m, ef_construction=cfg.hnsw_ef_construction, ef_search=cfg.hnsw_ef_search
        )

    # -- open / save ------------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path,
        embedder: Embedder | None,
        config: IndexConfig = IndexConfig(),  # noqa: B008
        tokenizer: Tokenizer | None = None,
        reranker: Reranker | None = None,
    ) -> HybridIndex:
        """The saved index at ``path`` (checked for compatibility and corruption), or an empty one."""
        index = cls(path, embedder, config, tokenizer, reranker)
        manifest = read_manifest(index.path)
        if manifest is not None:
            index._check_compatible(manifest)
            index._load(verify(index.path, manifest), manifest)
        return index

    def _manifest(self) -> dict[str, Any]:
        dense = self._dense
        return {
            "format_version": FORMAT_VERSION,
            "backend": "hybrid-bm25s-faiss",
            "embedding": None if self.embedder is None else {"name": self.embedder.name, "dim": self.embedder.dim},
            "tokenizer": {"version": self.tokenizer.version},
            "bm25": {"k1": self.config.bm25_k1, "b": self.config.bm25_b, "method": self.config.bm25_method},
            "dense": None
            if dense is None
            else {"kind": dense.kind, "hnsw_m": dense.hnsw_m, "ef_construction": dense.ef_construction},
            "counts": {"records": len(self), "slots": len(self._records), "vocab": len(self._sparse.vocab)},
            "config": asdict(self.config),
        }

    def _check_compatible(self, manifest: dict[str, Any]) -> None:
        where = f"索引 {self.path}"
        version = manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise IncompatibleIndexError(
                f"{where} 的格式版本是 {version}，本程序需要 {FORMAT_VERSION}。{REBUILD_HINT}"
                f" (index format {version}, expected {FORMAT_VERSION})."
            )
        saved = manifest.get("embedding")
        current = None if self.embedder is None else {"name": self.embedder.name, "dim": self.embedder.dim}
        if saved != current:
            saved_name = "none（仅 BM25）" if saved is None else f"{saved.get('name')}（{saved.get('dim')} 维）"
            current_name = "none（仅 BM25）" if current is None else f"{current['name']}（{current['dim']} 维）"
            raise IncompatibleIndexError(
                f"{where} 是用嵌入模型 {saved_name} 建立的，当前设置（RAG_EMBED_MODEL）是 {current_name}。"
                f"改回原模型，或{REBUILD_HINT} (index built with embedding model {saved_name}, "
                f"current setting is {current_name})."
            )
        tok = manifest.get("tokenizer", {}).get("version")
        if tok != self.tokenizer.version:
            raise IncompatibleIndexError(
                f"{where} 是用分词器 {tok} 建立的，当前分词器是 {self.tokenizer.version}（词典或停用词已更新）。"
                f"{REBUILD_HINT} (index tokenizer {tok}, current {self.tokenizer.version})."
            )

    def _load(self, gen: Path, manifest: dict[str, Any]) -> None:
        records: list[Record | None] = []
        try:
            with (gen / "records.jsonl").open(encoding="utf-8") as fh:
                for line in fh:
                    data = json.loads(line)
                    records.append(None if data is None else Record(data["id"], data["text"], data["meta"]))
        except (OSError, ValueError, KeyError) as exc:
            raise CorruptIndexError(f"索引记录文件 {gen / 'records.jsonl'} 无法读取（{exc}）。{REBUILD_HINT}") from exc
        bm25 = manifest.get("bm25", {})
        cfg = self.config
        same_bm25 = (bm25.get("k1"), bm25.get("b"), bm25.get("method")) == (cfg.bm25_k1, cfg.bm25_b, cfg.bm25_method)
        sparse = SparseIndex.load(gen, cfg.bm25_k1, cfg.bm25_b, cfg.bm25_method, reuse_matrix=same_bm25)
        dense = None
        if self.embedder is not None:
            kind = (manifest.get("dense") or {}).get("kind", FLAT)
            dense = DenseIndex.load(
                gen, self.embedder.dim, kind, cfg.hnsw_m, cfg.hnsw_ef_construction, cfg.hnsw_ef_search
            )
            if len(dense) != len(records):
                raise CorruptIndexError(f"索引 {gen} 的向量数与记录数不一致。{REBUILD_HINT}")
        if len(sparse.docs) != len(records):
            raise CorruptIndexError(f"索引 {gen} 的分词数据与记录数不一致。{REBUILD_HINT}")
        self._records = records
        self._slots = {r.id: slot for slot, r in enumerate(records) if r is not None}
        self._sparse = sparse
        self._dense = dense
        self._refresh()
        log.info("loaded index %s: %d records (%s)", self.path, len(self), manifest.get("generation"))

    def save(self) -> None:
        """Write the whole index as a new generation and switch to it atomically."""
        with self._lock:

            def write(folder: Path) -> list[str]:
                names = ["records.jsonl"]
                with (folder / "records.jsonl").open("w", encoding="utf-8") as fh:
                    for record in self._records:
                        row = None
                        if record is not None:
                            row = {"id": record.id, "text": record.text, "meta": dict(record.meta)}
                        try:
                            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                        except TypeError as exc:
                            rid = record.id if record else "?"
                            raise SearchIndexError(f"记录 {rid} 的 meta 不能存为 JSON：{exc}") from exc
                names += self._sparse.save(folder)
                if self._dense is not None:
                    names += self._dense.save(folder)
                return names

            write_generation(self.path, self._manifest(), write)

    # -- mutation ---------------------------------------------------------------------------------
    def add(self, records: Sequence[Record], progress: Callable[[int], None] | None = None) -> None:
        """Add records; an existing id is replaced. Unchanged text reuses its tokens and vector."""
        batch = list({r.id: r for r in records}.values())
        if not batch:
            return
        with self._lock:
            reuse = {
                r.id: self._slots[r.id]
                for r in batch
                if r.id in self._slots and self._records[self._slots[r.id]].text == r.text  # type: ignore[union-attr]
            }
        fresh = [r for r in batch if r.id not in reuse]
        # Tokens become int32 ids against a batch-local vocabulary right away (a big batch's token
        # strings would otherwise dominate peak memory); they are mapped to the index's ids under the lock.
        local: dict[str, int] = {}
        local_ids = {r.id: _encode(self.tokenizer.tokenize(r.text), local) for r in fresh}
        vectors = self._embed(fresh, progress)
        with self._lock:
            new_ids: list[IntArray | None] = []
            new_vecs: list[Vectors] = []
            matrix = self._dense._matrix() if self._dense is not None else None
            remap = self._sparse.encode(list(local))  # local id -> index id (dicts keep insertion order)
            for r in batch:
                old = self._slots.get(r.id)
                if r.id in reuse and old is not None and old == reuse[r.id]:
                    new_ids.append(self._sparse.docs[old])
                    if matrix is not None:
                        new_vecs.append(matrix[old : old + 1].copy())
                else:
                    new_ids.append(remap[local_ids[r.id]])
                    if vectors is not None:
                        new_vecs.append(vectors[r.id])
                if old is not None:
                    self._kill(old)
            for r, token_ids in zip(batch, new_ids, strict=True):
                self._slots[r.id] = len(self._records)
                self._records.append(r)
                self._sparse.append(token_ids)
            if self._dense is not None:
                self._dense.append(np.vstack(new_vecs))
            self._after_change()
        if progress is not None and self.embedder is None:
            progress(len(batch))

    def _embed(self, fresh: Sequence[Record], progress: Callable[[int], None] | None) -> dict[str, Vectors] | None:
        if self.embedder is None:
            return None
        return embed_records(self.embedder, fresh, progress)

    def delete(self, ids: Iterable[str]) -> int:
        """Remove records by id; returns how many existed. They are never returned again."""
        with self._lock:
            removed = 0
            for rid in set(ids):
                slot = self._slots.get(rid)
                if slot is not None:
                    self._kill(slot)
                    removed += 1
            if removed:
                self._after_change()
            return removed

    def _kill(self, slot: int) -> None:
        record = self._records[slot]
        if record is not None and self._slots.get(record.id) == slot:
            del self._slots[record.id]
        self._records[slot] = None
        self._sparse.remove(slot)

    def _after_change(self) -> None:
        dead = len(self._records) - len(self._slots)
        switch = self._dense is not None and self._dense.kind == FLAT and len(self._slots) > self.config.hnsw_threshold
        if switch or (dead >= COMPACT_MIN_DEAD and dead > COMPACT_DEAD_FRACTION * len(self._records)):
            self._compact(kind=HNSW if switch else None)
        self._refresh()

    def _compact(self, kind: str | None = None) -> None:
        keep = [slot for slot, r in enumerate(self._records) if r is not None]
        self._records = [self._records[s] for s in keep]
        self._slots = {r.id: i for i, r in enumerate(self._records) if r is not None}
        self._sparse.reorder(keep)
        if self._dense is not None:
            self._dense.rebuild(kind or self._dense.kind, keep=np.asarray(keep, dtype=np.int64))
        log.info("index compacted to %d records", len(keep))

    def _refresh(self) -> None:
        self._masker.reset([None if r is None else r.meta for r in self._records])

    # -- reading ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._slots)

    def ids(self) -> set[str]:
        with self._lock:
            return set(self._slots)

    def get(self, ids: Sequence[str]) -> list[Record]:
        with self._lock:
            out = []
            for rid in ids:
                slot = self._slots.get(rid)
                if slot is not None:
                    record = self._records[slot]
                    assert record is not None
                    out.append(record)
            return out

    @property
    def dense_kind(self) -> str | None:
        """ "flat" or "hnsw" (None without an embedder); for tests and the benchmark."""
        return None if self._dense is None else self._dense.kind

    def _hit(self, slot: int, score: float, ranks: dict[str, int]) -> Hit:
        record = self._records[slot]
        assert record is not None
        return Hit(id=record.id, score=score, text=record.text, meta=record.meta, ranks=ranks)

    def _query_vector(self, query: str) -> Vectors | None:
        if self.embedder is None or self._dense is None:
            return None
        return self.embedder.embed_queries([query])[0]

    def _guard(self, hits: list[Hit], flt: Filter | None) -> list[Hit]:
        """Last line of defence for visibility: re-check the filter on what leaves the index."""
        if flt is None or flt.is_empty():
            return hits
        kept = [h for h in hits if flt.matches(h.meta)]
        if len(kept) != len(hits):
            log.error("filter mask let %d non-matching records through; dropped", len(hits) - len(kept))
        return kept

    def search_bm25(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        tokens = self.tokenizer.tokenize(query)
        with self._lock:
            ranked = self._sparse.top(tokens, k, self._masker.mask(flt))
            hits = [self._hit(slot, score, {"bm25": i}) for i, (slot, score) in enumerate(ranked, start=1)]
        return self._guard(hits, flt)

    def search_dense(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        qvec = self._query_vector(query)
        if qvec is None:
            return []
        with self._lock:
            ranked = self._dense_top(qvec, k, self._masker.mask(flt))
            hits = [self._hit(slot, score, {"dense": i}) for i, (slot, score) in enumerate(ranked, start=1)]
        return self._guard(hits, flt)

    def _dense_top(self, qvec: Vectors, k: int, mask: BoolMask) -> list[tuple[int, float]]:
        return [] if self._dense is None else self._dense.top(qvec, k, mask)

    def search(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        """Hybrid top-k: each retriever takes ``candidates`` under the filter, weighted RRF fuses them."""
        if k <= 0 or not query.strip():
            return []
        tokens = self.tokenizer.tokenize(query)
        use_dense = self._dense is not None and self.config.dense_weight > 0
        qvec = self._query_vector(query) if use_dense else None
        n = max(self.config.candidates, k)
        with self._lock:
            if not self._slots:
                return []
            mask = self._masker.mask(flt)
            rankings: dict[str, list[int]] = {"bm25": [slot for slot, _ in self._sparse.top(tokens, n, mask)]}
            if qvec is not None:
                rankings["dense"] = [slot for slot, _ in self._dense_top(qvec, n, mask)]
            fused = rrf(
                {name: [str(s) for s in slots] for name, slots in rankings.items()},
                {"bm25": self.config.bm25_weight, "dense": self.config.dense_weight},
                k=self.config.rrf_k,
            )
            positions = {name: {slot: i for i, slot in enumerate(slots, start=1)} for name, slots in rankings.items()}
            limit = n if self.reranker is not None else k
            hits = []
            for key, score in fused[:limit]:
                slot = int(key)
                ranks = {name: pos[slot] for name, pos in positions.items() if slot in pos}
                hits.append(self._hit(slot, score, ranks))
        return rerank(self.reranker, query, self._guard(hits, flt))[:k]
