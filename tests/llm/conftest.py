"""The failing OpenAI-compatible server as a real process on loopback, shared by the error-path tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def error_server() -> Iterator[str]:
    """Base URL (…/v1) of ``python -m tests.llm.error_server`` running in its own process."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.llm.error_server"], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("PORT "), f"error server did not start: {line!r}"
        yield f"http://127.0.0.1:{int(line.split()[1])}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", embed_model="none")
