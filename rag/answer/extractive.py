"""The extractive backend (the default, no model): quotes the selector's sentences with their [n].

It writes nothing of its own: each answer sentence is a passage sentence as written, so its figures
are the passage's. The pipeline hands it the gate's evidence (``compose``) so no stage scores the
sentences twice; ``generate`` is the plain backend protocol for callers that only have passages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rag.answer.choose import choose
from rag.answer.gate import Evidence, assess
from rag.answer.passages import Passage
from rag.answer.query import analyse
from rag.answer.select import Scored

_END = "。！？!?；;,，：: \n"


def quote(scored: Scored) -> str:
    """``sentence[n]。``: the mark before the end punctuation, as the LLM prompt asks too."""
    return f"{scored.text.rstrip(_END)}[{scored.passage.n}]。"


def compose(evidence: Evidence, max_sentences: int) -> Iterator[str]:
    """The quoted sentences for each part of the question (a compound question: the best of each)."""
    parts = evidence.parts
    per_part = max_sentences if len(parts) == 1 else 1
    seen: set[tuple[str, int]] = set()
    for part in parts:
        for scored in choose(part.query, part.ranked, per_part):
            key = (scored.passage.chunk_id, scored.index)
            if key not in seen:
                seen.add(key)
                yield quote(scored)


class ExtractiveBackend:
    """Quotes passage sentences with their [n]; needs no model, the default."""

    name = "extractive"

    def __init__(self, max_sentences: int = 3) -> None:
        self.max_sentences = max_sentences

    def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]:
        """The protocol form: analyse and gate here (threshold 0: the caller's gate already decided)."""
        yield from compose(assess(analyse(question), passages, 0.0), self.max_sentences)

    def complete(self, prompt: str) -> str | None:
        """No model: query rewriting falls back to rules."""
        return None
