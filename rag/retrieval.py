"""The retrieval facade: the one place where audience turns into a visibility constraint.

Citizens' searches always carry visibility=public inside the index query (not a UI filter), so
no caller of the citizen path can reach an internal document, whatever filters it passes.
The same facade as a LangChain retriever is in ``rag.lc_retriever`` (imported only by who needs it,
so the CLI does not pay LangChain's import time on every search).
"""

from __future__ import annotations

import logging
from typing import Literal

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
