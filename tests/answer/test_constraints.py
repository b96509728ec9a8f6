"""The constraint rules: what the question pins down against what the quoted sentence states.

Each rule is tested on an unanswerable near-miss (refused, with the rule's reason) and on an
answerable look-alike (answered): 今年 in a 2023 document is 2023, 住建局 is 住房和城乡建设局.
"""

from __future__ import annotations

from rag.answer import refusal
from rag.answer.constraints import screen, violation
from rag.answer.gate import assess
from rag.answer.orgs import OrgName, organisations, same_organisation
from rag.answer.passages import from_hits
from rag.answer.query import analyse
from rag.answer.select import rank_sentences
from rag.lang.markers import ordinals, stated_years

from .conftest import make_hit

THRESHOLD = 0.28


def _hit(cid: str, text: str, region: str, title: str = "答复", **meta: object):  # type: ignore[no-untyped-def]
    return make_hit(cid, text, source=f"{cid}.txt", title=title, region=region, **meta)


def _reason(question: str, *hits) -> str | None:  # type: ignore[no-untyped-def]
    return assess(analyse(question), from_hits(list(hits)), THRESHOLD).reason


# ---------------------------------------------------------------- figures

ROAD = "南环路市委广场丁字路口车行道维修改造工程是2018年度城建重点项目,施工期间将对南环路市委广场丁字路口实行交通管制。"
REPLY = "三亚市八届人大六次会议以来,收到代表团和代表提出议案4件、建议211件。建议办理满意率为98.5%。"


def test_a_figure_question_over_a_sentence_without_a_figure_is_refused() -> None:
    assert _reason("安康市南环路市委广场丁字路口车行道维修改造工程花了多少钱?", _hit("a", ROAD, "安康市")) == (
        refusal.NO_FIGURE
    )


def test_money_and_percent_questions_need_a_figure_of_that_family() -> None:
    q = analyse("三亚市八届人大六次会议代表建议的办理满意率是多少?")
    assert "percent" in q.figure_families
    assert analyse("这座桥估算要投资多少?").figure_families == ("money",)
    passages = from_hits([_hit("s", REPLY, "三亚市")])
    first = passages[0]
    ranked = rank_sentences(q, passages)
    count_sentence = next(s for s in ranked if s.sentence is first.sentences[0])
    assert violation(q, count_sentence) == refusal.NO_FIGURE  # 4件、211件 are no rate
    kept, _ = screen(q, ranked, 10)
    assert kept and "98.5%" in kept[0].sentence.text  # the next sentence states the rate: it answers


def test_a_count_question_needs_the_asked_measure_word() -> None:
    text = "4月6日,召开了城建城管类代表意见、建议督办推进会,区人大常委会副主任明确提出督办要求。"
    assert _reason(
        "东城区人大代表2022年一共提出了多少件建议?", _hit("b", text, "东城区", title="2022年代表建议督办")
    ) == (refusal.NO_FIGURE)


def test_a_figure_of_the_asked_unit_is_answered() -> None:
    text = "截至1月17日上午9时,大会秘书处共收到代表10人以上联名提出的议事原案30件。"
    title = "关于湖北省第十三届人民代表大会第二次会议代表提出议案处理意见的报告"
    assert (
        _reason("湖北省十三届人大二次会议期间大会秘书处收到了多少件议事原案?", _hit("h", text, "湖北省", title=title))
        is None
    )


# ---------------------------------------------------------------- years

OIL = "2017年全市茶油产量为4万吨,现已形成了较大的发展势头。"
BULLETIN = "初步核算,全年实现地区生产总值3473.12亿元,按可比价计算,同比增长5.3%。"
LIYANG = "据悉,今年市教育局共收到政协提案34件,其中主办25件、协办9件。"


def test_a_sentence_about_another_year_is_refused() -> None:
    assert (
        _reason("衡阳市2018年全市茶油产量是多少万吨?", _hit("o", OIL, "衡阳市", title="2018年答复"))
        == refusal.OTHER_YEAR
    )


def test_a_silent_sentence_takes_its_titles_year() -> None:
    title = "宜春市2022年国民经济和社会发展统计公报"
    bulletin = _hit("u", BULLETIN + "2023年计划全市经济增长6%左右。", "宜春市", title=title, date="2023-04-12")
    assert _reason("宜春市2023年地区生产总值是多少亿元?", bulletin) == refusal.OTHER_YEAR
    assert _reason("宜春市2022年地区生产总值是多少亿元?", bulletin) is None


def test_this_year_in_a_2023_document_is_2023() -> None:
    doc = _hit("l", LIYANG, "溧阳市", title="市领导领办市政协重点提案", date="2023-06-14")
    assert _reason("溧阳市教育局2023年收到了多少件市政协提案?", doc) is None
    assert _reason("溧阳市教育局2022年收到了多少件市政协提案?", doc) is not None


def test_a_comparison_year_is_not_what_the_sentence_is_about() -> None:
    assert stated_years("全区GDP达到500亿元,比2021年增长5%") == set()
    assert stated_years("今年共收到提案34件", 2023) == {2023}
    assert stated_years("2022年全区GDP达到500亿元,比2021年增长5%") == {2022}


# ---------------------------------------------------------------- series members

HUBEI_TITLE = "关于湖北省第十三届人民代表大会第二次会议代表提出议案处理意见的报告"
HUBEI = "截至1月17日上午9时,大会秘书处议案组共收到代表10人以上联名提出的议事原案30件。"


def test_series_members_are_read_with_and_without_di() -> None:
    found = [(o.family, o.value) for o in ordinals("湖北省十三届人大三次会议、第三批、第61号建议")]
    assert found == [("session", 13), ("sitting", 3), ("batch", 3), ("item", 61)]
    assert [(o.family, o.value) for o in ordinals(HUBEI_TITLE)] == [("session", 13), ("sitting", 2)]
    assert ordinals("开展了3次检查,一批项目") == []  # counts, not members of a series


def test_another_session_than_the_documents_is_refused() -> None:
    doc = _hit("h", HUBEI, "湖北省", title=HUBEI_TITLE)
    assert _reason("湖北省十三届人大三次会议期间大会秘书处收到了多少件议事原案?", doc) == refusal.OTHER_ORDINAL
    assert _reason("湖北省十三届人大二次会议期间大会秘书处收到了多少件议事原案?", doc) is None


def test_another_numbered_item_is_refused() -> None:
    text = "你们提出的第62号建议收悉,经研究,现答复如下:拓宽工程总投资约1200万元。"
    doc = _hit("n", text, "上虞区", title="对区人大一届三次会议第62号建议的答复")
    assert _reason("上虞区第61号建议提到的拓宽工程总投资是多少?", doc) == refusal.OTHER_ORDINAL
    assert _reason("上虞区第62号建议提到的拓宽工程总投资是多少?", doc) is None


# ---------------------------------------------------------------- organisations


def test_organisation_names_are_found_and_compared_abbreviation_aware() -> None:
    assert organisations("溧阳市卫生健康局2023年收到了多少件市政协提案") == (OrgName("卫生健康", "局"),)
    assert organisations("市住房和城乡建设局负责") == (OrgName("住房和城乡建设", "局"),)
    assert organisations("统筹优化教育资源布局的意见") == ()  # 布局 is no 局
    assert same_organisation(OrgName("住建", "局"), OrgName("住房和城乡建设", "局"))
    assert same_organisation(OrgName("卫健", "局"), OrgName("卫生健康", "局"))
    assert not same_organisation(OrgName("卫生健康", "局"), OrgName("教育", "局"))


def test_another_organisation_stated_in_its_place_is_refused() -> None:
    doc = _hit("l", LIYANG, "溧阳市", title="市领导领办市政协重点提案", date="2023-06-14")
    q = analyse("溧阳市卫生健康局2023年收到了多少件市政协提案?")
    best = rank_sentences(q, from_hits([doc]))[0]
    assert violation(q, best) == refusal.OTHER_ORGANISATION
    assert _reason(q.text, doc) is not None
    assert _reason("溧阳市教育局今年一共收到几件市政协提案?", doc) is None


def test_the_full_name_answers_for_its_abbreviation() -> None:
    text = "市住房和城乡建设局表示,2023年全市计划改造老旧供热管网120公里。"
    doc = _hit("p", text, "盘锦市", title="盘锦市供热管网改造计划")
    assert _reason("盘锦市住房和城乡建设局2023年计划改造多少公里老旧供热管网?", doc) is None
    assert _reason("盘锦市住建局2023年计划改造多少公里老旧供热管网?", doc) is None
    assert _reason("盘锦市教育局2023年计划改造多少公里老旧供热管网?", doc) == refusal.OTHER_ORGANISATION


# ---------------------------------------------------------------- what the figure is of

QUARTER = "一季度直管区GDP增长7.2%,战略性新兴产业产值增长18.4%,创新报表持续位列A档。"


def test_a_figure_of_another_indicator_is_refused() -> None:
    q = analyse("两江新区一季度工业投资增长多少?")
    assert q.subject == ("工业", "投资") and q.figure_families == ("any",)
    best = rank_sentences(q, from_hits([_hit("q", QUARTER, "两江新区")]))[0]
    assert violation(q, best) == refusal.OTHER_SUBJECT


def test_a_figure_of_the_asked_indicator_is_answered() -> None:
    doc = _hit("q", QUARTER, "两江新区", title="两江新区一季度经济运行情况")
    assert _reason("两江新区一季度GDP增长多少?", doc) is None


def test_a_rank_question_needs_no_figure() -> None:
    q = analyse("一季度重庆全市规上工业增加值增速排名全国第几位?")
    text = "一季度全市规上工业增加值增长7.5%,增速排名全国第3位。"
    best = rank_sentences(q, from_hits([_hit("r", text, "重庆市")]))[0]
    assert violation(q, best) is None


def test_a_comparison_year_in_the_question_is_no_year_constraint() -> None:
    q = analyse("合川区规模以上工业单位增加值能耗要较2022年累计下降多少?")
    assert q.asked_years == ()
    assert analyse("利通区2004年致辞里,上一年全区国内生产总值是多少?").asked_years == (2004, 2003)


def test_a_bracketed_period_of_a_plan_is_no_asked_year() -> None:
    assert analyse("庆城县国土空间总体规划(2021—2035年)草案的公示时间是什么时候?").asked_years == ()
    assert analyse("2035年庆城县规划人口是多少?").asked_years == (2035,)
