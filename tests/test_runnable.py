"""The answer chain as a LangChain Runnable over the facade: every Runnable method, and composition."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from rag.runnable import AnswerRunnable
from tests.ui.fakes import REFUSAL, FakeAssistant

Q = "2023年规上工业总产值是多少？"
ANSWER = "2023年规上工业总产值757.2亿元[1]。"


def test_invoke_returns_a_cited_message() -> None:
    message = AnswerRunnable(assistant=FakeAssistant()).invoke(Q)
    assert isinstance(message, AIMessage) and message.content == ANSWER
    assert message.response_metadata["refused"] is False
    assert message.response_metadata["citations"][0]["source"] == "000_d5e02e9cc017770c.txt"


def test_refusal_is_a_message_too() -> None:
    message = AnswerRunnable(assistant=FakeAssistant()).invoke("北京的房价")
    assert message.content == REFUSAL and message.response_metadata == {"citations": [], "refused": True}


def test_pipe_into_a_parser_invoke_batch_stream() -> None:
    chain = AnswerRunnable(assistant=FakeAssistant()) | StrOutputParser()
    assert chain.invoke(Q) == ANSWER
    assert chain.batch([Q, "北京的房价"]) == [ANSWER, REFUSAL]
    pieces = list(chain.stream(Q))
    assert len([p for p in pieces if p]) >= 2 and "".join(pieces) == ANSWER


async def test_ainvoke_astream_and_events() -> None:
    runnable = AnswerRunnable(assistant=FakeAssistant())
    chain = runnable | StrOutputParser()
    assert await chain.ainvoke(Q) == ANSWER
    assert "".join([p async for p in chain.astream(Q)]) == ANSWER
    assert (await runnable.ainvoke(Q)).response_metadata["citations"]
    kinds = [e["event"] async for e in runnable.astream_events(Q, version="v2")]
    assert kinds[0] == "on_chain_start" and kinds[-1] == "on_chain_end" and "on_chain_stream" in kinds


def test_inside_a_users_own_lcel_chain_with_history_and_filters() -> None:
    fake = FakeAssistant()
    prepare = RunnableLambda(
        lambda d: {"question": d["q"].strip(), "history": d["chat"], "filters": {"region": "铜梁区"}}
    )
    chain = prepare | AnswerRunnable(assistant=fake) | StrOutputParser() | RunnableLambda(lambda s: s.upper())
    chat = [HumanMessage("去年的情况？"), AIMessage("前一个回答")]
    assert chain.invoke({"q": f"  {Q} ", "chat": chat}) == ANSWER.upper()
    assert fake.calls[-1] == (Q, (("去年的情况？", "前一个回答"),), "citizen")


def test_audience_is_fixed_at_construction_not_by_input() -> None:
    fake = FakeAssistant()
    AnswerRunnable(assistant=fake).invoke({"question": Q, "audience": "staff"})
    assert fake.calls[-1][2] == "citizen"
    AnswerRunnable(assistant=fake, audience="staff").invoke(Q)
    assert fake.calls[-1][2] == "staff"


def test_typed_schemas() -> None:
    runnable = AnswerRunnable(assistant=FakeAssistant())
    schema = runnable.input_schema.model_json_schema()
    assert "AnswerInput" in schema["$defs"] and "question" in schema["$defs"]["AnswerInput"]["properties"]
    assert runnable.OutputType is AIMessage
    assert runnable.output_schema.model_json_schema()["title"] == "AIMessage"


def test_composes_after_a_prompt_free_chain() -> None:
    """A prompt template's output (a string) is a valid input too."""
    prompt = ChatPromptTemplate.from_template("{q}") | RunnableLambda(lambda p: p.to_string().removeprefix("Human: "))
    assert (prompt | AnswerRunnable(assistant=FakeAssistant()) | StrOutputParser()).invoke({"q": Q}) == ANSWER
