"""An LLM that is down: citizens get a plain apology (no endpoint, model or RAG_* names), staff get the detail."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from rag.assistant import Assistant
from rag.errors import LLMError
from rag.server.app import create_app
from rag.settings import Settings

from ..conftest import CORPUS
from .conftest import TOKEN, free_port

QUESTION = "2023年铜梁区规上工业总产值是多少？"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    home: Path = tmp_path_factory.mktemp("llm-down")
    dead = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    settings = Settings(
        home=home,
        embed_model="none",
        api_token=SecretStr(TOKEN),
        llm_backend="openai",
        llm_base_url=dead,
        llm_model="secret-model-name",
        llm_timeout_s=5,
        llm_max_retries=0,
    )
    assistant = Assistant.from_settings(settings)
    assert assistant.ingest([CORPUS]).added == 5
    return TestClient(create_app(assistant, settings))


def test_citizen_sees_only_the_apology(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert detail == LLMError.public
    assert "127.0.0.1" not in detail and "secret-model-name" not in detail and "RAG_" not in detail


def test_citizen_stream_error_frame_is_the_apology(client: TestClient) -> None:
    body = client.post("/api/ask?stream=true", json={"question": QUESTION}).text
    assert LLMError.public in body
    assert "127.0.0.1" not in body and "secret-model-name" not in body and "RAG_" not in body


def test_staff_sees_which_endpoint_failed(client: TestClient) -> None:
    response = client.post(
        "/api/ask",
        json={"question": QUESTION, "audience": "staff"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 503
    assert "127.0.0.1" in response.json()["detail"]
