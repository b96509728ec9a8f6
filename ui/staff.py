"""Staff workspace: login, filtered search, document management, staff-mode chat, 复函 drafting.

Each handler starts with ``require_staff`` on the session's server-side login state, so a
call that bypasses the hidden UI (e.g. through the HTTP API) is refused too.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from rag.documents.loaders import SUPPORTED_SUFFIXES
from rag.errors import RagError
from rag.feedback import FeedbackStore
from rag.models import DOC_TYPES, DocumentRecord
from rag.settings import Settings
from ui import render
from ui.auth import DISABLED_NOTE, LoginThrottle, StaffSession, login, require_staff, staff_enabled
from ui.chat import build_chat, source_contexts
from ui.facade import AssistantFacade
from ui.filters import ANY, FilterInputError, build_filter

if TYPE_CHECKING:
    from rag.drafting import ReplyDraft

log = logging.getLogger(__name__)

VISIBILITY_CHOICES: list[tuple[str, str]] = [("公开", "public"), ("内部", "internal")]
DOCS_PAGE = 50  # files the staff list shows at a time (上一页 / 下一页)
KEEP = "keep"  # uploads: a new file is public, a re-uploaded one keeps the visibility it had
UPLOAD_VISIBILITY_CHOICES: list[tuple[str, str]] = [("新文件公开，已有文件保持原设置", KEEP), *VISIBILITY_CHOICES]
UPLOAD_TYPES = sorted(SUPPORTED_SUFFIXES)  # what ingest can read, so the picker offers no other file


@dataclass(frozen=True)
class DocChoices:
    """Dropdown choices derived from the current document list."""

    sources: list[tuple[str, str]]  # (label, document id): the label is the file name, or the path when shared
    issuers: list[str]
    doc_numbers: list[str]
    regions: list[str]


def doc_choices(docs: Sequence[DocumentRecord], facets: dict[str, list[str]] | None = None) -> DocChoices:
    """Sources from ``docs`` (the page shown); issuers/文号/regions from ``facets`` (the registry's distinct
    values over every document) when given, else from ``docs``."""

    def uniq(values: Sequence[str | None]) -> list[str]:
        return sorted({v for v in values if v})

    names = [d.source for d in docs]
    facets = facets if facets is not None else {
        "issuer": uniq([d.meta.issuer for d in docs]),
        "doc_number": uniq([d.meta.doc_number for d in docs]),
        "region": uniq([d.meta.region for d in docs]),
    }  # fmt: skip
    return DocChoices(
        sources=sorted((d.path if names.count(d.source) > 1 else d.source, d.path or d.source) for d in docs),
        issuers=list(facets.get("issuer", [])),
        doc_numbers=list(facets.get("doc_number", [])),
        regions=list(facets.get("region", [])),
    )


def _error(message: str) -> str:
    return render.status_html(message, "error")


def build_staff_tab(assistant: AssistantFacade, settings: Settings, store: FeedbackStore) -> None:
    """Lay out the staff tab in the current Blocks context."""
    if not staff_enabled(settings):
        gr.Markdown(DISABLED_NOTE, elem_id="staff-disabled")
        return

    state = gr.State(StaffSession())
    throttle = LoginThrottle.from_settings(settings)  # shared by every session of this app

    with gr.Column(visible=True, elem_id="staff-login") as login_box:
        gr.Markdown("### 员工登录\n员工工作台可检索全部文件（含内部文件）、管理文件、起草复函。")
        user = gr.Textbox(label="用户名", placeholder="请输入用户名", elem_id="staff-user")
        password = gr.Textbox(label="密码", type="password", placeholder="请输入密码", elem_id="staff-password")
        login_btn = gr.Button("登录", variant="primary", elem_id="staff-login-btn")
        login_msg = gr.HTML(elem_id="staff-login-msg")

    with gr.Column(visible=False, elem_id="staff-workspace") as workspace:
        with gr.Row(elem_classes=["staff-bar"]):
            whoami = gr.Markdown(elem_id="staff-whoami")
            logout_btn = gr.Button("退出登录", size="sm", min_width=80, scale=0, elem_id="staff-logout")
        with gr.Tabs():
            with gr.Tab("检索", id="staff-search-tab"):
                search_box = _build_search(assistant, state)
            with gr.Tab("文件管理", id="staff-docs-tab"):
                docs = _build_docs(assistant, state, search_box, settings)
            with gr.Tab("员工问答", id="staff-chat-tab"):
                gr.Markdown("员工模式：可引用内部文件。回答仍然只依据检索到的文件。")
                build_chat(assistant, store, "staff", guard=require_staff, guard_state=state, prefix="staff")
            with gr.Tab("起草复函", id="staff-draft-tab"):
                _build_draft(assistant, state)

    def do_login(u: str, p: str, s: StaffSession, request: gr.Request) -> tuple[Any, ...]:
        client = request.client.host if request is not None and request.client is not None else ""
        new, msg = login(settings, s, u, p, throttle=throttle, client=client)
        if not new.logged_in:
            return (new, _error(msg), gr.skip(), gr.skip(), gr.skip(), "", *docs.no_change())
        return (
            new,
            "",
            gr.Column(visible=False),
            gr.Column(visible=True),
            f"已登录：**{new.user}**",
            "",
            *docs.refresh(),
        )

    login_outputs = [state, login_msg, login_box, workspace, whoami, password, *docs.outputs]
    for trigger in (login_btn.click, password.submit):
        trigger(do_login, inputs=[user, password, state], outputs=login_outputs, api_visibility="private")

    def do_logout(s: StaffSession) -> tuple[Any, ...]:
        return StaffSession(), "", gr.Column(visible=True), gr.Column(visible=False), ""

    logout_btn.click(
        do_logout,
        inputs=[state],
        outputs=[state, login_msg, login_box, workspace, whoami],
        api_visibility="private",
    )


@dataclass(frozen=True)
class _SearchBox:
    issuer: gr.Dropdown
    doc_number: gr.Dropdown
    region: gr.Dropdown


def _build_search(assistant: AssistantFacade, state: gr.State) -> _SearchBox:
    query = gr.Textbox(label="检索内容", placeholder="输入关键词或问题，例如：新型储能 招商", elem_id="staff-query")
    with gr.Accordion("筛选条件", open=True):
        with gr.Row():
            issuer = gr.Dropdown(
                label="发文机关", choices=[ANY], value=ANY, allow_custom_value=True, elem_id="flt-issuer"
            )
            doc_number = gr.Dropdown(
                label="文号", choices=[ANY], value=ANY, allow_custom_value=True, elem_id="flt-doc-number"
            )
            region = gr.Dropdown(label="地区", choices=[ANY], value=ANY, allow_custom_value=True, elem_id="flt-region")
        with gr.Row():
            doc_type = gr.Dropdown(label="文件类型", choices=[ANY, *DOC_TYPES], value=ANY, elem_id="flt-doc-type")
            visibility = gr.Dropdown(
                label="可见范围", choices=[("全部", ANY), *VISIBILITY_CHOICES], value=ANY, elem_id="flt-visibility"
            )
        with gr.Row():
            date_from = gr.Textbox(label="起始日期", placeholder="如 2024-01-01 或 2024", elem_id="flt-date-from")
            date_to = gr.Textbox(label="截止日期", placeholder="如 2024-12-31 或 2024", elem_id="flt-date-to")
            k = gr.Slider(label="返回条数", minimum=1, maximum=30, value=10, step=1, elem_id="flt-k")
    search_btn = gr.Button("检索", variant="primary", elem_id="staff-search-btn")
    results = gr.HTML(elem_id="staff-results")

    def do_search(
        q: str, iss: str, num: str, reg: str, typ: str, vis: str, d0: str, d1: str, kk: float, s: StaffSession
    ) -> str:
        require_staff(s)
        if not (q or "").strip():
            return _error("请输入检索内容。")
        try:
            flt = build_filter(
                issuer=iss, doc_number=num, region=reg, doc_type=typ, visibility=vis, date_from=d0, date_to=d1
            )
            hits = assistant.search(q.strip(), k=int(kk), flt=flt, audience="staff")
        except FilterInputError as exc:
            return _error(str(exc))
        except RagError as exc:
            log.warning("staff search failed: %s", exc)
            return _error(f"检索失败：{exc}")
        return render.hits_html(hits)

    inputs = [query, issuer, doc_number, region, doc_type, visibility, date_from, date_to, k, state]
    for trigger in (search_btn.click, query.submit):
        trigger(do_search, inputs=inputs, outputs=[results], api_visibility="private")
    return _SearchBox(issuer=issuer, doc_number=doc_number, region=region)


@dataclass(frozen=True)
class _DocsPanel:
    """The document panel plus how to refresh everything that lists documents."""

    outputs: list[Any]
    refresh: Callable[[], tuple[Any, ...]]

    def no_change(self) -> tuple[Any, ...]:
        return tuple(gr.skip() for _ in self.outputs)


def _build_docs(assistant: AssistantFacade, state: gr.State, search: _SearchBox, settings: Settings) -> _DocsPanel:
    gr.Markdown("#### 上传文件\n支持 .txt .md .html .docx .pdf（UTF-8 或 GBK 编码）。同名文件内容变化时会替换旧版本。")
    files = gr.File(label="选择文件（可多选）", file_count="multiple", file_types=UPLOAD_TYPES, elem_id="staff-upload")
    with gr.Row():
        upload_vis = gr.Radio(
            label="可见范围", choices=UPLOAD_VISIBILITY_CHOICES, value=KEEP, elem_id="staff-upload-vis"
        )
        upload_btn = gr.Button("导入", variant="primary", elem_id="staff-upload-btn")
    report = gr.HTML(elem_id="staff-upload-report")

    gr.Markdown("#### 文件列表")
    with gr.Row():
        refresh_btn = gr.Button("刷新列表", size="sm", elem_id="staff-docs-refresh")
        prev_btn = gr.Button("上一页", size="sm", elem_id="staff-docs-prev")
        next_btn = gr.Button("下一页", size="sm", elem_id="staff-docs-next")
    page_offset = gr.State(0)  # the first document shown (the list is read a page at a time)
    table = gr.HTML(elem_id="staff-docs-table")
    with gr.Row():
        vis_source = gr.Dropdown(label="文件", choices=[], elem_id="staff-vis-source")
        vis_value = gr.Radio(label="可见范围", choices=VISIBILITY_CHOICES, value="public", elem_id="staff-vis-value")
        vis_btn = gr.Button("修改可见范围", elem_id="staff-vis-btn")
    with gr.Row():
        rm_sources = gr.Dropdown(label="要删除的文件", choices=[], multiselect=True, elem_id="staff-rm-sources")
        rm_confirm = gr.Checkbox(label="我确认删除所选文件及其全部片段", value=False, elem_id="staff-rm-confirm")
        rm_btn = gr.Button("删除", variant="stop", elem_id="staff-rm-btn")
    manage_msg = gr.HTML(elem_id="staff-manage-msg")

    outputs: list[Any] = [table, vis_source, rm_sources, search.issuer, search.doc_number, search.region, page_offset]

    def refresh(offset: int = 0) -> tuple[Any, ...]:
        """The page starting at ``offset`` (after a write: the first page); the file pickers offer its files."""
        try:
            docs, total = assistant.docs_page(offset, DOCS_PAGE)
            if not docs and offset > 0:  # the page emptied (documents removed elsewhere): show the last one
                offset = max(0, (total - 1) // DOCS_PAGE * DOCS_PAGE)
                docs, total = assistant.docs_page(offset, DOCS_PAGE)
            c = doc_choices(docs, assistant.doc_facets())
        except RagError as exc:
            log.warning("listing documents failed: %s", exc)
            return (_error(f"读取文件列表失败：{exc}"), *(gr.skip() for _ in outputs[1:]))
        return (
            render.docs_table_html(docs, total=total, offset=offset),
            gr.Dropdown(choices=c.sources, value=None),
            gr.Dropdown(choices=c.sources, value=None),
            gr.Dropdown(choices=[ANY, *c.issuers]),
            gr.Dropdown(choices=[ANY, *c.doc_numbers]),
            gr.Dropdown(choices=[ANY, *c.regions]),
            offset,
        )

    def do_refresh(s: StaffSession, offset: int = 0) -> tuple[Any, ...]:
        require_staff(s)
        return refresh(int(offset or 0))

    def do_prev(s: StaffSession, offset: int = 0) -> tuple[Any, ...]:
        require_staff(s)
        return refresh(max(0, int(offset or 0) - DOCS_PAGE))

    def do_next(s: StaffSession, offset: int = 0) -> tuple[Any, ...]:
        require_staff(s)
        offset = int(offset or 0)
        total = assistant.doc_count()
        return refresh(offset + DOCS_PAGE if offset + DOCS_PAGE < total else offset)

    def do_upload(
        paths: list[str] | None,
        vis: str,
        s: StaffSession,
        progress: gr.Progress = gr.Progress(),  # noqa: B008  # Gradio injects the tracker via this default
    ) -> tuple[Any, ...]:
        require_staff(s)  # before touching any uploaded file
        if not paths:
            return (_error("请先选择要上传的文件。"), gr.skip(), *(gr.skip() for _ in outputs))
        limit = int(settings.max_file_mb * 1024 * 1024)
        too_big = [Path(p).name for p in paths if Path(p).stat().st_size > limit]
        if too_big:
            names = "、".join(too_big)
            msg = f"文件超过 {settings.max_file_mb:g} MB 上限（设置 RAG_MAX_FILE_MB）：{names}。请拆分后再上传。"
            return (_error(msg), None, *(gr.skip() for _ in outputs))
        tracker = progress
        tracker(0, desc=f"正在导入 {len(paths)} 个文件…")

        def on_progress(done: int, total: int, message: str) -> None:
            tracker((done, total) if total > 0 else 0, desc=message or "正在导入…")

        try:
            result = assistant.ingest(
                [Path(p) for p in paths], visibility=None if vis == KEEP else vis, progress=on_progress, upload=True
            )
        except RagError as exc:
            log.warning("upload failed: %s", exc)
            return (_error(f"导入失败：{exc}"), gr.skip(), *refresh())
        return (render.ingest_report_html(result.to_json()), None, *refresh())

    def do_visibility(source: str | None, vis: str, s: StaffSession) -> tuple[Any, ...]:
        require_staff(s)
        if not source:
            return (_error("请先选择文件。"), *(gr.skip() for _ in outputs))
        try:
            assistant.set_visibility(source, vis)
        except RagError as exc:
            return (_error(f"修改失败：{exc}"), *(gr.skip() for _ in outputs))
        label = render.visibility_label(vis)
        return (render.status_html(f"已将 {source} 设为“{label}”。", "ok"), *refresh())

    def do_remove(sources: list[str] | None, confirmed: bool, s: StaffSession) -> tuple[Any, ...]:
        require_staff(s)
        if not sources:
            return (_error("请先选择要删除的文件。"), gr.skip(), *(gr.skip() for _ in outputs))
        if not confirmed:
            return (_error("请勾选“我确认删除”后再删除。"), gr.skip(), *(gr.skip() for _ in outputs))
        try:
            removed = assistant.remove(sources)
        except RagError as exc:
            return (_error(f"删除失败：{exc}"), gr.skip(), *(gr.skip() for _ in outputs))
        missing = sorted(set(sources) - set(removed))
        msg = f"已删除 {len(removed)} 个文件。" + (f"未找到：{'、'.join(missing)}。" if missing else "")
        return (render.status_html(msg, "ok" if not missing else "error"), False, *refresh())

    refresh_btn.click(do_refresh, inputs=[state, page_offset], outputs=outputs, api_visibility="private")
    prev_btn.click(do_prev, inputs=[state, page_offset], outputs=outputs, api_visibility="private")
    next_btn.click(do_next, inputs=[state, page_offset], outputs=outputs, api_visibility="private")
    upload_btn.click(
        do_upload,
        inputs=[files, upload_vis, state],
        outputs=[report, files, *outputs],
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="ingest",
    )
    vis_btn.click(
        do_visibility,
        inputs=[vis_source, vis_value, state],
        outputs=[manage_msg, *outputs],
        api_visibility="private",
        concurrency_id="ingest",
    )
    rm_btn.click(
        do_remove,
        inputs=[rm_sources, rm_confirm, state],
        outputs=[manage_msg, rm_confirm, *outputs],
        api_visibility="private",
        concurrency_id="ingest",
    )
    return _DocsPanel(outputs=outputs, refresh=refresh)


def _build_draft(assistant: AssistantFacade, state: gr.State) -> None:
    gr.Markdown(
        "#### 起草人大代表建议（政协提案）复函\n填写建议标题（可粘贴正文），系统依据本地区、上级地区和中央的已导入文件"
        "起草复函，每一处表述都标注来源；文件中没有依据的内容留作【待补充】。草稿可直接修改，修改后再下载 Word 文档。"
    )
    title = gr.Textbox(label="建议标题", placeholder="例如：关于加快全区工业经济发展的建议", elem_id="draft-topic")
    body = gr.Textbox(
        label="建议正文（可选）", lines=4, placeholder="粘贴建议正文，草稿将逐条回应", elem_id="draft-text"
    )
    with gr.Row():
        deputy = gr.Textbox(label="代表（委员）姓名", placeholder="例如：周练", elem_id="draft-deputy")
        number = gr.Textbox(label="建议编号", placeholder="例如：第61号", elem_id="draft-number")
        session = gr.Textbox(label="会议届次", placeholder="例如：区十九届人大六次会议", elem_id="draft-session")
    with gr.Row():
        issuer = gr.Textbox(label="承办单位", placeholder="例如：区经济信息委", elem_id="draft-issuer")
        region = gr.Textbox(label="承办单位所在地区", placeholder="例如：铜梁区", elem_id="draft-region")
    draft_btn = gr.Button("起草复函", variant="primary", elem_id="draft-btn")
    draft_note = gr.HTML(elem_id="draft-output")
    editor = gr.Textbox(label="复函草稿（可直接修改）", lines=24, interactive=True, elem_id="draft-editor")
    draft_sources = gr.HTML(elem_id="draft-sources")
    with gr.Row():
        export_btn = gr.Button("用修改后的草稿生成 Word 文档", elem_id="draft-export-btn")
        download = gr.DownloadButton("下载 Word 文档（.docx）", visible=False, elem_id="draft-download")

    def do_draft(
        text: str, who: str, org: str, place: str, s: StaffSession, full: str = "", no: str = "", meeting: str = ""
    ) -> tuple[Any, ...]:
        require_staff(s)
        hidden = gr.DownloadButton(visible=False)
        if not (text or "").strip():
            return _error("请输入建议标题。"), "", "", hidden
        try:
            from rag.drafting import Suggestion

            suggestion = Suggestion.from_inputs(
                text.strip(),
                text=full or "",
                deputy=who or "",
                office=org or "",
                region=place or "",
                number=no or "",
                session=meeting or "",
            )
            draft = assistant.draft_reply(suggestion)
        except (RagError, ValueError) as exc:
            log.warning("draft failed: %s", exc)
            return _error(f"起草失败：{exc}"), "", "", hidden
        note = ""
        if draft.refused:
            note = render.status_html("现有文件中没有找到与该建议直接相关的内容，草稿留出了待补充的位置。", "info")
        elif draft.placeholders():
            note = render.status_html(f"草稿中有 {len(draft.placeholders())} 处【待补充】，请承办人员补充。", "info")
        sources = render.sources_panel(draft.citations, source_contexts(assistant, draft.citations))
        return note + render.answer_html(draft.text()), draft.text(), sources, _export(assistant, draft.text())

    def do_export(text: str, s: StaffSession) -> Any:
        require_staff(s)
        if not (text or "").strip():
            return gr.DownloadButton(visible=False)
        return _export(assistant, text)

    draft_btn.click(
        do_draft,
        inputs=[title, deputy, issuer, region, state, body, number, session],
        outputs=[draft_note, editor, draft_sources, download],
        api_visibility="private",
    )
    export_btn.click(do_export, inputs=[editor, state], outputs=[download], api_visibility="private")


def _export(assistant: AssistantFacade, draft: ReplyDraft | str) -> gr.DownloadButton:
    """A .docx of the draft (or of its edited text) for the download button; hidden when writing it fails."""
    folder = Path(tempfile.mkdtemp(prefix="rag-draft-"))
    path = folder / f"复函草稿_{datetime.now().strftime('%Y%m%d_%H%M%S')}.docx"
    try:
        assistant.export_reply_docx(draft, path)
        return gr.DownloadButton(value=str(path), visible=True)  # Gradio copies the file into its cache here
    except (RagError, OSError) as exc:
        log.warning("docx export failed: %s", exc)
        return gr.DownloadButton(visible=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
