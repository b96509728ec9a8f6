"""Answer-type fit beyond figures: date ranges and deadlines, causes and measures, letter formulas,
the heading line above a sentence, and compound questions whose later part names nothing new."""

from __future__ import annotations

from rag.answer.choose import choose
from rag.answer.extractive import quote
from rag.answer.gate import assess
from rag.answer.passages import from_hits, make_passage
from rag.answer.query import analyse, content_terms
from rag.answer.select import fit, rank_sentences
from rag.answer.shape import all_formula, date_fit, formula_prefix, is_page_date
from rag.lang import month_days

from .conftest import make_hit

NOTICE = (
    "关于2022年清明节放假的通知\n发布时间:2022-03-30 10:00\n"
    "根据国务院办公厅通知精神,4月3日(星期日)至5日(星期二)放假调休,共3天。4月2日(星期六)上班。\n"
    "节假日期间,各单位要妥善安排好值班值守工作。\n湘西自治州人民政府办公室\n2022年3月30日"
)
REPLY = (
    "侯怀菊代表:\n您提出关于拓宽麻庄村道路的建议收悉,现答复如下:\n"
    "首先感谢您对我县交通运输工作的关心和支持。"
    "拓宽麻庄村道路需先与石泉县对接,需两县共同争取;二是县财政无法筹集公路建设项目资金。"
    "下一步我局将把该道路纳入项目库,待资金下达后优先拓宽。"
)
SECTIONS = "一、禁燃禁放范围\n全县行政辖区全域。\n二、禁燃禁放时间\n2023年2月6日起至2023年4月30日止。"
CONSULT = (
    "关于公开征求意见的公告\n发布时间:2018-11-12 17:25:15\n意见建议请于11月23日前,以信件方式书面寄至市人大法制委。"
)


def hit(cid: str, text: str, title: str = "通知"):  # type: ignore[no-untyped-def]
    return make_hit(cid, text, source=f"{cid}.txt", title=title, region="")


def test_a_date_range_or_deadline_fits_better_than_the_pages_own_date() -> None:
    p = make_passage(1, hit("n", NOTICE))
    by_text = {s.text: s for s in p.sentences}
    header = next(s for t, s in by_text.items() if t.startswith("发布时间"))
    ranged = next(s for t, s in by_text.items() if "放假调休" in t)
    signature = next(s for t, s in by_text.items() if t.strip() == "2022年3月30日")
    assert is_page_date(header) and is_page_date(signature) and not is_page_date(ranged)
    assert date_fit(ranged) == 1.0 > date_fit(header) and date_fit(ranged) > date_fit(signature)
    assert month_days("请于11月23日前反馈") == ["11月23日"]


def test_deadline_question_quotes_the_deadline_not_the_header_date() -> None:
    q = analyse("有意见的话,最晚什么时候要寄到市人大法制委?")
    best = rank_sentences(q, from_hits([hit("c", CONSULT)]))[0]
    assert "11月23日前" in best.sentence.text


def test_compound_question_part_without_words_of_its_own_inherits_the_subject() -> None:
    q = analyse("湘西州2022年清明节从哪天开始放假?一共放几天?")
    first, second = q.subqueries
    assert first.answer_type == "date" and "放假" in first.terms and "开始" not in first.terms
    assert second.answer_type == "figure" and second.unit == "天" and second.terms == first.terms
    evidence = assess(q, from_hits([hit("n", NOTICE)]), 0.28)
    assert evidence.reason is None
    quoted = "".join(s.sentence.text for part in evidence.parts for s in choose(part.query, part.ranked, 1))
    assert "4月3日" in quoted and "共3天" in quoted


def test_question_frame_words_are_no_content() -> None:
    assert "开始" not in content_terms("什么时候开始放假") and "放假" in content_terms("什么时候开始放假")
    assert "一共" not in content_terms("一共放几天")


def test_letter_greeting_is_formula_and_is_not_quoted() -> None:
    passages = from_hits([hit("r", REPLY, title="复函")])
    sentences = passages[0].sentences
    thanks = next(s for s in sentences if "首先感谢" in s.text)
    assert all_formula(thanks.folded)
    opening = next(s for s in sentences if "收悉" in s.text)
    assert formula_prefix(opening.text) > 0 or all_formula(opening.folded)
    q = analyse("为什么说麻庄村道路暂时没法拓宽?")
    best = rank_sentences(q, passages)[0]
    assert "需先与石泉县对接" in best.sentence.text
    assert "收悉" not in quote(best) and "感谢" not in quote(best)


def test_a_greeting_in_front_of_the_answer_is_cut_from_the_quote() -> None:
    text = "刘萍代表:\n你提出的建议已转交我们研究办理,现将办理情况答复如下:\n下一步将在原址建设沿街绿化。"
    passages = from_hits([hit("g", text, title="复函")])
    q = analyse("违章建筑拆了以后空出来的地方打算干什么?")
    best = rank_sentences(q, passages)[0]
    assert "沿街绿化" in best.sentence.text
    assert quote(best).startswith("下一步将在原址建设沿街绿化")


def test_reason_and_measure_fit_needs_a_cue() -> None:
    p = make_passage(1, hit("r", REPLY, title="复函"))
    reason, measure = analyse("为什么不能拓宽?"), analyse("打算怎么处理?")
    cause = next(s for s in p.sentences if "无法筹集" in s.text)
    action = next(s for s in p.sentences if "纳入项目库" in s.text)
    thanks = next(s for s in p.sentences if "首先感谢" in s.text)
    assert fit(reason, cause) == 1.0 and fit(measure, action) == 1.0
    assert fit(reason, thanks) < 1.0 and fit(measure, thanks) < 1.0


def test_the_heading_line_above_a_date_counts_for_it() -> None:
    passages = from_hits([hit("s", SECTIONS, title="通告")])
    q = analyse("禁燃禁放的时间是从哪天到哪天?")
    ranked = rank_sentences(q, passages)
    assert ranked[0].sentence.text.startswith("2023年2月6日起")
    heading = next(s for s in ranked if s.sentence.text.startswith("二、"))
    assert heading.score < ranked[0].score


def test_a_cause_given_as_first_then_second_is_quoted_whole() -> None:
    passages = from_hits([hit("r", REPLY, title="复函")])
    q = analyse("为什么说麻庄村道路暂时没法拓宽?")
    quoted = "".join(s.sentence.text for s in choose(q, rank_sentences(q, passages), 3))
    assert "需先与石泉县对接" in quoted and "无法筹集公路建设项目资金" in quoted


def test_the_measure_in_the_sentence_after_the_restated_matter_is_quoted() -> None:
    text = (
        "崔银雷委员:\n现将提案办理情况答复如下:\n"
        "您反映的加家塔至南洼道路因非法采石遭破坏,我局曾对该段道路进行治理和维护。"
        "我局已将该段道路上报为破损路改造项目,将予以治理。\n子洲县交通运输局"
    )
    passages = from_hits([hit("m", text, title="复函")])
    q = analyse("打算怎么处理加家塔至南洼被非法采石破坏的道路?")
    quoted = "".join(s.sentence.text for s in choose(q, rank_sentences(q, passages), 3))
    assert "破损路改造项目" in quoted


def test_a_date_asked_of_a_named_document_is_its_record_only_when_asked_when_issued() -> None:
    assert analyse("《长春市体育市场管理规定》是哪天印发的?").fields == ("doc_date",)
    assert not analyse("对《厦门经济特区社会信用条例》有意见的话,最晚什么时候要寄到?").is_metadata


def test_the_focus_word_may_stand_in_the_heading_above() -> None:
    text = "一、交通管制时间\n2019年7月30日至8月18日(每日0时至24时)\n二、交通管制路段\n海港路"
    passages = from_hits([hit("t", text, title="通告")])
    q = analyse("海港路因拆迁施工实行交通管制,管制到哪天?")
    best = rank_sentences(q, passages)[0]
    assert best.sentence.text.startswith("2019年7月30日至8月18日")
    bare = from_hits([hit("t", text.replace("一、交通管制时间\n", "一、\n"), title="通告")])
    assert rank_sentences(q, bare)[0].score < best.score  # without the heading: neither its words nor its focus


def test_a_request_for_examples_after_a_list_question_is_no_part_of_its_own() -> None:
    q = analyse("太湖县政府工作规则里提出要建设哪些类型的政府?说几个。")
    assert q.answer_type == "list" and len(q.subqueries) == 1
    assert analyse("“六控”具体指哪六项?").answer_type == "list"


def test_a_list_lead_ending_its_chunk_goes_on_in_the_next_chunk() -> None:
    first = make_hit(
        "a", "第一条 为加强管理,制定本规定。\n第二条 体育市场管理范围包括:", source="r.txt", title="规定", position=1
    )
    second = make_hit(
        "b",
        "(一)营业性的体育活动场所;\n(二)营业性的体育广告。\n第三条 施行。",
        source="r.txt",
        title="规定",
        position=2,
    )
    passages = from_hits([first, second])
    q = analyse("体育市场管理范围包括哪些?")
    quoted = "".join(s.sentence.text for s in choose(q, rank_sentences(q, passages), 3))
    assert "营业性的体育活动场所" in quoted and "营业性的体育广告" in quoted and "第三条" not in quoted


def test_a_section_chunk_is_about_the_district_its_section_opens_with() -> None:
    opening = make_hit(
        "o",
        "多措并举 奋力发展\n沙坪坝区委书记 张三\n沙坪坝区认真贯彻落实。",
        source="c.txt",
        title="发言摘登",
        region="重庆市",
        heading_path="多措并举 奋力发展",
    )
    body = make_hit(
        "b",
        "一、狠抓投资。一季度基础设施投资增长20.7%。",
        source="c.txt",
        title="发言摘登",
        region="重庆市",
        heading_path="多措并举 奋力发展 > 一、狠抓投资",
    )
    other = make_hit(
        "x",
        "二、抓改革。一季度基础设施投资增长9.9%。",
        source="c.txt",
        title="发言摘登",
        region="重庆市",
        heading_path="另一篇发言 > 二、抓改革",
    )
    evidence = assess(analyse("沙坪坝区一季度基础设施投资增长了多少？"), from_hits([body, opening, other]), 0.2)
    kept = {p.chunk_id for p in evidence.parts[0].passages}
    assert "b" in kept and "x" not in kept
