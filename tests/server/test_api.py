"""The REST API of `rag serve` against a real uvicorn server: contract shapes, SSE, audience and staff auth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from rag.server.app import create_app
from rag.settings import Settings
from tests.ui.fakes import FakeAssistant

from .conftest import TOKEN, Live

QUESTION = "铜梁区2023年规上工业总产值是多少？"
STAFF = {"Authorization": f"Bearer {TOKEN}"}
SECRET_FACT = "内部测试文件：示范园区共有4217家入驻企业。"


def sse_events(text: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_ask_returns_the_cli_json_object(live: Live) -> None:
    r = httpx.post(f"{live.url}/api/ask", json={"question": QUESTION, "id": "q1"}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"id", "answer", "refused", "citations"} and body["id"] == "q1"
    assert body["refused"] is False and "757.2亿元" in body["answer"] and "[1]" in body["answer"]
    assert body["citations"][0]["source"] == "000_d5e02e9cc017770c.txt"
    assert set(body["citations"][0]) == {"n", "chunk_id", "source", "title", "quote"}


def test_ask_stream_sends_typed_events_ending_with_the_same_answer(live: Live) -> None:
    plain = httpx.post(f"{live.url}/api/ask", json={"question": QUESTION}, timeout=60).json()
    with httpx.stream("POST", f"{live.url}/api/ask?stream=true", json={"question": QUESTION}, timeout=60) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r.read().decode("utf-8"))
    names = [name for name, _ in events]
    assert names[-1] == "done" and "token" in names and "citation" in names
    assert events[-1][1] == plain
    assert "".join(d["text"] for n, d in events if n == "token") == plain["answer"]


def test_bad_question_is_a_400_with_a_chinese_message(live: Live) -> None:
    r = httpx.post(f"{live.url}/api/ask", json={"question": "  "}, timeout=30)
    assert r.status_code == 400 and "请输入问题" in r.json()["detail"]
    r = httpx.post(f"{live.url}/api/ask?stream=true", json={"question": "  "}, timeout=30)
    assert r.status_code == 400


def test_unknown_filter_key_is_rejected(live: Live) -> None:
    r = httpx.post(f"{live.url}/api/search", json={"question": "储能", "filters": {"colour": "red"}}, timeout=30)
    assert r.status_code == 422 and "colour" in r.json()["detail"]


def test_search_matches_rag_search_json(live: Live) -> None:
    r = httpx.post(
        f"{live.url}/api/search",
        json={"question": "规上工业总产值", "k": 2, "filters": {"region": "铜梁区"}},
        timeout=30,
    )
    hits = r.json()["hits"]
    assert [h["rank"] for h in hits] == [1, 2]
    assert all(h["meta"]["region"] == "铜梁区" for h in hits)
    assert set(hits[0]) == {"rank", "chunk_id", "source", "title", "text", "score", "meta"}
    assert "display_text" not in hits[0]["meta"]


def test_staff_audience_needs_the_token(live: Live) -> None:
    body = {"question": QUESTION, "audience": "staff"}
    assert httpx.post(f"{live.url}/api/ask", json=body, timeout=30).status_code == 401
    wrong = {"Authorization": "Bearer wrong"}
    assert httpx.post(f"{live.url}/api/ask", json=body, headers=wrong, timeout=30).status_code == 401
    assert httpx.post(f"{live.url}/api/ask", json=body, headers=STAFF, timeout=60).status_code == 200
    # A citizen request with any token is still a citizen request (OpenAI clients always send one).
    assert httpx.post(f"{live.url}/api/ask", json={"question": QUESTION}, headers=wrong, timeout=60).status_code == 200


def test_staff_routes_refuse_without_token(live: Live) -> None:
    for path, body in (
        ("/api/staff/remove", {"sources": ["000_d5e02e9cc017770c.txt"]}),
        ("/api/staff/visibility", {"source": "000_d5e02e9cc017770c.txt", "visibility": "internal"}),
        ("/api/staff/draft", {"topic": "工业经济"}),
    ):
        assert httpx.post(f"{live.url}{path}", json=body, timeout=30).status_code == 401, path
    files = {"files": ("x.txt", "内容".encode())}
    assert httpx.post(f"{live.url}/api/staff/upload", files=files, timeout=30).status_code == 401
    assert len(live.assistant.docs()) == 5


def test_upload_internal_document_then_visibility_and_remove(live: Live) -> None:
    files = {"files": ("内部测试.txt", SECRET_FACT.encode("utf-8"), "text/plain")}
    r = httpx.post(
        f"{live.url}/api/staff/upload", files=files, data={"visibility": "internal"}, headers=STAFF, timeout=60
    )
    assert r.status_code == 200, r.text
    assert r.json()["added"] == 1
    try:
        q = {"question": "示范园区入驻企业4217家", "filters": {"visibility": "internal"}}
        citizen = httpx.post(f"{live.url}/api/search", json=q, timeout=30).json()["hits"]
        assert all(h["source"] != "内部测试.txt" for h in citizen)
        staff = httpx.post(f"{live.url}/api/search", json={**q, "audience": "staff"}, headers=STAFF, timeout=30)
        assert staff.json()["hits"][0]["source"] == "内部测试.txt"
        public_docs = httpx.get(f"{live.url}/api/docs", timeout=30).json()
        all_docs = httpx.get(f"{live.url}/api/docs", headers=STAFF, timeout=30).json()
        assert public_docs["total"] == 5 and all_docs["total"] == 6
        r = httpx.post(
            f"{live.url}/api/staff/visibility",
            json={"source": "内部测试.txt", "visibility": "public"},
            headers=STAFF,
            timeout=30,
        )
        assert r.status_code == 200
        citizen = httpx.post(f"{live.url}/api/search", json={"question": "示范园区入驻企业4217家"}, timeout=30)
        assert citizen.json()["hits"][0]["source"] == "内部测试.txt"
    finally:
        r = httpx.post(f"{live.url}/api/staff/remove", json={"sources": ["内部测试.txt", "没有.txt"]}, headers=STAFF)
    assert r.json() == {"removed": ["内部测试.txt"], "missing": ["没有.txt"]}
    assert httpx.get(f"{live.url}/api/docs", headers=STAFF, timeout=30).json()["total"] == 5


def test_docs_are_paged(live: Live) -> None:
    page = httpx.get(f"{live.url}/api/docs", params={"offset": 1, "limit": 2}, timeout=30).json()
    everything = httpx.get(f"{live.url}/api/docs", timeout=30).json()
    assert page["total"] == 5 and page["offset"] == 1 and page["limit"] == 2
    assert page["documents"] == everything["documents"][1:3]
    assert {
        "source",
        "title",
        "doc_number",
        "issuer",
        "date",
        "region",
        "doc_type",
        "visibility",
        "chunks",
        "sha256",
    } <= set(page["documents"][0])


def test_draft_with_token(live: Live) -> None:
    r = httpx.post(
        f"{live.url}/api/staff/draft",
        json={"topic": "关于加快全区工业经济发展的建议", "deputy": "周练代表", "region": "铜梁区"},
        headers=STAFF,
        timeout=120,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert "周练代表" in body["text"] and body["citations"]


def test_openapi_docs_are_served(live: Live) -> None:
    assert "swagger" in httpx.get(f"{live.url}/docs", timeout=30).text.lower()
    paths = httpx.get(f"{live.url}/openapi.json", timeout=30).json()["paths"]
    for path in ("/api/ask", "/api/search", "/api/docs", "/api/staff/upload", "/v1/chat/completions", "/v1/models"):
        assert path in paths


def _client(tmp_path: Path, **settings: Any) -> TestClient:
    return TestClient(create_app(FakeAssistant(), Settings(home=tmp_path, **settings)))  # type: ignore[arg-type]


def test_staff_routes_are_off_without_a_configured_token(tmp_path: Path) -> None:
    r = _client(tmp_path).post("/api/staff/remove", json={"sources": ["a"]}, headers={"Authorization": "Bearer "})
    assert r.status_code == 403 and "RAG_API_TOKEN" in r.json()["detail"]


def test_oversized_upload_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    client = _client(tmp_path, api_token=SecretStr("t"), max_upload_mb=0.01)
    big = b"x" * 20_000
    r = client.post("/api/staff/upload", files={"files": ("big.txt", big)}, headers={"Authorization": "Bearer t"})
    assert r.status_code == 413 and "RAG_MAX_UPLOAD_MB" in r.json()["detail"]
    assert not list(tmp_path.glob("upload-*"))
    small = client.post(
        "/api/staff/upload", files={"files": ("小.txt", "内容".encode())}, headers={"Authorization": "Bearer t"}
    )
    assert small.status_code == 200 and small.json()["added"] == 1
    assert not list(tmp_path.glob("upload-*"))


@pytest.mark.parametrize("name", ["../escape.txt", ".hidden"])
def test_upload_file_names_cannot_leave_the_upload_folder(tmp_path: Path, name: str) -> None:
    client = _client(tmp_path, api_token=SecretStr("t"))
    r = client.post("/api/staff/upload", files={"files": (name, b"abc")}, headers={"Authorization": "Bearer t"})
    assert not (tmp_path.parent / "escape.txt").exists()
    assert r.status_code in (200, 422)
