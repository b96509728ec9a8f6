"""Metadata of all five seeds (000 and 002 exactly as the issue states) and each rule on its own."""

from __future__ import annotations

import pytest

from rag.documents.metadata import (
    extract_meta,
    find_doc_number,
    find_doc_type,
    find_region,
    find_title,
    is_org_line,
    parse_date,
)
from rag.models import CleanText, LoadedFile

Seeds = dict[str, tuple[LoadedFile, CleanText]]


def meta_of(seeds: Seeds, seed: str) -> dict[str, object]:
    loaded, cleaned = seeds[seed]
    return extract_meta(loaded, cleaned).to_dict()


def test_seed_000_reply_letter(seeds: Seeds) -> None:
    m = meta_of(seeds, "000")
    assert m["doc_number"] == "铜经信函〔2024〕54号"
    assert m["issuer"] == "重庆市铜梁区经济和信息化委员会"
    assert (m["date"], m["date_precision"]) == ("2024-06-04", "day")
    assert m["region"] == "铜梁区"
    assert m["doc_type"] == "复函"
    assert m["title"] == "重庆市铜梁区经济和信息化委员会关于区第十八届人民代表大会第四次第126号建议的复函"
    assert m["incomplete"] is False


def test_seed_001_speeches(seeds: Seeds) -> None:
    m = meta_of(seeds, "001")
    assert m["title"] == "牢记嘱托实干奋进 全力推动二季度工作全面加速整体跃升——重庆市区县委书记和部门一把手例会发言摘登"
    assert m["doc_type"] == "讲话"
    assert m["region"] == "重庆市"  # eight districts and departments speak: the city, not one district
    assert m["date"] == "2024-04-26"  # "4月26日上午" with the year of "2024年一季度"
    assert m["doc_number"] is None


def test_seed_002_news_of_a_plan(seeds: Seeds) -> None:
    m = meta_of(seeds, "002")
    assert m["issuer"] == "重庆市合川区人民政府办公室"
    assert m["date"] == "2023-09-12"  # the notice's own date, not the news date 9月15日
    assert m["region"] == "合川区"
    assert m["doc_type"] in ("方案", "通知")
    assert m["title"].startswith("重庆市合川区人民政府办公室关于印发")  # type: ignore[union-attr]
    assert "北极星" not in m["title"]  # type: ignore[operator]


def test_seed_003_truncated_report(seeds: Seeds) -> None:
    m = meta_of(seeds, "003")
    assert m["title"] == "关于区域制造中心建设情况的汇报"
    assert (m["date"], m["date_precision"]) == ("2024-05-01", "month")
    assert m["region"] == "南充市"  # 仪陇 and 营山 are counties of Nanchong, Sichuan
    assert m["doc_type"] == "汇报"
    assert m["incomplete"] is True
    assert m["issuer"] is None  # "网友投稿" is not an organisation


def test_seed_004_traditional_news(seeds: Seeds) -> None:
    m = meta_of(seeds, "004")
    assert m["title"] == "2021年重慶沿江承接產業轉移示范區承接東部地區產業轉移項目347個 完成投資523億元"
    assert (m["date"], m["date_precision"]) == ("2022-01-29", "day")
    assert m["region"] == "重庆市"
    assert m["doc_type"] == "新闻"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("铜经信函〔2024〕54号", "铜经信函〔2024〕54号"),
        ("  • 渝府办发[2023]112号", "渝府办发〔2023〕112号"),
        ("川经信发（2022）第7号", "川经信发〔2022〕7号"),
        ("铜经信函202454", "铜经信函〔2024〕54号"),  # brackets and 号 lost by the page
    ],
)
def test_doc_number_forms(line: str, expected: str) -> None:
    assert find_doc_number(["标题", line]) == expected


def test_doc_number_cited_inside_a_sentence_is_not_the_documents_own() -> None:
    assert find_doc_number(["根据《通知》(渝府发〔2024〕3号)要求,现函复如下。"]) is None


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2024-06-04", "2024-06-04", "day"),
        ("2023年9月12日", "2023-09-12", "day"),
        ("二〇二三年十二月三十一日", "2023-12-31", "day"),
        ("更新时间:2024-05 来源", "2024-05-01", "month"),
        ("2024年2月30日", None, None),
    ],
)
def test_parse_date(text: str, iso: str | None, precision: str | None) -> None:
    found = parse_date(text)
    assert (found.iso, found.precision) == (iso, precision) if found else iso is None


def test_signature_date_beats_page_dates() -> None:
    raw = "• 2024-06-06\n重庆市某某局\n关于某事的复函\n正文第一句,说明情况。\n重庆市某某局\n2024年6月4日"
    loaded = LoadedFile("x.txt", "x.txt", raw, "utf-8", "0" * 64, "txt")
    cleaned = CleanText(text="重庆市某某局\n关于某事的复函\n正文第一句,说明情况。\n重庆市某某局\n2024年6月4日")
    m = extract_meta(loaded, cleaned)
    assert m.date == "2024-06-04" and m.issuer == "重庆市某某局"


def test_org_lines() -> None:
    assert is_org_line("重庆市铜梁区经济和信息化委员会")
    assert is_org_line("重庆市合川区人民政府办公室")
    assert not is_org_line("铜梁区委书记 谭庆")
    assert not is_org_line("各镇人民政府、街道办事处,区政府各部门,有关单位:")


def test_title_skips_news_preface_and_labels() -> None:
    lines = ["北极星输配电网获悉,9月15日,某区发布通知。", "核心提示", "某区制造业高质量发展行动方案发布", "正文。"]
    assert find_title(lines, fallback="x") == "某区制造业高质量发展行动方案发布"
    assert find_title(["正文第一句,说明情况。"], fallback="file-stem") == "file-stem"


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("关于区第126号建议的复函", "复函"),
        ("关于印发某某行动方案的通知", "方案"),
        ("关于做好就业工作的通知", "通知"),
        ("关于区域制造中心建设情况的汇报", "汇报"),
        ("在全市工作会议上的讲话", "讲话"),
        ("一份没有类型的文字", "其他"),
    ],
)
def test_doc_type_from_title(title: str, doc_type: str) -> None:
    assert find_doc_type(title, ["正文第一句,说明情况。"]) == doc_type


def test_doc_type_news_from_lead() -> None:
    assert find_doc_type("某示范区承接项目347个", ["近日,记者从重庆市发展改革委获悉,项目347个。"]) == "新闻"


def test_region_rules() -> None:
    assert find_region("重庆市铜梁区经济和信息化委员会", "", "") == "铜梁区"
    assert find_region(None, "", "合川区制造业。合川区招商。永川区一次。") == "合川区"
    assert find_region(None, "", "支持仪陇、营山等经开区开展循环化改造。") == "南充市"
    assert find_region(None, "", "涪陵、巴南、九龍坡、璧山、永川、榮昌、大足等7個區") == "重庆市"
    assert find_region(None, "", "没有地名的文字。") is None
