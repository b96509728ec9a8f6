"""The retrieval facade: the one place where audience turns into a visibility constraint.

Citizens' searches always carry visibility=public inside the index query (not a UI filter), so
no caller of the citizen path can reach an internal document, whatever filters it passes.
"""

from __future__ import annotations

import logging
from typing import Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.base import SearchBackend
from index.records import Filter, Hit
from index.textnorm import fold

log = logging.getLogger(__name__)

Audience = Literal["citizen", "staff"]
AUDIENCES: tuple[str, ...] = ("citizen", "staff")


def audience_filter(flt: Filter | None, audience: str) -> Filter | None:
    """The filter actually sent to the index: citizens get visibility=public, overriding anything passed."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected citizen or staff")
    if audience == "citizen":
        return (flt or Filter()).with_equals("visibility", ["public"])
    return flt if flt is not None and not flt.is_empty() else None


class Retriever:
    """Searches the backend with the query folded exactly as the index text was."""

    def __init__(self, backend: SearchBackend, default_k: int = 5) -> None:
        self.backend = backend
        self.default_k = default_k

    def search(
        self, query: str, k: int | None = None, flt: Filter | None = None, audience: str = "citizen"
    ) -> list[Hit]:
        query = fold(query).strip()
        if not query:
            return []
        return self.backend.search(query, k or self.default_k, audience_filter(flt, audience))


class RagRetriever(BaseRetriever):
    """The facade as a LangChain retriever, so any LangChain chain can use our index and visibility rules."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    k: int = 5
    audience: str = "citizen"
    flt: Filter | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        hits = self.retriever.search(query, self.k, self.flt, self.audience)
        return [
            LCDocument(
                id=h.id,
                page_content=str(h.meta.get("display_text", h.text)),
                metadata={**h.meta, "score": h.score, "chunk_id": h.id},
            )
            for h in hits
        ]
