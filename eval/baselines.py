"""Baseline retrievers scored in the same harness, on the same chunks and queries as ours.

- ``langchain_bm25``: LangChain ``BM25Retriever`` with its default preprocessing (whitespace
  split), what a LangChain tutorial gives you on Chinese text.
- ``langchain_ensemble_jieba``: Langchain-Chatchat style hybrid, ``BM25Retriever`` with
  ``preprocess_func=jieba.lcut`` plus a FAISS vector store over the same embedding model as ours,
  fused by ``EnsembleRetriever`` with weights 0.5/0.5. Skipped when the assistant has no embedder
  (RAG_EMBED_MODEL=none).

The chunks come from the assistant's own index (``all_chunks``), with the text our index sees,
so the only difference between the rows of the table is the retriever.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings

from eval import scoring
from eval.dataset import EvalItem
from eval.runner import progress_bar, retrieval_query
from index.embedder import Embedder
from index.records import Record

log = logging.getLogger(__name__)


class ChunkSource(Protocol):
    """What baselines need of the assistant."""

    embedder: Embedder | None

    def all_chunks(self) -> list[Record]: ...


class _Retriever(Protocol):
    def invoke(self, input: str) -> list[Any]: ...


def _documents(records: Sequence[Record]) -> list[Any]:
    from langchain_core.documents import Document

    return [
        Document(
            page_content=r.text,
            metadata={
                "chunk_id": r.id,
                "source": str(r.meta.get("source", "")),
                "display_text": str(r.meta.get("display_text") or r.text),
            },
        )
        for r in records
    ]


class EmbedderAdapter(Embeddings):
    """Our Embedder as LangChain ``Embeddings`` (e5 needs different query and passage encodings)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.embedder.embed_passages(texts)]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.embedder.embed_queries([text])[0]]


@contextmanager
def _quiet_community() -> Iterator[None]:
    """langchain-community warns on import that it is being sunset; as a baseline that is expected."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def bm25_default(documents: Sequence[Any], k: int) -> _Retriever:
    with _quiet_community():
        from langchain_community.retrievers import BM25Retriever

    retriever: _Retriever = BM25Retriever.from_documents(documents, k=k)
    return retriever


def ensemble_jieba(documents: Sequence[Any], embedder: Embedder, k: int) -> _Retriever:
    import jieba

    with _quiet_community():
        from langchain_classic.retrievers import EnsembleRetriever
        from langchain_community.retrievers import BM25Retriever
        from langchain_community.vectorstores import FAISS

    jieba.setLogLevel(logging.WARNING)
    adapter = EmbedderAdapter(embedder)
    vectors = adapter.embed_documents([d.page_content for d in documents])
    store = FAISS.from_embeddings(
        list(zip([d.page_content for d in documents], vectors, strict=True)),
        embedding=adapter,
        metadatas=[d.metadata for d in documents],
    )
    bm25 = BM25Retriever.from_documents(documents, preprocess_func=jieba.lcut, k=k)
    dense = store.as_retriever(search_kwargs={"k": k})
    retriever: _Retriever = EnsembleRetriever(retrievers=[bm25, dense], weights=[0.5, 0.5])
    return retriever


def score_retriever(retriever: _Retriever, items: Sequence[EvalItem], depth: int) -> dict[str, Any]:
    """Retrieval metrics and search latency of one retriever over the items that have evidence."""
    results: list[dict[str, Any]] = []
    latencies: list[float] = []
    for item in items:
        if not item.evidence and not item.gold_docs:
            continue
        start = time.perf_counter()
        docs = retriever.invoke(retrieval_query(item))[:depth]
        latencies.append((time.perf_counter() - start) * 1000)
        passages = [str(d.metadata.get("display_text") or d.page_content) for d in docs]
        sources = [str(d.metadata.get("source", "")) for d in docs]
        results.append({"retrieval": scoring.retrieval_scores(item, passages, sources)})
    return scoring.retriever_row(results, latencies)


def run_baselines(
    assistant: ChunkSource, items: Sequence[EvalItem], depth: int, progress: bool = False
) -> dict[str, dict[str, Any]]:
    """Build each baseline over the assistant's chunks and score it; returns name -> metrics."""
    records = assistant.all_chunks()
    if not records:
        log.warning("no chunks in the index: baselines skipped")
        return {}
    documents = _documents(records)
    builders: dict[str, Any] = {"langchain_bm25": lambda: bm25_default(documents, depth)}
    if assistant.embedder is not None:
        embedder = assistant.embedder
        builders["langchain_ensemble_jieba"] = lambda: ensemble_jieba(documents, embedder, depth)
    else:
        log.info("no embedder (RAG_EMBED_MODEL=none): langchain_ensemble_jieba baseline skipped")
    out: dict[str, dict[str, Any]] = {}
    with progress_bar(len(builders), "基线检索器", progress) as advance:
        for name, build in builders.items():
            out[name] = score_retriever(build(), items, depth)
            advance()
    return out
