"""LangChain adapter: any SearchBackend as a ``langchain_core`` BaseRetriever.

The filter is a field of the retriever, not a per-call argument, so a retriever built for the
citizen path (visibility=public) cannot be widened by whoever invokes it.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.base import SearchBackend
from index.records import Filter


class IndexRetriever(BaseRetriever):
    """Documents carry the record meta plus ``id``, ``score`` and per-retriever ``ranks``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    backend: Any  # a SearchBackend; Any because pydantic cannot validate a Protocol
    k: int = 5
    flt: Filter | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        backend: SearchBackend = self.backend
        hits = backend.search(query, k=self.k, flt=self.flt)
        return [
            Document(
                page_content=hit.text,
                id=hit.id,
                metadata={**hit.meta, "id": hit.id, "score": hit.score, "ranks": dict(hit.ranks)},
            )
            for hit in hits
        ]
