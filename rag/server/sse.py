"""Server-Sent Events framing for a stream of JSON objects."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from rag.errors import BackendError, LLMError, ModelError, RagError

log = logging.getLogger(__name__)

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def frame(data: Any, event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"{head}data: {body}\n\n"


def public_message(exc: RagError, *, staff: bool) -> str:
    """What a caller may read of an error: a model/LLM failure names endpoints, models and RAG_* settings,
    so only staff (and the log) get it; citizens get the plain apology."""
    if staff or not isinstance(exc, BackendError | ModelError):
        return str(exc)
    return LLMError.public


def guarded(frames: Iterable[str], on_error: Any) -> Iterator[str]:
    """Frames until the source fails; then one error frame (the status line has long been sent)."""
    try:
        yield from frames
    except RagError as exc:
        log.warning("stream failed: %s", exc)
        yield on_error(public_message(exc, staff=False))
    except Exception:
        log.exception("stream failed")
        yield on_error("内部错误：回答中断，请稍后重试；问题持续时请联系管理员（服务器日志有详情）。")
