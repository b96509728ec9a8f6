"""Compound parts sharing a subject, shared attributes, list answers, attribute heads, units and ranks.

Hand-made passages only (no index): each test pins one general rule of the extractive backend and
its counterpart that must still refuse.
"""

from __future__ import annotations

from index.records import Hit
from rag.answer.extractive import ExtractiveBackend, has_unit, select, sub_questions
from rag.answer.passages import from_hits
from rag.answer.query import key_terms, places
from rag.answer.subject import about_place

from .conftest import make_hit

SPEECH = "001_c05f8967b619d6a9.txt"
SPEECH_TITLE = "重庆市区县委书记和部门一把手例会发言摘登"
PLAN = "002_ab94c550cb50952a.txt"
PLAN_TITLE = "合川区制造业高质量发展行动方案(2023—2027年)"


def _answer(question: str, hits: list[Hit]) -> str:
    return "".join(ExtractiveBackend().generate(question, from_hits(hits)))


def _speech(text: str, heading: str = "塑造两江新区高质量发展新动能") -> Hit:
    return make_hit("s", text, source=SPEECH, title=SPEECH_TITLE, region="重庆市", heading_path=heading)


def test_a_part_naming_only_a_frame_shares_the_first_parts_subject() -> None:
    parts = sub_questions("两江新区一季度技术合同成交额是多少，占全市比重多少？")
    assert parts == ["两江新区一季度技术合同成交额是多少？", "两江新区一季度技术合同成交额占全市比重多少？"]
    assert sub_questions("一季度全市工业投资增长多少，排名全国第几位？")[1] == "一季度全市工业投资排名全国第几位？"
    hit = _speech("两江新区以多种方式推动成果转化,一季度完成技术合同成交额90.8亿元,占全市42.3%。")
    out = _answer("两江新区一季度技术合同成交额是多少，占全市比重多少？", [hit])
    assert "90.8亿元" in out and "42.3%" in out


def test_an_attribute_after_de_is_shared_by_both_conjuncts() -> None:
    parts = sub_questions("合川区规模以上工业企业研发投入和投入强度的目标是什么？")
    assert parts == ["合川区规模以上工业企业研发投入的目标是什么？", "合川区投入强度的目标是什么？"]
    hit = make_hit(
        "p",
        "——创新赋能实现新突破。规模以上工业企业研发投入超20亿元,投入强度提高至2%,"
        "有研发机构、有研发活动企业占比分别提高至45%、60%,全员劳动生产率提高至50万元/人。",
        source=PLAN,
        title=PLAN_TITLE,
        region="合川区",
    )
    out = _answer("合川区规模以上工业企业研发投入和投入强度的目标是什么？", [hit])
    assert "20亿元" in out and "2%" in out
    assert _answer("合川区规模以上工业企业研发投入和研发人员的目标是什么？", [hit]) == ""


def test_the_clause_naming_the_attribute_head_is_quoted() -> None:
    text = "兑现企业研发投入补助300余万元,有力刺激企业加大研发投入,2023年全区规上工业企业研发投入19.41亿元,研发强度达2.57%;"
    hit = make_hit("t", text)
    picks = select("铜梁区2023年规上工业企业研发强度是多少？", from_hits([hit]))
    assert picks and "2.57%" in picks[0].quote and "19.41亿元" not in picks[0].quote


def test_a_later_part_with_its_own_place_does_not_inherit_the_first_parts_year() -> None:
    parts = sub_questions(
        "合川区到2027年新型储能产业产值目标是多少？铜梁区参投产业基金撬动了多少新型储能产业投资项目？"
    )
    assert parts[1] == "铜梁区参投产业基金撬动了多少新型储能产业投资项目？"
    assert sub_questions("铜梁区2023年工业投资增长多少？工业增加值增长多少？")[1] == "铜梁区2023年工业增加值增长多少？"


def test_list_question_quotes_the_enumeration_and_towns_do_not_change_the_subject() -> None:
    hit = make_hit(
        "l",
        "——空间布局实现新突破。以高新区为核心引擎,3个园区组团(南溪组团、草街组团、天顶组团)为关键支撑、"
        "3个中小企业集聚区(龙市镇、双槐镇、渭沱镇)为重要补充的“1+3+3”产业空间格局基本形成。",
        source=PLAN,
        title=PLAN_TITLE,
        region="合川区",
    )
    out = _answer("合川区“1+3+3”产业空间格局中的3个园区组团是哪些？", [hit])
    assert all(name in out for name in ("南溪组团", "草街组团", "天顶组团"))
    # a town is part of the asked district; another district named in the sentence still is not
    assert about_place(["合川区"], "龙市镇、双槐镇为重要补充", "", "合川区方案")
    assert not about_place(["合川区"], "永川区3个园区组团为关键支撑", "", "合川区方案")


def test_places_are_read_line_by_line() -> None:
    section = "坚决打赢国有企业改革突破攻坚战\n市国资委党委书记、主任 曾菁华"
    assert places(section) == ()
    assert places("抓项目促投资 激活力增动能\n武隆区委书记 何庆") == ("武隆",)
    hit = _speech(
        section + "\n市国资委深入贯彻重要讲话精神。1—3月,全市国有企业营业收入、利润总额、增加值、上交税费"
        "分别增长8%、59.4%、25.8%、49.4%。",
        heading="坚决打赢国有企业改革突破攻坚战",
    )
    out = _answer("1—3月重庆市国有企业营业收入和利润总额分别增长多少？", [hit])
    assert "8%" in out and "59.4%" in out


def test_a_named_unit_must_be_the_unit_of_the_quoted_figure() -> None:
    assert key_terms("软件业务收入是多少亿元？").unit == "亿元"
    assert key_terms("提升了几个百分点？").unit == "个百分点"
    assert key_terms("工业投资增长多少？").unit == ""
    assert has_unit("亿元", "完成投资523亿元") and has_unit("万元", "补助300余万元")
    assert has_unit("家", "新增高新技术企业48家") and not has_unit("亿元", "软件业务收入增长8.9%")
    hit = _speech("市经济信息委推动集群发展。一季度全市软件业务收入增长8.9%。", heading="培育壮大现代制造业集群")
    assert _answer("一季度重庆软件业务收入是多少亿元？", [hit]) == ""
    assert "8.9%" in _answer("一季度重庆软件业务收入增长多少？", [hit])


def test_a_rank_in_words_answers_a_which_place_question_and_money_asked_as_qian() -> None:
    hit = _speech(
        "一季度全市工业投资增长16.7%、高于全国3.3个百分点,排名全国第十三位。", heading="培育壮大现代制造业集群"
    )
    out = _answer("一季度重庆工业投资增长多少，排名全国第几位？", [hit])
    assert "16.7%" in out and "第十三位" in out
    tongliang = make_hit("m", "兑现企业研发投入补助300余万元,有力刺激企业加大研发投入。")
    assert "300余万元" in _answer("铜梁区兑现企业研发投入补助多少钱？", [tongliang])
