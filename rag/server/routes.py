"""The REST API: ask (JSON or SSE), search, list documents. Citizen audience unless the caller holds the token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from rag.filters import filter_from_mapping
from rag.server.auth import Credentials, audience_for, is_staff, settings_of
from rag.server.deps import assistant_of
from rag.server.schemas import AnswerOut, AskRequest, DocsOut, SearchOut, SearchRequest
from rag.server.serialize import answer_json, event_json, hit_json
from rag.server.sse import SSE_HEADERS, frame, guarded

router = APIRouter(prefix="/api", tags=["问答与检索"])

STREAM_DOC = (
    "`?stream=true`：以 Server-Sent Events 逐条返回链的类型化事件：`token` {text}、`citation` "
    "{n, chunk_id, source, title, quote}、`dropped` {sentence, reason}、`refusal` {text, reason}，"
    "最后是 `done`（与非流式响应相同的回答对象）；出错时为 `error` {detail}。"
)


@router.post("/ask", response_model=AnswerOut, summary="提问，得到带编号引用的回答", description=STREAM_DOC)
def ask(
    body: AskRequest,
    request: Request,
    credentials: Credentials,
    stream: Annotated[bool, Query(description="以 SSE 流式返回事件。")] = False,
) -> AnswerOut | StreamingResponse:
    assistant = assistant_of(request)
    audience = audience_for(body.audience, request, credentials)
    flt = filter_from_mapping(body.filters)
    history = body.history_pairs()
    if not stream:
        return AnswerOut(**answer_json(body.id, assistant.ask(body.question, history, audience, flt)))
    events = assistant.stream(body.question, history, audience, flt)  # bad questions fail here, before the 200

    def frames() -> Iterator[str]:
        for event in events:
            name, data = event_json(event)
            if name == "done":
                data = {"id": body.id, **data}
            yield frame(data, name)

    return StreamingResponse(
        guarded(frames(), lambda msg: frame({"detail": msg}, "error")),
        media_type="text/event-stream",
        headers=SSE_HEADERS,
    )


@router.post("/search", response_model=SearchOut, summary="检索文本块（不生成回答）")
def search(body: SearchRequest, request: Request, credentials: Credentials) -> SearchOut:
    audience = audience_for(body.audience, request, credentials)
    hits = assistant_of(request).search(body.question, body.k, filter_from_mapping(body.filters), audience)
    return SearchOut.model_validate({"hits": [hit_json(i, h) for i, h in enumerate(hits, 1)]})


@router.get("/docs", response_model=DocsOut, summary="已入库文档及其元数据（分页）")
def docs(
    request: Request,
    credentials: Credentials,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> DocsOut:
    """Without the staff token only public documents are listed: a citizen never learns internal titles.
    The page is read from the registry (SQL LIMIT/OFFSET), never the whole list."""
    visibility = None if is_staff(settings_of(request), credentials) else "public"
    page, total = assistant_of(request).docs_page(offset, limit, visibility)
    return DocsOut(total=total, offset=offset, limit=limit, documents=[d.to_json() for d in page])
