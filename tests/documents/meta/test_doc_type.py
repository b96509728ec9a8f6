"""doc_type from the title's closing words, else from the text's formulas."""

from __future__ import annotations

import pytest

from rag.documents.meta.doc_type import find_doc_type

from .conftest import page

BODY = "各单位:\n现将有关事项通知如下,请认真贯彻执行。"


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("关于某区第126号建议的答复", "复函"),
        ("某局关于某提案答复的函", "复函"),
        ("某州人民政府关于某建议的会办意见", "复函"),
        ("关于印发某某行动方案的通知", "通知"),  # a 通知 that issues a plan stays 通知
        ("某市三年行动计划", "方案"),
        ("某县2023年度政府工作报告", "报告"),
        ("关于区域制造中心建设情况的汇报", "汇报"),
        ("在迎春茶话会上的致辞", "讲话"),
        ("《某县工作要点》政策解读", "新闻"),
        ("某市第五届人民代表大会关于政府工作报告的决议", "决定"),
        ("某县2022年国民经济和社会发展统计公报", "其他"),
        ("关于某事的通告", "通告"),
        ("关于某市发展规划(2021—2025年)", "方案"),
    ],
)
def test_closing_words(title: str, doc_type: str) -> None:
    assert find_doc_type(title, page(f"{title}\n{BODY}")) == doc_type


def test_news() -> None:
    assert (
        find_doc_type("某部办结两会期间收到的全部意见", page("标题\n据某部消息,截至3月15日,意见已全部办结。")) == "新闻"
    )
    lead = "某委召开协商会\n来源: 某委 发布时间:2018-09-04\n委员们开展了协商,提出了很多意见建议,会议取得成功。"
    assert find_doc_type("某委召开协商会", page(lead)) == "新闻"


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        ("某代表:\n您提出的建议收悉,现答复如下:\n我局将加快建设。", "复函"),
        ("因施工需要,实施交通管制。\n特此通告。", "通告"),
        ("(2022年12月28日某县第十九届人民代表大会第二次会议通过)\n会议听取了报告。", "决定"),
        ("各位领导,各位来宾,同志们:\n大家下午好!今天我们欢聚一堂。", "讲话"),
        ("1.总则\n本预案适用于本市行政区域内的应急工作。", "方案"),
        ("一段没有任何类型线索的文字,说明一些情况。", "其他"),
    ],
)
def test_untitled_texts_by_their_formulas(text: str, doc_type: str) -> None:
    assert find_doc_type(None, page(text)) == doc_type
