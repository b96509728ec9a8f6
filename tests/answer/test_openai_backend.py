"""The openai backend (ChatOpenAI) against a fake OpenAI-compatible server on loopback."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from rag.answer.backends import GgufBackend, make_backend
from rag.answer.chain import AnswerChain
from rag.answer.extractive import ExtractiveBackend
from rag.errors import BackendError, ConfigError
from rag.events import DoneEvent, DroppedEvent, TokenEvent
from rag.settings import Settings

from .conftest import corpus_hits, fake_search
from .fake_openai_server import serve


def openai_settings(settings: Settings, base_url: str, model: str) -> Settings:
    return settings.model_copy(
        update={"llm_backend": "openai", "llm_base_url": base_url, "llm_model": model, "llm_api_key": SecretStr("k")}
    )


def run(settings: Settings, question: str, history=()) -> list:  # type: ignore[no-untyped-def]
    chain = AnswerChain(fake_search(corpus_hits()), make_backend(settings), settings)
    return list(chain.stream(question, history))


def test_streaming_answer_through_the_server_is_verified_and_cited(settings: Settings) -> None:
    with serve() as (url, requests):
        events = run(openai_settings(settings, url, "fake-copy"), "铜梁区2023年规上工业总产值是多少？")
    assert requests and requests[0]["stream"] is True and requests[0]["model"] == "fake-copy"
    assert "<<<资料1>>>" in requests[0]["messages"][1]["content"]
    answer = events[-1].answer
    assert not answer.refused and "757.2亿元" in answer.answer and "[1]" in answer.answer
    assert answer.citations[0].source == "000_d5e02e9cc017770c.txt"
    assert any(isinstance(e, TokenEvent) for e in events)


def test_hallucinated_figure_from_the_server_is_dropped(settings: Settings) -> None:
    with serve() as (url, _):
        events = run(openai_settings(settings, url, "fake-hallucinate"), "铜梁区2023年规上工业总产值是多少？")
    dropped = [e for e in events if isinstance(e, DroppedEvent)]
    assert len(dropped) == 1 and "0.87元" in dropped[0].sentence
    answer = events[-1].answer
    assert isinstance(events[-1], DoneEvent) and "0.87" not in answer.answer and "757.2亿元" in answer.answer


def test_model_refusal_becomes_a_refusal_event(settings: Settings) -> None:
    with serve() as (url, _):
        events = run(openai_settings(settings, url, "fake-refuse"), "铜梁区2023年规上工业总产值是多少？")
    answer = events[-1].answer
    assert answer.refused and answer.citations == () and not [e for e in events if isinstance(e, DroppedEvent)]


def test_non_streaming_completion_is_used_for_follow_up_rewrite(settings: Settings) -> None:
    history = [("铜梁区2023年规上工业总产值是多少？", "757.2亿元[1]。")]
    with serve() as (url, requests):
        events = run(openai_settings(settings, url, "fake-copy"), "那工业投资呢？", history)
    assert requests[0].get("stream") in (None, False) and "改写后的问题" in requests[0]["messages"][0]["content"]
    assert isinstance(events[-1], DoneEvent)


def test_unreachable_endpoint_is_a_clear_backend_error(settings: Settings) -> None:
    s = openai_settings(settings, "http://127.0.0.1:9/v1", "m").model_copy(update={"llm_timeout_s": 2.0})
    with pytest.raises(BackendError, match="RAG_LLM_BASE_URL"):
        run(s, "铜梁区2023年规上工业总产值是多少？")


def test_make_backend_picks_by_setting(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(make_backend(settings), ExtractiveBackend)
    with pytest.raises(ValidationError):  # the fake LLM lives in tests/, not in the settings
        Settings(home=tmp_path, llm_backend="fake")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="RAG_GGUF_PATH"):
        make_backend(settings.model_copy(update={"llm_backend": "gguf"}))
    gguf = make_backend(settings.model_copy(update={"llm_backend": "gguf", "gguf_path": tmp_path / "m.gguf"}))
    assert isinstance(gguf, GgufBackend)


def test_gguf_without_llama_cpp_says_how_to_install(tmp_path) -> None:  # type: ignore[no-untyped-def]
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("llama-cpp-python is installed here")
    with pytest.raises(BackendError, match=r"gov-rag\[gguf\].*RAG_GGUF_PATH"):
        list(GgufBackend(tmp_path / "m.gguf").generate("问题", []))
