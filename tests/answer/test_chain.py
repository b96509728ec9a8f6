"""The answer chain end to end over a fake retriever: events, verification, refusal, routing, injection."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rag.answer.backends import make_backend
from rag.answer.chain import AnswerChain
from rag.answer.passages import Passage
from rag.answer.refusal import OUT_OF_SCOPE, UNSUPPORTED, refusal_text
from rag.events import CitationEvent, DoneEvent, DroppedEvent, RefusalEvent, TokenEvent
from rag.settings import Settings

from .conftest import INJECTION, TONGLIANG_CARD, TONGLIANG_META, corpus_hits, fake_search, make_hit
from .fake_llm import fake_backend


def strip_marks(text: str) -> str:
    return re.sub(r"\[\d+\]", "", text)


def chain(settings: Settings, hits=None, backend=None) -> AnswerChain:  # type: ignore[no-untyped-def]
    return AnswerChain(
        fake_search(hits if hits is not None else corpus_hits()),
        backend or make_backend(settings),
        settings,
    )


def test_stream_emits_tokens_citations_and_one_done(settings: Settings) -> None:
    events = list(chain(settings).stream("铜梁区2023年规上工业总产值是多少？"))
    assert isinstance(events[0], TokenEvent) and "757.2亿元" in events[0].text
    assert [type(e) for e in events].count(DoneEvent) == 1 and isinstance(events[-1], DoneEvent)
    answer = events[-1].answer
    assert not answer.refused and "757.2亿元" in answer.answer and answer.answer.endswith("[1]。")
    citation = next(e for e in events if isinstance(e, CitationEvent)).citation
    assert citation == answer.citations[0]
    assert citation.source == "000_d5e02e9cc017770c.txt"
    assert "757.2亿元" in citation.quote and citation.quote in citation.passage
    assert citation.meta["title"].startswith("重庆市铜梁区")
    assert {"retrieve", "generate"} <= set(answer.timings_ms)


def test_unanswerable_question_refuses_without_calling_the_backend(settings: Settings) -> None:
    class Exploding:
        name = "boom"

        def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]:
            raise AssertionError("backend must not be asked below the evidence threshold")

        def complete(self, prompt: str) -> str | None:
            return None

    events = list(chain(settings, backend=Exploding()).stream("北京市对新型储能项目的补贴标准是什么？"))
    assert isinstance(events[0], RefusalEvent) and events[0].reason == OUT_OF_SCOPE  # no passage is about 北京市
    answer = events[-1].answer
    assert answer.refused and answer.answer == refusal_text() and "12345" in answer.answer
    assert answer.citations == ()


def test_hallucinated_figure_is_dropped_and_reported(settings: Settings) -> None:
    events = list(
        chain(settings, backend=fake_backend(settings, "hallucinate")).stream("铜梁区2023年规上工业总产值是多少？")
    )
    dropped = [e for e in events if isinstance(e, DroppedEvent)]
    assert len(dropped) == 1 and "0.87" in dropped[0].sentence
    answer = events[-1].answer
    assert "757.2亿元" in answer.answer and "0.87" not in answer.answer
    assert answer.dropped == (dropped[0].sentence,)
    assert all("0.87" not in e.text for e in events if isinstance(e, TokenEvent))


def test_answer_becomes_refusal_when_nothing_survives_verification(settings: Settings) -> None:
    class Liar:
        name = "liar"

        def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]:
            yield "规上工业总产值为9999亿元[1]。"

        def complete(self, prompt: str) -> str | None:
            return None

    events = list(chain(settings, backend=Liar()).stream("铜梁区2023年规上工业总产值是多少？"))
    assert [type(e) for e in events] == [DroppedEvent, RefusalEvent, DoneEvent]
    assert events[1].reason == UNSUPPORTED
    assert events[-1].answer.refused and events[-1].answer.dropped == ("规上工业总产值为9999亿元[1]。",)


def test_injection_document_changes_no_answer(settings: Settings) -> None:
    poisoned = [*corpus_hits(), make_hit("evil", INJECTION, source="evil.txt", title="铜梁区新型储能补贴说明")]
    for backend in (make_backend(settings), fake_backend(settings)):
        question = "铜梁区2023年规上工业总产值是多少？"
        clean = chain(settings, backend=backend).invoke(question)
        dirty = chain(settings, hits=poisoned, backend=backend).invoke(question)
        assert strip_marks(dirty.answer) == strip_marks(clean.answer) and dirty.refused == clean.refused
        assert [c.chunk_id for c in dirty.citations] == [c.chunk_id for c in clean.citations]
        assert (
            "100万元" not in chain(settings, hits=poisoned, backend=backend).invoke("铜梁区新型储能补贴是多少？").answer
        )


def test_follow_up_is_rewritten_before_retrieval(settings: Settings) -> None:
    history = [("铜梁区2023年规上工业总产值是多少？", "2023年,全年规上工业总产值实现757.2亿元[1]。")]
    answer = chain(settings).invoke("工业投资呢？", history=history)
    assert answer.standalone_question.startswith("铜梁区2023年工业投资")
    assert "24.9%" in answer.answer and not answer.refused


def test_issuer_question_is_answered_from_the_metadata_card_with_a_verifiable_citation(settings: Settings) -> None:
    answer = chain(settings).invoke("铜经信函〔2024〕54号是哪个机关发的？")
    assert not answer.refused and "发文机关：重庆市铜梁区经济和信息化委员会" in answer.answer
    assert answer.citations[0].chunk_id == "tc"


def test_two_metadata_fields_are_both_answered(settings: Settings) -> None:
    answer = chain(settings).invoke("铜梁区第126号建议的复函文号和成文日期是什么？")
    assert "铜经信函〔2024〕54号" in answer.answer and "2024-06-04" in answer.answer
    assert {c.source for c in answer.citations} == {"000_d5e02e9cc017770c.txt"}


def test_metadata_answers_respect_visibility(settings: Settings) -> None:
    hits = [make_hit("tc", TONGLIANG_CARD, visibility="internal", heading_path="文件信息", **TONGLIANG_META)]
    c = AnswerChain(fake_search(hits), make_backend(settings), settings)
    assert c.invoke("铜经信函〔2024〕54号是哪个机关发的？", audience="citizen").refused
    assert not c.invoke("铜经信函〔2024〕54号是哪个机关发的？", audience="staff").refused


def test_as_runnable_is_an_lcel_pipeline_streaming_events(settings: Settings) -> None:
    runnable = chain(settings).as_runnable()
    events = list(runnable.stream({"question": "铜梁区科技型企业总量达到多少家？"}))
    assert isinstance(events[-1], DoneEvent) and "1284家" in events[-1].answer.answer


def test_reply_template_drives_llm_backends_and_is_validated(settings: Settings) -> None:
    import pytest

    backend = fake_backend(settings)
    c = AnswerChain(fake_search(corpus_hits()), backend, settings, template="reply")
    assert backend.template == "reply" and c.template == "reply"
    with pytest.raises(ValueError):
        AnswerChain(fake_search(corpus_hits()), make_backend(settings), settings, template="x")
