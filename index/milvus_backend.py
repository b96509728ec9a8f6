"""The same SearchBackend over Milvus (milvus-lite with a local file uri, or a Milvus server):
**both halves in Milvus**, so nothing that grows with the corpus stays in the app process.

* Dense: a FLOAT_VECTOR field, inner product (the vectors are L2-normalised).
* BM25: a SPARSE_FLOAT_VECTOR field holding, per chunk, the BM25 term-frequency part of every
  token of *our* tokenizer (rjieba + government dictionary + folding + protected 文号/numbers),
  ``tf / (tf + k1 (1 - b + b dl/avgdl))``; the query vector holds ``idf(term) x count``; their
  inner product is exactly the BM25 score bm25s computes locally (Lucene idf, same k1/b).
  Milvus' built-in BM25 function cannot be used: it analyses raw text itself, and milvus-lite
  offers only its ``standard`` and ``jieba`` analyzers (no whitespace analyzer for pre-tokenised
  text; measured with milvus-lite 3.2), so it would tokenise differently from the local index.
  Document frequencies and the corpus length live in a second small collection
  (``<collection>_bm25``), shared by every app process that serves the corpus. The avgdl inside
  a chunk's weights is the one at its insertion (what pymilvus' BM25EmbeddingFunction does too);
  the idf is always current. Built in one batch, scores equal the local index's.
  Token -> sparse dimension is a 32-bit hash of the token (a collision merges two rare terms'
  dimensions; document frequencies are kept per token string, never per hash).
* Fusion: the two lists are fused by the same weighted RRF and phrase reranker as ``HybridIndex``.

Filters: ``Filter`` is translated to a Milvus boolean expression on a JSON ``meta`` field so both
searches are filtered before top-k; hits are re-checked with ``Filter.matches`` (the reference
semantics) before they leave, so the two can never disagree on visibility.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from index.base import IndexConfig
from index.embedder import Embedder, Vectors, embed_records
from index.errors import IncompatibleIndexError, SearchIndexError
from index.fusion import Reranker, fuse_hits, rerank
from index.hybrid import REBUILD_HINT
from index.records import Filter, Hit, Record
from index.rerank import PhraseReranker
from index.tokenizer import Tokenizer, default_tokenizer

log = logging.getLogger(__name__)

_MAX_TEXT = 65_535
_DOCS_KEY = "\x00docs"  # the stats row holding N and the total token count
_BATCH = 1000
SCHEMA_VERSION = 2


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


def term_dim(term: str) -> int:
    """The sparse dimension of a token: 32-bit BLAKE2b of its UTF-8 (Milvus allows [0, 2^32 - 1))."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=4).digest(), "little") % (2**32 - 1)


def idf(df: int, n_docs: int) -> float:
    """Lucene's idf, as bm25s computes it (method="lucene")."""
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def doc_weights(tokens: Sequence[str], avgdl: float, k1: float, b: float) -> dict[int, float]:
    """The BM25 term-frequency part per sparse dimension (bm25s' Robertson/Lucene tfc)."""
    norm = k1 * ((1 - b) + b * len(tokens) / max(avgdl, 1e-9))
    out: dict[int, float] = {}
    for term, tf in Counter(tokens).items():
        dim = term_dim(term)
        out[dim] = out.get(dim, 0.0) + tf / (norm + tf)
    return out


class MilvusIndex:
    """Dense + BM25 sparse search in one Milvus collection; implements ``index.base.SearchBackend``."""

    def __init__(
        self,
        uri: str,
        embedder: Embedder,
        config: IndexConfig = IndexConfig(),  # noqa: B008
        tokenizer: Tokenizer | None = None,
        collection: str = "chunks",
        reranker: Reranker | None = None,
    ) -> None:
        try:
            from pymilvus import MilvusClient
        except ImportError as exc:
            raise SearchIndexError("未安装 pymilvus/milvus-lite：pip install pymilvus milvus-lite") from exc
        self.uri = uri
        self.embedder = embedder
        self.config = config
        self.tokenizer = tokenizer if tokenizer is not None else default_tokenizer()
        if reranker is None and config.phrase_weight > 0:
            reranker = PhraseReranker(self.tokenizer, config.phrase_weight)
        self.reranker = reranker
        self.collection = collection
        self.stats_collection = f"{collection}_bm25"
        if "://" not in uri:
            from pathlib import Path

            Path(uri).parent.mkdir(parents=True, exist_ok=True)
        self._client = MilvusClient(uri)
        self._info = {
            "schema": SCHEMA_VERSION,
            "tokenizer": self.tokenizer.version,
            "bm25_k1": config.bm25_k1,
            "bm25_b": config.bm25_b,
        }
        if self._client.has_collection(collection):
            self._check_compatible()
            # a collection reopened by a new process is "released" until loaded into memory
            self._client.load_collection(collection)
            self._client.load_collection(self.stats_collection)
        else:
            self._create()

    # -- schema ---------------------------------------------------------------------------------
    def _create(self) -> None:
        from pymilvus import DataType

        client = self._client
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=128)
        schema.add_field("text", DataType.VARCHAR, max_length=_MAX_TEXT)
        schema.add_field("tokens", DataType.VARCHAR, max_length=_MAX_TEXT)  # for df upkeep on delete
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.embedder.dim)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("meta", DataType.JSON)
        schema.add_field("model", DataType.VARCHAR, max_length=256)
        params = client.prepare_index_params()
        params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
        params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        client.create_collection(self.collection, schema=schema, index_params=params)
        # Milvus needs a vector field in every collection: the stats rows carry a 2-d placeholder.
        stats = client.create_schema(auto_id=False, enable_dynamic_field=False)
        stats.add_field("term", DataType.VARCHAR, is_primary=True, max_length=512)
        stats.add_field("df", DataType.INT64)
        stats.add_field("total", DataType.INT64)
        stats.add_field("info", DataType.VARCHAR, max_length=1024)
        stats.add_field("v", DataType.FLOAT_VECTOR, dim=2)
        sparams = client.prepare_index_params()
        sparams.add_index(field_name="v", index_type="FLAT", metric_type="L2")
        client.create_collection(self.stats_collection, schema=stats, index_params=sparams)
        self._put_stats({}, 0, 0)

    def _check_compatible(self) -> None:
        where = f"Milvus 集合 {self.collection}（{self.uri}）"
        info = self._client.describe_collection(self.collection)
        fields = {f.get("name"): f for f in info.get("fields", [])}
        if "sparse" not in fields or not self._client.has_collection(self.stats_collection):
            raise IncompatibleIndexError(f"{where} 是旧格式（BM25 不在 Milvus 中）。{REBUILD_HINT}")
        dim = int(fields["vector"].get("params", {}).get("dim", self.embedder.dim))
        if dim != self.embedder.dim:
            raise IncompatibleIndexError(
                f"{where} 的向量维度是 {dim}，当前嵌入模型 {self.embedder.name} "
                f"是 {self.embedder.dim} 维。{REBUILD_HINT}"
            )
        self._client.load_collection(self.stats_collection)
        row = self._client.get(self.stats_collection, ids=[_DOCS_KEY], output_fields=["info"])
        saved = json.loads(row[0]["info"]) if row else {}
        for key, label in (("tokenizer", "分词器"), ("bm25_k1", "BM25 k1"), ("bm25_b", "BM25 b")):
            if saved.get(key) != self._info[key]:
                raise IncompatibleIndexError(
                    f"{where} 是用{label} {saved.get(key)} 建立的，当前是 {self._info[key]}。{REBUILD_HINT}"
                )
        self._client.load_collection(self.collection)
        rows = self._client.query(self.collection, filter='id != ""', output_fields=["model"], limit=1)
        if rows and rows[0].get("model") != self.embedder.name:
            raise IncompatibleIndexError(
                f"{where} 是用嵌入模型 {rows[0].get('model')} 建立的，当前是 {self.embedder.name}。{REBUILD_HINT}"
            )

    # -- BM25 statistics ------------------------------------------------------------------------
    def _stats(self, terms: Iterable[str]) -> tuple[dict[str, int], int, int]:
        """(df per term, number of chunks, total tokens) from the stats collection."""
        wanted = [t for t in dict.fromkeys(terms) if t != _DOCS_KEY]
        df: dict[str, int] = {}
        n_docs = total = 0
        keys = [_DOCS_KEY, *wanted]
        for start in range(0, len(keys), _BATCH):
            rows = self._client.get(
                self.stats_collection, ids=keys[start : start + _BATCH], output_fields=["df", "total"]
            )
            for row in rows:
                if row["term"] == _DOCS_KEY:
                    n_docs, total = int(row["df"]), int(row["total"])
                else:
                    df[str(row["term"])] = int(row["df"])
        return df, n_docs, total

    def _put_stats(self, df: dict[str, int], n_docs: int, total: int) -> None:
        rows: list[dict[str, Any]] = [
            {"term": _DOCS_KEY, "df": n_docs, "total": total, "info": json.dumps(self._info), "v": [0.0, 0.0]}
        ]
        rows += [{"term": t, "df": n, "total": 0, "info": "", "v": [0.0, 0.0]} for t, n in df.items()]
        for start in range(0, len(rows), _BATCH):
            self._client.upsert(self.stats_collection, rows[start : start + _BATCH])

    def _existing(self, ids: Sequence[str], fields: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), _BATCH):
            for row in self._client.get(self.collection, ids=list(ids[start : start + _BATCH]), output_fields=fields):
                out[str(row["id"])] = row
        return out

    # -- mutation -------------------------------------------------------------------------------
    def add(self, records: Sequence[Record], progress: Callable[[int], None] | None = None) -> None:
        """Add records; an existing id is replaced (unchanged text reuses its tokens and vector)."""
        batch = list({r.id: r for r in records}.values())
        if not batch:
            return
        old = self._existing([r.id for r in batch], ["text", "tokens", "vector"])
        tokens: dict[str, list[str]] = {}
        vectors: dict[str, Vectors] = {}
        fresh: list[Record] = []
        for r in batch:
            prev = old.get(r.id)
            if prev is not None and prev["text"] == r.text:
                tokens[r.id] = str(prev["tokens"]).split()
                vectors[r.id] = np.asarray(prev["vector"], dtype=np.float32)
            else:
                tokens[r.id] = self.tokenizer.tokenize(r.text)
                fresh.append(r)
        vectors.update((rid, vec[0]) for rid, vec in embed_records(self.embedder, fresh, progress).items())
        # statistics: remove the replaced versions, add the new ones, then weigh with the new avgdl
        delta: Counter[str] = Counter()
        length_delta = 0
        for prev in old.values():
            prev_tokens = str(prev["tokens"]).split()
            delta.subtract(set(prev_tokens))
            length_delta -= len(prev_tokens)
        for r in batch:
            delta.update(set(tokens[r.id]))
            length_delta += len(tokens[r.id])
        df, n_docs, total = self._stats(delta)
        n_docs += len(batch) - len(old)
        total += length_delta
        avgdl = total / n_docs if n_docs else 1.0
        cfg = self.config
        rows = []
        for r in batch:
            row_tokens = " ".join(tokens[r.id])
            if len(r.text.encode("utf-8")) > _MAX_TEXT or len(row_tokens.encode("utf-8")) > _MAX_TEXT:
                raise SearchIndexError(f"记录 {r.id} 的文本超过 Milvus 字段上限 {_MAX_TEXT} 字节：请把文本切得更小。")
            sparse = doc_weights(tokens[r.id], avgdl, cfg.bm25_k1, cfg.bm25_b) or {0: 0.0}
            rows.append(
                {
                    "id": r.id,
                    "text": r.text,
                    "tokens": row_tokens,
                    "vector": vectors[r.id].tolist(),
                    "sparse": sparse,
                    "meta": dict(r.meta),
                    "model": self.embedder.name,
                }
            )
        for start in range(0, len(rows), _BATCH):
            self._client.upsert(self.collection, rows[start : start + _BATCH])
        self._put_stats({t: df.get(t, 0) + d for t, d in delta.items() if d}, n_docs, total)
        if progress is not None and not fresh:
            progress(len(batch))

    def delete(self, ids: Iterable[str]) -> int:
        """Remove records by id; returns how many existed."""
        wanted = list(set(ids))
        if not wanted:
            return 0
        old = self._existing(wanted, ["tokens"])
        if not old:
            return 0
        delta: Counter[str] = Counter()
        removed_tokens = 0
        for row in old.values():
            row_tokens = str(row["tokens"]).split()
            delta.update(set(row_tokens))
            removed_tokens += len(row_tokens)
        df, n_docs, total = self._stats(delta)
        self._client.delete(self.collection, ids=list(old))
        self._put_stats(
            {t: max(df.get(t, 0) - d, 0) for t, d in delta.items()}, n_docs - len(old), total - removed_tokens
        )
        return len(old)

    # -- search ---------------------------------------------------------------------------------
    def _hits(self, result: Any, name: str, flt: Filter | None) -> list[Hit]:
        hits = []
        for rank, row in enumerate(result[0], start=1):
            entity = row.get("entity", row)
            meta = entity.get("meta") or {}
            if flt is not None and not flt.matches(meta):
                log.error("Milvus filter let record %s through; dropped", row.get("id"))
                continue
            hits.append(
                Hit(id=str(row["id"]), score=float(row["distance"]), text=entity["text"], meta=meta, ranks={name: rank})
            )
        return hits

    def search_bm25(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        if k <= 0:
            return []
        counts = Counter(self.tokenizer.tokenize(query))
        df, n_docs, _ = self._stats(counts)
        qvec: dict[int, float] = {}
        for term, count in counts.items():
            if df.get(term, 0) > 0:
                dim = term_dim(term)
                qvec[dim] = qvec.get(dim, 0.0) + idf(df[term], n_docs) * count
        if not qvec:
            return []
        result = self._client.search(
            self.collection,
            data=[qvec],
            anns_field="sparse",
            limit=k,
            filter=filter_expression(flt),
            search_params={"metric_type": "IP"},
            output_fields=["text", "meta"],
        )
        return [h for h in self._hits(result, "bm25", flt) if h.score > 0]

    def search_dense(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        if k <= 0:
            return []
        vector = self.embedder.embed_queries([query])[0].tolist()
        result = self._client.search(
            self.collection,
            data=[vector],
            anns_field="vector",
            limit=k,
            filter=filter_expression(flt),
            search_params={"metric_type": "IP"},
            output_fields=["text", "meta"],
        )
        return self._hits(result, "dense", flt)

    def search(self, query: str, k: int = 5, flt: Filter | None = None) -> list[Hit]:
        """Both retrievers under the filter, the local index's weighted RRF, then its phrase reranker."""
        if k <= 0 or not query.strip():
            return []
        n = max(self.config.candidates, k)
        lists = {"bm25": self.search_bm25(query, n, flt)}
        if self.config.dense_weight > 0:
            lists["dense"] = self.search_dense(query, n, flt)
        weights = {"bm25": self.config.bm25_weight, "dense": self.config.dense_weight}
        fused = fuse_hits(lists, weights, self.config.rrf_k, n if self.reranker is not None else k)
        return rerank(self.reranker, query, fused)[:k]

    # -- reading --------------------------------------------------------------------------------
    def get(self, ids: Sequence[str]) -> list[Record]:
        rows = self._existing(list(ids), ["text", "meta"])
        return [Record(rid, rows[rid]["text"], rows[rid]["meta"] or {}) for rid in ids if rid in rows]

    def ids(self) -> set[str]:
        out: set[str] = set()
        iterator = self._client.query_iterator(
            self.collection, batch_size=10_000, filter='id != ""', output_fields=["id"]
        )
        try:
            while batch := iterator.next():
                out.update(str(row["id"]) for row in batch)
        finally:
            iterator.close()
        return out

    def __len__(self) -> int:
        rows = self._client.query(self.collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def save(self) -> None:
        self._client.flush(self.collection)
        self._client.flush(self.stats_collection)

    def close(self) -> None:
        self._client.close()
