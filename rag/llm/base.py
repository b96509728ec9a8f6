"""What every LLM backend shares: the prompt, ``<think>`` removal, the refusal word, empty-answer detection.

A backend only has to stream raw text for a list of chat messages and count tokens; this class
turns that into the chain's ``AnswerBackend`` (``generate``/``complete``). The model is trusted for
wording only: the chain verifies every sentence it writes against the passages it cites.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from rag.answer.refusal import refusal_text
from rag.errors import LLMError
from rag.llm.prompt import Messages, PassageLike, answer_messages, approx_tokens, reply_messages
from rag.llm.think import strip_think

log = logging.getLogger(__name__)

REFUSAL_WORD = "无法回答"  # what the prompt tells the model to say; replaced by the product's refusal sentence


class LLMBackend:
    """Base of the openai and gguf backends. ``template = "reply"`` drafts a 复函 instead of answering."""

    name = "llm"
    template: str = "answer"

    def __init__(self, *, max_sentences: int, context_tokens: int, max_tokens: int, endpoint: str) -> None:
        self.max_sentences = max_sentences
        self.context_tokens = context_tokens
        self.max_tokens = max_tokens
        self.endpoint = endpoint

    # -- what a backend implements ------------------------------------------------------------

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Raw content pieces of one chat completion, in order; LLMError when the model fails."""
        raise NotImplementedError

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` for this model (the default is an over-counting approximation)."""
        return approx_tokens(text)

    # -- the AnswerBackend protocol -----------------------------------------------------------

    def messages(self, question: str, passages: Sequence[PassageLike]) -> Messages:
        build = reply_messages if self.template == "reply" else answer_messages
        return build(
            question,
            passages,
            max_sentences=self.max_sentences,
            context_tokens=self.context_tokens,
            max_tokens=self.max_tokens,
            count=self.count_tokens,
        )

    def generate(self, question: str, passages: Sequence[PassageLike]) -> Iterator[str]:
        """Visible answer text as it streams; the prompt's refusal word becomes the refusal sentence."""
        stream = self.stream_chat(self.messages(question, passages).as_dicts())
        yield from self._visible(stream)

    def complete(self, prompt: str) -> str | None:
        text = "".join(self._visible(self.stream_chat([{"role": "user", "content": prompt}]))).strip()
        return text or None

    def _visible(self, stream: Iterator[str]) -> Iterator[str]:
        head = ""  # held back until it is clear whether the answer starts with the refusal word
        started = False
        try:
            for piece in strip_think(stream):
                if started:
                    yield piece
                    continue
                head += piece
                stripped = head.lstrip()
                if stripped.startswith(REFUSAL_WORD):
                    yield refusal_text()
                    return
                if len(stripped) >= len(REFUSAL_WORD) or not REFUSAL_WORD.startswith(stripped):
                    started = True
                    yield head
            if not started:
                if not head.strip():
                    raise self.error("返回了空回答", "empty", self.empty_hint())
                yield head
        finally:
            close: Any = getattr(stream, "close", None)
            if close is not None:
                close()  # a consumer that stops early (the stop button) stops the generation too

    # -- errors -------------------------------------------------------------------------------

    def empty_hint(self) -> str:
        return "请查看模型服务的日志；推理模型请调大 RAG_LLM_MAX_TOKENS，让思考之后还有回答的余量。"

    def error(self, what: str, kind: str, todo: str) -> LLMError:
        message = f"大模型 {self.endpoint} {what}。{todo}或设置 RAG_LLM_BACKEND=extractive 改用无需模型的摘录式回答。"
        log.error("%s", message)
        return LLMError(message, endpoint=self.endpoint, kind=kind)
