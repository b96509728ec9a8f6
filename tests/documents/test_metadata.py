"""Metadata of the five sample seeds (exactly as before the layout extractors) and the precedence of
combine.py on short invented pages in the shape of real ones."""

from __future__ import annotations

from rag.documents.metadata import extract_meta
from rag.models import CleanText, DocMeta, LoadedFile

Seeds = dict[str, tuple[LoadedFile, CleanText]]


def meta_of(seeds: Seeds, seed: str) -> dict[str, object]:
    loaded, cleaned = seeds[seed]
    return extract_meta(loaded, cleaned).to_dict()


def meta(raw: str, name: str = "x.txt") -> DocMeta:
    loaded = LoadedFile(name, name, raw, "utf-8", "0" * 64, "txt")
    return extract_meta(loaded, CleanText(text=raw))


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
    assert m["doc_type"] == "通知"  # a 通知 that issues a plan stays 通知
    assert m["title"].startswith("重庆市合川区人民政府办公室关于印发")  # type: ignore[union-attr]
    assert "北极星" not in m["title"]  # type: ignore[operator]


def test_seed_003_truncated_report(seeds: Seeds) -> None:
    m = meta_of(seeds, "003")
    assert m["title"] == "关于区域制造中心建设情况的汇报"
    assert (m["date"], m["date_precision"]) == ("2024-05-01", "month")
    assert m["doc_type"] == "汇报"
    assert m["incomplete"] is True
    assert m["issuer"] is None  # "网友投稿" is not an organisation


def test_seed_003_region_is_the_city_its_counties_share(seeds: Seeds) -> None:
    assert meta_of(seeds, "003")["region"] == "南充市"  # 仪陇 and 营山 are counties of Nanchong, Sichuan


def test_seed_004_traditional_news(seeds: Seeds) -> None:
    m = meta_of(seeds, "004")
    assert m["title"] == "2021年重慶沿江承接產業轉移示范區承接東部地區產業轉移項目347個 完成投資523億元"
    assert (m["date"], m["date_precision"]) == ("2022-01-29", "day")
    assert m["region"] == "重庆市"
    assert m["doc_type"] == "新闻"


# ---------------------------------------------------------------- precedence (combine.py)

HEADER_PAGE = """当前位置: 首页 > 信息公开 > 建议提案办理
索 引 号: 11111111/2023-00001 公开方式: 主动公开
文 号: 某交函〔2023〕7号 发布日期: 2023-06-20
发布机构: 区交通运输局
关于区人大二届三次会议第8号建议的答复
某交函[2023]7号
张三代表:
您提出的建议收悉,现答复如下:根据国发〔2019〕4号文件精神,我局将加快建设。
联系人:李四 联系电话:12345678
甲省乙市丙县交通运输局
2023年6月12日
"""


def test_header_cell_first_then_the_document_own_date_and_region_from_the_signature() -> None:
    m = meta(HEADER_PAGE)
    assert m.title == "关于区人大二届三次会议第8号建议的答复"
    assert m.doc_number == "某交函〔2023〕7号"  # the header cell, not the quoted 国发〔2019〕4号
    assert m.issuer == "区交通运输局"  # the labelled cell wins
    assert (m.date, m.date_precision) == ("2023-06-12", "day")  # the 落款 date over the page date
    assert m.doc_type == "复函"


def test_region_comes_from_the_issuer_reading_that_names_a_place() -> None:
    page = HEADER_PAGE.replace("甲省乙市丙县交通运输局", "绍兴市上虞区交通运输局")
    assert meta(page).region == "上虞区"  # the header's 区交通运输局 names none; the 落款 does


def test_no_doc_number_is_invented_from_a_quoted_one() -> None:
    page = "关于做好某项工作的通知\n各单位:\n根据《某某办法》(国发〔2019〕4号)要求,现通知如下。\n特此通知。\n2019年5月1日\n"
    m = meta(page)
    assert m.doc_number is None
    assert m.doc_type == "通知"


def test_title_falls_back_to_the_file_name() -> None:
    assert meta("正文第一句,说明情况。\n", name="file-stem.txt").title == "file-stem"
