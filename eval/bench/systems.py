"""The two systems under comparison, built from the same chunks and the same vectors.

(a) LangChain: EnsembleRetriever(BM25Retriever with jieba search-mode preprocessing + FAISS
    vectorstore), weights 0.5/0.5 -- what a Langchain-Chatchat style app gets.
(b) ours: index.hybrid.HybridIndex.

Vectors come from a ``LookupEmbedder`` (text -> precomputed vector), so query latency
excludes embedding for both systems and both see identical vectors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from eval.bench.corpus import Chunk
from index.base import IndexConfig
from index.embedder import Vectors
from index.hybrid import HybridIndex
from index.records import Record


class LookupEmbedder:
    """An Embedder (ours) and an Embeddings (LangChain's) over precomputed vectors."""

    def __init__(self, name: str, dim: int, passages: Mapping[str, Vectors], queries: Mapping[str, Vectors]) -> None:
        self._name = name
        self._dim = dim
        self._passages = passages
        self._queries = queries

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return np.vstack([self._queries[t] for t in texts]).astype(np.float32)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return np.vstack([self._passages[t] for t in texts]).astype(np.float32)


class LangChainLookup(Embeddings):
    """The same lookup as a LangChain ``Embeddings`` (FAISS vectorstore needs the subclass)."""

    def __init__(self, inner: LookupEmbedder) -> None:
        self.inner = inner

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_queries([text])[0].tolist()


def build_ours(
    chunks: Sequence[Chunk], embedder: LookupEmbedder | None, path: Path, config: IndexConfig
) -> HybridIndex:
    index = HybridIndex(path, embedder, config)
    records = [Record(c.id, c.text, {"source": c.source}) for c in chunks]
    for start in range(0, len(records), 5000):
        index.add(records[start : start + 5000])
    index.search_bm25("预热", 1)  # builds the lazy BM25 matrix so build time includes it
    return index


def jieba_preprocess(text: str) -> list[str]:
    import jieba

    return [t for t in jieba.lcut_for_search(text) if t.strip()]


def build_langchain(chunks: Sequence[Chunk], embedder: LookupEmbedder | None, k: int, tokenizer: str = "jieba") -> Any:
    """EnsembleRetriever(BM25 + FAISS, 0.5/0.5); BM25 alone when there is no embedder."""
    from langchain_community.retrievers import BM25Retriever

    texts = [c.text for c in chunks]
    metas = [{"id": c.id, "source": c.source} for c in chunks]
    preprocess = jieba_preprocess if tokenizer == "jieba" else (lambda t: t.split())
    bm25 = BM25Retriever.from_texts(texts, metadatas=metas, preprocess_func=preprocess, k=k)
    if embedder is None:
        return bm25
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.vectorstores import FAISS

    vectors = embedder.embed_passages(texts)
    store = FAISS.from_embeddings(
        list(zip(texts, vectors.tolist(), strict=True)),
        embedding=LangChainLookup(embedder),
        metadatas=metas,
    )
    return EnsembleRetriever(retrievers=[bm25, store.as_retriever(search_kwargs={"k": k})], weights=[0.5, 0.5])
