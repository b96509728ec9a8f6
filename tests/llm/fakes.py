"""A scripted LLM backend for unit tests (the fake chat model behind the real prompts is tests/answer/fake_llm.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rag.llm.base import LLMBackend


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
