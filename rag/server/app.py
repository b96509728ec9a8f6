"""The app factory of ``rag serve``: REST + OpenAI-compatible API beside the Gradio app, over one facade.

The Gradio UI is mounted by a callable the composition root passes in (``ui.app.mount``), so this
package never imports ``ui`` (the dependency direction is ``ui -> rag``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag.errors import BackendError, ModelError, RagError
from rag.filters import FilterError
from rag.server import openai_api, routes, staff
from rag.server.auth import is_staff
from rag.server.sse import public_message
from rag.settings import Settings
from rag.version import package_version

if TYPE_CHECKING:
    from rag.assistant import Assistant

log = logging.getLogger(__name__)

DESCRIPTION = """\
依据已入库的政府文件回答问题，每句话都带编号引用 [n]；文件中没有依据时明确拒答。

- `/api/*`：问答（可 SSE 流式）、检索、文档列表；默认市民身份，只用公开文件。
- `/api/staff/*` 与 `audience=staff`：需要 `Authorization: Bearer <RAG_API_TOKEN>`。
- `/v1/*`：OpenAI 兼容接口，任何 OpenAI 客户端可把本助手当作“模型” `gov-rag` 使用。
- `/`：网页界面（Gradio）。
"""

MountUI = Callable[[FastAPI], FastAPI]


def _status_for(exc: RagError) -> int:
    if isinstance(exc, FilterError):
        return status.HTTP_422_UNPROCESSABLE_CONTENT
    if isinstance(exc, BackendError | ModelError):
        return status.HTTP_503_SERVICE_UNAVAILABLE
    return status.HTTP_400_BAD_REQUEST


async def _bearer(request: Request) -> HTTPAuthorizationCredentials | None:
    """The request's bearer credential, if any (never raises: an error page must not fail on a bad header)."""
    try:
        return await HTTPBearer(auto_error=False)(request)
    except Exception:
        return None


def create_app(assistant: Assistant, settings: Settings, mount_ui: MountUI | None = None) -> FastAPI:
    app = FastAPI(
        title="政务文件智能问答 API",
        description=DESCRIPTION,
        version=package_version(),
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.assistant = assistant
    app.state.settings = settings

    @app.exception_handler(RagError)
    async def rag_error(request: Request, exc: RagError) -> JSONResponse:
        log.info("%s %s: %s", request.method, request.url.path, exc)
        staff = is_staff(settings, await _bearer(request))
        return JSONResponse({"detail": public_message(exc, staff=staff)}, status_code=_status_for(exc))

    @app.get("/healthz", tags=["运维"], summary="存活检查")
    def healthz() -> dict[str, object]:
        return {"ok": True, "documents": assistant.doc_count(), "version": package_version()}

    app.include_router(routes.router)
    app.include_router(staff.router)
    app.include_router(openai_api.router)
    if mount_ui is not None:
        app = mount_ui(app)
    return app


def ensure_port_free(host: str, port: int) -> None:
    """Fail with a clear message before uvicorn would log an error and exit the process."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise RagError(
                f"无法在 {host}:{port} 启动服务（{exc.strerror or exc}）：端口可能已被占用，请用 --port 换一个端口。"
            ) from exc


def run(app: FastAPI, host: str, port: int) -> None:
    """Serve until interrupted (uvicorn; one process, so one writer on RAG_HOME)."""
    import uvicorn

    ensure_port_free(host, port)
    log.info("serving on http://%s:%d (API docs at /docs)", host, port)
    uvicorn.run(app, host=host, port=port, log_level="warning")
