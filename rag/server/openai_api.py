"""OpenAI-compatible routes, so any OpenAI client or chat front end (Open WebUI, Dify...) can use the assistant.

Two "models": ``gov-rag`` answers as for a citizen (public documents only) and ``gov-rag-staff``
includes internal documents and needs the bearer token. The answer keeps its [n] markers and gets
a numbered source list appended, because chat front ends show only ``content``; the same citations
travel as a structured ``citations`` list on the message (and on the last stream chunk). A refusal
is an ordinary assistant message with ``refused: true`` beside it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from rag.events import DoneEvent, RefusalEvent, TokenEvent
from rag.models import Answer, Citation
from rag.server.auth import Credentials, audience_for
from rag.server.deps import assistant_of
from rag.server.sse import SSE_HEADERS, frame, guarded

router = APIRouter(prefix="/v1", tags=["OpenAI 兼容"])

MODELS: dict[str, Literal["citizen", "staff"]] = {"gov-rag": "citizen", "gov-rag-staff": "staff"}
CREATED = int(time.time())


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        parts = self.content or []
        return "".join(str(p.get("text", "")) for p in parts if p.get("type") in ("text", None))


class ChatRequest(BaseModel):
    """The fields we read; every other OpenAI parameter (temperature, max_tokens...) is accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(default="gov-rag", examples=["gov-rag"])
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


def _turns(messages: Sequence[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    """The last user message is the question; earlier user/assistant pairs are the history."""
    question = ""
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].role == "user":
            question = messages[i].text()
            earlier = messages[:i]
            break
    else:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "messages 中没有 user 消息：请把问题作为 user 消息发送。"
        )
    pairs: list[tuple[str, str]] = []
    pending: str | None = None
    for m in earlier:
        if m.role == "user":
            pending = m.text()
        elif m.role == "assistant" and pending is not None:
            pairs.append((pending, _strip_sources(m.text())))
            pending = None
    return question, pairs


SOURCES_HEADING = "\n\n来源："


def _strip_sources(text: str) -> str:
    """A previous answer as the chain wrote it, without the source list we appended."""
    return text.split(SOURCES_HEADING, 1)[0]


def sources_text(citations: Sequence[Citation]) -> str:
    if not citations:
        return ""
    lines = [f"[{c.n}] {c.title}（{c.source}）" for c in citations]
    return SOURCES_HEADING + "\n" + "\n".join(lines)


def _extra(answer: Answer) -> dict[str, Any]:
    return {"citations": [c.to_json() for c in answer.citations], "refused": answer.refused}


def _audience(model: str, request: Request, credentials: Any) -> Literal["citizen", "staff"]:
    if model not in MODELS:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"没有模型 {model!r}：可用 {', '.join(MODELS)}（GET /v1/models）。"
        )
    return audience_for(MODELS[model], request, credentials)


@router.get("/models", summary="可用的“模型”")
def models() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": name, "object": "model", "created": CREATED, "owned_by": "gov-rag"} for name in MODELS],
    }


@router.post("/chat/completions", summary="OpenAI 兼容的对话接口（可流式）")
def chat_completions(body: ChatRequest, request: Request, credentials: Credentials) -> Any:
    audience = _audience(body.model, request, credentials)
    question, history = _turns(body.messages)
    assistant = assistant_of(request)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if not body.stream:
        answer = assistant.ask(question, history, audience)
        extra = _extra(answer)
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": body.model,
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": answer.answer + sources_text(answer.citations),
                        **extra,
                    },
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            **extra,
        }
    events = assistant.stream(question, history, audience)

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, **extra}
        return frame(
            {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": body.model,
                "choices": [choice],
                **extra,
            }
        )

    def frames() -> Iterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        streamed = ""
        for event in events:
            if isinstance(event, TokenEvent) and event.text:
                streamed += event.text
                yield chunk({"content": event.text})
            elif isinstance(event, RefusalEvent) and not streamed:
                streamed = event.text
                yield chunk({"content": event.text})
            elif isinstance(event, DoneEvent):
                answer = event.answer
                rest = answer.answer[len(streamed) :] if answer.answer.startswith(streamed) else ""
                yield chunk({"content": rest + sources_text(answer.citations)}, "stop", **_extra(answer))
        yield frame("[DONE]")

    def on_error(message: str) -> str:
        return chunk({"content": f"\n\n（回答中断：{message}）"}, "stop") + frame("[DONE]")

    return StreamingResponse(guarded(frames(), on_error), media_type="text/event-stream", headers=SSE_HEADERS)
