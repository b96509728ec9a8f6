"""Several app processes on one PostgreSQL registry (RAG_REGISTRY_URL): two homes, one corpus.

Each home keeps its own local index; the registry is shared, and so is the write lock (an advisory lock
on the server), because writers on two machines cannot share a lock file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.errors import LockTimeoutError
from rag.settings import Settings
from tests.conftest import CORPUS


def _assistant(home: Path, url: str, **extra: object) -> Assistant:
    settings = Settings(home=home, embed_model="none", registry_url=url, **extra)  # type: ignore[arg-type]
    return Assistant.from_settings(settings)


def test_one_ingests_and_the_other_sees_the_documents(tmp_path: Path, pg_url: str) -> None:
    writer = _assistant(tmp_path / "a", pg_url)
    reader = _assistant(tmp_path / "b", pg_url)  # open before the ingest, as a running app is
    assert reader.doc_count() == 0 and not (tmp_path / "b" / "registry.sqlite3").exists()

    report = writer.ingest([CORPUS])
    assert report.added == 5 and report.failed == []

    page, total = reader.docs_page(0, 2)
    assert total == 5 and len(page) == 2 and page[0].path < page[1].path
    source = page[0].source
    assert reader.document_text(source) == writer.document_text(source)
    assert reader.refresh()  # the generation moved: the reader notices the other process's write

    reader.set_visibility(source, "internal")  # the second home writes too, under the server's lock
    assert writer.find(source) is not None and writer.find(source).visibility == "internal"  # type: ignore[union-attr]
    assert writer.doc_count("public") == 4 and reader.doc_count("public") == 4

    late = _assistant(tmp_path / "c", pg_url)  # a process started later indexes what the registry holds
    hits = late.search("规上工业总产值", 3)
    assert hits and {h.meta["source"] for h in hits} <= {d.source for d in late.docs()}
    for a in (writer, reader, late):
        a.close()


def test_writers_in_two_homes_exclude_each_other(tmp_path: Path, pg_url: str) -> None:
    first = _assistant(tmp_path / "a", pg_url)
    second = _assistant(tmp_path / "b", pg_url, lock_timeout_s=0.5)
    told: list[str] = []
    with first.registry.write_lock(5.0), pytest.raises(LockTimeoutError, match="另一台机器"):
        second.ingest([CORPUS], notify=told.append)
    assert told and "等待" in told[0] and second.doc_count() == 0
    assert second.ingest([CORPUS]).added == 5  # released: the next write goes through
    first.close()
    second.close()
