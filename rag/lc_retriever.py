"""The retrieval facade as a LangChain retriever: our index and visibility rules inside any LangChain chain.

``page_content`` is the passage as a person reads it (the chunk's display text); the normalised
copy the index searched (simplified characters, title prepended) is in ``metadata["index_text"]``.
``k`` and ``filters`` may be given per call (``retriever.invoke(q, k=3, filters={"region": "铜梁区"})``);
the audience is a field fixed at construction, and the citizen audience forces visibility=public
inside the index query, so no invoke argument can reach an internal document.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from index.records import Filter, Hit
from rag.filters import filter_from_mapping
from rag.retrieval import Retriever


def hit_document(hit: Hit) -> LCDocument:
    """One search hit as a LangChain Document (display text as content, index text in metadata)."""
    meta = {k: v for k, v in hit.meta.items() if k != "display_text"}
    return LCDocument(
        id=hit.id,
        page_content=str(hit.meta.get("display_text", hit.text)),
        metadata={**meta, "chunk_id": hit.id, "score": float(hit.score), "index_text": hit.text},
    )


class RagRetriever(BaseRetriever):
    """Hybrid search over the assistant's index; ``k``/``filters`` per call, audience fixed."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever = Field(description="The retrieval facade (Assistant.retriever).")
    k: int = Field(default=5, ge=1, le=100, description="How many passages to return unless invoke passes k.")
    audience: Literal["citizen", "staff"] = "citizen"
    filters: Filter | None = Field(default=None, description="A default filter; invoke(filters=...) replaces it.")

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Mapping[str, Any] | Filter | None = None,
        **kwargs: Any,
    ) -> list[LCDocument]:
        return self._search(query, k, filters, kwargs)

    async def _aget_relevant_documents(
        self,
        query: str,
        *,
        run_manager: AsyncCallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Mapping[str, Any] | Filter | None = None,
        **kwargs: Any,
    ) -> list[LCDocument]:
        # The index is synchronous (CPU-bound BM25 + FAISS): search in a worker thread, keeping the loop free.
        return await asyncio.to_thread(self._search, query, k, filters, kwargs)

    def _search(
        self, query: str, k: int | None, filters: Mapping[str, Any] | Filter | None, extra: Mapping[str, Any]
    ) -> list[LCDocument]:
        if extra:
            raise TypeError(f"unexpected retriever arguments: {sorted(extra)}; use k= and filters=")
        flt = filter_from_mapping(filters) if filters is not None else self.filters
        hits = self.retriever.search(query, k or self.k, flt, self.audience)
        return [hit_document(h) for h in hits]
