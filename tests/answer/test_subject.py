"""Subject, year and compound-question rules on hand-made hits: fast, no index."""

from __future__ import annotations

from rag.answer.extractive import ExtractiveBackend, select, sub_questions
from rag.answer.passages import from_hits
from rag.answer.query import places, rewrite
from rag.answer.subject import about_place, about_years

from .conftest import make_hit

SPEECH = "001_c05f8967b619d6a9.txt"
SPEECH_TITLE = "重庆市区县委书记和部门一把手例会发言摘登"


def speech_hits() -> list:
    lead = make_hit(
        "s0",
        "多措并举 承压前行\n沙坪坝区委书记 唐小平\n沙坪坝区一季度地区生产总值增长8.5%。",
        source=SPEECH,
        title=SPEECH_TITLE,
        region="重庆市",
        heading_path="多措并举 承压前行",
    )
    body = make_hit(
        "s1",
        "一、狠抓投资放量。一季度固定资产投资增长7.4%。重抓制造业投资,工业投资增长49.7%。",
        source=SPEECH,
        title=SPEECH_TITLE,
        region="重庆市",
        heading_path="多措并举 承压前行 > 一、狠抓投资放量",
    )
    return [body, lead]


def test_section_lead_names_the_subject_of_its_chunks() -> None:
    picks = select("沙坪坝区一季度工业投资增长多少？", from_hits(speech_hits()))
    assert picks and "49.7%" in picks[0].quote and picks[0].n == 1


def test_other_place_of_the_section_is_refused() -> None:
    assert select("两江新区一季度工业投资增长多少？", from_hits(speech_hits())) == []
    assert select("重庆市一季度工业投资增长多少？", from_hits(speech_hits())) == []


def test_zone_total_is_not_a_member_districts_figure() -> None:
    news = make_hit(
        "n1",
        "2021年,示范区承接东部地区产业转移项目347个,完成年度投资523亿元。示范区包括涪陵、永川、大足等7个区。",
        source="004.txt",
        title="2021年示范区承接产业转移",
        region="重庆市",
    )
    assert select("永川区2021年承接产业转移项目完成投资多少亿元？", from_hits([news])) == []
    assert about_place(("永川区",), "永川积极组建4个驻外招商机构", "", "重庆市")


def test_year_is_inferred_from_the_lead_in_and_the_title() -> None:
    text = "到2027年,实现以下目标:——规模以上工业企业营业收入迈上1600亿元台阶。"
    assert not about_years(("2022",), "规模以上工业企业营业收入迈上1600亿元台阶", text, "")
    assert about_years(("2027",), "规模以上工业企业营业收入迈上1600亿元台阶", text, "")
    assert not about_years(("2022",), "全年新获批高新技术企业131家", "全年新获批高新技术企业131家", "2021年示范区")
    assert about_years(("2022",), "能耗较2022年累计下降13%", "到2027年,能耗较2022年累计下降13%", "")


def test_compound_questions_are_split_and_each_part_cited() -> None:
    assert sub_questions("铜梁区经营性资产总规模和可盘活资产分别是多少？") == [
        "铜梁区经营性资产总规模是多少？",
        "铜梁区可盘活资产是多少？",
    ]
    assert len(sub_questions("铜梁区2023年的投资转化率是多少，提升了几个百分点？")) == 2
    hit = make_hit("a", "全区经营性资产总规模1089亿元、可盘活资产54.7亿元,清理出股权投资31.2亿元、经营资质18项。")
    out = "".join(ExtractiveBackend().generate("铜梁区经营性资产总规模和可盘活资产分别是多少？", from_hits([hit])))
    assert "1089亿元" in out and "54.7亿元" in out and out.count("[1]") == 1


def test_places_without_suffix_and_new_areas() -> None:
    assert places("永川组建了多少个驻外招商机构") == ("永川",)
    assert places("两江新区一季度直管区GDP增长多少") == ("两江新区",)
    assert places("此复函已经区人民政府分管副区长审定") == ()


def test_follow_up_keeps_the_place_of_a_figure_question() -> None:
    history = [("两江新区一季度直管区GDP增长多少？", "……")]
    assert rewrite("那它的全社会研发投入强度呢？", history).startswith("两江新区")


def test_attribute_words_must_all_be_present() -> None:
    hit = make_hit(
        "h", "到2027年,新型储能产业产值力争突破30亿元。", source="002.txt", title="合川方案", region="合川区"
    )
    assert select("合川区到2027年氢能产业产值是多少？", from_hits([hit])) == []
    assert select("合川区到2027年新型储能产业产值是多少？", from_hits([hit]))
