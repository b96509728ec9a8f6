"""Figures, dates, years, 文号 and protected spans."""

from __future__ import annotations

import pytest

from rag.lang import dates, doc_numbers, figures, protected_spans, years


def keys(text: str) -> list[str]:
    return [f.key for f in figures(text)]


# ---------------------------------------------------------------- figures


def test_money_keys_compare_by_value_across_multipliers() -> None:
    (a,) = figures("规上工业总产值实现757.2亿元")
    (b,) = figures("合计7572000万元")
    assert a.key == b.key == "75720000000元"
    assert a.value == 757.2 and a.unit == "亿元" and a.family == "money"
    (c,) = figures("757.2万元")
    assert c.key != a.key


def test_length_aliases_and_conversions() -> None:
    assert keys("新建道路12.5公里") == keys("新建道路12.5千米") == ["12.5公里"]
    assert keys("5000米") == keys("5公里")


@pytest.mark.parametrize(
    ("text", "raw", "unit", "family"),
    [
        ("新增床位500张床位", "500张床位", "张床位", "beds"),
        ("改造老旧小区23个", "23个", "个", "count"),
        ("引进企业15家", "15家", "家", "count_org"),
        ("完成项目8项", "8项", "项", "count_item"),
        ("新建学校3所", "3所", "所", "count_school"),
        ("服务群众1.2万人次", "1.2万人次", "万人次", "person_times"),
        ("帮扶困难群众356户", "356户", "户", "household"),
        ("办理议案12件", "12件", "件", "count_case"),
        ("购置设备40台", "40台", "台", "machine"),
        ("新增公交车30辆", "30辆", "辆", "vehicle"),
        ("处理垃圾200吨", "200吨", "吨", "mass"),
        ("增长2倍", "2倍", "倍", "ratio"),
        ("提高1.5个百分点", "1.5个百分点", "个百分点", "points"),
        ("绿化面积3.2平方米", "3.2平方米", "平方米", "area"),
        ("流转土地120公顷", "120公顷", "公顷", "area_ha"),
        ("种植水稻800亩", "800亩", "亩", "area_mu"),
        ("设置停车位60块", "60块", "块", "piece"),
        ("增长8.5%", "8.5%", "%", "percent"),
        ("增长８．５％", "８．５％", "%", "percent"),
    ],
)
def test_units_and_measure_words(text: str, raw: str, unit: str, family: str) -> None:
    (fig,) = figures(text)
    assert (fig.raw, fig.unit, fig.family) == (raw, unit, family)
    assert text[fig.start : fig.end] == fig.raw


def test_chinese_numerals() -> None:
    assert keys("二十三家企业") == ["23家"]
    assert keys("一百五十项任务") == ["150项"]
    assert keys("百分之十五") == ["15%"]
    assert keys("三点五万元") == ["35000元"]
    assert figures("一是加强领导，十四五规划，三是落实") == []
    assert figures("一个中心") == []


def test_ranges_and_hedges() -> None:
    (rng,) = figures("每年举办3-5个活动")
    assert (rng.value, rng.high, rng.key) == (3, 5, "3-5个")
    (hedged,) = figures("约3000人参加")
    assert hedged.raw == "约3000人" and hedged.approximate and hedged.key == "3000人"
    assert [f.raw for f in figures("3000余人，10多家，近5万亩")] == ["3000余人", "10多家", "近5万亩"]
    assert keys("近5万亩") == ["50000亩"]


def test_traditional_multiplier() -> None:
    assert keys("投資757.2億元") == ["75720000000元"]


def test_figures_skip_dates_years_doc_numbers_and_ordinals() -> None:
    text = "根据国发〔2019〕4号，2024年6月4日起，第3条规定增加15%"
    assert [f.raw for f in figures(text)] == ["15%"]


def test_bare_numbers_are_figures_without_unit() -> None:
    (fig,) = figures("编号 4521 的项目")
    assert fig.unit == "" and fig.key == "4521"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2024年6月4日", "2024-06-04", "day"),
        ("2024 年 6 月 4 日", "2024-06-04", "day"),
        ("2024-06-04", "2024-06-04", "day"),
        ("2024.6.4", "2024-06-04", "day"),
        ("2024/6/4", "2024-06-04", "day"),
        ("20240604", "2024-06-04", "day"),
        ("20211026", "2021-10-26", "day"),
        ("2023619", "2023-06-19", "day"),
        ("二〇二四年六月四日", "2024-06-04", "day"),
        ("二○○一年十二月三十日", "2001-12-30", "day"),
        ("２０２４年６月４日", "2024-06-04", "day"),
        ("2023年12月", "2023-12", "month"),
        ("二〇二三年五月", "2023-05", "month"),
    ],
)
def test_date_forms(text: str, iso: str, precision: str) -> None:
    (d,) = dates(f"发布于{text}。")
    assert (d.iso, d.precision, d.raw) == (iso, precision, text)


@pytest.mark.parametrize("text", ["2023111", "20231301", "20230230", "2023-13-01", "123456789", "2023612345"])
def test_ambiguous_or_invalid_dates_are_rejected(text: str) -> None:
    assert dates(f"编号{text}号码") == []


def test_serial_numbers_are_not_compact_dates() -> None:
    assert dates("关于区政协六届二次会议第20220104号提案答复的函") == []
    assert dates("编号20220104号") == []


def test_date_inside_a_page_header() -> None:
    found = dates("发布时间：2024-06-16 09:38:11   成文日期：2024年6月4日")
    assert [d.iso for d in found] == ["2024-06-16", "2024-06-04"]


# ---------------------------------------------------------------- years


def test_years() -> None:
    assert years("2023年，二〇二二年") == [2023, 2022]
    assert years("2021—2025年规划") == [2021, 2025]
    assert years("2021-2025年") == [2021, 2025]
    assert years("2024年6月4日发布，2024-06-05更新") == [2024]
    assert years("国发〔2019〕4号") == []
    assert years("共3000年") == []


# ---------------------------------------------------------------- 文号


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("国发〔2019〕4号", "国发〔2019〕4号"),
        ("铜经信函[2024]54号", "铜经信函〔2024〕54号"),
        ("浙政办发【2020】第12号", "浙政办发〔2020〕12号"),
        ("穗府办（2006）37号", "穗府办〔2006〕37号"),
        ("穗府办(2006)37号", "穗府办〔2006〕37号"),
        ("晋政发﹝2018﹞13号", "晋政发〔2018〕13号"),
        ("晋政发［2018］13号", "晋政发〔2018〕13号"),
        ("國發〔２０１９〕４號", "国发〔2019〕4号"),
        ("黔府辦發(fā)〔2012〕34號", "黔府办发〔2012〕34号"),
        ("渝府办发202312号", "渝府办发〔2023〕12号"),
        ("××函〔202366", "××函〔2023〕66号"),
        ("渝府令第 121 号", "渝府令第121号"),
    ],
)
def test_doc_number_forms(text: str, normalised: str) -> None:
    (d,) = doc_numbers(f"（{text}）")
    assert d.normalised == normalised
    assert d.raw == text


def test_doc_number_lead_ins_are_not_the_agency() -> None:
    (d,) = doc_numbers("根据国发〔2019〕4号文件精神")
    assert (d.agency, d.year, d.seq, d.raw) == ("国发", 2019, "4", "国发〔2019〕4号")


@pytest.mark.parametrize(
    "text",
    [
        "2023年12月",
        "第3号",
        "联系电话：023-45678901",
        "印发202312号",
        "全年实现2023亿元",
        "共有202312人",
        "编号202312",
        "〔2023〕5号",
    ],
)
def test_not_doc_numbers(text: str) -> None:
    assert doc_numbers(text) == []


# ---------------------------------------------------------------- protected spans


def test_protected_spans_keep_doc_numbers_figures_and_dates_whole() -> None:
    text = "根据渝府办发〔2023〕12号，2024年6月4日投资757.2亿元，占比8.5%，共3个"
    spans = [text[s:e] for s, e in protected_spans(text)]
    assert spans == ["渝府办发〔2023〕12号", "2024年6月4日", "757.2亿元", "8.5%", "3个"]


def test_proposal_numbers_across_a_line_break_are_not_doc_numbers() -> None:
    assert doc_numbers("南平市民政局关于市政协五届四次会议\n204293号提案答复的函") == []


def test_protected_tokens_give_doc_numbers_their_normal_form() -> None:
    from rag.lang import protected_tokens

    text = "根据渝府办发202312号，投资3 亿元"
    assert [t for _, _, t in protected_tokens(text)] == ["渝府办发〔2023〕12号", "3亿元"]


def test_one_space_between_number_and_unit() -> None:
    (fig,) = figures("全年实现 757.2 亿元，")
    assert fig.raw == "757.2 亿元" and fig.key == "75720000000元"
    (bare,) = figures("编号 4521 的项目")
    assert bare.raw == "4521"
