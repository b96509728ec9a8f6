"""The Gradio app: a public citizen tab and a staff tab behind an in-app login.

Composition only: the screens live in ``ui.citizen`` and ``ui.staff``; everything they show
comes from the assistant facade. ``rag ui`` (and ``make run``) call :func:`launch`.
"""

from __future__ import annotations

import logging

import gradio as gr

from rag.feedback import FeedbackStore
from rag.settings import Settings
from ui.citizen import build_citizen_tab
from ui.facade import AssistantFacade
from ui.staff import build_staff_tab
from ui.theme import CSS, theme

log = logging.getLogger(__name__)

TITLE = "政务文件智能问答"
HEAD = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def build_app(assistant: AssistantFacade, settings: Settings) -> gr.Blocks:
    """The whole app as a Blocks object (not launched), for ``launch`` and for tests."""
    store = FeedbackStore.from_settings(settings)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(f"# {TITLE}\n依据政府公开文件回答，每一句都有出处。", elem_classes=["app-header"])
        with gr.Tabs():
            with gr.Tab("市民问答", id="citizen"):
                build_citizen_tab(assistant, store)
            with gr.Tab("员工工作台", id="staff"):
                build_staff_tab(assistant, settings, store)
    return app


def launch(
    assistant: AssistantFacade,
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    *,
    block: bool = True,
) -> gr.Blocks:
    """Serve the app; ``block=False`` returns right after the server is up (tests, notebooks)."""
    app = build_app(assistant, settings)
    app.queue(default_concurrency_limit=2)
    host = host or settings.ui_host
    port = port or settings.ui_port
    log.info("starting UI on http://%s:%d", host, port)
    app.launch(
        server_name=host,
        server_port=port,
        prevent_thread_lock=not block,
        theme=theme(),
        css=CSS,
        head=HEAD,
        footer_links=[],
        ssr_mode=False,
        show_error=False,
        quiet=not block,
        max_file_size=int(settings.max_file_mb * 1024 * 1024),  # Gradio refuses bigger uploads before writing them
    )
    return app
