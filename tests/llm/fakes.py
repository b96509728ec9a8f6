"""Test doubles for LLM backends: a scripted model and the deterministic fake behind the real prompts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rag.answer.fake import FakeChatModel, FakeMode
from rag.llm.base import LLMBackend
from rag.llm.chat_model import ChatModelBackend
from rag.settings import Settings


class ScriptedLLM(LLMBackend):
    """Streams ``reply(messages)`` (or a fixed string) in ``chunk``-character pieces; keeps every request."""

    name = "scripted"

    def __init__(
        self,
        reply: str | Callable[[list[dict[str, str]]], str],
        *,
        chunk: int = 3,
        context_tokens: int = 4096,
        max_tokens: int = 256,
    ) -> None:
        super().__init__(max_sentences=3, context_tokens=context_tokens, max_tokens=max_tokens, endpoint="测试模型")
        self.reply = reply
        self.chunk = chunk
        self.requests: list[list[dict[str, str]]] = []
        self.closed = 0

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        self.requests.append(messages)
        text = self.reply(messages) if callable(self.reply) else self.reply
        try:
            for i in range(0, len(text), self.chunk):
                yield text[i : i + self.chunk]
        finally:
            self.closed += 1


def fake_backend(settings: Settings, mode: FakeMode = "copy") -> ChatModelBackend:
    """The deterministic fake chat model behind the real prompts (copy / hallucinate / refuse)."""
    return ChatModelBackend(FakeChatModel(mode=mode), "fake", max_sentences=settings.max_answer_sentences)
