"""The retrieval facade as a LangChain retriever, so any LangChain chain can use our index and visibility rules."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.records import Filter
from rag.retrieval import Retriever


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
