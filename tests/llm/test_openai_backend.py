"""The openai backend against real server processes on loopback: answers, and every way an LLM fails.

"The LLM failed" must never look like "the documents don't cover it": each failure is an
LLMError naming the endpoint and what to do, raised out of the chain (never a RefusalEvent).
"""

from __future__ import annotations

import json
import socket
import urllib.request
from typing import Any

import pytest
from pydantic import SecretStr

from rag.answer.backends import make_backend
from rag.answer.chain import AnswerChain
from rag.answer.extractive import ExtractiveBackend
from rag.errors import ConfigError, LLMError
from rag.events import DoneEvent, DroppedEvent, RefusalEvent, TokenEvent
from rag.llm.gguf import GgufBackend
from rag.llm.openai import OpenAIBackend
from rag.settings import Settings
from tests.answer.conftest import corpus_hits, fake_search
from tests.answer.fake_openai_server import serve

QUESTION = "铜梁区2023年规上工业总产值是多少？"


def openai_settings(settings: Settings, base_url: str, model: str, **update: Any) -> Settings:
    values = {
        "llm_backend": "openai",
        "llm_base_url": base_url,
        "llm_model": model,
        "llm_api_key": SecretStr("k"),
        "llm_max_retries": 0,
        "llm_timeout_s": 3.0,
        **update,
    }
    return settings.model_copy(update=values)


def run(settings: Settings, question: str = QUESTION, history=()) -> list:  # type: ignore[no-untyped-def]
    chain = AnswerChain(fake_search(corpus_hits()), make_backend(settings), settings)
    return list(chain.stream(question, history))


def received(base_url: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/requests", timeout=5) as response:
        data: list[dict[str, Any]] = json.loads(response.read())
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


# -- answers --------------------------------------------------------------------------------------


def test_streamed_answer_is_verified_cited_and_sends_max_tokens(settings: Settings, error_server: str) -> None:
    events = run(openai_settings(settings, error_server, "copy", llm_max_tokens=123))
    body = received(error_server)[-1]
    assert body["stream"] is True and body["model"] == "copy" and body["max_tokens"] == 123
    assert body["messages"][0]["role"] == "system" and "<<<资料1>>>" in body["messages"][1]["content"]
    answer = events[-1].answer
    assert not answer.refused and "757.2亿元" in answer.answer and "[1]" in answer.answer
    assert answer.citations[0].source == "000_d5e02e9cc017770c.txt"
    assert any(isinstance(e, TokenEvent) for e in events)


def test_think_blocks_split_across_chunks_never_reach_the_answer(settings: Settings, error_server: str) -> None:
    events = run(openai_settings(settings, error_server, "think"))
    answer = events[-1].answer
    assert not answer.refused and "757.2亿元" in answer.answer
    shown = "".join(e.text for e in events if isinstance(e, TokenEvent))
    assert "think" not in shown and "999" not in shown and "我来想想" not in shown
    assert not [e for e in events if isinstance(e, DroppedEvent)]


def test_hallucinated_figure_from_the_server_is_dropped(settings: Settings) -> None:
    with serve() as (url, _):
        events = run(openai_settings(settings, url, "fake-hallucinate"))
    dropped = [e for e in events if isinstance(e, DroppedEvent)]
    assert len(dropped) == 1 and "0.87元" in dropped[0].sentence and dropped[0].figures == ("0.87元",)
    answer = events[-1].answer
    assert isinstance(events[-1], DoneEvent) and "0.87" not in answer.answer and "757.2亿元" in answer.answer


def test_model_refusal_becomes_a_refusal_event(settings: Settings) -> None:
    with serve() as (url, _):
        events = run(openai_settings(settings, url, "fake-refuse"))
    answer = events[-1].answer
    assert answer.refused and answer.citations == () and not [e for e in events if isinstance(e, DroppedEvent)]


def test_non_streaming_rewrite_of_a_follow_up_goes_through_the_model(settings: Settings) -> None:
    history = [(QUESTION, "757.2亿元[1]。")]
    with serve() as (url, requests):
        events = run(openai_settings(settings, url, "fake-copy"), "那工业投资呢？", history)
    assert "改写后的问题" in requests[0]["messages"][0]["content"]
    assert isinstance(events[-1], DoneEvent)


# -- failures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "kind", "hint"),
    [
        ("http500", "http_5xx", "HTTP 500"),
        ("http429", "http_429", "HTTP 429"),
        ("slow", "timeout", "RAG_LLM_TIMEOUT_S"),
        ("no-such-model", "model_not_found", "RAG_LLM_MODEL"),
        ("malformed", "malformed", "RAG_LLM_BASE_URL"),
        ("empty", "empty", "RAG_LLM_MAX_TOKENS"),
    ],
)
def test_each_server_failure_is_a_typed_error_never_a_refusal(
    settings: Settings, error_server: str, model: str, kind: str, hint: str, caplog: pytest.LogCaptureFixture
) -> None:
    s = openai_settings(settings, error_server, model, llm_timeout_s=1.5)
    chain = AnswerChain(fake_search(corpus_hits()), make_backend(s), s)
    seen: list[object] = []
    with pytest.raises(LLMError) as info:
        for event in chain.stream(QUESTION):
            seen.append(event)
    error = info.value
    assert error.kind == kind and hint in str(error)
    assert error_server in str(error) and model in str(error)  # which endpoint and model, for staff
    assert "extractive" in str(error)  # and what to do
    assert not [e for e in seen if isinstance(e, RefusalEvent | DoneEvent)]
    assert error_server not in error.public and model not in error.public and "RAG_" not in error.public
    assert any(r.levelname == "ERROR" and error_server in r.getMessage() for r in caplog.records)


def test_unknown_model_error_lists_what_the_server_offers(settings: Settings, error_server: str) -> None:
    with pytest.raises(LLMError, match="copy、think"):
        run(openai_settings(settings, error_server, "qwen2.5-72b-instruct"))


def test_server_down_is_a_typed_error(settings: Settings) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(LLMError, match="无法连接") as info:
        run(openai_settings(settings, url, "m"))
    assert info.value.kind == "down" and url in str(info.value) and "RAG_LLM_BASE_URL" in str(info.value)


def test_rewrite_failure_is_a_typed_error_too(settings: Settings, error_server: str) -> None:
    with pytest.raises(LLMError):
        run(openai_settings(settings, error_server, "http500"), "那工业投资呢？", [(QUESTION, "757.2亿元[1]。")])


# -- choosing a backend ---------------------------------------------------------------------------


def test_make_backend_picks_by_setting(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(make_backend(settings), ExtractiveBackend)
    with pytest.raises(ConfigError, match="openai、gguf"):  # the fake LLM lives in tests/, not in the product
        make_backend(settings.model_copy(update={"llm_backend": "fake"}))
    assert isinstance(make_backend(openai_settings(settings, "http://127.0.0.1:9/v1", "m")), OpenAIBackend)
    with pytest.raises(ConfigError, match="RAG_GGUF_PATH"):
        make_backend(settings.model_copy(update={"llm_backend": "gguf"}))
    gguf = make_backend(
        settings.model_copy(update={"llm_backend": "gguf", "gguf_path": tmp_path / "m.gguf", "gguf_threads": 3})
    )
    assert isinstance(gguf, GgufBackend) and gguf.threads == 3


def test_gguf_with_a_missing_file_says_which_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    backend = GgufBackend(tmp_path / "m.gguf")
    with pytest.raises(ConfigError, match="RAG_GGUF_PATH"):
        list(backend.generate("问题", []))


def test_gguf_with_a_wrong_checksum_is_refused_before_loading(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF not really")
    with pytest.raises(ConfigError, match="SHA-256"):
        list(GgufBackend(model, sha256="0" * 64).generate("问题", []))
