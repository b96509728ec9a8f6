"""Homes for the reliability tests: BM25 only (RAG_EMBED_MODEL=none), small documents, temp folders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.settings import Settings


@pytest.fixture()
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(**extra: object) -> Settings:
        return Settings(home=tmp_path / "home", embed_model="none", **extra)  # type: ignore[arg-type]

    return make


@pytest.fixture()
def assistant(make_settings: Callable[..., Settings]) -> Iterator[Assistant]:
    a = Assistant.from_settings(make_settings())
    yield a
    a.close()


def doc_text(title: str, body: str) -> str:
    return f"{title}\n{body}\n推进项目建设，强化要素保障，确保按期完工。\n"
