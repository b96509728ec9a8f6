"""One writer, many readers: the generation number, reader refresh, the writer's catch-up, the lock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.errors import LockTimeoutError
from rag.locking import WAITING, write_lock
from rag.settings import Settings
from tests.reliability.conftest import doc_text

SECRET = "预算金额为4321万元"


def _citizen_sees(a: Assistant, text: str) -> bool:
    return any(text in str(h.meta.get("display_text")) for h in a.search(text, k=10, audience="citizen"))


def _folder(tmp_path: Path, name: str, text: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / f"{name}.txt").write_text(doc_text(f"{name}通知", text), encoding="utf-8")
    return d


def test_every_committed_write_bumps_the_generation(assistant: Assistant, tmp_path: Path) -> None:
    g0 = assistant.registry.generation()
    assistant.ingest([_folder(tmp_path, "a", f"项目{SECRET}。")])
    g1 = assistant.registry.generation()
    assistant.set_visibility("a.txt", "internal")
    g2 = assistant.registry.generation()
    assistant.remove(["a.txt"])
    g3 = assistant.registry.generation()
    assistant.rebuild()
    assert g0 < g1 < g2 < g3 < assistant.registry.generation()
    assert assistant.registry.index_generation() == assistant.registry.generation()


def test_a_running_reader_sees_visibility_changes_made_by_another_process(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    ui = Assistant.from_settings(make_settings())  # the UI process
    cli = Assistant.from_settings(make_settings())  # a CLI run on the same home
    try:
        cli.ingest([_folder(tmp_path, "a", f"项目{SECRET}。")])
        assert _citizen_sees(ui, SECRET)  # the reader picked up the new document without a restart
        cli.set_visibility("a.txt", "internal")
        assert not _citizen_sees(ui, SECRET)
        cli.set_visibility("a.txt", "public")
        assert _citizen_sees(ui, SECRET)
        cli.remove(["a.txt"])
        assert ui.search(SECRET, k=5, audience="staff") == []
    finally:
        ui.close()
        cli.close()


def test_a_writer_never_saves_an_index_older_than_the_registry(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    ui = Assistant.from_settings(make_settings())
    cli = Assistant.from_settings(make_settings())
    try:
        ui.ingest([_folder(tmp_path, "a", f"项目{SECRET}。")])
        cli.set_visibility("a.txt", "internal")  # the UI's in-memory index still says public
        ui.ingest([_folder(tmp_path, "b", "另一个项目绿化面积100亩。") / "b.txt"], upload=True)  # the UI writes
    finally:
        ui.close()
        cli.close()
    fresh = Assistant.from_settings(make_settings())
    try:
        doc = fresh.registry.get("a/a.txt")
        assert doc is not None and doc.visibility == "internal"
        assert {r.meta["visibility"] for r in fresh.backend.get(list(doc.chunk_ids))} == {"internal"}
        assert not _citizen_sees(fresh, SECRET) and len(fresh.docs()) == 2
    finally:
        fresh.close()


def test_citizen_hits_are_checked_against_the_registry(assistant: Assistant, tmp_path: Path) -> None:
    """Even an index whose metadata says public (a crash between the two writes) cannot leak."""
    assistant.ingest([_folder(tmp_path, "a", f"项目{SECRET}。")], "internal")
    doc = assistant.registry.get("a/a.txt")
    assert doc is not None
    stale = [r for r in assistant.backend.get(list(doc.chunk_ids))]
    assistant.backend.add([type(r)(r.id, r.text, {**r.meta, "visibility": "public"}) for r in stale])
    assert any(h.meta.get("path") == "a/a.txt" for h in assistant.backend.search(SECRET, 5))  # the index would leak
    assert not _citizen_sees(assistant, SECRET)


def test_second_writer_waits_with_a_message_then_fails_clearly(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(lock_timeout_s=0.2)
    a = Assistant.from_settings(settings)
    messages: list[str] = []
    try:
        with write_lock(settings.home, 1.0):  # another writer holds the home
            with pytest.raises(LockTimeoutError) as err:
                a.ingest([_folder(tmp_path, "a", "内容。")], notify=messages.append)
            assert "RAG_LOCK_TIMEOUT_S" in str(err.value)
            assert messages == [WAITING]
            assert a.search("内容", k=3) == []  # readers do not wait for the lock
        assert a.ingest([tmp_path / "a"]).added == 1
    finally:
        a.close()


def test_a_waiting_writer_proceeds_when_the_lock_is_released(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings(lock_timeout_s=30)
    a = Assistant.from_settings(settings)
    folder = _folder(tmp_path, "a", "内容。")
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with write_lock(settings.home, 1.0):
            held.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(5)
    try:
        threading.Timer(0.3, release.set).start()
        assert a.ingest([folder], notify=lambda m: None).added == 1
    finally:
        release.set()
        t.join()
        a.close()
