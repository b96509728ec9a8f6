"""The facade behind every route, taken from the app state (one Assistant per server process)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

if TYPE_CHECKING:
    from rag.assistant import Assistant


def assistant_of(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant
