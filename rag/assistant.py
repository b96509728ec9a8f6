"""The application facade: one object that ingests, searches and answers.

CLI, UI and the eval harness all go through it, so they behave identically. It is built
from a Settings object at the edge (``Assistant.from_settings``).
"""

from __future__ import annotations

# Interface (being implemented):
#
# class Assistant:
#     settings: Settings
#     registry: Registry           # rag.registry
#     retriever: Retriever         # rag.retrieval
#     @classmethod from_settings(cls, settings: Settings, *, embedder: Embedder | None = ..., llm=None) -> Assistant
#     def ingest(self, paths: Sequence[Path], visibility: str = "public", progress: ProgressCallback | None = None) -> IngestReport
#     def remove(self, sources: Sequence[str]) -> list[str]
#     def set_visibility(self, source: str, visibility: str) -> None
#     def docs(self) -> list[DocumentRecord]
#     def search(self, query: str, k: int | None = None, flt: Filter | None = None,
#                audience: Literal["citizen", "staff"] = "staff") -> list[Hit]
#     def stream(self, question: str, history: Sequence[tuple[str, str]] = (),
#                audience: Literal["citizen", "staff"] = "citizen", flt: Filter | None = None) -> Iterator[ChainEvent]
#     def ask(self, question: str, history=(), audience="citizen", flt=None) -> Answer
