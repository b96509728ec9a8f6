"""Every cleaning rule, on short fragments copied from the seeds, and every seed end to end."""

from __future__ import annotations

import pytest

from index.textnorm import fold, fold_for_match
from rag.documents.cleaning import clean, drop_boilerplate, drop_duplicate_paragraphs, join_wrapped_lines
from rag.models import CleanText, LoadedFile


def loaded(text: str, kind: str = "txt") -> LoadedFile:
    return LoadedFile(source="t.txt", path="t.txt", raw_text=text, encoding="utf-8", sha256="0" * 64, kind=kind)


# ---------------------------------------------------------------- boilerplate


def test_breadcrumb_header_list_widgets_and_menu_removed_seed_000() -> None:
    raw = (
        "您当前的位置:首页 >法定主动公开内容 >其他法定信息 >其他信息\n\n"
        "  • 11500224009334154B/2024-00040\n  • 铜经信函〔2024〕54号\n  • 工业\n  • 2024-06-04\n\n"
        "重庆市铜梁区经济和信息化委员会关于区第十八届人民代表大会第四次第126号建议的复函\n"
        "2023年,全年规上工业总产值实现757.2亿元,工业增加值增长3.3%。\n"
        "(此件主动公开)\n\n"
        "扫一扫在手机打开当前页\n小龙人形象\n智能机器人形象\n"
        "智能问答 政策问答 政策文件 政策解读 便民地图 数字人播报 数智大脑 元宇宙会客厅\n"
    )
    assert clean(loaded(raw)).text.split("\n") == [
        "重庆市铜梁区经济和信息化委员会关于区第十八届人民代表大会第四次第126号建议的复函",
        "2023年,全年规上工业总产值实现757.2亿元,工业增加值增长3.3%。",
        "(此件主动公开)",
    ]


def test_site_header_and_navigation_list_removed_seed_004() -> None:
    raw = (
        "Network\n當前位置:主頁 > 新聞中心 > 園區(qū)規(guī)劃 >\n- 高新院新聞\n- 政策解讀\n- 高新區(qū)新聞\n"
        "- 園區(qū)規(guī)劃\n- 智慧城市news\n"
        "2021年重慶沿江承接產(chǎn)業(yè)轉移示範區(qū)承接東部地區(qū)產(chǎn)業(yè)轉移項目347個 完成投資523億元\n"
        "來源:高新院 achie.org 日期:2022-01-29 點擊:次\n"
        "近日,華龍網(wǎng)-新重慶客戶端記者從重慶市發(fā)展改革委獲悉,2021年,承接東部地區(qū)產(chǎn)業(yè)轉移項目347個。\n"
    )
    lines = clean(loaded(raw)).text.split("\n")
    assert lines == [
        "2021年重慶沿江承接產業轉移示範區承接東部地區產業轉移項目347個 完成投資523億元",
        "來源:高新院 achie.org 日期:2022-01-29",  # page info stays (people ask about it); its counter goes
        "近日,華龍網-新重慶客戶端記者從重慶市發展改革委獲悉,2021年,承接東部地區產業轉移項目347個。",
    ]


def test_page_info_lines_are_kept_without_click_counters() -> None:
    assert drop_boilerplate(["更新时间:2024-05 来源:网友投稿", "正文。"]) == [
        "更新时间:2024-05 来源:网友投稿",
        "正文。",
    ]
    assert drop_boilerplate(["來源:高新院 日期:2022-01-29 點擊:次"]) == ["來源:高新院 日期:2022-01-29"]


def test_lists_inside_the_text_are_kept() -> None:
    lines = ["为做好工作,现通知如下。", "- 铜梁区", "- 合川区", "- 永川区"]
    assert drop_boilerplate(lines) == lines


@pytest.mark.parametrize(
    "line",
    [
        "版权所有:重庆市人民政府办公厅",
        "渝ICP备05003300号",
        "主办单位:重庆市铜梁区人民政府",
        "【打印本页】",
        "分享到:",
        "浏览次数: 128 次",
    ],
)
def test_footer_and_page_info_lines_removed(line: str) -> None:
    assert drop_boilerplate(["正文第一句,说明情况。", line]) == ["正文第一句,说明情况。"]


# ---------------------------------------------------------------- line wraps


def test_mid_sentence_wraps_joined_seed_001() -> None:
    lines = [
        "一、突出政府引导,聚焦产业基础支撑,做强创新主体。深入实施“双倍",
        "增”行动计划,累计培育科技型企业5533家、高新技术企业930家。",
        "二、狠抓产业链强链,注入经济增长新动能。全链条保障项目快速投产达产,新投产项目产值97.5亿",
        "元;一季度新招引项目47个、金额230亿元。",
    ]
    assert join_wrapped_lines(lines) == [
        "一、突出政府引导,聚焦产业基础支撑,做强创新主体。深入实施“双倍增”行动计划,累计培育科技型企业5533家、高新技术企业930家。",
        "二、狠抓产业链强链,注入经济增长新动能。全链条保障项目快速投产达产,新投产项目产值97.5亿元;一季度新招引项目47个、金额230亿元。",
    ]


def test_titles_headings_and_subheadings_are_not_joined() -> None:
    lines = [
        "关于印发深入推进新时代新征程新合川制造业高质量发展行动方案(2023—2027年)的通知",
        "各镇人民政府、街道办事处,区政府各部门,有关单位:",
        "以基礎設施建設為先導,全力夯實承接產業能力",  # seed 004 subheading with a comma
        "承接產業轉移,通道是基礎,物流是關鍵。",
        "二、集群培育进中有新。新能源汽车产量增长1倍,6大特色优",  # seed 001: next line is a new speech title
        "深入开展“三清三减三增”专项行动 坚决打赢国有企业改革突破攻坚战",
        "主要指标好中有进,工业增加值增长8.6%,排名全国第八位,统筹推进",
        "三、改革攻坚新中有优。",
    ]
    assert join_wrapped_lines(lines) == lines


def test_pdf_lines_at_page_width_are_joined() -> None:
    width_line = "为深入贯彻落实习近平总书记关于制造强国战略重要论述和对重庆所作系列重"
    lines = [width_line, "要指示批示精神,深入推进新型工业化。", width_line, width_line, width_line, "短句。"]
    joined = join_wrapped_lines(lines, pdf=True)
    assert joined[0] == width_line + "要指示批示精神,深入推进新型工业化。"
    assert joined[1] == width_line * 3 + "短句。"


# ---------------------------------------------------------------- duplicates


def test_duplicate_and_contained_paragraphs_dropped_keep_first_seed_001() -> None:
    dup = "二、强化精准招商,服务保障重大战略和中心工作落地落实。把招商引资作为高质量发展“关键一招”,靶向突破。"
    fragment = "万凯新投40亿元建设四期五期。依托优势支柱产业延链补链招商,聚氨酯、聚酰胺、聚酯产业招引超千。"
    whole = "依托链主企业“老树发新枝”招商,华峰新投120亿元功能性新材料项目近期开工," + fragment
    lines = [
        fragment,
        dup,
        "涪陵区委书记 王志杰",
        whole,
        dup,
        "重庆市铜梁区经济和信息化委员会",
        "重庆市铜梁区经济和信息化委员会",
    ]
    assert drop_duplicate_paragraphs(lines) == [
        dup,
        "涪陵区委书记 王志杰",
        whole,
        "重庆市铜梁区经济和信息化委员会",  # short signature lines legitimately repeat
        "重庆市铜梁区经济和信息化委员会",
    ]


def test_duplicates_across_scripts_are_duplicates() -> None:
    a = "重慶沿江承接產業轉移示範區承接東部地區產業轉移項目347個,完成投資523億元。"
    assert drop_duplicate_paragraphs([a, fold(a)]) == [a]


# ---------------------------------------------------------------- characters and markers


def test_pinyin_removed_traditional_kept_zero_width_removed() -> None:
    result = clean(loaded("園區(qū)規(guī)劃\u200b和產(chǎn)業(yè)轉移項目347個,完成投資523億元。\ufeff"))
    assert result.text == "園區規劃和產業轉移項目347個,完成投資523億元。"
    assert fold(result.text) == "园区规划和产业转移项目347个,完成投资523亿元。"


def test_abbreviations_in_parentheses_are_not_pinyin() -> None:
    assert "直管区(GDP)增长" in clean(loaded("一季度直管区(GDP)增长7.2%。")).text


def test_truncation_marker_removed_and_flagged_seed_003() -> None:
    raw = "三是支持力度空前。兑现市级工业发展资金7693万元。\n\n---此处隐藏5003字,下载后查看---\n\n(二)聚焦支撑抓企业培育。"
    result = clean(loaded(raw))
    assert result.incomplete is True
    assert result.text == "三是支持力度空前。兑现市级工业发展资金7693万元。\n(二)聚焦支撑抓企业培育。"
    assert clean(loaded("没有截断的正文。")).incomplete is False


def test_news_preface_is_kept_as_text_seed_002() -> None:
    preface = "北极星输配电网获悉,9月15日,重庆市合川区人民政府办公室发布关于印发《深入推进新时代新征程新合川制造业高质量发展行动方案(2023—2027年)》(以下简称《方案》)的通知。"
    assert clean(loaded(preface + "\n原文如下:")).text.startswith(preface)


# ---------------------------------------------------------------- seeds end to end

KEY_FACTS = {
    "000": ["757.2亿元", "铜经信函202454", "工业投资增长24.9%", "(此件主动公开)"],
    "001": ["累计培育科技型企业5533家", "新投产项目产值97.5亿元", "一季度地区生产总值增长8.5%", "可盘活资产54.7亿元"],
    "002": ["1600亿元", "2023年9月12日", "新型储能产业产值力争突破30亿元", "(牵头单位:区经济信息委"],
    "003": ["争取到位中省工业领域资金4.73亿元", "力争新增省级专精特新企业20户以上", "仪陇、营山"],
    "004": ["347個", "523億元", "7840萬元", "園區"],
}
CHROME = {
    "000": ["您当前的位置", "扫一扫", "小龙人形象", "智能问答 政策问答", "11500224009334154B"],
    "001": [],
    "002": [],
    "003": ["此处隐藏", "下载后查看"],
    "004": ["Network", "當前位置", "高新院新聞", "(qū)", "點擊"],
}


@pytest.mark.parametrize("seed", sorted(KEY_FACTS))
def test_every_seed_keeps_its_key_facts_and_loses_its_chrome(
    seeds: dict[str, tuple[LoadedFile, CleanText]], seed: str
) -> None:
    _, cleaned = seeds[seed]
    for fact in KEY_FACTS[seed]:
        assert fact in cleaned.text, fact
    for chrome in CHROME[seed]:
        assert chrome not in cleaned.text, chrome
    assert "\n\n" not in cleaned.text and cleaned.text == cleaned.text.strip()
    assert cleaned.incomplete is (seed == "003")


def test_seed_004_folded_has_no_pinyin(seeds: dict[str, tuple[LoadedFile, CleanText]]) -> None:
    folded = fold(seeds["004"][1].text)
    assert "园区规划" not in folded or "(" not in folded.split("园区规划")[1][:1]
    assert "qū" not in folded and "chǎn" not in folded
    assert "产业转移项目347个" in folded and "完成年度投资523亿元" in folded


def test_seed_001_has_no_repeated_paragraphs(seeds: dict[str, tuple[LoadedFile, CleanText]]) -> None:
    raw, cleaned = seeds["001"]
    paragraphs = [fold_for_match(p) for p in cleaned.text.split("\n") if len(p) >= 20]
    assert len(paragraphs) == len(set(paragraphs))
    assert raw.raw_text.count("万凯新投40亿元建设四期五期") == 2
    assert cleaned.text.count("万凯新投40亿元建设四期五期") == 1


# ---------------------------------------------------------------- layouts of real pages (invented text)


def test_footer_block_goes_but_the_replys_own_contact_lines_stay() -> None:
    raw = (
        "某代表:\n您的建议收悉,现答复如下:我局将加快建设。\n"
        "联系人:李四 联系电话:12345678\n某县交通运输局\n2023年6月12日\n"
        "扫一扫在手机打开当前页\n主办单位:某县人民政府办公室 联系方式:0851-0000000\n"
        "某县人民政府版权所有 某ICP备10201081号\n技术支持:某科技有限公司 网站标识码:5201220001\n"
    )
    assert clean(loaded(raw)).text.split("\n")[-3:] == [
        "联系人:李四 联系电话:12345678",
        "某县交通运输局",
        "2023年6月12日",
    ]


def test_a_one_line_page_that_begins_with_a_breadcrumb_keeps_its_text() -> None:
    body = "关于某事的通知 各单位:为做好某项工作,现将有关事项通知如下,请认真贯彻执行,确保各项任务落到实处。" * 3
    text = clean(loaded(f"您当前所在的位置:首页 > 政务公开 > 通知公告 {body}")).text
    assert text.startswith("关于某事的通知") and "首页" not in text


@pytest.mark.parametrize(
    "line",
    [
        "【打印本页】 【关闭本页】",
        "字体:【大 中 小】",
        "【字體: 打印",
        "视力保护色:",
        "浏览次数:-",
        "扫描二维码随身看资讯",
        ">>交通运输局 >>政策文件",
        "上一篇:某局关于某建议的答复",
        "首页/ 专题专栏/ 聚焦两会/ 正文",
        "回到 頂部",
    ],
)
def test_widgets_breadcrumbs_and_prev_next_links_removed(line: str) -> None:
    assert drop_boilerplate(["正文第一句,说明情况。", line]) == ["正文第一句,说明情况。"]


def test_markup_left_in_a_text_file_is_removed() -> None:
    raw = '<p>各市人民政府:</p><p style="text-align: right;"> 某省人民政府</p><!--EndFragment-->'
    assert clean(loaded(raw)).text.split("\n") == ["各市人民政府:", "某省人民政府"]
