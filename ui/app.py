"""The Gradio app: a public citizen tab and a staff tab behind an in-app login, plus named API endpoints.

Composition only: the screens live in ``ui.citizen`` and ``ui.staff``; everything they show
comes from the assistant facade. ``rag serve`` (and ``make run``) mount it at ``/`` beside the HTTP
API with :func:`mount`; :func:`launch` serves it alone (tests, notebooks).

Named endpoints for ``gradio_client`` (``Client(url).view_api()`` lists them):
``/ask`` (question, history) -> the ``rag ask --json`` object, and ``/ask_stream`` (question) -> the
answer text as it grows. Both answer as for a citizen (public documents only).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import gradio as gr
from fastapi import FastAPI

from rag.events import DoneEvent, RefusalEvent, TokenEvent
from rag.examples import example_questions
from rag.feedback import FeedbackStore
from rag.models import DocumentRecord
from rag.settings import Settings
from ui.auth import add_security_headers
from ui.citizen import build_citizen_tab
from ui.facade import AssistantFacade
from ui.page import PageFixMiddleware
from ui.staff import build_staff_tab
from ui.theme import CSS, theme

log = logging.getLogger(__name__)

TITLE = "政务文件智能问答"
HEAD = '<meta name="viewport" content="width=device-width, initial-scale=1">'
FOOTER_TITLES = 8  # the footer names this many documents, then says how many more


def how_answers_are_made(settings: Settings) -> str:
    if settings.llm_backend in ("openai", "gguf"):
        model = settings.llm_model if settings.llm_backend == "openai" else "本地 GGUF 模型"
        writer = f"由大语言模型（{model}）依据这些段落撰写"
    else:
        writer = "直接摘录这些段落中的原句，不经大语言模型改写"
    return (
        "回答的产生方式：先用关键词（BM25）和语义向量检索相关段落，再" + writer + "；"
        "每句话都标注所引段落 [n]，回答中的数字、文号和日期必须能在所引段落中找到，否则删除该句或拒答。"
        "文件中没有依据时会明确告知。回答仅供参考，以正式发布的文件为准。"
    )


def footer_markdown(docs: Sequence[DocumentRecord], settings: Settings) -> str:
    """An honest footer: which (public) documents answers come from, and how answers are made."""
    public = [d for d in docs if d.visibility == "public"]
    if not public:
        which = "目前还没有入库任何公开文件，所以暂时无法回答问题。"
    else:
        titles = "；".join(f"《{d.meta.title}》" for d in public[:FOOTER_TITLES])
        more = f"等 {len(public)} 份" if len(public) > FOOTER_TITLES else f"共 {len(public)} 份"
        which = f"本页回答依据已入库的公开政府文件：{titles}，{more}。"
    return f"{which}\n\n{how_answers_are_made(settings)}"


def _api_endpoints(assistant: AssistantFacade) -> None:
    """Typed functions gradio_client can call by name; the audience is fixed to citizen."""

    def ask(question: str, history: list[list[str]] | None = None) -> dict[str, Any]:
        """Ask a question; returns {"answer", "refused", "citations": [{n, chunk_id, source, title, quote}]}.

        Args:
            question: the question, in Chinese.
            history: earlier turns as [question, answer] pairs, used to rewrite follow-up questions.
        """
        pairs = [(str(t[0]), str(t[1])) for t in (history or []) if len(t) == 2]
        answer = None
        for event in assistant.stream(question, pairs, audience="citizen"):
            if isinstance(event, DoneEvent):
                answer = event.answer
        if answer is None:
            raise gr.Error("回答流程没有给出结果，请稍后再试。")
        return answer.to_json()

    def ask_stream(question: str) -> Iterator[str]:
        """Ask a question; yields the answer text as it grows (citations as [n] markers).

        Args:
            question: the question, in Chinese.
        """
        text = ""
        for event in assistant.stream(question, (), audience="citizen"):
            if isinstance(event, TokenEvent):
                text += event.text
                yield text
            elif isinstance(event, RefusalEvent) and not text:
                text = event.text
                yield text
            elif isinstance(event, DoneEvent) and event.answer.answer != text:
                yield event.answer.answer

    gr.api(ask, api_name="ask", concurrency_limit=4)
    gr.api(ask_stream, api_name="ask_stream", concurrency_limit=4)


def build_app(assistant: AssistantFacade, settings: Settings) -> gr.Blocks:
    """The whole app as a Blocks object (queued, not launched), for ``mount``, ``launch`` and tests."""
    store = FeedbackStore.from_settings(settings)
    docs = assistant.docs()
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(f"# {TITLE}\n依据政府公开文件回答，每一句都有出处。", elem_classes=["app-header"])
        with gr.Tabs():
            with gr.Tab("市民问答", id="citizen"):
                build_citizen_tab(assistant, store, example_questions(docs))
            with gr.Tab("员工工作台", id="staff"):
                build_staff_tab(assistant, settings, store)
        gr.Markdown(footer_markdown(docs, settings), elem_id="app-footer", elem_classes=["app-footer"])
        _api_endpoints(assistant)
    app.queue(max_size=settings.queue_size, default_concurrency_limit=2)
    return app


def _page_options(settings: Settings) -> dict[str, Any]:
    """What the page looks like and accepts, the same whether mounted (rag serve) or alone (rag ui)."""
    return {
        "theme": theme(),
        "css": CSS,
        "head": HEAD,
        "footer_links": [],
        "ssr_mode": False,
        "show_error": False,
        "max_file_size": int(settings.max_file_mb * 1024 * 1024),  # Gradio refuses bigger uploads before writing them
    }


def mount(api: FastAPI, assistant: AssistantFacade, settings: Settings) -> FastAPI:
    """Mount the app at ``/`` of the API server (``rag serve``), with the page-language and busy-message fixes."""
    app = build_app(assistant, settings)
    served = gr.mount_gradio_app(
        api,
        app,
        path="/",
        **_page_options(settings),
    )
    served.add_middleware(PageFixMiddleware)
    add_security_headers(served)
    return served


class Served:
    """A running ``launch`` server (uvicorn in a thread); ``close`` stops it."""

    def __init__(self, server: Any, thread: threading.Thread) -> None:
        self.server = server
        self.thread = thread

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def launch(
    assistant: AssistantFacade,
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    *,
    block: bool = True,
) -> Served:
    """Serve the app alone (``rag ui``), mounted exactly as ``rag serve`` mounts it, so the page fixes
    (lang="zh-CN", the Chinese busy message) and security headers apply too; ``block=False`` returns
    once the server accepts connections (tests, notebooks)."""
    import uvicorn

    from rag.server.app import ensure_port_free

    host = host or settings.ui_host
    port = port or settings.ui_port
    ensure_port_free(host, port)
    served = mount(FastAPI(title=TITLE), assistant, settings)
    server = uvicorn.Server(uvicorn.Config(served, host=host, port=port, log_level="warning"))
    log.info("starting UI on http://%s:%d", host, port)
    if block:
        server.run()
        return Served(server, threading.current_thread())
    thread = threading.Thread(target=server.run, name="rag-ui", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise OSError(f"could not start the UI on {host}:{port}")
        time.sleep(0.05)
    return Served(server, thread)
