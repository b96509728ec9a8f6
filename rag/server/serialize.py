"""JSON shapes shared by the CLI and the HTTP API, so ``rag search --json`` and ``POST /api/search`` agree.

Also the typed chain events as (event name, JSON data) pairs for Server-Sent Events.
"""

from __future__ import annotations

from typing import Any

from index.records import Hit
from rag.events import ChainEvent, CitationEvent, DoneEvent, DroppedEvent, RefusalEvent, TokenEvent
from rag.models import Answer


def hit_json(rank: int, hit: Hit) -> dict[str, Any]:
    """One search hit as the contract prints it: ``text`` is the display text, never the index copy."""
    meta = {k: v for k, v in hit.meta.items() if k != "display_text"}
    return {
        "rank": rank,
        "chunk_id": hit.id,
        "source": hit.meta.get("source"),
        "title": hit.meta.get("title"),
        "text": hit.meta.get("display_text", hit.text),
        "score": round(float(hit.score), 6),
        "meta": meta,
    }


def answer_json(obj_id: Any, answer: Answer) -> dict[str, Any]:
    """The ``rag ask --json`` object."""
    return {"id": obj_id, **answer.to_json()}


def event_json(event: ChainEvent) -> tuple[str, dict[str, Any]]:
    """A chain event as an SSE event name and its data object."""
    if isinstance(event, TokenEvent):
        return "token", {"text": event.text}
    if isinstance(event, CitationEvent):
        return "citation", event.citation.to_json()
    if isinstance(event, DroppedEvent):
        return "dropped", {"sentence": event.sentence, "reason": event.reason}
    if isinstance(event, RefusalEvent):
        return "refusal", {"text": event.text, "reason": event.reason}
    if isinstance(event, DoneEvent):
        return "done", event.answer.to_json()
    raise TypeError(f"not a chain event: {event!r}")
