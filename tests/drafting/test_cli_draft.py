"""`rag draft` end to end on the sample corpus: the office's own reply is found and quoted with
citations, the region scope holds in both directions, --json/--docx/--text-file work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from rag.cli import cli

from ..conftest import CORPUS

TONGLIANG_REPLY = "000_d5e02e9cc017770c.txt"
HECHUAN_PLAN = "002_ab94c550cb50952a.txt"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    e = {"RAG_HOME": str(tmp_path_factory.mktemp("draft-home")), "RAG_EMBED_MODEL": "fake"}
    result = CliRunner().invoke(cli, ["ingest", str(CORPUS), "--json"], env=e, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return e


def draft(env: dict[str, str], *args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["draft", *args, "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output.splitlines()[0])  # type: ignore[no-any-return]


def test_the_offices_own_reply_is_found_and_its_figures_are_cited(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "复函.docx"
    obj = draft(
        env, "关于加快全区工业经济发展的建议", "--deputy", "周练", "--number", "126", "--region", "铜梁区",
        "--office", "重庆市铜梁区经济和信息化委员会", "--docx", str(out),
    )  # fmt: skip
    assert any("757.2亿元" in s for s in obj["statements"])
    assert all(s.rstrip("。").endswith("]") for s in obj["statements"])
    sources = {c["source"] for c in obj["citations"]}
    assert TONGLIANG_REPLY in sources and HECHUAN_PLAN not in sources  # a sibling district is never cited
    assert obj["frame"]["salutation"] == "周练代表：" and "第126号" in obj["frame"]["title"]
    headings = [p["heading"] for p in obj["parts"]]
    assert any("招商引资" in h for h in headings)  # the reply's own sections become the parts
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "周练代表：" in text and "757.2亿元" in text


def test_another_districts_draft_does_not_cite_this_one(env: dict[str, str]) -> None:
    obj = draft(env, "关于加快全区工业经济发展的建议", "--region", "合川区")
    assert TONGLIANG_REPLY not in {c["source"] for c in obj["citations"]}
    assert all("757.2" not in s for s in obj["statements"])


def test_text_file_asks_are_answered_or_left_as_placeholders(env: dict[str, str], tmp_path: Path) -> None:
    text = tmp_path / "建议.txt"
    text.write_text("建议在火星上修建滑雪场。", encoding="utf-8")
    obj = draft(env, "关于在火星开发冰雪旅游的建议", "--text-file", str(text), "--region", "铜梁区")
    assert any("火星上修建滑雪场" in p for p in obj["placeholders"])  # the text's ask, "建议" stripped
    assert all("火星" not in s for s in obj["statements"])  # nothing invented about what no document covers
