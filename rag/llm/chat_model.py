"""Any LangChain chat model as an answer backend (ChatTongyi, ChatOllama, a test double, ...).

The same prompt, ``<think>`` removal and refusal handling as the built-in backends; a failure of
the model becomes an ``LLMError`` naming it.
"""

from __future__ import annotations

from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from rag.errors import LLMError
from rag.llm.base import LLMBackend


class ChatModelBackend(LLMBackend):
    """Streams ``model.stream(messages)``; ``name`` is what events and reports call it."""

    def __init__(
        self,
        model: BaseChatModel,
        name: str,
        *,
        max_sentences: int = 3,
        context_tokens: int = 4096,
        max_tokens: int = 256,
    ) -> None:
        super().__init__(
            max_sentences=max_sentences,
            context_tokens=context_tokens,
            max_tokens=max_tokens,
            endpoint=f"LangChain 模型 {name}",
        )
        self.model = model
        self.name = name

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        converted: list[BaseMessage] = [
            SystemMessage(content=m["content"]) if m["role"] == "system" else HumanMessage(content=m["content"])
            for m in messages
        ]
        try:
            for chunk in self.model.stream(converted):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except LLMError:
            raise
        except Exception as exc:
            raise self.error(f"调用失败：{type(exc).__name__}: {exc}", "unknown", "请查看日志，") from exc
