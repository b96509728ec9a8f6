"""`rag docs` pages: a terminal gets 50 at a time with the way to the next page; --json keeps the whole
array unless a page is asked for; the same over a PostgreSQL registry (RAG_REGISTRY_URL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag import cli as cli_module
from rag.cli import cli

from ..conftest import CORPUS


def _ingested(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {"RAG_HOME": str(tmp_path / "home"), "RAG_EMBED_MODEL": "none", **extra}
    result = CliRunner().invoke(cli, ["ingest", str(CORPUS), "--json"], env=env)
    assert result.exit_code == 0, result.output
    return env


def _docs(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["docs", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_pages_on_a_terminal_and_whole_json_for_scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _ingested(tmp_path)
    code, everything, _ = _docs(env, "--json")
    paths = [d["path"] for d in json.loads(everything)]
    assert code == 0 and len(paths) == 5 and paths == sorted(paths)  # the contract: every document, one array

    code, page, total = _docs(env, "--json", "--limit", "2", "--offset", "1")
    assert code == 0 and [d["path"] for d in json.loads(page)] == paths[1:3] and "共 5 个文档" in total

    monkeypatch.setattr(cli_module, "DOCS_PAGE", 2)
    code, out, _ = _docs(env)
    assert code == 0 and "第 1–2 个，共 5 个；下一页：rag docs --offset 2" in out
    shown = [line.split()[0] for line in out.splitlines() if line and not line.startswith((" ", "第"))]
    assert shown == [p.rsplit("/", 1)[-1] for p in paths[:2]]
    _, last, _ = _docs(env, "--offset", "4")
    assert "第 5–5 个，共 5 个" in last and "下一页" not in last
    _, beyond, _ = _docs(env, "--offset", "9")
    assert "没有文档了（共 5 个）" in beyond
    _, whole, _ = _docs(env, "--all")
    assert all(p.rsplit("/", 1)[-1] in whole for p in paths) and "下一页" not in whole
    code, _, err = _docs(env, "--all", "--limit", "3")
    assert code != 0 and "二选一" in err


def test_docs_lists_a_postgres_registry(tmp_path: Path, pg_url: str) -> None:
    env = _ingested(tmp_path, RAG_REGISTRY_URL=pg_url)
    assert not (tmp_path / "home" / "registry.sqlite3").exists()
    code, out, _ = _docs({**env, "RAG_HOME": str(tmp_path / "other-home")}, "--json")  # another home, same corpus
    assert code == 0 and len(json.loads(out)) == 5
