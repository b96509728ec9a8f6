"""`rag --version`, `rag ask -` (questions from stdin), NO_COLOR, and `rag serve`'s port error."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.cli import cli
from rag.version import package_version

from ..conftest import CORPUS


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {"RAG_HOME": str(tmp_path_factory.mktemp("cli-home")), "RAG_EMBED_MODEL": "none"}
    result = CliRunner().invoke(cli, ["ingest", str(CORPUS), "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return env


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"rag {package_version()}"


def test_help_documents_completion_and_no_color() -> None:
    out = CliRunner().invoke(cli, ["--help"]).output
    assert "_RAG_COMPLETE=bash_source rag" in out and "NO_COLOR" in out and "serve" in out


def test_ask_reads_questions_from_stdin(env: dict[str, str]) -> None:
    stdin = "铜梁区2023年规上工业总产值是多少？\n\n北京市2023年的房价是多少？\n"
    result = CliRunner().invoke(cli, ["ask", "-", "--json"], input=stdin, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == [1, 3]
    assert rows[0]["refused"] is False and "757.2" in rows[0]["answer"]
    assert rows[1]["refused"] is True


def test_ask_stdin_reports_a_bad_line_and_goes_on(env: dict[str, str]) -> None:
    stdin = "x" * 600 + "\n铜梁区2023年规上工业总产值是多少？\n"
    result = CliRunner().invoke(cli, ["ask", "-", "--json"], input=stdin, env=env, catch_exceptions=False)
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert "问题太长" in rows[0]["error"] and rows[1]["id"] == 2 and rows[1]["refused"] is False


def test_no_color_turns_colour_off(env: dict[str, str]) -> None:
    q = ["ask", "铜梁区2023年规上工业总产值是多少？"]
    coloured = CliRunner().invoke(cli, q, env=env, color=True).output
    plain = CliRunner().invoke(cli, q, env={**env, "NO_COLOR": "1"}, color=True).output
    assert "\x1b[" in coloured and "\x1b[" not in plain and "757.2" in plain


def test_serve_on_a_taken_port_fails_with_a_clear_message(env: dict[str, str], tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)], env=env)
    assert result.exit_code == 1 and "端口" in result.output and "--port" in result.output
