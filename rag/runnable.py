"""The answer chain as a LangChain Runnable, built over the facade's stream of typed events.

Why over the facade and not the answer internals: the facade is the one stable surface
(``Assistant.stream``); whatever the chain does inside (extractive or LLM, rewrite, verify), a
LangChain user gets the same verified, cited answer the CLI, UI and API give.

It behaves like a chat model: ``invoke`` returns an ``AIMessage`` whose content is the answer with
[n] markers, and whose ``response_metadata`` holds ``citations`` (list of dicts) and ``refused``;
``stream`` yields ``AIMessageChunk`` pieces as the chain emits tokens (the last chunk carries the
metadata). So ``chain | StrOutputParser()`` gives plain text, streamed. The audience is fixed at
construction (citizen by default), never taken from the input.

    from langchain_core.output_parsers import StrOutputParser
    chain = AnswerRunnable(assistant=assistant) | StrOutputParser()
    chain.invoke("铜梁区2023年规上工业总产值是多少？")
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, Literal, Protocol

from langchain.messages import AIMessage, AIMessageChunk, AnyMessage
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from pydantic import BaseModel, ConfigDict, Field

from index.records import Filter
from rag.errors import RagError
from rag.events import ChainEvent, CitationEvent, DoneEvent, RefusalEvent, TokenEvent
from rag.filters import filter_from_mapping
from rag.models import Answer


class EventSource(Protocol):
    """The one facade call the runnable needs (``rag.assistant.Assistant.stream``)."""

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: Literal["citizen", "staff"] = "citizen",
        flt: Filter | None = None,
    ) -> Iterator[ChainEvent]: ...


class AnswerInput(BaseModel):
    """What the chain accepts besides a bare question string."""

    question: str = Field(description="The question, in Chinese.")
    history: list[tuple[str, str]] | list[AnyMessage] = Field(
        default_factory=list,
        description="Earlier turns: (question, answer) pairs or LangChain messages; used to rewrite follow-ups.",
    )
    filters: dict[str, str | list[str]] | None = Field(
        default=None, description='Metadata filter, e.g. {"region": "铜梁区", "date_from": "2023-01-01"}.'
    )


def _pairs(history: Sequence[Any]) -> list[tuple[str, str]]:
    """(question, answer) pairs from pairs or from alternating human/AI messages."""
    pairs: list[tuple[str, str]] = []
    pending: str | None = None
    for item in history:
        if isinstance(item, tuple | list) and len(item) == 2:
            pairs.append((str(item[0]), str(item[1])))
            continue
        role = getattr(item, "type", None)
        text = getattr(item, "text", None)
        content = text if isinstance(text, str) else str(getattr(item, "content", ""))
        if role == "human":
            pending = content
        elif role == "ai" and pending is not None:
            pairs.append((pending, content))
            pending = None
    return pairs


def answer_metadata(answer: Answer) -> dict[str, Any]:
    return {"citations": [c.to_json() for c in answer.citations], "refused": answer.refused}


class AnswerRunnable(RunnableSerializable[str | AnswerInput | dict[str, Any], AIMessage]):
    """Ask the assistant: a question (str or AnswerInput/dict) in, a cited AIMessage out."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any = Field(description="The facade (rag.assistant.Assistant); anything with .stream(...).")
    audience: Literal["citizen", "staff"] = "citizen"

    @property
    def InputType(self) -> Any:
        return str | AnswerInput

    @property
    def OutputType(self) -> Any:
        return AIMessage

    # --- the one real step: facade events into message chunks -----------------------------
    def _events(self, request: str | AnswerInput | Mapping[str, Any]) -> Iterator[ChainEvent]:
        if isinstance(request, str):
            parsed = AnswerInput(question=request)
        elif isinstance(request, AnswerInput):
            parsed = request
        elif isinstance(request, Mapping):
            parsed = AnswerInput.model_validate(dict(request))
        else:
            raise TypeError(f"AnswerRunnable takes a question string or {{'question': ...}}, not {type(request)!r}")
        source: EventSource = self.assistant
        return source.stream(
            parsed.question, _pairs(parsed.history), self.audience, filter_from_mapping(parsed.filters)
        )

    def _chunks(self, request: str | AnswerInput | Mapping[str, Any]) -> Iterator[AIMessageChunk]:
        streamed = ""
        for event in self._events(request):
            if isinstance(event, TokenEvent) and event.text:
                streamed += event.text
                yield AIMessageChunk(content=event.text)
            elif isinstance(event, RefusalEvent) and not streamed:
                streamed = event.text
                yield AIMessageChunk(content=event.text)
            elif isinstance(event, DoneEvent):
                # The final answer is authoritative; if it says more than the tokens did, send the rest.
                rest = event.answer.answer[len(streamed) :] if event.answer.answer.startswith(streamed) else ""
                yield AIMessageChunk(content=rest, response_metadata=answer_metadata(event.answer))
                return
            elif isinstance(event, CitationEvent):
                continue
        raise RagError("回答流程没有给出最终结果：这是程序错误，请报告维护者。")

    def _transform(self, inputs: Iterator[Any]) -> Iterator[AIMessageChunk]:
        request: Any = None
        for item in inputs:
            request = item
        yield from self._chunks(request)

    async def _atransform(self, inputs: AsyncIterator[Any]) -> AsyncIterator[AIMessageChunk]:
        request: Any = None
        async for item in inputs:
            request = item
        chunks = self._chunks(request)
        done = object()
        while True:  # the facade is synchronous: step it in a worker thread so the event loop stays free
            chunk = await asyncio.to_thread(next, chunks, done)
            if chunk is done:
                return
            yield chunk  # type: ignore[misc]

    def _invoke(self, request: Any) -> AIMessage:
        content = ""
        metadata: dict[str, Any] = {}
        for chunk in self._chunks(request):
            content += str(chunk.content)
            metadata.update(chunk.response_metadata)
        return AIMessage(content=content, response_metadata=metadata)

    # --- the Runnable interface -------------------------------------------------------------
    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> AIMessage:
        return self._call_with_config(self._invoke, input, config, run_type="chain")

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> AIMessage:
        content = ""
        metadata: dict[str, Any] = {}
        async for chunk in self.astream(input, config, **kwargs):
            content += str(chunk.content)
            metadata.update(chunk.response_metadata)
        return AIMessage(content=content, response_metadata=metadata)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[AIMessage]:
        yield from self._transform_stream_with_config(iter([input]), self._transform, config)

    def transform(
        self, input: Iterator[Any], config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[AIMessage]:
        yield from self._transform_stream_with_config(input, self._transform, config)

    async def astream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[AIMessage]:
        async def one() -> AsyncIterator[Any]:
            yield input

        async for chunk in self._atransform_stream_with_config(one(), self._atransform, config):
            yield chunk

    async def atransform(
        self, input: AsyncIterator[Any], config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[AIMessage]:
        async for chunk in self._atransform_stream_with_config(input, self._atransform, config):
            yield chunk
