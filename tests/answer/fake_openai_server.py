"""A tiny OpenAI-compatible chat server on loopback, for testing the openai backend without a model.

POST /v1/chat/completions, streaming (SSE) or not. The model name picks the behaviour:
``fake-copy`` quotes the passage sentence that answers with its [n]; ``fake-hallucinate`` adds a
sentence with a figure found in no passage; ``fake-refuse`` answers with the refusal sentence.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.answer.fake_llm import fake_answer


def reply_for(body: dict[str, Any]) -> str:
    model = str(body.get("model", "fake-copy"))
    mode = model.removeprefix("fake-") if model.startswith("fake-") else "copy"
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    if "改写后的问题" in text:
        last = [line for line in text.splitlines() if line.startswith("最后一个问题：")]
        return last[-1].removeprefix("最后一个问题：") if last else ""
    return fake_answer(text, mode if mode in ("copy", "hallucinate", "refuse") else "copy")  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]]

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        if self.path.rstrip("/") != "/v1/chat/completions":
            self.send_error(404)
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.requests.append(body)  # type: ignore[attr-defined]
        text = reply_for(body)
        created = int(time.time())
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for i in range(0, len(text), 5):
                chunk = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": body.get("model"),
                    "choices": [
                        {"index": 0, "delta": {"role": "assistant", "content": text[i : i + 5]}, "finish_reason": None}
                    ],
                }
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
            end = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": created,
                "model": body.get("model"),
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            }
            self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
            return
        payload = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": created,
            "model": body.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Run the server on a free loopback port; yields (base_url ending in /v1, received request bodies)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
