"""What the UI needs from ``rag.assistant.Assistant``, as a Protocol.

The UI is typed against this rather than the concrete class so it can be tested with a
deterministic fake and so it is obvious which facade calls the screens depend on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from rag.assistant import Filter, Hit
from rag.events import ChainEvent
from rag.models import DocumentRecord

if TYPE_CHECKING:  # rag.drafting pulls in the answer chain; the UI needs only the type
    from rag.drafting import ReplyDraft, Suggestion

Audience = Literal["citizen", "staff"]
ProgressCallback = Callable[[int, int, str], None]


class IngestSummary(Protocol):
    """An ingest result the upload panel can show (``rag.documents.ingest.IngestReport``)."""

    def to_json(self) -> dict[str, Any]: ...


class AssistantFacade(Protocol):
    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: Audience = "citizen",
        flt: Filter | None = None,
    ) -> Iterator[ChainEvent]: ...

    def search(
        self, query: str, k: int | None = None, flt: Filter | None = None, audience: Audience = "staff"
    ) -> list[Hit]: ...

    def ingest(
        self,
        paths: Sequence[Path],
        visibility: str | None = None,
        progress: ProgressCallback | None = None,
        *,
        upload: bool = False,
    ) -> IngestSummary: ...

    def docs(self) -> list[DocumentRecord]: ...

    def docs_page(
        self, offset: int = 0, limit: int | None = 50, visibility: str | None = None
    ) -> tuple[list[DocumentRecord], int]: ...

    def doc_count(self, visibility: str | None = None) -> int: ...

    def doc_facets(self) -> dict[str, list[str]]: ...

    def remove(self, sources: Sequence[str]) -> list[str]: ...

    def set_visibility(self, source: str, visibility: str) -> None: ...

    def document_text(self, source: str) -> str: ...

    def draft_reply(
        self, suggestion: Suggestion | str, deputy: str = "", issuer: str = "", region: str = ""
    ) -> ReplyDraft: ...

    def export_reply_docx(self, draft: ReplyDraft | str, path: Path) -> Path: ...
