"""Answer backends, chosen by ``Settings.llm_backend``: extractive (default), openai, gguf.

Every backend streams answer text with [n] marks from numbered passages; the chain verifies it,
so a backend is trusted for wording only, never for facts. LLM backends are LangChain chat
models (ChatOpenAI covers vLLM, Ollama, Xinference, DeepSeek, Qwen/DashScope) behind the same
prompt files; llama.cpp is imported only when the gguf backend is chosen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from rag.answer.extractive import ExtractiveBackend
from rag.answer.passages import Passage, render_passages
from rag.answer.refusal import refusal_text
from rag.errors import BackendError, ConfigError
from rag.prompts import render
from rag.settings import Settings

log = logging.getLogger(__name__)

GGUF_MISSING = (
    "本地 GGUF 模型需要 llama-cpp-python：请运行 pip install 'gov-rag[gguf]' 并设置 RAG_GGUF_PATH 指向 .gguf 文件。"
)


class AnswerBackend(Protocol):
    """Turns a question and numbered passages into answer text with [n] marks."""

    name: str

    def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]: ...

    def complete(self, prompt: str) -> str | None:
        """Plain completion (query rewriting); None when the backend has no language model."""
        ...


def answer_messages(question: str, passages: Sequence[Passage], max_sentences: int) -> list[BaseMessage]:
    """System rules plus the fenced passages and the question (prompts/answer_system.txt, answer.txt)."""
    system = render("answer_system", refusal=refusal_text(), max_sentences=max_sentences)
    user = render("answer", passages=render_passages(passages), question=question)
    return [SystemMessage(content=system), HumanMessage(content=user)]


def reply_messages(topic: str, passages: Sequence[Passage], max_sentences: int) -> list[BaseMessage]:
    """The 复函 drafting prompt (prompts/reply.txt) under the same system rules; names are left to staff."""
    system = render("answer_system", refusal=refusal_text(), max_sentences=max(max_sentences, 6))
    user = render(
        "reply",
        deputy="XX代表",
        suggestion_title=topic,
        suggestion_number="（待填）",
        issuer="（承办单位）",
        passages=render_passages(passages),
    )
    return [SystemMessage(content=system), HumanMessage(content=user)]


class ChatModelBackend:
    """Any LangChain chat model behind the answer prompts (``template="reply"``: the 复函 prompt)."""

    template: str = "answer"

    def __init__(self, model: BaseChatModel, name: str, max_sentences: int = 3, where: str = "") -> None:
        self.model = model
        self.name = name
        self.max_sentences = max_sentences
        self.where = where or name

    def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]:
        if self.template == "reply":
            messages = reply_messages(question, passages, self.max_sentences)
        else:
            messages = answer_messages(question, passages, self.max_sentences)
        try:
            for chunk in self.model.stream(messages):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except Exception as exc:
            raise BackendError(
                f"大模型接口 {self.where} 调用失败：{exc}。请检查 RAG_LLM_BASE_URL、RAG_LLM_MODEL、RAG_LLM_API_KEY，"
                "或设置 RAG_LLM_BACKEND=extractive 使用无需模型的摘录式回答。"
            ) from exc

    def complete(self, prompt: str) -> str | None:
        try:
            reply = self.model.invoke([HumanMessage(content=prompt)])
        except Exception as exc:
            raise BackendError(f"大模型接口 {self.where} 调用失败：{exc}。请检查 RAG_LLM_BASE_URL 等设置。") from exc
        return reply.content if isinstance(reply.content, str) else None


class GgufBackend:
    """A local GGUF model through llama.cpp (optional extra ``gguf``), loaded on first use."""

    name = "gguf"

    def __init__(self, path: Path, temperature: float = 0.1, max_sentences: int = 3, n_ctx: int = 4096) -> None:
        self.path = path
        self.temperature = temperature
        self.max_sentences = max_sentences
        self.n_ctx = n_ctx
        self._llm: Any = None

    def _model(self) -> Any:
        if self._llm is None:
            try:
                from llama_cpp import Llama  # optional extra: imported only for this backend
            except ImportError as exc:
                raise BackendError(GGUF_MISSING) from exc
            if not self.path.is_file():
                raise ConfigError(f"RAG_GGUF_PATH 指向的文件不存在：{self.path}。请下载 .gguf 模型后重新设置。")
            self._llm = Llama(model_path=str(self.path), n_ctx=self.n_ctx, verbose=False)
        return self._llm

    @staticmethod
    def _role(message: BaseMessage) -> str:
        return "system" if isinstance(message, SystemMessage) else "user"

    def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]:
        llm = self._model()
        messages = [
            {"role": self._role(m), "content": str(m.content)}
            for m in answer_messages(question, passages, self.max_sentences)
        ]
        for part in llm.create_chat_completion(messages=messages, stream=True, temperature=self.temperature):
            text = part["choices"][0].get("delta", {}).get("content")
            if text:
                yield text

    def complete(self, prompt: str) -> str | None:
        out = self._model().create_chat_completion(
            messages=[{"role": "user", "content": prompt}], temperature=self.temperature
        )
        content = out["choices"][0]["message"].get("content")
        return str(content) if content else None


def openai_backend(settings: Settings) -> ChatModelBackend:
    """ChatOpenAI against ``llm_base_url``: vLLM, Ollama, Xinference, DeepSeek, DashScope all speak this."""
    from langchain_openai import ChatOpenAI  # imported here: the default backend must not pay for it

    model = ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key.get_secret_value() or "not-needed",  # type: ignore[arg-type]
        timeout=settings.llm_timeout_s,
        temperature=settings.llm_temperature,
        max_retries=1,
    )
    where = f"{settings.llm_base_url}（模型 {settings.llm_model}）"
    return ChatModelBackend(model, "openai", settings.max_answer_sentences, where)


def make_backend(settings: Settings) -> AnswerBackend:
    """The backend ``settings.llm_backend`` names."""
    kind = settings.llm_backend
    if kind == "extractive":
        return ExtractiveBackend(settings.max_answer_sentences)
    if kind == "openai":
        return openai_backend(settings)
    if kind == "gguf":
        if settings.gguf_path is None:
            raise ConfigError("RAG_LLM_BACKEND=gguf 需要设置 RAG_GGUF_PATH（本地 .gguf 模型文件路径）。")
        return GgufBackend(settings.gguf_path, settings.llm_temperature, settings.max_answer_sentences)
    raise ConfigError(f"未知的 RAG_LLM_BACKEND={kind!r}：可选 extractive、openai、gguf。")
