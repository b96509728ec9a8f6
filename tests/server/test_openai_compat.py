"""The official `openai` client against a running `rag serve`: the assistant as a "model", with citations."""

from __future__ import annotations

import openai
import pytest
from openai import OpenAI

from .conftest import TOKEN, Live

QUESTION = "铜梁区2023年规上工业总产值是多少？"
UNANSWERABLE = "北京市2023年的房价是多少？"


def client(live: Live, key: str = "any-key") -> OpenAI:
    return OpenAI(base_url=f"{live.url}/v1", api_key=key, max_retries=0, timeout=60)


def test_models_list(live: Live) -> None:
    assert [m.id for m in client(live).models.list()] == ["gov-rag", "gov-rag-staff"]


def test_chat_completion_carries_markers_and_structured_citations(live: Live) -> None:
    reply = client(live).chat.completions.create(model="gov-rag", messages=[{"role": "user", "content": QUESTION}])
    choice = reply.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    content = choice.message.content or ""
    assert "757.2亿元" in content and "[1]" in content and "000_d5e02e9cc017770c.txt" in content
    citations = (choice.message.model_extra or {})["citations"]
    assert citations[0]["n"] == 1 and citations[0]["source"] == "000_d5e02e9cc017770c.txt"
    assert (reply.model_extra or {})["refused"] is False


def test_refusal_is_a_normal_assistant_message(live: Live) -> None:
    reply = client(live).chat.completions.create(model="gov-rag", messages=[{"role": "user", "content": UNANSWERABLE}])
    choice = reply.choices[0]
    assert choice.finish_reason == "stop" and choice.message.content
    assert (choice.message.model_extra or {})["refused"] is True


def test_streaming_gives_the_same_content_and_citations_on_the_last_chunk(live: Live) -> None:
    c = client(live)
    plain = c.chat.completions.create(model="gov-rag", messages=[{"role": "user", "content": QUESTION}])
    chunks = list(
        c.chat.completions.create(model="gov-rag", messages=[{"role": "user", "content": QUESTION}], stream=True)
    )
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks)
    assert text == plain.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["citations"] == (plain.model_extra or {})["citations"]


def test_history_from_earlier_messages_is_used(live: Live) -> None:
    messages = [
        {"role": "system", "content": "你是助手"},
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "2023年规上工业总产值757.2亿元[1]。\n\n来源：\n[1] 某文件"},
        {"role": "user", "content": [{"type": "text", "text": "工业投资增长了多少？"}]},
    ]
    reply = client(live).chat.completions.create(model="gov-rag", messages=messages)  # type: ignore[arg-type]
    assert reply.choices[0].message.content


def test_staff_model_needs_the_token(live: Live) -> None:
    with pytest.raises(openai.AuthenticationError):
        client(live).chat.completions.create(model="gov-rag-staff", messages=[{"role": "user", "content": QUESTION}])
    reply = client(live, TOKEN).chat.completions.create(
        model="gov-rag-staff", messages=[{"role": "user", "content": QUESTION}]
    )
    assert "757.2" in (reply.choices[0].message.content or "")
    with pytest.raises(openai.NotFoundError):
        client(live).chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": QUESTION}])
