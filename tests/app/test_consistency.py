"""The registry and the index stay consistent through failures mid-ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.documents.registry import Registry
from rag.settings import Settings

from ..conftest import CORPUS

SEED = "000_d5e02e9cc017770c.txt"


def _assistant(home: Path) -> Assistant:
    return Assistant.from_settings(Settings(home=home, embed_model="fake"))


def test_crash_between_index_save_and_registry_commit_is_repaired_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(CORPUS / SEED, first / SEED)
    assistant = _assistant(home)
    assistant.ingest([first])
    before_ids = set(assistant.backend.ids())

    new = tmp_path / "new"
    new.mkdir()
    (new / "notice.txt").write_text("关于测试的通知\n本次演练的专项补助为每人650元。", encoding="utf-8")

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(Registry, "put", staticmethod(crash))
    with pytest.raises(RuntimeError):
        assistant.ingest([new])  # the index was saved with the new chunks; the registry never heard of them
    monkeypatch.undo()
    assistant.close()

    reopened = _assistant(home)  # reconcile on open
    assert [d.source for d in reopened.docs()] == [SEED]
    assert set(reopened.backend.ids()) == before_ids
    assert all(h.meta["source"] != "notice.txt" for h in reopened.search("演练专项补助", 10))
    report = reopened.ingest([new])  # and the file can simply be ingested again
    assert report.added == 1
    assert any(h.meta["source"] == "notice.txt" for h in reopened.search("演练专项补助", 3))


def test_index_missing_chunks_are_restored_from_the_registry(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assistant = _assistant(home)
    assistant.ingest([CORPUS])
    all_ids = set(assistant.backend.ids())
    lost = sorted(all_ids)[:5]
    assistant.backend.delete(lost)
    assistant.backend.save()
    assistant.close()
    reopened = _assistant(home)
    assert set(reopened.backend.ids()) == all_ids


def test_visibility_change_reaches_the_index(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path / "home")
    assistant.ingest([CORPUS])
    query = "铜梁区规上工业总产值757.2亿元"
    assert any(h.meta["source"] == SEED for h in assistant.search(query, 5, audience="citizen"))
    assistant.set_visibility(SEED, "internal")
    assert all(h.meta["source"] != SEED for h in assistant.search(query, 10, audience="citizen"))
    assert any(h.meta["source"] == SEED for h in assistant.search(query, 5, audience="staff"))
    assert next(d for d in assistant.docs() if d.source == SEED).visibility == "internal"
