"""analyse: the question read once into a Query (answer type, unit, terms, constraints, parts)."""

from __future__ import annotations

from rag.answer.query import analyse, rewrite, rule_rewrite


def test_figure_question_with_unit_place_and_year() -> None:
    q = analyse("盘锦市住建局说2023年全市计划改造多少公里老旧供热管网?")
    assert q.answer_type == "figure" and q.unit == "公里"
    assert [p.name for p in q.places] == ["盘锦市"] and q.years == (2023,)
    assert "供热" in q.terms and "盘锦市" not in q.terms  # places are constraints, not words to cover


def test_traditional_question_is_folded_before_analysis() -> None:
    q = analyse("柳林縣2022年地區生產總值達到多少?")
    assert q.text.startswith("柳林县") and [p.name for p in q.places] == ["柳林县"]


def test_answer_types_come_from_the_interrogative_vocabulary() -> None:
    assert analyse("宁陕县交通运输局为什么说道路暂时没法拓宽?").answer_type == "reason"
    assert analyse("子洲县交通运输局打算怎么处理被破坏的道路?").answer_type == "measure"
    assert analyse("五华县禁燃禁放的烟花爆竹包括哪些种类?").answer_type == "list"
    assert analyse("湖州市的意见要在哪天之前反馈?").answer_type == "date"


def test_focus_is_the_word_the_interrogative_asks_about() -> None:
    assert analyse("舟曲县2020年全县有多少所初中?").focus == ("初中",)
    assert analyse("三亚市代表建议的办理满意率是多少?").focus == ("满意率",)


def test_metadata_fields_and_the_date_asked_with_them() -> None:
    q = analyse("山西省激发重点群体活力带动城乡居民增收的实施方案的文号和成文日期是什么?")
    assert q.is_metadata and q.fields == ("doc_number", "doc_date")
    named = analyse("《阿里地区行政公署工作规则》是哪个机关发的?")
    assert named.named_doc == "阿里地区行政公署工作规则" and named.fields == ("issuer",)
    assert not analyse("番禺区一共有多少间医疗机构?").is_metadata


def test_compound_question_parts_inherit_the_constraints_of_the_part_before() -> None:
    q = analyse("本溪市现在的供热管网总长有多少公里?2019年初步打算再改造多少?")
    assert len(q.subqueries) == 2
    assert [p.name for p in q.subqueries[1].places] == ["本溪市"] and q.subqueries[1].years == (2019,)
    assert q.subqueries[0].years == ()


def test_follow_up_carries_place_and_year_or_swaps_them() -> None:
    assert rule_rewrite("工业投资呢？", "铜梁区2023年规上工业总产值是多少？").startswith("铜梁区2023年工业投资")
    assert rule_rewrite("2022年呢？", "铜梁区2023年规上工业总产值是多少？") == "铜梁区2022年规上工业总产值是多少？"
    assert rewrite("铜梁区2023年规上工业总产值是多少？") == "铜梁区2023年规上工业总产值是多少？"


def test_llm_rewrite_is_used_when_usable_and_rules_otherwise() -> None:
    history = [("铜梁区2023年规上工业总产值是多少？", "757.2亿元[1]。")]
    assert (
        rewrite("那工业投资呢？", history, llm=lambda _: "铜梁区2023年工业投资增长多少？")
        == "铜梁区2023年工业投资增长多少？"
    )

    def broken(_: str) -> str | None:
        raise RuntimeError("endpoint down")

    assert "铜梁区" in rewrite("那工业投资呢？", history, llm=broken)
