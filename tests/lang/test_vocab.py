"""Vocabulary from data: units, multipliers, doc types, interrogatives."""

from __future__ import annotations

import pytest

from rag.lang import vocab


def test_units_and_multipliers() -> None:
    v = vocab()
    assert v.units["公里"] == v.units["千米"] == "length"
    assert v.units["元"] == "money"
    assert v.multipliers["万"] == 1e4 and v.multipliers["亿"] == 1e8 and v.multipliers["千"] == 1e3


def test_doc_type_values_cover_gbt_9704_and_the_contract() -> None:
    values = set(vocab().doc_type_values)
    gbt = [
        "决议",
        "决定",
        "命令",
        "公报",
        "公告",
        "通告",
        "意见",
        "通知",
        "通报",
        "报告",
        "请示",
        "批复",
        "议案",
        "函",
        "纪要",
    ]
    assert set(gbt) <= values
    assert {"复函", "方案", "汇报", "讲话", "通知", "新闻", "其他"} <= values
    assert {t for _, t in vocab().doc_types} <= values


def test_doc_types_longest_ending_first() -> None:
    endings = [e for e, _ in vocab().doc_types]
    assert endings == sorted(endings, key=len, reverse=True)


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("关于区人大一届三次会议第61号建议的答复", "复函"),
        ("关于市政协十三届二次会议第123号提案的答复函", "复函"),
        ("关于第1号代表建议办理情况的函", "复函"),
        ("关于印发铜梁区2024年工作要点的通知", "通知"),
        ("重庆市铜梁区乡村振兴实施方案", "方案"),
        ("2024年政府工作报告", "报告"),
        ("关于某项工作的汇报", "汇报"),
        ("在全市大会上的讲话", "讲话"),
        ("《关于加强管理的实施意见》政策解读", "新闻"),
        ("国务院关于实施乡村振兴战略的意见", "意见"),
        ("关于同意设立开发区的批复", "批复"),
        ("某某县2022年国民经济和社会发展统计公报", "其他"),
        ("长春市体育市场管理规定", "其他"),
    ],
)
def test_doc_type_from_title(title: str, doc_type: str) -> None:
    assert vocab().doc_type(title) == doc_type


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("规上工业总产值是多少？", "figure"),
        ("新建了几所学校", "figure"),
        ("通过哪几种方式办理", "list"),
        ("列入了哪些项目", "list"),
        ("什么时候开始实施", "date"),
        ("谁负责", "person"),
        ("哪个部门负责", "organisation"),
        ("为什么没能按期完成", "reason"),
        ("怎么处理", "measure"),
        ("是否纳入计划", "yes_no"),
        ("这份文件的文号是什么", "doc_number"),
        ("发文机关是哪个", "issuer"),
    ],
)
def test_answer_type(question: str, kind: str) -> None:
    assert vocab().answer_type(question) == kind


def test_role_words_and_org_suffixes() -> None:
    v = vocab()
    assert {"代表", "委员", "局", "委", "办"} <= set(v.role_words)
    assert "人民政府" in v.org_suffixes and "委员会" in v.org_suffixes
    assert list(v.org_suffixes) == sorted(v.org_suffixes, key=len, reverse=True)


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("长沙市新型城镇化发展规划(2021—2025年)", "方案"),
        ("广元市安全生产治本攻坚三年行动方案(2024—2026年)", "方案"),
        ("关于征求意见的通知（征求意见稿）", "通知"),
        ("优化营商环境2023年工(gōng)作(zuò)要點", "方案"),
        ("嘉興市人民政府政府工作報(bào)告", "报告"),
        ("国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "方案"),
        ("南平市民政局关于市政协五届四次会议204293号提案答复的函", "复函"),
    ],
)
def test_doc_type_ignores_remarks_script_and_pinyin(title: str, doc_type: str) -> None:
    assert vocab().doc_type(title) == doc_type
