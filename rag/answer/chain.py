"""The answer chain: rewrite -> (metadata route | retrieve -> evidence gate -> generate -> verify) -> events.

Built as an LCEL pipeline (``as_runnable``) whose last step streams typed events; CLI, UI and the
eval harness only render them. Grounding is enforced here, not hoped for: below the evidence
threshold the chain refuses without asking the backend, and every generated sentence is verified
against the passages it cites before it is streamed, so no unverified text ever reaches a user.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda

from index.records import Filter, Hit
from index.textnorm import fold
from rag.answer import refusal
from rag.answer.backends import AnswerBackend
from rag.answer.citations import cited_numbers, extract, is_supported, normalise, split_sentences, verify_sentence
from rag.answer.evidence import Evidence, assess, bigrams, missing_constraints
from rag.answer.extractive import sub_questions
from rag.answer.facts import (
    asks_reporter,
    doc_type_of,
    event_sentence,
    issuing_notice,
    news_credit,
    page_labels,
    page_line,
    period_of,
    salutation,
    speaker_for,
    visibility_line,
)
from rag.answer.passages import Passage, display_text, from_hits, is_section_lead
from rag.answer.query import MetaIntent, QueryTerms, key_terms, metadata_intent, place_in, rewrite
from rag.answer.scope import named_documents
from rag.answer.subject import heading_root
from rag.documents.chunking import CARD_HEADING
from rag.events import ChainEvent, CitationEvent, DoneEvent, DroppedEvent, RefusalEvent, TokenEvent
from rag.models import Answer, DocumentRecord
from rag.settings import Settings

log = logging.getLogger(__name__)

Search = Callable[[str, int, Filter | None, str], list[Hit]]
Docs = Callable[[], list[DocumentRecord]]
Rerank = Callable[[str, list[Hit]], list[Hit]]
_END = "。！？!?；;,，：: \n"
_SIGNED_DATE = re.compile(r"落款|成文|签发|发文日期|印发日期|印发时间")


@dataclass
class _State:
    """What flows from the prepare step to the respond step of the runnable."""

    question: str
    standalone: str
    audience: str
    flt: Filter | None
    intent: MetaIntent | None
    hits: list[Hit]
    timings: dict[str, float] = field(default_factory=dict)
    pool: list[Hit] = field(default_factory=list)  # more retrieved chunks: section leads, compound parts


def _position(hit: Hit) -> int:
    position = hit.meta.get("position")
    return position if isinstance(position, int) else 10**6


def _label(title: str, passage: str) -> str:
    """How a sentence citing ``passage`` names its document: the title, unless that brings figures the
    passage itself does not state (readers and the eval check figures against the cited passage)."""
    if not title or (extract(title) and fold(title) not in fold(passage)):
        return f"该{doc_type_of(title) or '文件'}"
    return f"《{title}》"


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def _iso_to_chinese(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 3:
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    if len(parts) == 2:
        return f"{int(parts[0])}年{int(parts[1])}月"
    return f"{parts[0]}年"


def best_quote(sentence: str, passage_text: str) -> str:
    """The passage sentence that an answer sentence rests on: most shared figures, then most shared bigrams."""
    answer_figs = {f.key for f in extract(sentence)}
    answer_grams = bigrams(fold(sentence))
    best, best_score = "", -1.0
    for candidate in split_sentences(passage_text):
        figs = {f.key for f in extract(candidate)}
        score = 10 * len(answer_figs & figs) + len(answer_grams & bigrams(fold(candidate)))
        if score > best_score:
            best, best_score = candidate, score
    return best


class AnswerChain:
    """Grounded answers with verified citations over a retriever and a document registry."""

    def __init__(
        self,
        search: Search,
        docs: Docs,
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
        self.docs = docs
        self.llm = llm
        self.settings = settings
        self.rerank = rerank
        self._runnable: Runnable[dict[str, Any], ChainEvent] = (
            RunnableLambda(self._prepare).with_config(run_name="rewrite_and_retrieve")
            | RunnableGenerator(self._respond).with_config(run_name="generate_and_verify")
        ).with_config(run_name="answer_chain")

    # -- public API ---------------------------------------------------------------------------

    def as_runnable(self) -> Runnable[dict[str, Any], ChainEvent]:
        """The LCEL pipeline; input {"question", "history", "audience", "flt"}, streamed output: ChainEvents."""
        return self._runnable

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: str = "citizen",
        flt: Filter | None = None,
    ) -> Iterator[ChainEvent]:
        """Events in order: tokens (verified sentences), dropped sentences, citations, a refusal if any, done."""
        yield from self._runnable.stream(
            {"question": question, "history": list(history), "audience": audience, "flt": flt}
        )

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
        raise RuntimeError("answer chain ended without a DoneEvent")  # pragma: no cover - _respond always ends with one

    # -- steps --------------------------------------------------------------------------------

    def _prepare(self, inputs: Mapping[str, Any]) -> _State:
        question = str(inputs["question"])
        history = [(str(u), str(a)) for u, a in inputs.get("history") or ()]
        audience = str(inputs.get("audience") or "citizen")
        flt = inputs.get("flt")
        timings: dict[str, float] = {}
        start = time.perf_counter()
        standalone = rewrite(question, history, llm=self.llm.complete if history else None)
        timings["rewrite"] = _ms(start)
        start = time.perf_counter()
        flt = self._scope(standalone, flt)
        pool = list(self.search(standalone, max(self.settings.top_k * 3, 15), flt, audience))
        hits = pool[: self.settings.top_k]
        if self.rerank is not None and hits:
            hits = self.rerank(standalone, hits)
        timings["retrieve"] = _ms(start)
        log.debug("问题 %r 改写为 %r，检索到 %d 段", question, standalone, len(hits))
        return _State(question, standalone, audience, flt, metadata_intent(standalone), hits, timings, pool)

    def _respond(self, states: Iterator[_State]) -> Iterator[ChainEvent]:
        for state in states:
            start = time.perf_counter()
            routed = self._metadata_events(state) if state.intent else None
            if routed is not None:
                yield from routed
                continue
            yield from self._answer_events(state, start)

    # -- ordinary answers ---------------------------------------------------------------------

    def _answer_events(self, state: _State, start: float) -> Iterator[ChainEvent]:
        hits = list(state.hits)
        parts = sub_questions(state.standalone)
        if len(parts) > 1:
            # each part of a compound (or cross-document) question needs its own passages
            hits += [h for h in state.pool[len(hits) : 2 * len(hits)] if h not in hits]
            if any(set(key_terms(p).places) != set(key_terms(parts[0]).places) for p in parts[1:]):
                for part in parts[1:]:
                    try:
                        extra = self.search(part, self.settings.top_k, state.flt, state.audience)
                    except Exception as exc:  # the whole question was retrieved already
                        log.warning("分项检索“%s”失败：%s", part, exc)
                        continue
                    known = {h.id for h in hits}
                    hits += [h for h in extra if h.id not in known]
        terms = key_terms(state.standalone)
        passages = from_hits(hits, [*state.pool, *self._missing_leads(state, hits, terms)])
        # a compound question is covered when every part is (铜梁区…？合川区…？ names no passage's both places)
        evidence = min((assess(key_terms(p), passages) for p in parts), key=lambda e: e.score)
        # A reply draft covers a matter, not a question: the question-shaped gate does not apply, but
        # every drafted sentence is still verified against the passage it cites.
        gated = self.template != "reply" and evidence.score < self.settings.evidence_threshold
        if not passages or gated:
            state.timings["generate"] = 0.0
            yield from self._refuse(state, self._gate_reason(passages, evidence), ())
            return
        yield from self._generate_and_verify(state, passages, self.llm.generate(state.standalone, passages), start)

    def _missing_leads(self, state: _State, hits: Sequence[Hit], terms: QueryTerms) -> list[Hit]:
        """Opening chunks of sections whose subject is unknown (at most two lookups, only when a place is asked).

        A speech collection names the speaker's district only in a section's first lines; without
        them a chunk of that section can answer no question about a place.
        """
        if not terms.places:
            return []
        known = {(str(h.meta.get("source", "")), heading_root(h.meta)) for h in state.pool if is_section_lead(h)}
        wanted: list[tuple[str, str]] = []
        for hit in hits:
            key = (str(hit.meta.get("source", "")), heading_root(hit.meta))
            if (
                key[1]
                and key not in known
                and key not in wanted
                and all(
                    not place_in(p, fold(display_text(hit) + " " + key[1] + " " + str(hit.meta.get("title", ""))))
                    for p in terms.places
                )
            ):
                wanted.append(key)
        found: list[Hit] = []
        start = time.perf_counter()
        for source, root in wanted[:2]:
            flt = (state.flt or Filter()).with_equals("source", [source]).with_equals("heading_path", [root])
            try:
                found += self.search(root, 1, flt, state.audience)
            except Exception as exc:  # an optional refinement must not fail the answer
                log.warning("查找章节开头“%s”失败：%s", root, exc)
        state.timings["section_lookup"] = _ms(start)
        return found

    @staticmethod
    def _gate_reason(passages: Sequence[Passage], evidence: Evidence) -> str:
        if not passages:
            return refusal.NO_EVIDENCE
        return refusal.LOW_COVERAGE

    def _generate_and_verify(
        self, state: _State, passages: Sequence[Passage], pieces: Iterator[str], start: float
    ) -> Iterator[ChainEvent]:
        by_number = {p.n: p.evidence_citation() for p in passages}
        kept: list[str] = []
        dropped: list[str] = []
        quotes: dict[int, list[str]] = {}
        saw_refusal = False
        refusal_norm = normalise(refusal.refusal_text())

        def handle(sentence: str) -> Iterator[ChainEvent]:
            nonlocal saw_refusal
            if refusal.is_refusal(sentence) or (len(sentence) > 4 and normalise(sentence) in refusal_norm):
                saw_refusal = True
                return
            problem = verify_sentence(sentence, by_number)
            if problem is not None:
                log.info("丢弃未通过引用核验的句子：%s（%s）", problem.sentence, problem.reason)
                dropped.append(problem.sentence)
                yield DroppedEvent(problem.sentence, problem.reason)
                return
            numbers = cited_numbers(sentence)
            if not numbers:
                return  # connectives without a source are not part of a grounded answer
            for n in numbers:
                quote = best_quote(sentence, by_number[n].passage)
                if quote and quote not in quotes.setdefault(n, []):
                    quotes[n].append(quote)
            kept.append(sentence)
            yield TokenEvent(sentence)

        buffer = ""
        for piece in pieces:
            buffer += piece
            sentences = split_sentences(buffer)
            if len(sentences) > 1:
                for sentence in sentences[:-1]:
                    yield from handle(sentence)
                buffer = buffer[buffer.rfind(sentences[-1]) :]
        for sentence in split_sentences(buffer):
            yield from handle(sentence)
        state.timings["generate"] = _ms(start)

        if not kept:
            reason = refusal.NO_ANSWER if saw_refusal or not dropped else refusal.UNSUPPORTED
            yield from self._refuse(state, reason, tuple(dropped))
            return
        by_n = {p.n: p for p in passages}
        citations = tuple(by_n[n].citation("".join(qs)) for n, qs in quotes.items())
        for citation in citations:
            yield CitationEvent(citation)
        answer = Answer(
            answer="".join(kept),
            refused=False,
            citations=citations,
            dropped=tuple(dropped),
            timings_ms=dict(state.timings),
            question=state.question,
            standalone_question=state.standalone,
        )
        yield DoneEvent(answer)

    def _refuse(self, state: _State, reason: str, dropped: tuple[str, ...]) -> Iterator[ChainEvent]:
        text = refusal.refusal_text()
        state.timings.setdefault("generate", 0.0)
        yield RefusalEvent(text, reason)
        yield DoneEvent(
            Answer(
                answer=text,
                refused=True,
                citations=(),
                dropped=dropped,
                timings_ms=dict(state.timings),
                question=state.question,
                standalone_question=state.standalone,
            )
        )

    # -- metadata route -------------------------------------------------------------------------

    def _scope(self, question: str, flt: Filter | None) -> Filter | None:
        """Restrict retrieval to the documents the question names, unless the caller chose sources."""
        if flt is not None and "source" in flt.equals:
            return flt
        docs = {d.source: d for d in self.docs()}
        named = named_documents(question, {source: d.meta.title for source, d in docs.items()})
        if not named:
            return flt
        # a place the named documents are not about belongs to another part (cross-document question)
        about = " ".join(f"{docs[s].meta.title} {docs[s].meta.region or ''}" for s in named)
        if any(place.rstrip("区县市") not in about for place in key_terms(question).places):
            return flt
        return (flt or Filter()).with_equals("source", named)

    def _visible_docs(self, state: _State) -> list[DocumentRecord]:
        docs = self.docs()
        if state.audience != "staff":
            docs = [d for d in docs if d.visibility == "public"]
        if state.flt is not None and not state.flt.is_empty():
            docs = [d for d in docs if state.flt.matches(self._doc_meta(d))]
        return docs

    @staticmethod
    def _doc_meta(doc: DocumentRecord) -> dict[str, Any]:
        meta: dict[str, Any] = dict(doc.meta.to_dict())
        meta.update(source=doc.source, visibility=doc.visibility)
        return meta

    def _find_document(self, state: _State, terms: QueryTerms) -> DocumentRecord | None:
        docs = self._visible_docs(state)
        asked_numbers = [f.text for f in extract(state.standalone) if f.kind == "doc_number"]
        for doc in docs:
            if doc.meta.doc_number and any(is_supported(n, doc.meta.doc_number) for n in asked_numbers):
                return doc
        by_source = {d.source: d for d in docs}
        for hit in state.hits:
            found = by_source.get(str(hit.meta.get("source", "")))
            if found is None:
                continue
            m = found.meta
            about = fold(" ".join(filter(None, [m.title, m.region, m.doc_number, m.issuer])))
            if not missing_constraints(replace(terms, numbers=()), about + " " + fold(display_text(hit))):
                return found
        return None

    def _metadata_events(self, state: _State) -> Iterator[ChainEvent] | None:
        found = self._metadata_answer(state)
        if found is None:
            return None
        passage, sentence = found
        start = time.perf_counter()
        return self._generate_and_verify(state, [passage], iter([f"{sentence.rstrip(_END)}[1]。"]), start)

    def _metadata_answer(self, state: _State) -> tuple[Passage, str] | None:
        """The passage and the sentence answering a metadata question, or None to answer it as usual."""
        if state.intent == "speaker":
            return self._speaker(state)
        if state.intent == "meeting_date":
            return self._event(state, state.hits + state.pool, r"召开|举行|举办|开幕", state.standalone)
        doc = self._find_document(state, key_terms(state.standalone))
        if doc is None:
            return None
        meta = doc.meta
        subject = f"《{meta.title}》" if meta.title else doc.source
        q = state.standalone
        if state.intent == "doc_type":
            kind = doc_type_of(meta.title) or meta.doc_type
            if issuing_notice(meta.title) and not re.search("印发|通知", q) and meta.doc_type:
                kind = meta.doc_type  # 行动方案是什么文种 asks about the issued 方案, not the notice
            if not kind:
                return None
            return self._title_passage(state, doc), f"{subject}的文种是{kind}"
        if state.intent == "period":
            period = period_of(meta.title)
            return (self._title_passage(state, doc), f"据标题{subject}，实施期限为{period}") if period else None
        if state.intent == "visibility":
            for hit in self._doc_hits(state, doc, "此件主动公开 依申请公开 公开属性"):
                line = visibility_line(display_text(hit))
                if line is not None:
                    label = _label(meta.title, display_text(hit))
                    return self._passage(hit), f"{label}注明“{line.quote}”，公开属性为{line.value}"
            return None
        if state.intent == "page_info":
            return self._page_info(state, doc)
        if state.intent == "proposer":
            for hit in self._doc_hits(state, doc, "代表 您提出的建议已收悉", by_position=True):
                greeting = salutation(display_text(hit))
                if greeting is not None:
                    return self._passage(hit), greeting.quote
            return None
        if state.intent == "date" and "发布" in q and not _SIGNED_DATE.search(q):
            # 几月几日发布的 asks when it was published (9月15日,…发布…的通知), not the date it was signed
            event = self._event(state, self._doc_hits(state, doc, f"发布 {meta.title}"), "发布", meta.title)
            if event is not None:
                return event
        return self._card_answer(state, doc, subject)

    def _page_info(self, state: _State, doc: DocumentRecord) -> tuple[Passage, str] | None:
        """A page line (来源:/更新时间:) with the asked labels; for who reported the story, or a 来源 the
        page does not label, the story's opening credit ("北极星输配电网获悉", "华龙网记者从…获悉")."""
        title, labels = doc.meta.title, page_labels(state.standalone)
        hits = self._doc_hits(state, doc, f"{title} 来源 更新时间 日期 获悉", by_position=True)
        if not asks_reporter(state.standalone):
            for hit in hits:
                page = page_line(display_text(hit), labels)
                if page is not None:
                    return self._passage(hit), f"{_label(title, display_text(hit))}页面标注：{page.quote}"
        if "来源" not in labels and not asks_reporter(state.standalone):
            return None
        for hit in hits:
            credit = news_credit(display_text(hit))
            if credit is not None:
                label = _label(title, display_text(hit))
                return self._passage(hit), f"{label}开篇写明“{credit.quote}”，消息来自{credit.value}"
        return None

    def _card_answer(self, state: _State, doc: DocumentRecord, subject: str) -> tuple[Passage, str] | None:
        meta = doc.meta
        if state.intent == "doc_number" and meta.doc_number:
            facts, sentence = [meta.doc_number], f"{subject}的文号是{meta.doc_number}"
        elif state.intent == "issuer" and meta.issuer:
            facts = [meta.issuer, meta.doc_number] if meta.doc_number else [meta.issuer]
            sentence = f"{meta.doc_number or subject}由{meta.issuer}印发"
        elif state.intent == "date" and meta.date:
            facts = [_iso_to_chinese(meta.date)]
            sentence = f"{subject}的印发日期是{facts[0]}"
        else:
            return None
        return self._citing_passage(state, doc, facts), sentence

    def _speaker(self, state: _State) -> tuple[Passage, str] | None:
        """The byline of the speech given by the body the question names ("铜梁区委书记 谭庆")."""
        hits = list(state.hits) + list(state.pool)
        byline = speaker_for(state.standalone, [display_text(h) for h in hits])
        if byline is None:
            return None
        hit = next(h for h in hits if byline.quote in display_text(h))
        return self._passage(hit), f"发言者为{byline.name}，署名“{byline.quote}”"

    def _event(self, state: _State, hits: Sequence[Hit], verbs: str, about: str) -> tuple[Passage, str] | None:
        """The first (best-ranked) chunk's sentence dating an event (召开/发布) about ``about``, quoted verbatim."""
        for hit in hits:
            line = event_sentence(display_text(hit), verbs, about)
            if line is not None:
                return self._passage(hit), line.quote
        return None

    def _doc_hits(self, state: _State, doc: DocumentRecord, query: str, *, by_position: bool = False) -> list[Hit]:
        """Retrieved chunks of one document, then more of them found with ``query`` (opening chunks first)."""
        hits = [h for h in [*state.hits, *state.pool] if h.meta.get("source") == doc.source]
        flt = (state.flt or Filter()).with_equals("source", [doc.source])
        try:
            hits += self.search(query, max(self.settings.top_k * 2, 10), flt, state.audience)
        except Exception as exc:  # an optional lookup must not fail the answer
            log.warning("在《%s》中查找“%s”失败：%s", doc.meta.title, query, exc)
        unique = list({h.id: h for h in hits}.values())
        if by_position:
            unique.sort(key=_position)
        return unique

    def _title_passage(self, state: _State, doc: DocumentRecord) -> Passage:
        """The document's metadata card, else a chunk stating its title, else its metadata record."""
        hits = self._doc_hits(state, doc, f"{CARD_HEADING} {doc.meta.title}", by_position=True)
        card = next((h for h in hits if str(h.meta.get("heading_path") or "") == CARD_HEADING), None)
        if card is not None:
            return self._passage(card)
        title = fold(doc.meta.title)
        titled = next((h for h in hits if title and title in fold(display_text(h))), None)
        return self._passage(titled) if titled is not None else self._citing_passage(state, doc, [doc.meta.title])

    @staticmethod
    def _passage(hit: Hit) -> Passage:
        return replace(from_hits([hit])[0], n=1)

    def _citing_passage(self, state: _State, doc: DocumentRecord, facts: Sequence[str]) -> Passage:
        """A chunk of the document that states the facts; else the document's metadata record, cited as such."""
        flt = (state.flt or Filter()).with_equals("source", [doc.source])
        candidates = [h for h in state.hits if h.meta.get("source") == doc.source]
        try:
            candidates += self.search(" ".join(facts), self.settings.top_k, flt, state.audience)
        except Exception as exc:  # the metadata answer must not fail because a second search did
            log.warning("查找含有“%s”的段落失败：%s", "、".join(facts), exc)

        def states(fact: str, text: str) -> bool:
            return fold(fact) in fold(text) or bool(extract(fact) and is_supported(fact, text))

        for hit in candidates:
            text = display_text(hit)
            if all(states(fact, text) for fact in facts):
                return replace(from_hits([hit])[0], n=1)
        meta = doc.meta
        record = "\n".join(
            line
            for line in (
                f"标题：{meta.title}",
                f"文号：{meta.doc_number}" if meta.doc_number else "",
                f"发文机关：{meta.issuer}" if meta.issuer else "",
                f"日期：{_iso_to_chinese(meta.date)}" if meta.date else "",
                f"文种：{meta.doc_type}" if meta.doc_type else "",
            )
            if line
        )
        hit_meta = self._doc_meta(doc)
        return Passage(1, f"{doc.source}#meta", doc.source, meta.title, record, record, hit_meta)
