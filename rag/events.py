"""Typed events the answer chain streams. CLI, UI and the eval harness only render them."""

from __future__ import annotations

from dataclasses import dataclass

from rag.models import Answer, Citation


@dataclass(frozen=True)
class TokenEvent:
    """A piece of answer text, in order."""

    text: str


@dataclass(frozen=True)
class CitationEvent:
    """A passage cited as [n] in the answer."""

    citation: Citation


@dataclass(frozen=True)
class DroppedEvent:
    """A sentence removed because a figure in it is not in the passage it cites."""

    sentence: str
    reason: str

    @property
    def figures(self) -> tuple[str, ...]:
        """The figures verification removed with the sentence (what the model wrote, unsupported or uncited)."""
        from rag.answer.citations import figures  # the one figure extractor; imported late to keep events light

        return tuple(figures(self.sentence))


@dataclass(frozen=True)
class RefusalEvent:
    """The documents do not support an answer; ``text`` says so in plain Chinese."""

    text: str
    reason: str


@dataclass(frozen=True)
class DoneEvent:
    """The final, verified answer."""

    answer: Answer


ChainEvent = TokenEvent | CitationEvent | DroppedEvent | RefusalEvent | DoneEvent
