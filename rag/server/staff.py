"""Staff routes: upload (ingest), remove, visibility, 复函 draft. Every one needs the bearer token.

Uploads are capped before anything is written to disk: the declared Content-Length is checked
against RAG_MAX_UPLOAD_MB before the body is parsed (and a body without a length is refused), so an
oversized request costs neither disk nor memory. Each file then goes through the normal ingestion,
which applies RAG_MAX_FILE_MB and the other per-file checks.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from rag.models import VISIBILITIES
from rag.server.auth import require_staff, settings_of
from rag.server.deps import assistant_of
from rag.server.schemas import DraftOut, DraftRequest, RemoveOut, RemoveRequest, VisibilityRequest

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/staff", tags=["工作人员（需要凭据）"], dependencies=[Depends(require_staff)])

UPLOAD_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "visibility": {"type": "string", "enum": list(VISIBILITIES), "default": "public"},
                    },
                }
            }
        },
    }
}


def _declared_length(request: Request, limit_mb: float) -> int:
    raw = request.headers.get("content-length")
    if raw is None or not raw.isdigit():
        raise HTTPException(status.HTTP_411_LENGTH_REQUIRED, "上传请求需要 Content-Length 头。")
    length = int(raw)
    if length > limit_mb * 1024 * 1024:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"上传内容 {length / 1024 / 1024:.1f} MB 超过上限 {limit_mb:g} MB（RAG_MAX_UPLOAD_MB）：请分批上传。",
        )
    return length


@router.post("/upload", summary="上传并入库文件", openapi_extra=UPLOAD_SCHEMA)
async def upload(request: Request) -> dict[str, Any]:
    settings = settings_of(request)
    _declared_length(request, settings.max_upload_mb)
    form = await request.form(max_files=100, max_fields=10)
    given = form.get("visibility")
    visibility = str(given) if given else None  # not given: new files public, re-uploads keep theirs
    if visibility is not None and visibility not in VISIBILITIES:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"visibility 只能是 {' / '.join(VISIBILITIES)}。")
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    if not files:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "请在表单字段 files 中附上至少一个文件。")
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=settings.home))
    try:
        paths: list[Path] = []
        for item in files:
            name = Path(item.filename or "").name
            if not name or name.startswith("."):
                raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"文件名 {item.filename!r} 无效。")
            target = folder / name
            with target.open("wb") as out:
                shutil.copyfileobj(item.file, out)
            paths.append(target)
        # stored as uploads/<name>: an upload never replaces a corpus document of the same name
        report = await run_in_threadpool(assistant_of(request).ingest, paths, visibility, upload=True)
        result: dict[str, Any] = report.to_json()
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        await form.close()


@router.post("/remove", response_model=RemoveOut, summary="删除文档及其全部文本块")
def remove(body: RemoveRequest, request: Request) -> RemoveOut:
    removed = assistant_of(request).remove(body.sources)
    return RemoveOut(removed=removed, missing=[s for s in body.sources if s not in removed])


@router.post("/visibility", summary="修改文档的可见范围")
def visibility(body: VisibilityRequest, request: Request) -> dict[str, str]:
    assistant_of(request).set_visibility(body.source, body.visibility)
    return {"source": body.source, "visibility": body.visibility}


@router.post("/draft", response_model=DraftOut, summary="起草人大代表建议复函（每条表述标注来源，含内部文件）")
def draft(body: DraftRequest, request: Request) -> DraftOut:
    reply = assistant_of(request).draft_reply(body.topic, body.deputy, body.issuer, body.region)
    obj = reply.to_json()  # rag.drafting's JSON form: the letter, its cited statements, the sources
    return DraftOut(
        text=obj["text"],
        statements=obj["statements"],
        answer=obj["answer"],
        refused=obj["refused"],
        citations=obj["citations"],
    )
