"""Two documents with the same file name in different folders: metadata answers come from the asked one."""

from __future__ import annotations

from pathlib import Path

from rag.assistant import Assistant
from rag.settings import Settings

NOTICE = """{title}

{number}

各镇人民政府、街道办事处：
现将{subject}的有关事项通知如下。一、各单位要高度重视{subject}工作，明确责任分工。二、请于每月底前报送进展情况。

{issuer}
{date}
"""


def test_metadata_lookup_keeps_to_the_asked_document_when_file_names_collide(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    docs = {
        "a": (
            "关于做好农村公路养护工作的通知",
            "甲政办发〔2024〕7号",
            "农村公路养护",
            "甲县人民政府办公室",
            "2024年3月5日",
        ),
        "b": ("关于加强校园食品安全管理的通知", "乙教发〔2023〕12号", "校园食品安全管理", "乙县教育局", "2023年9月1日"),
    }
    for folder, (title, number, subject, issuer, date) in docs.items():
        (corpus / folder).mkdir(parents=True)
        text = NOTICE.format(title=title, number=number, subject=subject, issuer=issuer, date=date)
        (corpus / folder / "通知.txt").write_text(text, encoding="utf-8")
    assistant = Assistant.from_settings(Settings(home=tmp_path / "home", embed_model="none"))
    try:
        report = assistant.ingest([corpus])
        assert report.added == 2 and not report.failed
        for title, number, *_ in docs.values():
            other = next(n for t, n, *_ in docs.values() if t != title)
            answer = assistant.ask(f"《{title}》的文号是什么？")
            assert not answer.refused, answer.answer
            assert number in answer.answer and other not in answer.answer
            assert {c.meta.get("path") for c in answer.citations} == {
                next(d.path for d in assistant.docs() if d.meta.title == title)
            }
    finally:
        assistant.close()


def test_year_scope_is_judged_per_document_not_per_file_name(tmp_path: Path) -> None:
    """Another folder's 通知.txt dated 2023 does not put a 2024 notice in scope for a question about 2023."""
    corpus = tmp_path / "corpus"
    docs = {
        "a": ("铜梁区人民政府办公室关于做好农村公路养护工作的通知", "铜府办发〔2024〕7号", "农村公路养护",
              "铜梁区人民政府办公室", "2024年3月5日"),
        "b": ("合川区教育委员会关于加强校园食品安全管理的通知", "合教发〔2024〕12号", "校园食品安全管理",
              "合川区教育委员会", "2023年9月1日"),
    }  # fmt: skip
    for folder, (title, number, subject, issuer, date) in docs.items():
        (corpus / folder).mkdir(parents=True)
        text = NOTICE.format(title=title, number=number, subject=subject, issuer=issuer, date=date)
        (corpus / folder / "通知.txt").write_text(text, encoding="utf-8")
    assistant = Assistant.from_settings(Settings(home=tmp_path / "home", embed_model="none"))
    try:
        assistant.ingest([corpus])
        assert not assistant.ask("铜梁区2024年农村公路养护工作有哪些要求？").refused
        assert assistant.ask("铜梁区2023年农村公路养护工作有哪些要求？").refused
    finally:
        assistant.close()
