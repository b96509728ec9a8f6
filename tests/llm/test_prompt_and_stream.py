"""The small-context prompt (fence, trimming to a token budget, best sentences first) and stream handling."""

from __future__ import annotations

import pytest

from rag.answer.chain import AnswerChain
from rag.answer.passages import from_hits
from rag.answer.refusal import NO_ANSWER, refusal_text
from rag.errors import LLMError
from rag.events import DoneEvent, RefusalEvent, TokenEvent
from rag.llm.prompt import answer_messages, approx_tokens, fit_passages, ranked_sentences
from rag.llm.think import ThinkFilter, strip_think
from rag.settings import Settings
from tests.answer.conftest import TONGLIANG, TONGLIANG_2, corpus_hits, fake_search, make_hit
from tests.llm.fakes import ScriptedLLM

QUESTION = "铜梁区2023年规上工业总产值是多少？"


def chars(text: str) -> int:
    """A tokenizer stand-in whose counts are easy to reason about."""
    return len(text)


# -- <think> --------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [1, 2, 3, 5, 7, 100])
def test_think_blocks_are_removed_however_the_stream_is_cut(step: int) -> None:
    text = "<think>先想想：999亿元？</think>产值为757.2亿元[1]。<think>再想</think>完毕[1]。"
    chunks = [text[i : i + step] for i in range(0, len(text), step)]
    assert "".join(strip_think(chunks)) == "产值为757.2亿元[1]。完毕[1]。"


def test_text_that_only_looks_like_a_tag_start_is_kept_and_an_unclosed_block_is_dropped() -> None:
    assert "".join(strip_think(["a <thin", "g> b <", "3"])) == "a <thing> b <3"
    flt = ThinkFilter()
    assert flt.feed("答案[1]。<think>未完") == "答案[1]。" and flt.flush() == ""


def test_a_stray_closing_tag_drops_the_reasoning_before_it() -> None:
    assert "".join(strip_think(["推理过程</think>产值757.2亿元[1]。"])) == "产值757.2亿元[1]。"


# -- prompt ---------------------------------------------------------------------------------------


def test_sentences_most_like_the_question_come_first() -> None:
    ranked = ranked_sentences(QUESTION, TONGLIANG)
    assert "757.2亿元" in ranked[0] and "习近平" in ranked[-1]


def test_passages_are_trimmed_to_the_budget_round_robin_best_sentences_first() -> None:
    passages = from_hits([make_hit("a", TONGLIANG), make_hit("b", TONGLIANG_2 + "另有说明。" * 40)])
    full = fit_passages(QUESTION, passages, 10_000, chars)
    tight = fit_passages(QUESTION, passages, 350, chars)
    assert sum(map(len, tight)) <= 350 < sum(map(len, full))
    assert len(tight) == 2 and "757.2亿元" in tight[0] and "习近平" not in tight[0]
    assert "323家" in tight[1]  # every passage keeps its best sentence before any keeps a second


def test_the_whole_prompt_fits_the_context_counted_with_the_given_tokenizer() -> None:
    hits = [make_hit(f"c{i}", TONGLIANG + TONGLIANG_2) for i in range(5)]
    for context in (1024, 2048):
        messages = answer_messages(
            QUESTION, from_hits(hits), max_sentences=3, context_tokens=context, max_tokens=200, count=approx_tokens
        )
        used = approx_tokens(messages.system) + approx_tokens(messages.user)
        assert used <= context - 200
    assert "<<<资料1>>>" in messages.user and messages.user.rstrip().endswith("无法回答）")


def test_approximate_count_over_counts_chinese_and_counts_ascii_by_three() -> None:
    assert approx_tokens("规上工业总产值") == 7 and approx_tokens("abcdef") == 2


# -- the backend's stream through the chain -------------------------------------------------------


def chain_with(settings: Settings, llm: ScriptedLLM) -> AnswerChain:
    return AnswerChain(fake_search(corpus_hits()), llm, settings)


def test_the_refusal_word_becomes_the_refusal_even_with_a_citation(settings: Settings) -> None:
    events = list(chain_with(settings, ScriptedLLM("无法回答[1]。")).stream(QUESTION))
    refusal = next(e for e in events if isinstance(e, RefusalEvent))
    assert refusal.reason == NO_ANSWER and events[-1].answer.answer == refusal_text()
    assert not [e for e in events if isinstance(e, TokenEvent)]


def test_an_answer_that_merely_starts_like_the_refusal_word_is_kept(settings: Settings) -> None:
    llm = ScriptedLLM("无法确定的是……；全年规上工业总产值实现757.2亿元[1]。", chunk=1)
    answer = chain_with(settings, llm).invoke(QUESTION)
    assert not answer.refused and "757.2亿元[1]" in answer.answer


def test_an_empty_answer_is_an_error_not_a_refusal(settings: Settings) -> None:
    for reply in ("", "   ", "<think>只有思考</think>"):
        with pytest.raises(LLMError, match="空回答") as info:
            list(chain_with(settings, ScriptedLLM(reply)).stream(QUESTION))
        assert info.value.kind == "empty"


def test_tokens_stream_sentence_by_sentence_before_the_model_finishes(settings: Settings) -> None:
    reply = "全年规上工业总产值实现757.2亿元[1]。工业投资增长24.9%[1]。"
    llm = ScriptedLLM(reply, chunk=2)
    events = chain_with(settings, llm).stream(QUESTION)
    first = next(events)
    assert isinstance(first, TokenEvent) and first.text.endswith("[1]。") and "24.9%" not in first.text
    assert llm.closed == 0  # the model is still streaming when the first verified sentence is out
    rest = list(events)
    assert isinstance(rest[-1], DoneEvent) and llm.closed == 1


def test_stopping_the_consumer_closes_the_model_stream(settings: Settings) -> None:
    llm = ScriptedLLM("全年规上工业总产值实现757.2亿元[1]。" * 5, chunk=2)
    events = chain_with(settings, llm).stream(QUESTION)
    assert isinstance(next(events), TokenEvent)
    events.close()  # what the stop button does
    assert llm.closed == 1


def test_the_prompt_the_model_gets_is_trimmed_with_its_own_counter(settings: Settings) -> None:
    llm = ScriptedLLM("全年规上工业总产值实现757.2亿元[1]。", context_tokens=700, max_tokens=100)
    llm.count_tokens = chars  # type: ignore[method-assign]
    chain_with(settings, llm).invoke(QUESTION)
    system, user = (m["content"] for m in llm.requests[0])
    assert len(system) + len(user) <= 700 - 100 and "757.2亿元" in user
