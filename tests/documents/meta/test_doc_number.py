"""The document's own 文号, never one it quotes."""

from __future__ import annotations

import pytest

from rag.documents.meta.doc_number import body_doc_number, parse

from .conftest import page


def own(text: str) -> str | None:
    found = body_doc_number(page(text))
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("关于某事的复函\n某交函〔2023〕34号\n某代表:\n您的建议收悉。", "某交函〔2023〕34号"),
        ("某交函〔2021〕141号 签发人:张三\n关于某事的复函\n某代表:", "某交函〔2021〕141号"),
        ("某办公室印发《关于某事的意见》的通知(某办发〔2017〕2号)\n正文。", "某办发〔2017〕2号"),
        ("某政发〔2014〕20号《某省人民政府关于某事的实施意见》\n正文。", "某政发〔2014〕20号"),
        ("某部关于印发某办法的通知\n2006年10月26日 财建〔2006〕689号\n各单位:", "财建〔2006〕689号"),
        (
            "某县人民政府办公室关于印发某预案的通知\n某政办发〔201746\n各乡镇:",
            "某政办发〔201746",
        ),  # brackets and 号 lost
        ("某市体育市场管理规定\n某省某市人民政府\n第63号\n《规定》现予发布施行。", "第63号"),  # an order's serial
    ],
)
def test_own_doc_number_layouts(text: str, number: str) -> None:
    assert own(text) == number


def test_a_quoted_doc_number_is_not_the_documents_own() -> None:
    assert own("关于某事的复函\n某代表:\n根据国发〔2019〕4号文件精神,现答复如下。") is None
    assert own("关于市十五届人大三次会议第B(2020)79号建议的答复\n某代表:") is None


def test_header_values() -> None:
    assert parse("某政发〔2018〕13号") == "某政发〔2018〕13号"
    assert parse("关 键 词:") is None
