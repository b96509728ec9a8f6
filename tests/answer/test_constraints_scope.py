"""Round-2 constraint rules: the asked part of the year, a zone named instead of the asked place,
documents naming no place, a section's place, and a document described without 《》."""

from __future__ import annotations

from typing import Any

from rag.answer import refusal
from rag.answer.gate import assess, described_document
from rag.answer.passages import from_hits
from rag.answer.query import analyse
from rag.lang.markers import areas, periods

from .conftest import make_hit

THRESHOLD = 0.26


def _hit(cid: str, text: str, region: str | None, title: str = "工作情况", **meta: Any):  # type: ignore[no-untyped-def]
    return make_hit(cid, text, source=f"{cid}.txt", title=title, region=region, **meta)


def _reason(question: str, *hits) -> str | None:  # type: ignore[no-untyped-def]
    return assess(analyse(question), from_hits(list(hits)), THRESHOLD).reason


def test_periods_and_areas_are_read_from_data() -> None:
    assert periods("一季度GDP增长") == {(1, 3)}
    assert periods("1—5月规上工业增加值") == {(1, 5)}
    assert periods("2023年,全年规上工业总产值") == {(1, 12)}
    assert periods("2011年1月召开") == set()  # one month is a date, not a period
    assert periods("规划(2021—2035年)") == set()
    assert areas("沿江承接产业转移示范区承接项目") == {"示范区"}


def test_a_full_year_figure_does_not_answer_a_quarter() -> None:
    year = _hit("y", "2023年,全年规上工业增加值增长3.3%,工业投资增长24.9%。", "铜梁区")
    assert _reason("铜梁区一季度规上工业增加值增长多少?", year) == refusal.OTHER_PERIOD
    quarter = _hit("q", "一季度,全区规上工业增加值增长9.1%,工业投资增长12.0%。", "铜梁区")
    assert _reason("铜梁区一季度规上工业增加值增长多少?", quarter) is None
    # a sentence silent on the period answers (its title need not say which quarter it reports)
    silent = _hit("s", "规上工业增加值增长9.1%,工业投资增长12.0%。", "铜梁区", title="二季度工作部署")
    assert _reason("铜梁区一季度规上工业增加值增长多少?", silent) is None


ZONE = "示范区包括涪陵、永川、大足等7个区。2021年,沿江承接产业转移示范区承接产业转移项目347个,完成投资523亿元。"


def test_a_zone_figure_does_not_answer_for_a_district_inside_it() -> None:
    zone = _hit("z", ZONE, "重庆市")
    assert _reason("永川区2021年承接产业转移项目完成投资多少亿元?", zone) == refusal.OTHER_AREA
    own = _hit("o", "2021年,永川区承接产业转移项目完成投资52亿元,高于示范区平均水平。", "永川区")
    assert _reason("永川区2021年承接产业转移项目完成投资多少亿元?", own) is None
    # the question asks about the zone itself
    assert _reason("2021年沿江承接产业转移示范区承接产业转移项目完成投资多少亿元?", zone) is None


SPEECH = "同志们,今天召开全市安全生产电视电话会议。王某某市长作了讲话,部署今年的安全生产工作。"


def test_a_document_naming_no_place_may_answer_when_none_names_the_asked_one() -> None:
    unplaced = _hit("u", SPEECH, None, title="在全市安全生产电视电话会议上的讲话")
    assert _reason("濮阳市全市安全生产电视电话会议上是哪位市长讲话?", unplaced) is None
    other = _hit("g", "广元市召开安全生产电视电话会议,李某某市长作了讲话。", "广元市", title="广元市安全生产会议")
    assert _reason("濮阳市全市安全生产电视电话会议上是哪位市长讲话?", other, unplaced) is None
    # a document of the asked place wins: the one naming no place is left out
    own = _hit("p", "濮阳市召开安全生产电视电话会议,赵某某市长作了讲话。", "濮阳市", title="濮阳市安全生产会议")
    evidence = assess(analyse("濮阳市安全生产电视电话会议上是哪位市长讲话?"), from_hits([own, unplaced]), THRESHOLD)
    assert {p.document for p in evidence.passages} == {"p.txt"}


def test_a_later_chunk_of_a_district_section_is_about_that_district() -> None:
    title = "区县委书记例会发言摘登"
    text = "沙坪坝区委书记 唐某某\n沙坪坝区一季度地区生产总值增长8.5%。"
    first = make_hit("s1", text, source="s.txt", title=title, region="重庆市", heading_path="稳进增效")
    later = make_hit(
        "s2",
        "打造消费热点,社零总额增长6.8%。引进重庆某某公司落户。",
        source="s.txt",
        title=title,
        region="重庆市",
        heading_path="稳进增效 > 三、狠抓消费",
    )
    assert _reason("沙坪坝区一季度社零总额增长了多少?", first, later) is None


def test_a_document_described_at_the_start_of_a_question() -> None:
    assert described_document(analyse("区域制造中心建设汇报中全市规上工业总产值是多少亿元?")) == "区域制造中心建设汇报"
    assert described_document(analyse("合川区制造业高质量发展行动方案的实施期限是哪几年?")) == ""
    report = _hit("r", "全市新增上云企业100户,工业投资增长12%。", "南充市", title="关于区域制造中心建设情况的汇报")
    other = _hit("t", "2023年,全年规上工业总产值实现757.2亿元。", "南充市", title="某区经济运行情况")
    assert _reason("区域制造中心建设汇报中全市规上工业总产值是多少亿元?", report, other) is not None
    assert _reason("全市规上工业总产值是多少亿元?", report, other) is None


def test_a_part_naming_its_own_place_keeps_no_year_of_the_part_before() -> None:
    q = analyse("合川区到2027年新型储能产业产值目标是多少?铜梁区参投产业基金撬动了多少投资?")
    assert q.parts[0].years == (2027,) and q.parts[1].years == () and q.parts[1].asked_years == ()
    follow = analyse("铜梁区2023年工业投资增长多少?规上工业增加值呢?")
    assert follow.parts[1].years == (2023,)  # no place of its own: it continues the part before


def test_a_change_is_answered_by_a_rate_or_a_figure_stated_as_a_change() -> None:
    ranks = _hit("k", "一季度,GDP、固投增速等均列为A档,“八张报表”综合评价全市第三。", "云阳县")
    assert _reason("云阳县一季度GDP增长了多少?", ranks) == refusal.NO_FIGURE
    rate = _hit("r", "一季度,全县GDP增长6.1%,固投增速居全市第三。", "云阳县")
    assert _reason("云阳县一季度GDP增长了多少?", rate) is None
    # a size or target asked may be any figure, and 目标/规模 are not what it is of
    q = analyse("合川区重庆火锅食材产业集群的规模目标是多少?")
    assert q.subject == ("食材", "产业集群") and q.figure_families == ("size",)
    # the words before the phrase of the interrogative do not say what it counts (稳增长政策里,多大面积)
    assert analyse("官渡区稳增长政策里,多大面积的土地可直接办理登记?").figure_families == ()
