"""An OpenAI-compatible server that fails on purpose, run as a real process on loopback by the tests.

    python -m tests.llm.error_server      # prints "PORT <n>" once it listens on 127.0.0.1

The requested model name picks the behaviour: ``copy`` answers like a careful model (the
passage sentence that answers, with its [n]); ``think`` does the same after a ``<think>`` block,
streamed in 3-character chunks so the tags are split; ``http500``/``http429`` return that status;
``slow`` waits longer than any test timeout; ``malformed`` streams a chunk that is not JSON;
``empty`` streams no content at all; any other name is an unknown model (HTTP 404).
GET /requests returns the request bodies received so far.
"""

from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.answer.fake_llm import fake_answer

KNOWN = ("copy", "think", "http500", "http429", "slow", "malformed", "empty")
REQUESTS: list[dict[str, Any]] = []


def chunk(model: str, content: str | None, finish: str | None = None) -> bytes:
    delta = {} if content is None else {"role": "assistant", "content": content}
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, payload: Any) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/requests":
            self._json(200, REQUESTS)
        elif self.path.rstrip("/") == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in KNOWN]})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        REQUESTS.append(body)
        model = str(body.get("model", ""))
        if model not in KNOWN:
            self._json(404, {"error": {"message": f"The model `{model}` does not exist.", "code": "model_not_found"}})
            return
        if model == "http500":
            self._json(500, {"error": {"message": "CUDA out of memory", "type": "server_error"}})
            return
        if model == "http429":
            self._json(429, {"error": {"message": "Rate limit reached", "type": "rate_limit"}})
            return
        if model == "slow":
            time.sleep(8)
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        answer = fake_answer(prompt)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        if model == "malformed":
            self.wfile.write(b'data: {"choices": [{"delta": {"content": "757.2\n\n')
            self.wfile.flush()
            return
        if model == "empty":
            self.wfile.write(chunk(model, None) + chunk(model, None, "stop") + b"data: [DONE]\n\n")
            return
        text = f"<think>资料1写的可能是999亿元，我来想想。</think>{answer}" if model == "think" else answer
        step = 3 if model == "think" else 6
        for i in range(0, len(text), step):
            self.wfile.write(chunk(model, text[i : i + step]))
            self.wfile.flush()
        self.wfile.write(chunk(model, None, "stop") + b"data: [DONE]\n\n")


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
    sys.exit(0)
