"""What people see when an LLM answers or fails: the CLI streams and exits non-zero, the chat apologises."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.records import Filter
from rag.cli import cli
from rag.errors import LLMError
from rag.events import ChainEvent, TokenEvent
from tests.conftest import CORPUS
from tests.ui.fakes import FakeAssistant
from ui.chat import ChatSession, error_text, run_turn

FAILURE = LLMError(
    "大模型 接口 http://127.0.0.1:8000/v1（模型 qwen2.5-7b-instruct） 返回 HTTP 500。请检查 RAG_LLM_BASE_URL。",
    endpoint="http://127.0.0.1:8000/v1",
    kind="http_5xx",
)


class FailingMidAnswer(FakeAssistant):
    """One verified sentence, then the model fails."""

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: str = "citizen",
        flt: Filter | None = None,
    ) -> Iterator[ChainEvent]:
        yield TokenEvent("全年规上工业总产值实现757.2亿元[1]。")
        raise FAILURE


def test_citizens_get_a_plain_apology_staff_get_the_endpoint_and_what_to_do() -> None:
    citizen = list(run_turn(FailingMidAnswer(), "产值？", ChatSession(), "citizen"))[-1]
    assert citizen.error and citizen.text == LLMError.public
    for leak in ("http", "127.0.0.1", "qwen", "RAG_", "/v1"):
        assert leak not in citizen.text
    session = ChatSession()
    staff = list(run_turn(FailingMidAnswer(), "产值？", session, "staff"))[-1]
    assert staff.error and "http://127.0.0.1:8000/v1" in staff.text and "RAG_LLM_BASE_URL" in staff.text
    assert session.history() == []  # a failed answer is not a turn the next question builds on
    assert "757.2" not in citizen.text  # the half answer is replaced, not left looking complete


def test_other_errors_naming_settings_are_not_shown_to_citizens() -> None:
    from rag.errors import RagError

    assert "RAG_" not in error_text(RagError("请设置 RAG_MAX_QUESTION_CHARS"), "citizen")
    assert error_text(RagError("请输入问题"), "citizen").endswith("请输入问题")


def test_the_chat_has_a_stop_button_that_cancels_the_answer() -> None:
    import gradio as gr

    from rag.feedback import FeedbackStore
    from ui.chat import build_chat

    with gr.Blocks() as demo:
        build_chat(FakeAssistant(), FeedbackStore(Path("/nonexistent/feedback.jsonl")), "citizen", prefix="t")
    config = demo.get_config_file()
    stop = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "t-stop")
    stops = [d for d in config["dependencies"] if any(t[0] == stop for t in d["targets"])]
    cancelled = {i for d in stops for i in d["cancels"]}
    assert cancelled, "the stop button must cancel the streaming handlers"
    send = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "t-send")
    senders = [i for i, d in enumerate(config["dependencies"]) if any(t[0] == send for t in d["targets"])]
    assert set(senders) <= cancelled


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    env = {"RAG_HOME": str(tmp_path / "home"), "RAG_EMBED_MODEL": "fake"}
    result = CliRunner().invoke(cli, ["ingest", str(CORPUS), "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return env


def llm_env(home: dict[str, str], url: str, model: str) -> dict[str, str]:
    return {
        **home,
        "RAG_LLM_BACKEND": "openai",
        "RAG_LLM_BASE_URL": url,
        "RAG_LLM_MODEL": model,
        "RAG_LLM_MAX_RETRIES": "0",
        "RAG_LLM_TIMEOUT_S": "3",
    }


def test_cli_ask_streams_a_verified_llm_answer(home: dict[str, str], error_server: str) -> None:
    result = CliRunner().invoke(
        cli, ["ask", "铜梁区2023年规上工业总产值是多少？"], env=llm_env(home, error_server, "copy")
    )
    assert result.exit_code == 0, result.output
    assert "757.2亿元" in result.output and "[1]" in result.output and "000_d5e02e9cc017770c.txt" in result.output


@pytest.mark.parametrize("model", ["http500", "empty"])
def test_cli_ask_exits_non_zero_when_the_llm_fails(home: dict[str, str], error_server: str, model: str) -> None:
    result = CliRunner().invoke(
        cli, ["ask", "铜梁区2023年规上工业总产值是多少？", "--json"], env=llm_env(home, error_server, model)
    )
    assert result.exit_code == 1
    assert error_server in result.output and "抱歉，现有文件中没有" not in result.output
