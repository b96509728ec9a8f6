"""Document facts found by their line shape: 文种, 公开属性, 实施期限, page lines, bylines, salutations, events."""

from __future__ import annotations

from rag.answer.facts import (
    bylines,
    doc_type_of,
    event_sentence,
    issuing_notice,
    page_labels,
    page_line,
    period_of,
    salutation,
    speaker_for,
    visibility_line,
)

SPEECHES = (
    "有效盘活国有资产 推动经济稳进增效\n铜梁区委书记 谭庆\n铜梁区认真落实重要讲话精神。\n"
    "培育壮大现代制造业集群\n市经济信息委党组书记、主任 蓝庆华\n市经济信息委按照部署推进。\n"
    "强化科技创新\n市委常委、两江新区党工委书记 罗茜\n"
)


def test_doc_type_is_the_title_ending() -> None:
    assert doc_type_of("关于区第十八届人民代表大会第四次第126号建议的复函") == "复函"
    title = "重庆市合川区人民政府办公室关于印发深入推进制造业高质量发展行动方案(2023—2027年)的通知"
    assert doc_type_of(title) == "通知" and issuing_notice(title)
    assert doc_type_of("关于区域制造中心建设情况的汇报") == "汇报"
    assert doc_type_of("2021年示范区承接项目347个 完成投资523亿元") is None


def test_period_is_the_year_range_of_a_title() -> None:
    assert period_of("行动方案(2023—2027年)的通知") == "2023—2027年"
    assert period_of("产业园区高质量发展规划(2022-2026)") == "2022-2026年"
    assert period_of("2023年工作要点") is None


def test_visibility_line_is_quoted_with_its_value() -> None:
    line = visibility_line("重庆市铜梁区经济和信息化委员会\n202464\n(此件主动公开)\n(联系人:孔洁莲")
    assert line is not None and line.quote == "(此件主动公开)" and line.value == "主动公开"
    assert visibility_line("（此件公开发布）").value == "主动公开"  # type: ignore[union-attr]
    assert visibility_line("本文件主动公开了招商政策。") is None


def test_page_line_prefers_the_asked_labels_and_drops_counters() -> None:
    text = "2021年重慶示范區承接項目347個\n來源:高新院 achie.org 日期:2022-01-29 點擊:次\n近日,記者獲悉。"
    line = page_line(text, page_labels("新闻发布日期和来源是什么？"))
    assert line is not None and line.quote == "來源:高新院 achie.org 日期:2022-01-29"
    assert page_line("更新时间:2024-05 来源:网友投稿", ("更新时间",)).quote == "更新时间:2024-05 来源:网友投稿"  # type: ignore[union-attr]
    assert page_line("正文说明了来源:\n" + "很长的正文" * 30, ("来源",)) is None
    assert page_line("联系人:孔洁莲", ("来源",)) is None


def test_bylines_give_the_bodies_and_the_speaker() -> None:
    found = {b.name: b.orgs for b in bylines(SPEECHES)}
    assert found == {"谭庆": ("铜梁",), "蓝庆华": ("市经济信息委",), "罗茜": ("两江新区",)}


def test_speaker_is_the_byline_of_the_named_body() -> None:
    assert speaker_for("在例会上代表铜梁区发言的是谁？", [SPEECHES]).name == "谭庆"  # type: ignore[union-attr]
    assert speaker_for("例会上市经济信息委的发言人是谁？", [SPEECHES]).name == "蓝庆华"  # type: ignore[union-attr]
    assert speaker_for("代表两江新区发言的是谁？", [SPEECHES]).name == "罗茜"  # type: ignore[union-attr]
    assert speaker_for("代表北京市发言的是谁？", [SPEECHES]) is None


def test_salutation_is_quoted_with_the_next_sentence() -> None:
    text = "126号建议的复函\n周练代表:\n您提出的《关于加快全区工业经济发展的建议》(第126号)已收悉。衷心感谢。"
    line = salutation(text)
    assert line is not None and line.value == "周练代表"
    assert line.quote == "周练代表:您提出的《关于加快全区工业经济发展的建议》(第126号)已收悉。"
    assert salutation("各镇人民政府、街道办事处:\n现印发给你们。") is None


def test_event_sentence_needs_a_date_before_the_verb_and_the_subject() -> None:
    text = "核心提示\n4月26日上午,市委召开区县委书记和部门一把手例会。会议通报了情况。"
    line = event_sentence(text, r"召开|举行", "区县委书记和部门一把手例会是哪天召开的？")
    assert line is not None and line.value == "4月26日" and line.quote.startswith("4月26日上午")
    assert event_sentence(text, r"召开", "全市招商引资大会是哪天召开的？") is None
    published = "北极星获悉,9月15日,合川区人民政府办公室发布关于印发《行动方案》的通知。"
    assert event_sentence(published, "发布", "合川区行动方案的通知").value == "9月15日"  # type: ignore[union-attr]
