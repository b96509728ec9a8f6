"""Leak probes through the HTTP API (`rag serve`): a planted internal document, changed by another process
(the CLI) and by a same-name staff upload, is never returned to a citizen by /api/search, /api/ask or /api/docs."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr

from eval.bench.reliability import LEAK_QUESTIONS, SECRET_MARKERS, SECRET_TEXT
from rag.assistant import Assistant
from rag.server.app import create_app
from rag.settings import Settings

STAFF = {"Authorization": "Bearer t"}


def _leaks(client: TestClient) -> list[str]:
    found = []
    for q in LEAK_QUESTIONS:
        for route in ("/api/search", "/api/ask"):
            body = client.post(route, json={"question": q}).text
            found += [f"{route} {q}: {m}" for m in SECRET_MARKERS if m in body]
    docs = client.get("/api/docs").text
    found += [f"/api/docs: {m}" for m in ("通报", *SECRET_MARKERS) if m in docs]
    return found


def test_api_citizen_paths_never_leak_after_changes(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", embed_model="none", api_token=SecretStr("t"))  # type: ignore[call-arg]
    secret_dir = tmp_path / "内部"
    secret_dir.mkdir()
    (secret_dir / "通报.txt").write_text(SECRET_TEXT, encoding="utf-8")
    cli = Assistant.from_settings(settings)  # stands for `rag ingest` / `rag visibility` in another process
    cli.ingest([secret_dir], "internal")
    server = Assistant.from_settings(settings)
    client = TestClient(create_app(server, settings))
    try:
        assert len(LEAK_QUESTIONS) >= 40
        assert _leaks(client) == []
        cli.set_visibility("通报.txt", "public")
        seen = client.post("/api/search", json={"question": "青龙计划预算金额"}).text
        assert "8675" in seen  # the server follows the CLI at once, and the probe can see the document
        cli.set_visibility("通报.txt", "internal")
        assert _leaks(client) == []
        files = {"files": ("通报.txt", "关于城乡环境整治的通报\n全区开展整治行动。\n".encode(), "text/plain")}
        r = client.post("/api/staff/upload", files=files, data={"visibility": "public"}, headers=STAFF)
        assert r.status_code == 200, r.text
        assert json.loads(r.text)["added"] == 1
        paths = {d.path: d.visibility for d in server.docs()}
        assert paths == {"内部/通报.txt": "internal", "uploads/通报.txt": "public"}
        found = [f for f in _leaks(client) if not f.startswith("/api/docs: 通报")]
        assert found == []
    finally:
        server.close()
        cli.close()
