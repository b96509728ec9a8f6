"""The answer pipeline, wired: rewrite -> analyse -> retrieve -> gate -> generate -> verify -> events.

Each stage is a typed function in its own module; this one only joins them and times them:

=========  ===============================  ====================================
stage      function                         output
=========  ===============================  ====================================
rewrite    rag.answer.query.rewrite         standalone question (str)
analyse    rag.answer.query.analyse         Query (answer type, terms, constraints, parts)
retrieve   AnswerChain.retrieve             list[Passage] (sentences analysed once)
gate       rag.answer.gate.assess           Evidence (constraint-meeting passages, ranked sentences)
generate   extractive.compose | metadata |  answer text pieces with [n]
           backend.generate (LLM)
verify     rag.answer.verify                ChainEvents (token, dropped, citation, refusal, done)
=========  ===============================  ====================================

Every backend, the extractive one and LLMs, goes through the same gate and verification.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import chain
from typing import Any

from langchain_core.runnables import Runnable, RunnableGenerator

from index.records import Filter, Hit
from index.textnorm import fold
from rag.answer.backends import AnswerBackend
from rag.answer.citations import extract
from rag.answer.document import untitled
from rag.answer.extractive import ExtractiveBackend, compose
from rag.answer.gate import Evidence, PartEvidence, assess
from rag.answer.metadata import answer_metadata
from rag.answer.passages import Passage, from_hits
from rag.answer.query import Query, analyse, rewrite
from rag.answer.verify import Turn, refuse, verified_events
from rag.events import ChainEvent, DoneEvent
from rag.models import Answer
from rag.settings import Settings

log = logging.getLogger(__name__)

Search = Callable[[str, int, Filter | None, str], list[Hit]]
Rerank = Callable[[str, list[Hit]], list[Hit]]
_END = "。！？!?；;,，：: \n"
SIBLING_DOCUMENTS = 2  # best-ranked documents whose other chunks join the pool


def _label(passage: Passage, quote: str) -> str:
    """《title》 before a metadata quote, unless the quote has it or it brings figures the passage does not state."""
    title = passage.title
    if untitled(passage) or fold(title) in fold(quote):
        return ""  # a page without a title of its own is named by its file (dev_0076): no title to show
    if extract(title) and fold(title) not in fold(passage.text):
        return ""  # readers check figures against the cited passage (a file name like dev_0163 is no title)
    return f"《{title}》"


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


class AnswerChain:
    """Grounded answers with verified citations over a search function and an answer backend."""

    def __init__(
        self,
        search: Search,
        llm: AnswerBackend,
        settings: Settings,
        *,
        rerank: Rerank | None = None,
        template: str = "answer",
    ) -> None:
        if template not in ("answer", "reply"):
            raise ValueError(f"未知的回答模板 {template!r}：可选 answer（问答）或 reply（复函起草）。")
        self.template = template
        if template == "reply" and hasattr(llm, "template"):
            llm.template = template  # LLM backends then draft with prompts/reply.txt; extractive ignores it
        self.search = search
        self.llm = llm
        self.settings = settings
        self.rerank = rerank

    # -- public API ---------------------------------------------------------------------------

    def as_runnable(self) -> Runnable[dict[str, Any], ChainEvent]:
        """The pipeline as a LangChain runnable; input {"question", "history", "audience", "flt"}."""

        def run(inputs: Iterator[Mapping[str, Any]]) -> Iterator[ChainEvent]:
            for i in inputs:
                history = i.get("history") or ()
                yield from self.stream(str(i["question"]), history, i.get("audience") or "citizen", i.get("flt"))

        return RunnableGenerator(run).with_config(run_name="answer_chain")

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: str = "citizen",
        flt: Filter | None = None,
    ) -> Iterator[ChainEvent]:
        """Events in order: tokens (verified sentences), dropped sentences, citations, a refusal if any, done."""
        timings: dict[str, float] = {}
        start = time.perf_counter()
        turns = [(str(u), str(a)) for u, a in history]
        standalone = rewrite(question, turns, llm=self.llm.complete if turns else None)
        query = analyse(standalone)
        timings["rewrite"] = _ms(start)
        start = time.perf_counter()
        passages = self.retrieve(query, flt, audience)
        timings["retrieve"] = _ms(start)
        start = time.perf_counter()
        threshold = 0.0 if self.template == "reply" else self.settings.evidence_threshold
        evidence = assess(query, passages, threshold)
        timings["gate"] = _ms(start)
        turn = Turn(question, standalone, timings)
        log.debug("问题 %r -> %r：%d 段，证据分 %.3f", question, standalone, len(passages), evidence.score)
        if evidence.reason is not None:
            yield from refuse(turn, evidence.reason)
            return
        yield from self._generate(turn, query, evidence, flt, audience)

    def invoke(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: str = "citizen",
        flt: Filter | None = None,
    ) -> Answer:
        """The final verified answer (the DoneEvent's)."""
        for event in self.stream(question, history, audience, flt):
            if isinstance(event, DoneEvent):
                return event.answer
        raise RuntimeError("answer chain ended without a DoneEvent")  # pragma: no cover - stream always ends with one

    # -- stages -------------------------------------------------------------------------------

    def retrieve(self, query: Query, flt: Filter | None, audience: str) -> list[Passage]:
        """The pool: the question's hits, plus each part's own when parts ask about different places."""
        depth = max(self.settings.top_k * 2, self.settings.top_k + 5)
        hits = list(self.search(query.text, depth, flt, audience))
        if self.rerank is not None and hits:
            hits = self.rerank(query.text, hits)
        known = {h.id for h in hits}
        # the best documents' other chunks: a short page's answer may sit in a chunk the question's
        # words rank low (共149项 below the 分工方案 header); parent-document retrieval, within a document
        for document in list(dict.fromkeys(str(h.meta.get("path") or "") for h in hits))[:SIBLING_DOCUMENTS]:
            if document:
                scoped = (flt or Filter()).with_equals("path", [document])
                extra = [h for h in self.search(query.text, self.settings.top_k, scoped, audience) if h.id not in known]
                known.update(h.id for h in extra)
                hits += extra
        if len({part.places for part in query.subqueries}) > 1:
            for part in query.subqueries:
                extra = [h for h in self.search(part.text, self.settings.top_k, flt, audience) if h.id not in known]
                known.update(h.id for h in extra)
                hits += extra
        return from_hits(hits)

    def _documents(self, flt: Filter | None, audience: str, start: int) -> Callable[[str, str], list[Passage]]:
        """Passages of one document (metadata lookups), numbered after the pool's."""
        counter = [start]

        def fetch(text: str, document: str) -> list[Passage]:
            scoped = (flt or Filter()).with_equals("path", [document])
            found = from_hits(self.search(text, self.settings.top_k, scoped, audience), start=counter[0])
            counter[0] += len(found)
            return found

        return fetch

    def _generate(
        self, turn: Turn, query: Query, evidence: Evidence, flt: Filter | None, audience: str
    ) -> Iterator[ChainEvent]:
        """Metadata parts from the record; the rest by the backend: one verified stream."""
        passages = {p.n: p for p in evidence.passages}
        by_chunk = {p.chunk_id: p.n for p in evidence.passages}
        fetch = self._documents(flt, audience, start=max(passages, default=0) + 100)
        texts: list[str] = []
        rest: list[PartEvidence] = []
        for part in evidence.parts:
            found = answer_metadata(part, fetch) if part.query.is_metadata else []
            if not found:
                rest.append(part)
                continue
            for item in found:
                n = by_chunk.setdefault(item.passage.chunk_id, item.passage.n)
                passages.setdefault(n, replace(item.passage, n=n))
                label = _label(item.passage, item.quote)
                texts.append(f"{label}{item.quote.rstrip(_END)}[{n}]。")
        pieces: Iterator[str] = iter(texts)
        if rest:
            if isinstance(self.llm, ExtractiveBackend):
                pieces = chain(pieces, compose(Evidence(tuple(rest)), self.settings.max_answer_sentences))
            else:
                shown = list(evidence.passages[: self.settings.top_k])
                pieces = chain(pieces, self.llm.generate(query.text, shown))
        yield from verified_events(turn, list(passages.values()), pieces)
