"""The GGUF backend's streaming mechanics over a stand-in for xllamacpp.Server (the real one: test_real_model)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rag.errors import LLMError
from rag.llm.gguf import GgufBackend, default_threads


def delta(text: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}


class StandInServer:
    """Calls the callback once per scripted chunk, as xllamacpp does, on the caller's thread."""

    listening_address = "http://127.0.0.1:9"  # nothing listens: token counts fall back to the approximation

    def __init__(self, chunks: list[Any]) -> None:
        self.chunks = chunks
        self.sent = 0
        self.stopped = threading.Event()
        self.requests: list[dict[str, Any]] = []
        self.gate: threading.Event | None = None  # when set up: hold after the first chunk until it opens

    def handle_chat_completions(self, request: dict[str, Any], callback: Callable[[Any], bool]) -> None:
        self.requests.append(request)
        for chunk in self.chunks:
            if isinstance(chunk, Exception):
                raise chunk
            self.sent += 1
            if callback(chunk):
                self.stopped.set()
                return
            if self.gate is not None:
                self.gate.wait(10)  # a model busy with its next token while the reader decides to stop


def backend(server: StandInServer) -> GgufBackend:
    b = GgufBackend(Path("model.gguf"), max_tokens=64, temperature=0.0)
    b._server = server
    return b


def test_deltas_stream_in_order_and_the_request_carries_the_limits() -> None:
    server = StandInServer(
        [{"choices": [{"delta": {"role": "assistant", "content": None}}]}, delta("产值"), delta("757.2亿元[1]。")]
    )
    assert "".join(backend(server).generate("产值？", [])) == "产值757.2亿元[1]。"
    request = server.requests[0]
    assert request["stream"] is True and request["max_tokens"] == 64 and request["temperature"] == 0.0
    assert [m["role"] for m in request["messages"]] == ["system", "user"]


def test_closing_the_stream_tells_llama_cpp_to_stop_and_waits_for_it() -> None:
    server = StandInServer([delta("第一句[1]。")] + [delta("更多。")] * 1000)
    server.gate = threading.Event()
    stream = backend(server).stream_chat([{"role": "user", "content": "x"}])
    assert next(stream) == "第一句[1]。"
    threading.Timer(0.2, server.gate.set).start()  # the next token arrives after the reader stopped
    stream.close()
    assert server.stopped.is_set() and server.sent < 1000
    assert not [t for t in threading.enumerate() if t.name == "gguf-generate"]


def test_an_error_chunk_or_a_crash_is_a_typed_error() -> None:
    with pytest.raises(LLMError, match="context") as info:
        list(backend(StandInServer([{"error": {"message": "context size exceeded"}}])).generate("问题", []))
    assert info.value.kind == "http_5xx" and "model.gguf" in str(info.value)
    with pytest.raises(LLMError, match="boom"):
        list(backend(StandInServer([RuntimeError("boom")])).generate("问题", []))


def test_one_thread_on_small_machines() -> None:
    assert default_threads(1) == 1 and default_threads(2) == 1 and default_threads(4) == 3 and default_threads(64) == 8
