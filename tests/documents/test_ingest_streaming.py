"""Ingestion streams documents in bounded batches with the guarantees of one all-or-nothing call."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.hybrid import HybridIndex
from rag.assistant import Assistant
from rag.documents.ingest import STAGE_EMBED, STAGE_FILES, IngestReport, ingest_paths
from rag.settings import Settings

from ..conftest import CORPUS


def _assistant(home: Path) -> Assistant:
    return Assistant.from_settings(Settings(home=home, embed_model="fake"))


def _ingest(a: Assistant, paths: list[Path], batch_chunks: int, progress: object = None) -> IngestReport:
    with a.writing():
        return ingest_paths(
            paths,
            visibility=None,
            settings=a.settings,
            registry=a.registry,
            index=a.backend,
            progress=progress,  # type: ignore[arg-type]
            batch_chunks=batch_chunks,
        )


def _state(a: Assistant) -> tuple[object, ...]:
    docs = sorted((d.path, d.sha256, d.visibility, tuple(d.chunk_ids)) for d in a.registry.all())
    chunks = sorted((c.id, c.text, c.index_text) for c in a.registry.chunks())
    ids = sorted(a.backend.ids())  # the in-memory index, before a search may reload it from disk
    hits = [(h.id, round(h.score, 6)) for h in a.backend.search("规上工业总产值", 10)]
    return docs, chunks, ids, hits


def test_many_small_batches_store_exactly_what_one_batch_does(tmp_path: Path) -> None:
    one, many = _assistant(tmp_path / "one"), _assistant(tmp_path / "many")
    try:
        r1 = _ingest(one, [CORPUS], batch_chunks=10**9)
        seen: list[tuple[int, int, str]] = []
        r2 = _ingest(many, [CORPUS], batch_chunks=1, progress=lambda d, t, m: seen.append((d, t, m)))
        assert r1.to_json() == r2.to_json() and r1.added == len(list(CORPUS.glob("*.txt")))
        assert sorted(r1.sources) == sorted(r2.sources)
        assert _state(one) == _state(many)
        assert one.registry.index_generation() == one.registry.generation() == many.registry.generation()
        files = [s for s in seen if s[2].startswith(STAGE_FILES)]
        embeds = [s for s in seen if s[2] == STAGE_EMBED]
        assert files[-1][:2] == (r2.added, r2.added)
        assert embeds[-1][0] == embeds[-1][1] == r2.chunks
    finally:
        one.close()
        many.close()


def test_a_file_named_twice_is_a_duplicate_even_in_a_later_batch(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(CORPUS, folder)
    name = sorted(folder.glob("*.txt"))[0]
    reports = []
    for batch_chunks in (10**9, 1):
        a = _assistant(tmp_path / f"home{batch_chunks}")
        try:
            reports.append(_ingest(a, [folder, name], batch_chunks).to_json())
        finally:
            a.close()
    assert reports[0] == reports[1]
    assert len(reports[0]["skipped"]) == 1 and reports[0]["unchanged"] == 0


def test_a_failure_in_a_later_batch_leaves_registry_and_index_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(CORPUS.glob("*.txt"))
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    shutil.copy(files[0], first / files[0].name)
    for f in files[1:]:
        shutil.copy(f, rest / f.name)
    a = _assistant(tmp_path / "home")
    try:
        _ingest(a, [first], batch_chunks=1)
        before = _state(a)
        generation = a.registry.generation()
        calls = []
        real_add = HybridIndex.add

        def failing_add(self: HybridIndex, records: object, progress: object = None) -> None:
            calls.append(1)
            if len(calls) == 3:
                raise RuntimeError("embedding model crashed")
            real_add(self, records, progress)  # type: ignore[arg-type]

        monkeypatch.setattr(HybridIndex, "add", failing_add)
        with pytest.raises(RuntimeError, match="embedding model crashed"):
            _ingest(a, [rest], batch_chunks=1)
        monkeypatch.undo()
        assert len(calls) == 3  # two batches were in the index already
        assert _state(a) == before
        assert a.registry.index_generation() == a.registry.generation() >= generation
        report = _ingest(a, [rest], batch_chunks=1)  # and the next call works
        assert report.added == len(files) - 1
    finally:
        a.close()

    reopened = _assistant(tmp_path / "home")
    try:
        assert set(reopened.backend.ids()) == {c.id for c in reopened.registry.chunks()}
    finally:
        reopened.close()
