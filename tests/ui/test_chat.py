from __future__ import annotations

from pathlib import Path

from rag.feedback import FeedbackStore
from tests.ui.fakes import QUOTE, TITLE, FakeAssistant
from ui.chat import LOADING_TEXT, ChatSession, record_feedback, run_turn


def test_turn_streams_then_ends_with_cited_answer_and_source_cards() -> None:
    fake = FakeAssistant()
    session = ChatSession()
    views = list(run_turn(fake, "铜梁区2023年规上工业总产值是多少？", session, "citizen"))
    assert views[0].text == LOADING_TEXT
    assert any(not v.done and "757.2亿元" in v.text for v in views)  # tokens shown before the end
    final = views[-1]
    assert final.done and not final.refused
    assert '757.2亿元<sup class="cite-ref">[1]</sup>' in final.text
    assert TITLE in final.sources and f'<mark class="hl">{QUOTE}</mark>' in final.sources
    assert "查看原文上下文" in final.sources  # context from document_text
    assert fake.calls[0][2] == "citizen"


def test_follow_up_sends_history() -> None:
    fake = FakeAssistant()
    session = ChatSession()
    list(run_turn(fake, "铜梁区2023年规上工业总产值是多少？", session, "citizen"))
    list(run_turn(fake, "那增长了多少？", session, "citizen"))
    assert fake.calls[0][1] == ()
    assert fake.calls[1][1] == (("铜梁区2023年规上工业总产值是多少？", "2023年规上工业总产值757.2亿元[1]。"),)


def test_refusal_is_plain_and_carries_a_suggestion() -> None:
    session = ChatSession()
    final = list(run_turn(FakeAssistant(), "北京市对新型储能项目的补贴标准是什么？", session, "citizen"))[-1]
    assert final.refused and final.done
    assert final.text.startswith("抱歉，现有文件中没有找到")
    assert "12345" in final.text
    assert final.sources == ""
    assert session.turns[-1].answer is not None and session.turns[-1].answer.refused


def test_suggestion_comes_from_the_answers_module() -> None:
    from rag.assistant import REFUSAL_SUGGESTION

    final = list(run_turn(FakeAssistant(), "北京市对新型储能项目的补贴标准是什么？", ChatSession(), "citizen"))[-1]
    assert final.text.endswith(REFUSAL_SUGGESTION)


def test_errors_are_shown_and_kept_out_of_history() -> None:
    session = ChatSession()
    final = list(run_turn(FakeAssistant(), "boom", session, "staff"))[-1]
    assert final.error and "RAG_LLM_BASE_URL" in final.text  # staff see what to fix
    assert session.turns == [] and session.history() == []
    citizen = list(run_turn(FakeAssistant(), "boom", ChatSession(), "citizen"))[-1]
    assert citizen.error and "RAG_" not in citizen.text and citizen.text.startswith("抱歉")


def test_citizen_never_sees_internal_cards_but_staff_does() -> None:
    fake = FakeAssistant()
    fake.internal_citation = True
    citizen = list(run_turn(fake, "产值？", ChatSession(), "citizen"))[-1]
    staff = list(run_turn(fake, "产值？", ChatSession(), "staff"))[-1]
    assert "secret.txt" not in citizen.sources
    assert "secret.txt" in staff.sources
    assert fake.calls[-1][2] == "staff"


def test_dropped_sentences_are_noted_for_staff_only() -> None:
    fake = FakeAssistant()
    fake.dropped = True
    assert "已删除 1 句" in list(run_turn(fake, "产值？", ChatSession(), "staff"))[-1].text
    assert "已删除" not in list(run_turn(fake, "产值？", ChatSession(), "citizen"))[-1].text


def test_feedback_rates_the_latest_answer_once(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    session = ChatSession()
    assert record_feedback(store, session, "up", "", "citizen") == "还没有可以评价的回答。"
    list(run_turn(FakeAssistant(), "铜梁区2023年规上工业总产值是多少？", session, "citizen"))
    assert record_feedback(store, session, "down", "想看更多", "citizen").startswith("感谢")
    assert "已经评价过" in record_feedback(store, session, "down", "", "citizen")
    [entry] = store.entries()
    assert entry.rating == "down" and entry.comment == "想看更多"
    assert entry.question == "铜梁区2023年规上工业总产值是多少？"
    assert entry.citations[0]["n"] == 1
