from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rag.feedback import FeedbackError, FeedbackStore, make_entry
from rag.models import Answer
from rag.settings import Settings
from tests.ui.fakes import citation


def _answer() -> Answer:
    return Answer(answer="产值757.2亿元[1]。", refused=False, citations=(citation(1),), question="产值多少？")


def test_entry_keeps_question_answer_citations_and_time() -> None:
    entry = make_entry(_answer(), "down", "  引用不对  ", now=datetime(2024, 6, 4, 8, 0, tzinfo=UTC))
    assert entry.question == "产值多少？"
    assert entry.answer == "产值757.2亿元[1]。"
    assert entry.citations[0]["source"] == "000_d5e02e9cc017770c.txt"
    assert entry.citations[0]["quote"]
    assert entry.comment == "引用不对"
    assert entry.timestamp == "2024-06-04T08:00:00+00:00"


def test_bad_rating_is_refused() -> None:
    with pytest.raises(FeedbackError, match="评分无效"):
        make_entry(_answer(), "meh")


def test_store_appends_jsonl_in_rag_home(tmp_path: Path) -> None:
    store = FeedbackStore.from_settings(Settings(home=tmp_path / "home"))
    store.add(make_entry(_answer(), "up"))
    store.add(make_entry(_answer(), "down", "不完整", audience="staff"))
    lines = (tmp_path / "home" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[1])["comment"] == "不完整"
    assert "757.2亿元" in lines[0]  # stored as readable UTF-8, not \\u escapes
    assert [e.rating for e in store.entries()] == ["up", "down"]
    assert store.entries()[1].audience == "staff"


def test_damaged_line_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    store = FeedbackStore(path)
    store.add(make_entry(_answer(), "up"))
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
        fh.write(json.dumps({"rating": "sideways"}) + "\n")
    store.add(make_entry(_answer(), "down"))
    assert [e.rating for e in store.entries()] == ["up", "down"]


def test_unwritable_home_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = FeedbackStore(blocker / "feedback.jsonl")
    with pytest.raises(FeedbackError, match="RAG_HOME"):
        store.add(make_entry(_answer(), "up"))
