"""Answer backends, chosen by ``Settings.llm_backend``: extractive (default, no model) or an LLM (rag.llm).

Every backend streams answer text with [n] marks from numbered passages; the chain verifies it,
so a backend is trusted for wording only, never for facts. The LLM backends (an OpenAI-compatible
endpoint, a local GGUF file) live in ``rag.llm`` and are imported only when chosen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from rag.answer.extractive import ExtractiveBackend
from rag.answer.passages import Passage
from rag.settings import Settings


class AnswerBackend(Protocol):
    """Turns a question and numbered passages into answer text with [n] marks."""

    name: str

    def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]: ...

    def complete(self, prompt: str) -> str | None:
        """Plain completion (query rewriting); None when the backend has no language model."""
        ...


def make_backend(settings: Settings) -> AnswerBackend:
    """The backend ``settings.llm_backend`` names: extractive here, anything else from ``rag.llm.make_llm``."""
    if settings.llm_backend == "extractive":
        return ExtractiveBackend(settings.max_answer_sentences)
    from rag.llm import make_llm

    return make_llm(settings)
