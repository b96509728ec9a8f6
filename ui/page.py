"""Fixes to what Gradio serves that Gradio offers no setting for: page language and the "busy" message.

- Gradio's index.html hard-codes ``<html lang="en">``; a Chinese page must say ``lang="zh-CN"`` (screen
  readers pick their voice from it, browsers their fonts and translation prompts).
- When the queue is full the browser shows a fixed English sentence and API clients get
  "Queue is full"; citizens need to read, in Chinese, that they should wait and retry.

A small ASGI middleware rewrites exactly those responses (HTML pages, the front-end script that holds
the sentence, the 503 of ``queue/join``) and passes every other response through untouched, streaming.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

BUSY_TEXT = "当前提问的人较多，系统繁忙，请稍等片刻后再试。"
GRADIO_BUSY_TEXT = b"This application is currently busy. Please try again. "
PAGE_LANG = "zh-CN"
_HTML_LANG = re.compile(rb'(<html\b[^>]*?\blang=")[^"]*(")')

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _rewrite(path: str, status: int, content_type: str, body: bytes) -> bytes:
    if content_type.startswith("text/html"):
        return _HTML_LANG.sub(rb"\g<1>" + PAGE_LANG.encode() + rb"\g<2>", body, count=1)
    if "javascript" in content_type:
        return body.replace(GRADIO_BUSY_TEXT, BUSY_TEXT.encode("utf-8"))
    if status == 503 and path.endswith("/queue/join"):
        return json.dumps({"detail": BUSY_TEXT}, ensure_ascii=False).encode("utf-8")
    return body


def _wanted(path: str, status: int, content_type: str) -> bool:
    """Only these responses are buffered; everything else (SSE streams, files, API JSON) streams through."""
    if content_type.startswith("text/html"):
        return True
    if "javascript" in content_type and path.endswith(".js") and "/assets/" in path:
        return True
    return status == 503 and path.endswith("/queue/join")


class PageFixMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        if (path.endswith(".js") and "/assets/" in path) or not path.rsplit("/", 1)[-1].count("."):
            # Ask for an uncompressed body where we may rewrite it (the front-end scripts, pages).
            headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
            scope = {**scope, "headers": headers}
        start: Message | None = None
        chunks: list[bytes] = []

        async def wrapped(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", [])}
                if _wanted(path, int(message["status"]), headers.get("content-type", "")) and (
                    headers.get("content-encoding", "identity") == "identity"
                ):
                    start = message
                    return
                await send(message)
                return
            if message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start.get("headers", [])}
                body = _rewrite(path, int(start["status"]), headers.get("content-type", ""), b"".join(chunks))
                raw = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                raw.append((b"content-length", str(len(body)).encode("latin-1")))
                if int(start["status"]) == 503 and path.endswith("/queue/join"):
                    raw = [(k, v) for k, v in raw if k.lower() != b"content-type"]
                    raw.append((b"content-type", b"application/json; charset=utf-8"))
                await send({**start, "headers": raw})
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, wrapped)
