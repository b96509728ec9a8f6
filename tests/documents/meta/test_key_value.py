"""Header tables and key：value blocks, in each shape pages flatten them to."""

from __future__ import annotations

import pytest

from rag.documents.meta.key_value import header_fields

from .conftest import page


def fields(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in header_fields(page(text)):
        out.setdefault(f.field, f.value)
    return out


@pytest.mark.parametrize(
    "text",
    [
        "发文机关:某省人民政府\n发布日期:2018年03月27\n文号 :某政发〔2018〕13号",  # label-value lines
        "索 引 号: | 0001/2024-002 | 主题分类: | 区政府 |\n发布机构: | 某省人民政府 | 发文日期: | 2018-03-27 |\n"
        "文 号: | 某政发〔2018〕13号 | 公开类型: | 主动公开 |",  # rows flattened to "|" cells, spaced labels
        " 索 引 号  abc/2018-0001  公开方式  主动公开\n 文  号   某政发〔2018〕13号  发布机构  某省人民政府\n"
        " 成文日期  2018-03-27",  # double-space cells without colons
        "- 发文机构\n- 某省人民政府\n- 文 号\n- 某政发〔2018〕13号\n- 成文日期\n- 2018-03-27",  # label, then value
        "【发布单位】某省人民政府\n【发布文号】某政发〔2018〕13号 【发布日期】2018-03-27 【失效日期】",  # legal database
    ],
)
def test_header_layouts_give_the_same_fields(text: str) -> None:
    f = fields(text)
    assert f["issuer"] == "某省人民政府"
    assert f["doc_number"] == "某政发〔2018〕13号"
    assert "2018" in f.get("date", f.get("publish_date", ""))


def test_empty_cell_yields_nothing_and_the_next_label_is_not_its_value() -> None:
    f = fields("文号: 关 键 词: 垃圾分类\n发布机构 发布日期\n信息名称  关于某事的答复  成文日期  2018-12-14")
    assert "doc_number" not in f
    assert "issuer" not in f
    assert f["title"] == "关于某事的答复"
    assert f["date"] == "2018-12-14"


def test_a_word_inside_a_sentence_is_no_label() -> None:
    assert fields("会议的时间和地点由市政府另行通知。") == {}


def test_source_and_traditional_labels() -> None:
    f = fields("發布時間:2020-07-31 瀏覽次數: 4406次\n來源: 某市住房和城鄉建設局")
    assert f["publish_date"] == "2020-07-31"
    assert f["source"] == "某市住房和城鄉建設局"
