"""The same SearchBackend over Milvus (milvus-lite with a local file uri, or a Milvus server).

Design choice: **dense vectors live in Milvus, BM25 stays ours.** The sparse side is a
BM25-only ``HybridIndex`` saved beside the Milvus file (``<file>.bm25/``), so both backends
tokenise and score BM25 identically and fusion is the same weighted RRF. Milvus' built-in
BM25 would need its own analyzer (no jieba search mode, no government dictionary).

Filters: ``Filter`` is translated to a Milvus boolean expression on a JSON ``meta`` field so
the vector search is filtered before top-k; hits are re-checked with ``Filter.matches``
(the reference semantics) before they leave, so the two can never disagree on visibility.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from index.base import IndexConfig
from index.embedder import Embedder
from index.errors import IncompatibleIndexError, SearchIndexError
from index.fusion import rrf
from index.hybrid import REBUILD_HINT, HybridIndex
from index.records import Filter, Hit, Record
from index.tokenizer import Tokenizer

log = logging.getLogger(__name__)

_MAX_TEXT = 65_535


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def filter_expression(flt: Filter | None) -> str:
    """Milvus boolean expression equivalent to ``flt`` on the JSON field ``meta`` ("" = no filter)."""
    if flt is None or flt.is_empty():
        return ""
    clauses = []
    for key, allowed in flt.equals.items():
        field = f"meta[{_literal(key)}]"
        values = [v for v in allowed if v is not None]
        # milvus-lite rejects `json_path in [...]`, so spell it as a disjunction of equalities
        parts = [f"{field} == {_literal(v)}" for v in values]
        if len(values) != len(allowed):  # None allowed: a missing key matches too
            parts.append(f"not exists {field}")
        clauses.append("(" + " or ".join(parts) + ")" if parts else "false")
    date = f"meta[{_literal(flt.date_field)}]"
    if flt.date_from is not None:
        clauses.append(f"{date} >= {_literal(flt.date_from)}")
    if flt.date_to is not None:
        clauses.append(f"{date} <= {_literal(flt.date_to)}")
    return " and ".join(clauses)


class MilvusIndex:
    """Dense search in a Milvus collection + our BM25 beside it; implements ``index.base.SearchBackend``."""

    def __init__(
        self,
        uri: str,
        embedder: Embedder,
        config: IndexConfig = IndexConfig(),  # noqa: B008
        tokenizer: Tokenizer | None = None,
        collection: str = "chunks",
    ) -> None:
        try:
            from pymilvus import DataType, MilvusClient
        except ImportError as exc:
            raise SearchIndexError("未安装 pymilvus/milvus-lite：pip install pymilvus milvus-lite") from exc
        self.uri = uri
        self.embedder = embedder
        self.config = config
        self.collection = collection
        local = "://" not in uri
        sparse_dir = Path(uri + ".bm25") if local else Path(f"{collection}.bm25")
        self._sparse = HybridIndex.open(sparse_dir, None, config, tokenizer)
        if local:
            Path(uri).parent.mkdir(parents=True, exist_ok=True)
        self._client = MilvusClient(uri)
        if self._client.has_collection(collection):
            # a collection reopened by a new process is "released" until loaded into memory
            self._client.load_collection(collection)
            self._check_dim()
        else:
            schema = self._client.create_schema(auto_id=False, enable_dynamic_field=False)
            schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=128)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=embedder.dim)
            schema.add_field("meta", DataType.JSON)
            schema.add_field("model", DataType.VARCHAR, max_length=256)
            params = self._client.prepare_index_params()
            params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
            self._client.create_collection(collection, schema=schema, index_params=params)

    def _check_dim(self) -> None:
        info = self._client.describe_collection(self.collection)
        for field in info.get("fields", []):
            if field.get("name") == "vector":
                dim = int(field.get("params", {}).get("dim", self.embedder.dim))
                if dim != self.embedder.dim:
                    raise IncompatibleIndexError(
                        f"Milvus 集合 {self.collection}（{self.uri}）的向量维度是 {dim}，当前嵌入模型 "
                        f"{self.embedder.name} 是 {self.embedder.dim} 维。{REBUILD_HINT}"
                    )
        rows = self._client.query(self.collection, filter='id != ""', output_fields=["model"], limit=1)
        if rows and rows[0].get("model") != self.embedder.name:
            raise IncompatibleIndexError(
                f"Milvus 集合 {self.collection}（{self.uri}）是用嵌入模型 {rows[0].get('model')} 建立的，"
                f"当前是 {self.embedder.name}。{REBUILD_HINT}"
            )

    def add(self, records: Sequence[Record], progress: Callable[[int], None] | None = None) -> None:
        batch = list({r.id: r for r in records}.values())
        if not batch:
            return
        rows = []
        for start in range(0, len(batch), 32):
            part = batch[start : start + 32]
            vectors = self.embedder.embed_passages([r.text for r in part])
            rows += [
                {"id": r.id, "vector": vec.tolist(), "meta": dict(r.meta), "model": self.embedder.name}
                for r, vec in zip(part, vectors, strict=True)
            ]
            if progress is not None:
                progress(start + len(part))
        self._client.upsert(self.collection, rows)
        self._sparse.add(batch)

    def delete(self, ids: Iterable[str]) -> int:
        wanted = list(set(ids))
        removed = self._sparse.delete(wanted)
        if wanted:
            self._client.delete(self.collection, ids=wanted)
        return removed

    def search_dense(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        if k <= 0 or len(self._sparse) == 0:
            return []
        vector = self.embedder.embed_queries([query])[0].tolist()
        result = self._client.search(
            self.collection, data=[vector], limit=k, filter=filter_expression(flt), output_fields=["id"]
        )
        ids = [str(row["id"]) for row in result[0]]
        scores = {str(row["id"]): float(row["distance"]) for row in result[0]}
        records = {r.id: r for r in self._sparse.get(ids)}
        hits = [
            Hit(id=rid, score=scores[rid], text=records[rid].text, meta=records[rid].meta, ranks={"dense": i})
            for i, rid in enumerate(ids, start=1)
            if rid in records
        ]
        return [h for h in hits if flt is None or flt.matches(h.meta)]

    def search_bm25(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        return self._sparse.search_bm25(query, k, flt)

    def search(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        if k <= 0 or not query.strip():
            return []
        n = max(self.config.candidates, k)
        lists = {"bm25": self.search_bm25(query, n, flt)}
        if self.config.dense_weight > 0:
            lists["dense"] = self.search_dense(query, n, flt)
        by_id = {h.id: h for hits in lists.values() for h in hits}
        fused = rrf(
            {name: [h.id for h in hits] for name, hits in lists.items()},
            {"bm25": self.config.bm25_weight, "dense": self.config.dense_weight},
            k=self.config.rrf_k,
        )
        out = []
        for rid, score in fused[:k]:
            ranks = {name: i for name, hits in lists.items() for i, h in enumerate(hits, start=1) if h.id == rid}
            hit = by_id[rid]
            out.append(Hit(id=rid, score=score, text=hit.text, meta=hit.meta, ranks=ranks))
        return out

    def get(self, ids: Sequence[str]) -> list[Record]:
        return self._sparse.get(ids)

    def ids(self) -> set[str]:
        return self._sparse.ids()

    def save(self) -> None:
        self._client.flush(self.collection)
        self._sparse.save()

    def close(self) -> None:
        self._client.close()

    def __len__(self) -> int:
        return len(self._sparse)
