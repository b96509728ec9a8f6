"""`rag ingest --rebuild` repairs an index that can no longer be loaded (built with another tokenizer),
which is exactly what the "incompatible index" message tells the user to run."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rag.cli import cli

from ..conftest import CORPUS


def _run(home: Path, *args: str) -> tuple[int, str]:
    env = {"RAG_HOME": str(home), "RAG_EMBED_MODEL": "none"}
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def test_rebuild_after_tokenizer_change(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, _ = _run(home, "ingest", str(CORPUS), "--json")
    assert code == 0
    manifest_path = home / "index" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["tokenizer"]["version"] = "an-older-tokenizer"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    code, out = _run(home, "search", "规上工业总产值", "--json")
    assert code != 0 and "rebuild" in out  # the stored index cannot be used and the message says what to do

    code, out = _run(home, "ingest", "--rebuild")
    assert code == 0, out
    code, out = _run(home, "search", "规上工业总产值", "--json")
    assert code == 0 and json.loads(out.splitlines()[0])["hits"], out
