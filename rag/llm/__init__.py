"""Language-model backends for the answer chain: an OpenAI-compatible endpoint or a local GGUF file.

``make_llm(settings)`` builds the backend ``RAG_LLM_BACKEND`` names (openai, gguf). Both stream
answer text with [n] marks from a prompt made for small contexts (``rag.llm.prompt``); the chain
verifies every sentence against the passages it cites, so a model is trusted for wording only.
When a model fails the backend raises ``rag.errors.LLMError`` (never a refusal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag.errors import ConfigError, LLMError
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.llm.base import LLMBackend

__all__ = ["LLMError", "make_llm"]


def make_llm(settings: Settings) -> LLMBackend:
    """The LLM backend ``settings.llm_backend`` names (``extractive`` is not an LLM: see rag.answer.backends)."""
    kind = settings.llm_backend
    if kind == "openai":
        from rag.llm.openai import OpenAIBackend

        return OpenAIBackend(
            settings.llm_base_url,
            settings.llm_model,
            settings.llm_api_key.get_secret_value(),
            timeout_s=settings.llm_timeout_s,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            context_tokens=settings.llm_context_tokens,
            max_sentences=settings.max_answer_sentences,
            max_retries=settings.llm_max_retries,
        )
    if kind == "gguf":
        if settings.gguf_path is None:
            raise ConfigError(
                "RAG_LLM_BACKEND=gguf 需要设置 RAG_GGUF_PATH（本地 .gguf 模型文件路径；make models 会装好一个）。"
            )
        from rag.llm.gguf import GgufBackend

        return GgufBackend(
            settings.gguf_path,
            context_tokens=settings.llm_context_tokens,
            threads=settings.gguf_threads,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
            max_sentences=settings.max_answer_sentences,
            sha256=settings.gguf_sha256,
            timeout_s=settings.llm_timeout_s,
        )
    raise ConfigError(f"RAG_LLM_BACKEND={kind!r} 不是大模型后端：可选 openai、gguf（或 extractive，不用模型）。")
