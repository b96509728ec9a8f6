"""region from the issuer's name via the national gazetteer."""

from __future__ import annotations

from rag.documents.meta.region import find_region


def test_the_issuer_decides_most_specific_level_wins() -> None:
    assert find_region(["绍兴市上虞区交通运输局"], "", "") == "上虞区"
    assert find_region(["区交通运输局", "绍兴市上虞区交通运输局"], "", "") == "上虞区"  # a reading that names one
    assert find_region(["台前县交通运输局"], "", "") == "台前县"


def test_units_below_the_county_and_central_bodies() -> None:
    assert find_region(["南湾街道办事处"], "", "") == "南湾街道"
    assert find_region(["神山镇人民政府"], "", "") == "神山镇"
    assert find_region(["财政部"], "", "") == "全国"
    assert find_region(["国务院"], "", "") == "全国"


def test_without_an_issuer_the_title_then_the_text() -> None:
    assert find_region([], "关于湖北省某会议代表议案处理意见的报告", "") == "湖北省"
    assert (
        find_region([], "", "本预案适用于遂宁市行政区域。依据四川省有关规定制定。") == "遂宁市"
    )  # one line of descent
    assert (
        find_region([], "", "重慶沿江承接產業轉移示範區包括涪陵、巴南、九龍坡、璧山、永川、榮昌、大足等7個區")
        == "重庆市"
    )
    assert find_region([], "", "没有地名的文字。") is None
