"""Every curl example in docs/api.md runs against a running `rag serve`, and every route has one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from ..conftest import REPO
from .conftest import TOKEN, Live

DOC = REPO / "docs" / "api.md"
BLOCK = re.compile(r"```bash\n(.*?)```", re.S)


def curl_blocks() -> list[str]:
    return [b for b in BLOCK.findall(DOC.read_text(encoding="utf-8")) if "curl" in b]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_every_curl_example_runs(live: Live, tmp_path: Path) -> None:
    blocks = curl_blocks()
    assert len(blocks) >= 10
    env = {**os.environ, "RAG_URL": live.url, "RAG_API_TOKEN": TOKEN}
    for block in blocks:
        proc = subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + block], cwd=tmp_path, env=env, capture_output=True, timeout=120
        )
        out = proc.stdout.decode("utf-8")
        assert proc.returncode == 0, (block, out, proc.stderr.decode("utf-8", "replace"))
        if "stream" in block:
            assert "data: " in out, block
        else:
            assert isinstance(json.loads(out), dict | list), block
    assert len(live.assistant.docs()) == 5  # the upload example's document was removed by the remove example


def test_every_route_has_a_curl_example(live: Live) -> None:
    text = "\n".join(curl_blocks())
    paths = httpx.get(f"{live.url}/openapi.json", timeout=30).json()["paths"]
    missing = [p for p in paths if p not in text]
    assert missing == []


def test_integration_examples_run(
    live: Live, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/integration.md's Python blocks, as a user would run them, over the sample corpus home."""
    monkeypatch.setenv("RAG_HOME", str(live.settings.home))
    monkeypatch.setenv("RAG_EMBED_MODEL", "none")
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "docs" / "integration.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 2
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, "docs/integration.md", "exec"), namespace)
        namespace["assistant"].close()  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert "757.2亿元" in out and "[1]" in out and "000_d5e02e9cc017770c.txt" in out and "【智能问答】" in out
