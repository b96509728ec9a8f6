"""A deterministic stand-in for an LLM (tests only: tests inject it through AnswerChain/Assistant).

It reads the fenced passages out of the prompt and answers by copying the sentence that best
matches the question and holds a figure, with its [n]: what a well-behaved model does. The
``hallucinate`` mode adds a sentence with a figure found in no passage, so tests can prove that
citation verification drops it; ``refuse`` answers with the refusal sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from rag.answer.citations import split_sentences
from rag.answer.extractive import ExtractiveBackend
from rag.answer.passages import Passage, make_passage
from rag.answer.refusal import refusal_text
from rag.llm.chat_model import ChatModelBackend
from rag.settings import Settings
from tests.answer.conftest import make_hit

FakeMode = Literal["copy", "hallucinate", "refuse"]
HALLUCINATED = "另据了解，补贴标准为每千瓦时0.87元"
_PASSAGE = re.compile(r"<<<资料(\d+)>>>\n(.*?)<<<资料\1结束>>>", re.S)
_QUESTION = re.compile(r"问题：(.*)")
_TOPIC = re.compile(r"建议标题：(.*)")


def fake_answer(prompt: str, mode: FakeMode = "copy") -> str:
    """The deterministic reply to an answer prompt (prompts/answer.txt rendered).

    It behaves like a careful model: it quotes the passage sentences that answer (the same
    selection the extractive backend makes) with their [n], or replies with the refusal sentence.
    """
    if mode == "refuse":
        return refusal_text()
    questions = _QUESTION.findall(prompt)
    question = questions[-1].strip() if questions else prompt
    topics = _TOPIC.findall(prompt)
    passages = []
    for n_text, body in _PASSAGE.findall(prompt):
        lines = body.split("\n", 1)
        text = lines[1] if len(lines) > 1 else body
        title = re.sub(r"^来源：|（[^（）]*）$", "", lines[0]) if len(lines) > 1 else ""
        passages.append(_passage(int(n_text), title, text))
    if topics and not questions:  # the 复函 prompt: quote the opening sentence of each passage, cited
        firsts = [(p.n, split_sentences(p.text)) for p in passages[:3]]
        return "".join(f"{s[0].rstrip('。；;')}[{n}]。" for n, s in firsts if s) or refusal_text()
    answer = "".join(ExtractiveBackend(2).generate(question, passages))
    if not answer:
        return refusal_text()
    if mode == "hallucinate":
        first = re.search(r"\[(\d+)\]", answer)
        answer += f"{HALLUCINATED}[{first.group(1) if first else 1}]。"
    return answer


def _passage(n: int, title: str, text: str) -> Passage:
    return make_passage(n, make_hit(f"p{n}", text, source=f"p{n}", title=title, region=""))


def fake_backend(settings: Settings, mode: FakeMode = "copy") -> ChatModelBackend:
    """The fake LLM behind the real prompts, as an answer backend."""
    return ChatModelBackend(FakeChatModel(mode=mode), "fake", max_sentences=settings.max_answer_sentences)


def prompt_text(messages: Sequence[BaseMessage]) -> str:
    return "\n".join(str(m.content) for m in messages)


class FakeChatModel(BaseChatModel):
    """LangChain chat model answering with ``fake_answer``; streams it a few characters at a time."""

    mode: FakeMode = "copy"
    chunk_chars: int = 7

    @property
    def _llm_type(self) -> str:
        return "gov-rag-fake"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._reply(messages)
        for i in range(0, len(reply), self.chunk_chars):
            yield ChatGenerationChunk(message=AIMessageChunk(content=reply[i : i + self.chunk_chars]))

    def _reply(self, messages: Sequence[BaseMessage]) -> str:
        text = prompt_text(messages)
        if "改写后的问题" in text:  # prompts/rewrite.txt: echo the last question unchanged
            found = re.findall(r"最后一个问题：(.*)", text)
            return found[-1].strip() if found else ""
        return fake_answer(text, self.mode)
