"""Stages 6–7: verify the generated text sentence by sentence and turn it into typed events.

Whatever wrote the text (the extractive selector or an LLM), each sentence is checked against the
passages it cites before it is streamed (rag.answer.citations), so no unverified text reaches a
user; a sentence without a citation is not part of a grounded answer and is left out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from index.textnorm import fold
from rag.answer import refusal
from rag.answer.citations import cited_numbers, extract, normalise, split_sentences, verify_sentence
from rag.answer.passages import Passage
from rag.events import ChainEvent, CitationEvent, DoneEvent, DroppedEvent, RefusalEvent, TokenEvent
from rag.models import Answer


@dataclass
class Turn:
    """What the events of one answer need besides the text: the question and the stage timings."""

    question: str
    standalone: str
    timings: dict[str, float] = field(default_factory=dict)


log = logging.getLogger(__name__)


def best_quote(sentence: str, passage: Passage) -> str:
    """The passage sentence an answer sentence rests on: most shared figures, then most shared characters."""
    wanted = {f.key for f in extract(sentence)}
    chars = set(fold(sentence))
    best, best_score = "", -1.0
    for candidate in passage.sentences:
        score = 10 * len(wanted & {f.key for f in extract(candidate.text)}) + len(chars & set(candidate.folded))
        if score > best_score:
            best, best_score = candidate.text, score
    return best


def refuse(turn: Turn, reason: str, dropped: tuple[str, ...] = ()) -> Iterator[ChainEvent]:
    text = refusal.refusal_text()
    turn.timings.setdefault("generate", 0.0)
    yield RefusalEvent(text, reason)
    yield DoneEvent(
        Answer(
            answer=text,
            refused=True,
            citations=(),
            dropped=dropped,
            timings_ms=dict(turn.timings),
            question=turn.question,
            standalone_question=turn.standalone,
            refusal_reason=reason,
        )
    )


def _sentences(pieces: Iterator[str]) -> Iterator[str]:
    """Complete sentences out of streamed pieces, as soon as each ends."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        done = split_sentences(buffer)
        if len(done) > 1:
            yield from done[:-1]
            buffer = buffer[buffer.rfind(done[-1]) :]
    yield from split_sentences(buffer)


def verified_events(turn: Turn, passages: Sequence[Passage], pieces: Iterator[str]) -> Iterator[ChainEvent]:
    """Tokens (verified sentences), dropped sentences, citations, then done (or a refusal)."""
    start = time.perf_counter()
    by_number = {p.n: p.evidence_citation() for p in passages}
    by_n = {p.n: p for p in passages}
    kept: list[str] = []
    dropped: list[str] = []
    quotes: dict[int, list[str]] = {}
    saw_refusal = False
    refusal_norm = normalise(refusal.refusal_text())
    for sentence in _sentences(pieces):
        if refusal.is_refusal(sentence) or (len(sentence) > 4 and normalise(sentence) in refusal_norm):
            saw_refusal = True
            continue
        problem = verify_sentence(sentence, by_number)
        if problem is not None:
            log.info("丢弃未通过引用核验的句子：%s（%s）", problem.sentence, problem.reason)
            dropped.append(problem.sentence)
            yield DroppedEvent(problem.sentence, problem.reason)
            continue
        numbers = cited_numbers(sentence)
        if not numbers:
            continue  # connectives without a source are not part of a grounded answer
        for n in numbers:
            quote = best_quote(sentence, by_n[n])
            if quote and quote not in quotes.setdefault(n, []):
                quotes[n].append(quote)
        kept.append(sentence)
        yield TokenEvent(sentence)
    turn.timings["generate"] = round((time.perf_counter() - start) * 1000, 1)
    if not kept:
        reason = refusal.NO_ANSWER if saw_refusal or not dropped else refusal.UNSUPPORTED
        yield from refuse(turn, reason, tuple(dropped))
        return
    citations = tuple(by_n[n].citation("".join(qs)) for n, qs in quotes.items())
    for citation in citations:
        yield CitationEvent(citation)
    yield DoneEvent(
        Answer(
            answer="".join(kept),
            refused=False,
            citations=citations,
            dropped=tuple(dropped),
            timings_ms=dict(turn.timings),
            question=turn.question,
            standalone_question=turn.standalone,
        )
    )
