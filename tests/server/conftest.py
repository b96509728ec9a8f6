"""A real ``rag serve`` app (uvicorn on a loopback port) over the sample corpus, BM25 only so it starts fast."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from rag.assistant import Assistant
from rag.server.app import create_app
from rag.settings import Settings
from ui.app import mount

from ..conftest import CORPUS

TOKEN = "test-token-k3Jq9"


@dataclass
class Live:
    url: str
    settings: Settings
    assistant: Assistant


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """Run uvicorn in a thread until the generator is closed; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    home = tmp_path_factory.mktemp("serve-home")
    settings = Settings(home=home, embed_model="none", api_token=SecretStr(TOKEN))
    assistant = Assistant.from_settings(settings)
    report = assistant.ingest([CORPUS])
    assert report.failed == [] and report.added == 5, report
    app = create_app(assistant, settings, lambda api: mount(api, assistant, settings))
    for url in serve_in_thread(app):
        yield Live(url=url, settings=settings, assistant=assistant)
    assistant.close()
