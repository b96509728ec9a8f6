from __future__ import annotations

import inspect
import os
import re
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from pydantic import SecretStr

from rag.settings import Settings
from tests.ui.fakes import FakeAssistant
from ui.app import build_app
from ui.auth import StaffSession


def _staff_settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, staff_user="staff", staff_password=SecretStr("s3cret"))


def _texts(app: gr.Blocks) -> list[str]:
    from gradio.components.api_component import Api

    out: list[str] = []
    for block in app.blocks.values():
        if isinstance(block, Api):  # the typed inputs of gr.api endpoints are never drawn on the page
            continue
        for attr in ("label", "placeholder", "info"):
            value = getattr(block, attr, None)
            if isinstance(value, str):
                out.append(value)
        if isinstance(block, gr.Button | gr.DownloadButton) and isinstance(block.value, str):
            out.append(block.value)
    return out


def test_staff_tab_explains_how_to_enable_it_when_unconfigured(tmp_path: Path) -> None:
    app = build_app(FakeAssistant(), Settings(home=tmp_path))
    notes = [b.value for b in app.blocks.values() if isinstance(b, gr.Markdown) and b.elem_id == "staff-disabled"]
    assert len(notes) == 1 and "RAG_STAFF_USER" in notes[0] and "RAG_STAFF_PASSWORD" in notes[0]
    assert not any(getattr(f, "name", "") == "do_login" for f in app.fns.values())


def test_no_english_labels_or_placeholders(tmp_path: Path) -> None:
    app = build_app(FakeAssistant(), _staff_settings(tmp_path))
    texts = _texts(app)
    assert "发送" in texts and "登录" in texts
    allowed = {"Word", "docx", "txt", "md", "html", "pdf", "GBK", "UTF"}
    english = [t for t in texts if any(w not in allowed for w in re.findall(r"[A-Za-z]{2,}", t))]
    assert english == []


def _call(fn: Any, args: list[Any]) -> Any:
    result = fn(*args)
    if inspect.isgenerator(result):
        return next(result)
    return result


def test_every_staff_handler_checks_login_server_side(tmp_path: Path) -> None:
    """Hiding the workspace is not the guard: each handler taking the staff state refuses anonymous sessions."""
    fake = FakeAssistant()
    app = build_app(fake, _staff_settings(tmp_path))
    guarded = []
    for dep in app.fns.values():
        states = [i for i, c in enumerate(dep.inputs) if isinstance(c, gr.State) and isinstance(c.value, StaffSession)]
        if not states or dep.name in ("do_login", "do_logout"):
            continue
        guarded.append(dep.name)
        args: list[Any] = [None] * len(dep.inputs)
        args[states[0]] = StaffSession()
        for i, c in enumerate(dep.inputs):
            if isinstance(c, gr.State) and i != states[0]:
                args[i] = c.value
            if isinstance(c, gr.Textbox):
                args[i] = "铜梁区"
        with pytest.raises(gr.Error, match="请先登录"):
            _call(dep.fn, args)
    assert {
        "do_search",
        "do_refresh",
        "do_upload",
        "do_visibility",
        "do_remove",
        "do_draft",
        "do_export",
        "respond",
    } <= set(guarded)
    assert fake.calls == [] and fake.searches == []


def test_staff_handlers_work_after_login(tmp_path: Path) -> None:
    fake = FakeAssistant()
    app = build_app(fake, _staff_settings(tmp_path))
    fns = {dep.name: dep.fn for dep in app.fns.values()}
    logged_in = StaffSession(logged_in=True, user="staff")
    html = fns["do_search"]("757.2亿元", "全部", "全部", "全部", "全部", "全部", "", "", 5, logged_in)
    assert "铜经信函〔2024〕54号" in html
    assert fake.searches[-1][3] == "staff"
    bad_date = fns["do_search"]("757.2亿元", "全部", "全部", "全部", "全部", "全部", "昨天", "", 5, logged_in)
    assert "无法识别" in bad_date

    good = tmp_path / "新文件.txt"
    good.write_text("独特事实：示范区共有42家企业。", encoding="utf-8")
    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(b"%PDF")
    out = fns["do_upload"]([str(good), str(bad)], "internal", logged_in, progress=lambda *a, **k: None)
    report_html, table_html = out[0], out[2]
    assert "新增 1 个" in report_html and "扫描件.pdf" in report_html and "不支持" in report_html
    assert "新文件.txt" in table_html and "内部" in table_html
    assert fake.documents["新文件.txt"].visibility == "internal"
    # the default choice keeps a re-uploaded file's visibility
    fns["do_upload"]([str(good)], "keep", logged_in, progress=lambda *a, **k: None)
    assert fake.documents["新文件.txt"].visibility == "internal"
    # a file over RAG_MAX_FILE_MB is refused before ingest sees it
    huge = tmp_path / "大文件.txt"
    huge.write_bytes(b"a")
    os.truncate(huge, 21 * 1024 * 1024)
    out = fns["do_upload"]([str(huge)], "public", logged_in, progress=lambda *a, **k: None)
    assert "RAG_MAX_FILE_MB" in out[0] and "大文件.txt" not in fake.documents

    msg = fns["do_remove"](["新文件.txt"], False, logged_in)[0]
    assert "确认" in msg and "新文件.txt" in fake.documents
    msg = fns["do_remove"](["新文件.txt"], True, logged_in)[0]
    assert "已删除 1 个" in msg and "新文件.txt" not in fake.documents


STAFF = StaffSession(logged_in=True, user="s")


def _draft_handler(fake: FakeAssistant, tmp_path: Path, name: str = "do_draft") -> Any:
    app = build_app(fake, _staff_settings(tmp_path))
    return next(d.fn for d in app.fns.values() if d.name == name)


def test_draft_shows_letter_sources_and_offers_docx(tmp_path: Path) -> None:
    fake = FakeAssistant()
    do_draft = _draft_handler(fake, tmp_path)
    letter, editable, sources, download = do_draft("加快工业经济发展", "周练代表", "", "", STAFF)
    assert "周练代表" in letter and '<sup class="cite-ref">[1]</sup>' in letter
    assert "周练代表：" in editable and "757.2亿元[1]" in editable
    assert "铜经信函〔2024〕54号" in sources
    assert download.visible is True and fake.exported and fake.exported[0].suffix == ".docx"
    assert download.value["orig_name"] == fake.exported[0].name
    do_draft("加快工业经济发展", "", "", " 铜梁区 ", STAFF)
    assert fake.draft_regions == ["", "铜梁区"]


def test_draft_failure_is_shown_without_a_download(tmp_path: Path) -> None:
    fake = FakeAssistant()
    message, editable, sources, download = _draft_handler(fake, tmp_path)("boom", "", "", "", STAFF)
    assert "起草失败" in message and "RAG_LLM_BASE_URL" in message
    assert editable == "" and sources == "" and download.visible is False and fake.exported == []


def test_draft_is_shown_even_when_the_docx_cannot_be_written(tmp_path: Path) -> None:
    fake = FakeAssistant()

    def disk_full(draft: Any, path: Path) -> Path:
        raise OSError(28, "No space left on device")

    fake.export_reply_docx = disk_full  # type: ignore[method-assign]
    letter, _, _, download = _draft_handler(fake, tmp_path)("加快工业经济发展", "周练代表", "", "", STAFF)
    assert "周练代表" in letter and download.visible is False


def test_edited_draft_is_what_the_docx_is_made_of(tmp_path: Path) -> None:
    fake = FakeAssistant()
    _, editable, _, _ = _draft_handler(fake, tmp_path)("加快工业经济发展", "周练", "区经济信息委", "", STAFF)
    edited = editable.replace("757.2亿元", "757.2亿元（经核实）")
    download = _draft_handler(fake, tmp_path, "do_export")(edited, STAFF)
    assert download.visible is True and fake.exported_texts[-1] == edited
    assert _draft_handler(fake, tmp_path, "do_export")("  ", STAFF).visible is False


# --- citizen page: examples from the documents, footer, named API endpoints, queue ------------------


def test_examples_come_from_the_documents_not_a_fixed_list(tmp_path: Path) -> None:
    from rag.models import DocMeta, DocumentRecord

    fake = FakeAssistant()
    fake.documents["新.txt"] = DocumentRecord(
        source="新.txt",
        sha256="z",
        meta=DocMeta(title="某市关于促进夜间经济发展的通知", issuer="某市商务局", date="2025-03-01"),
        visibility="public",
        chunk_ids=("z",),
    )
    fake.documents["密.txt"] = DocumentRecord(
        source="密.txt",
        sha256="w",
        meta=DocMeta(title="内部工作安排", issuer="某市办公室", date="2025-04-01"),
        visibility="internal",
        chunk_ids=("w",),
    )
    app = build_app(fake, Settings(home=tmp_path))
    examples = [b for b in app.blocks.values() if isinstance(b, gr.Dataset)]
    shown = [row[0] for ds in examples for row in ds.samples]
    assert "《某市关于促进夜间经济发展的通知》是哪个单位印发的？" in shown
    assert any(TITLE_OF_FAKE in q for q in shown)
    assert not any("内部工作安排" in q for q in shown)


TITLE_OF_FAKE = "重庆市铜梁区经济和信息化委员会关于区第十八届人民代表大会第四次第126号建议的复函"


def test_footer_says_which_documents_and_how_answers_are_made(tmp_path: Path) -> None:
    app = build_app(FakeAssistant(), Settings(home=tmp_path))
    footer = next(b.value for b in app.blocks.values() if getattr(b, "elem_id", None) == "app-footer")
    assert TITLE_OF_FAKE in footer and "共 1 份" in footer
    assert "BM25" in footer and "不经大语言模型改写" in footer
    llm = build_app(FakeAssistant(), Settings(home=tmp_path, llm_backend="openai", llm_model="qwen-test"))
    footer = next(b.value for b in llm.blocks.values() if getattr(b, "elem_id", None) == "app-footer")
    assert "qwen-test" in footer


def test_named_api_endpoints_answer_as_citizen(tmp_path: Path) -> None:
    fake = FakeAssistant()
    app = build_app(fake, Settings(home=tmp_path, queue_size=7))
    fns = {dep.api_name: dep for dep in app.fns.values() if dep.api_visibility == "public"}
    assert {"ask", "ask_stream"} <= set(fns)
    out = fns["ask"].fn("规上工业总产值", [["上一问", "上一答"]])
    assert out["refused"] is False and out["citations"][0]["n"] == 1
    assert fake.calls[-1] == ("规上工业总产值", (("上一问", "上一答"),), "citizen")
    assert list(fns["ask_stream"].fn("规上工业总产值"))[-1] == "2023年规上工业总产值757.2亿元[1]。"
    assert app._queue.max_size == 7


def test_queue_full_reply_is_chinese() -> None:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from ui.page import BUSY_TEXT, PageFixMiddleware

    def full(request: Any) -> JSONResponse:
        return JSONResponse({"detail": "Queue is full. Max size is 1 and size is 1."}, status_code=503)

    def other(request: Any) -> JSONResponse:
        return JSONResponse({"detail": "Queue is full"}, status_code=503)

    app = PageFixMiddleware(
        Starlette(routes=[Route("/gradio_api/queue/join", full, methods=["POST"]), Route("/x", other)])
    )
    client = TestClient(app)  # type: ignore[arg-type]
    r = client.post("/gradio_api/queue/join")
    assert r.status_code == 503 and r.json() == {"detail": BUSY_TEXT}
    assert client.get("/x").json() == {"detail": "Queue is full"}  # other responses pass through untouched


@pytest.fixture(scope="module")
def bm25_assistant(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from rag.assistant import Assistant
    from tests.conftest import CORPUS

    assistant = Assistant.from_settings(Settings(home=tmp_path_factory.mktemp("examples"), embed_model="none"))
    assistant.ingest([CORPUS])
    yield assistant
    assistant.close()


def _ask_every_example(assistant: Any) -> None:
    from rag.examples import example_questions

    examples = example_questions(assistant.docs())
    assert len(examples) == 4 and len(set(examples)) == 4
    for question in examples:
        answer = assistant.ask(question)
        assert not answer.refused and answer.citations, (question, answer.answer)


def test_every_example_question_is_answered(bm25_assistant: Any) -> None:
    _ask_every_example(bm25_assistant)


@pytest.mark.slow
def test_every_example_question_is_answered_with_the_default_embedder(sample_assistant: Any) -> None:
    _ask_every_example(sample_assistant)


def test_rag_ui_alone_serves_the_chinese_page_with_security_headers(tmp_path: Path) -> None:
    """`rag ui` (launch) mounts the app the way `rag serve` does: same page fixes and headers."""
    import socket

    import httpx

    from ui.app import launch

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    served = launch(FakeAssistant(), Settings(home=tmp_path), "127.0.0.1", port, block=False)
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
        html_tag = re.search(r"<html\b[^>]*>", response.text)
        assert html_tag is not None and 'lang="zh-CN"' in html_tag.group(0)
        assert response.headers.get("x-content-type-options") == "nosniff"
    finally:
        served.close()
    with socket.socket() as s:  # closed: the port is free again
        s.bind(("127.0.0.1", port))


def test_rag_ui_on_a_taken_port_says_so_in_chinese(tmp_path: Path) -> None:
    import socket

    from rag.errors import RagError
    from ui.app import launch

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(RagError, match="端口可能已被占用"):
            launch(FakeAssistant(), Settings(home=tmp_path), "127.0.0.1", port, block=False)
