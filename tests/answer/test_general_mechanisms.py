"""Mechanisms that hold for any document (fourth session): each is tested on a sentence that needs
it and, where it could over-reach, on a near-miss it must still refuse.

Alias of a division with its level word (清原县), words pointing at the place (全县, 我市), deadlines
without a day (5月底前), 哪几个 asking to name, a 文号 the page lacks, the year a sentence goes on
with, measure words counting the same things (家 / 间), and the best document's other chunks.
"""

from __future__ import annotations

from index.records import Filter, Hit
from rag.answer import refusal
from rag.answer.backends import make_backend
from rag.answer.chain import AnswerChain
from rag.answer.gate import assess
from rag.answer.passages import from_hits
from rag.answer.query import analyse
from rag.answer.select import fit
from rag.answer.shape import is_name_line
from rag.lang import gazetteer, month_days
from rag.settings import Settings

from .conftest import fake_search, make_hit

THRESHOLD = 0.26


def _hit(cid: str, text: str, region: str, title: str = "通知", doc: str = "", **meta: object) -> Hit:
    name = doc or cid
    return make_hit(cid, text, source=f"{name}.txt", title=title, region=region, path=f"/docs/{name}.txt", **meta)


def _evidence(question: str, *hits: Hit):  # type: ignore[no-untyped-def]
    return assess(analyse(question), from_hits(list(hits)), THRESHOLD)


def _answers(question: str, *hits: Hit, needle: str) -> None:
    """The gate lets the question through and its best sentence states ``needle``."""
    evidence = _evidence(question, *hits)
    assert evidence.reason is None, evidence.reason
    assert needle in evidence.parts[0].ranked[0].sentence.text


def test_an_alias_with_its_level_word_is_a_place_without_context() -> None:
    found = [(m.surface, m.place.name) for m in gazetteer().find("清原县2023年老旧小区改造项目")]
    assert found == [("清原县", "清原满族自治县")]
    assert gazetteer().find("建议和县政协研究") == []  # a two-character name inside words stays no place


def test_words_pointing_at_the_place_are_no_content() -> None:
    q = analyse("万载县2022年全县生产总值是多少？")
    assert "全县" not in q.terms and "生产总值" in q.terms
    report = _hit("w", "2022年，全年实现生产总值(GDP)262.6亿元，按可比价格计算，同比增长5.3％。", "万载县")
    _answers("万载县2022年全县生产总值是多少？", report, needle="262.6亿元")


def test_a_deadline_without_a_day_answers_when() -> None:
    assert month_days("5月底前上线运行，6月中旬验收，年底前完成") == ["5月底", "6月中旬", "年底"]
    plan = _hit("g", "加快建立“中介超市”，5月底前实现我区中介超市上线运行。", "官渡区")
    _answers("官渡区计划什么时候让“中介超市”上线运行？", plan, needle="5月底前")


def test_which_few_asks_to_name_them_not_how_many() -> None:
    assert analyse("衡阳市已经形成的三大油茶产业集群分别是哪几个？").answer_type == "list"
    assert analyse("全县有几个乡镇？").answer_type == "figure"


def test_a_doc_number_the_page_lacks_is_refused_and_one_it_states_is_not() -> None:
    text = "关于印发青海省应对甲型H1N1流感流行应急预案(试行)的通知。各州、地、市卫生局:现印发给你们。"
    without = _hit("q", text, "青海省", title="关于印发青海省应对甲型H1N1流感流行应急预案(试行)的通知")
    question = "青海省卫生厅印发甲型H1N1流感流行应急预案(试行)的通知，文号是多少？"
    assert _evidence(question, without).reason == refusal.NO_DOC_NUMBER
    numbered = _hit("r", text, "青海省", title=without.meta["title"], doc_number="青卫发〔2009〕1号")
    assert _evidence(question, numbered).reason is None


def test_a_silent_sentence_goes_on_with_the_year_before_it() -> None:
    text = (
        "市卫生健康局总结了去年的办理经验。据了解，2023年，市卫生健康局共承办人大建议3件、政协提案14件。"
        "其中，人大建议主办2件，协办1件；"
    )
    reply = _hit("y", text, "阳春市", title="市卫生健康局重视建议提案办理", date="2023-12-01")
    assert _evidence("阳春市卫生健康局2022年承办了多少件人大建议？", reply).reason == refusal.OTHER_YEAR
    assert _evidence("阳春市卫生健康局2023年承办了多少件人大建议？", reply).reason is None


def test_measure_words_counting_the_same_things_answer_each_other() -> None:
    summary = _hit("p", "目前，全区共有医疗机构787间，相比2021年末增加66间。", "番禺区", title="番禺区2022年工作总结")
    _answers("番禺区2022年全区有多少家医疗机构？", summary, needle="787间")
    # a count in a measure word of another kind (件 of cases) still does not answer 多少家
    cases = _hit("c", "目前，全区共受理医疗纠纷787件。", "番禺区", title="番禺区2022年工作总结")
    assert _evidence("番禺区2022年全区有多少家医疗机构？", cases).reason is not None


def test_the_best_documents_other_chunks_join_the_pool(settings: Settings) -> None:
    """A chunk sharing few words with the question (the count below the plan's header) is still read."""
    header = "高唐县人民政府印发了2024年政府工作报告目标任务分工方案的通知，现将主要内容解读如下。"
    body = "《通知》中任务分解采用表格形式，共149项。"
    hits = [
        _hit("h0", header, "高唐县", doc="plan", position=0),
        _hit("h1", body, "高唐县", doc="plan", position=1),
        *(_hit(f"x{i}", f"泾县2024年第{i}项工作。", "泾县", position=0) for i in range(12)),
    ]
    search = fake_search(hits)

    def counted(query: str, k: int, flt: Filter | None, audience: str) -> list[Hit]:
        found = search(query, k, flt, audience)
        return found if flt is not None else [h for h in found if h.id != "h1"]  # the body ranks below the cut

    chain = AnswerChain(counted, make_backend(settings), settings)
    pool = chain.retrieve(analyse("高唐县2024年政府工作报告目标任务分工方案一共分解了多少项任务？"), None, "citizen")
    assert "h1" in {p.chunk_id for p in pool}


def test_a_labelled_field_answers_the_word_it_labels() -> None:
    """承办人：… answers 承办人是谁 over the greeting that restates the question's matter and names
    only the deputy the question names."""
    greeting = "刘世群代表:\n您提出的《关于增开汤浦晚班公交》的建议收悉。现答复如下:经研究，我局已开通夜间公交。"
    letter = _hit("l", greeting + "\n承办人:谢以凡\n联系电话:82218902", "上虞区", title="关于第61号建议的答复")
    evidence = _evidence("上虞区交通运输局对刘世群代表“增开汤浦晚班公交”建议的答复，承办人是谁？", letter)
    assert evidence.reason is None and evidence.parts[0].ranked[0].sentence.text.strip() == "承办人:谢以凡"
    # a field of another label is no answer to 签发人是谁
    evidence = _evidence("上虞区交通运输局对刘世群代表“增开汤浦晚班公交”建议的答复，签发人是谁？", letter)
    assert "谢以凡" not in evidence.parts[0].ranked[0].sentence.text


def test_a_sentence_going_on_from_the_one_before_is_about_what_it_names() -> None:
    text = (
        "我区还陆续开通中心乡镇通达城区的夜间公交班次。"
        "其中，小越、东关、丰惠、崧厦夜公交较早开通，章镇夜公交于2014年开通。"
    )
    reply = _hit("n", text, "上虞区", title="关于第61号建议的答复")
    _answers("上虞区哪些乡镇较早开通了通往城区的夜公交？", reply, needle="小越")


def test_an_enumeration_opened_by_its_first_item_is_quoted_whole(settings: Settings) -> None:
    text = (
        "经实地查看，交通运输局认为侯怀菊代表建议拓宽麻庄村道路，一是需先与石泉县对接，需两县共同争取；"
        "二是该项目投资大，县财政无法筹集。我局将继续争取项目资金。"
    )
    hits = [_hit("e", text, "宁陕县", title="答复", doc="reply")]  # the second item shares no word asked
    chain = AnswerChain(fake_search(hits), make_backend(settings), settings)
    answer = chain.invoke("宁陕县侯怀菊代表建议拓宽麻庄村道路，交通运输局说目前有什么困难？")
    assert not answer.refused and "石泉县" in answer.answer and "县财政无法筹集" in answer.answer


def test_a_date_of_another_event_does_not_answer_when_it_takes_effect() -> None:
    notice = _hit(
        "m",
        "我局研究起草了《湖州市出租汽车客运管理办法》(修订征求意见稿)，请将意见于7月26日前反馈。",
        "湖州市",
        title="关于公开征求《湖州市出租汽车客运管理办法》修订意见的通知",
    )
    assert _evidence("修订后的《湖州市出租汽车客运管理办法》从哪天起施行？", notice).reason == refusal.OTHER_EVENT
    assert _evidence("《湖州市出租汽车客运管理办法》修订意见最晚哪天反馈？", notice).reason is None


def test_the_text_stating_when_a_named_document_was_adopted_beats_the_record(settings: Settings) -> None:
    body = "《禄丰市人民政府常务会议议事规则》已经2024年11月13日召开的市人民政府第93次常务会议通过，现印发给你们。"
    hits = [
        _hit("a0", body, "禄丰市", title="禄丰市人民政府常务会议议事规则", doc="rules", date="2024-11-20"),
        _hit(
            "a1", "日期：2024-11-20（2024年11月20日）。", "禄丰市", title="禄丰市人民政府常务会议议事规则", doc="rules"
        ),
    ]
    chain = AnswerChain(fake_search(hits), make_backend(settings), settings)
    adopted = chain.invoke("《禄丰市人民政府常务会议议事规则》是哪天的市政府常务会议通过的？")
    assert not adopted.refused and "2024年11月13日" in adopted.answer
    issued = chain.invoke("《禄丰市人民政府常务会议议事规则》是哪天印发的？")  # the text states no 印发 date
    assert "2024年11月20日" in issued.answer or "2024-11-20" in issued.answer


def test_a_date_asked_of_a_document_named_by_its_kind_is_its_own() -> None:
    assert analyse("县政府同意水务局干渠清淤的批复，是哪天发的？").fields == ("doc_date",)
    assert analyse("应急预案的印发通知，落款日期是哪天？").fields == ("doc_date",)
    assert analyse("五华县禁燃通告什么时候开始？").fields == ()  # a date the text states, not the page's


def test_a_spaced_label_at_the_end_of_a_letter_answers_who() -> None:
    matter = _hit(
        "d0", "你们提交的《关于在水文站附近建桥的建议》提案收悉，现答复如下：我局将积极争取资金。", "东兰县", doc="l"
    )
    end = _hit("d1", "东兰县交通运输局\n2024年6月24日\n承 办 人:韦立咏 18978293092", "东兰县", doc="l")
    _answers("东兰县交通运输局答复水文站附近建桥提案，承办人是谁？", matter, end, needle="韦立咏")


def test_a_number_cited_after_a_title_is_not_the_pages_own() -> None:
    from rag.lang import own_doc_numbers

    text = "根据《河南省人民政府办公厅关于印发…的通知》(豫政办〔2016〕26号)要求，市政府决定开展行动。"
    assert [n.raw for n in own_doc_numbers(text + "许政办〔2016〕30号")] == ["许政办〔2016〕30号"]
    plan = _hit("x", text, "许昌市", title="许昌市提升城市管理水平三年行动计划")
    assert _evidence("许昌市提升城市管理水平三年行动计划是用什么文号印发的？", plan).reason == refusal.NO_DOC_NUMBER


def test_the_number_of_a_document_the_page_cites_is_answered_from_its_sentence() -> None:
    old = "2006年7月发布的《汉台区突发公共事件总体应急预案》(汉区政发〔2006〕27号)同时废止。"
    plan = _hit(
        "o",
        "《汉台区突发事件总体应急预案》已经区政府同意，现印发给你们。" + old,
        "汉台区",
        title="关于印发汉台区突发事件总体应急预案的通知",
    )
    _answers("汉台区印发突发事件总体应急预案时，同时废止的旧预案文号是什么？", plan, needle="汉区政发〔2006〕27号")


def test_a_sibling_name_does_not_answer_for_the_asked_member() -> None:
    text = "总投资96.55亿元的西站南片区城市更新项目完成方案编制。总投资47.7亿元的西站西片区城市更新项目完成招标。"
    report = _hit("s", text, "红桥区", title="红桥区2023年工作总结")
    assert _evidence("红桥区西站北片区城市更新项目总投资多少？", report).reason == refusal.OTHER_SUBJECT
    _answers("红桥区西站南片区城市更新项目总投资多少？", report, needle="96.55亿元")


def test_a_bracketed_field_and_an_office_with_its_date(settings: Settings) -> None:
    letter = _hit(
        "f", "感谢您对教育工作的关心。\n(联系人:夏五洲)", "息烽县", title="息烽县教育局关于曹国霞代表建议的答复"
    )
    _answers("息烽县教育局答复曹国霞代表的建议，联系人是谁？", letter, needle="夏五洲")
    assert analyse("《2023年新余市政务公开工作要点》是哪个单位、哪天印发的？").fields == ("issuer", "doc_date")


def test_how_many_kinds_is_answered_by_the_count_in_that_measure_word() -> None:
    q = analyse("昌江区应急预案把突发公共事件分成几类？")
    assert q.answer_type == "list" and q.counter == "类"
    text = (
        "为全面提高我区处置各类突发公共事件的能力，保障人民群众生命财产安全，制定本预案。"
        "根据突发公共事件的发生过程、性质和机理，主要分为以下五类：自然灾害、事故灾难、公共卫生事件、社会安全事件。"
    )
    plan = _hit("k", text, "昌江区", title="昌江区突发公共事件总体应急预案")
    _answers("昌江区应急预案把突发公共事件分成几类？", plan, needle="五类")


def test_places_along_a_route_name_a_road_not_the_answers_place() -> None:
    q = analyse("海南省发改委批复的五指山至保亭至海棠湾高速公路，路线有多长？")
    assert [p.name for p in q.places] == ["海南省", "五指山市"]


def test_a_described_document_restricts_only_among_documents_in_scope() -> None:
    """Another city's 政府工作报告 fits the description by its words, not by its place."""
    other = _hit("o1", "全市实现地区生产总值5000亿元。", "湖州市", title="2025年湖州市政府工作报告")
    ours = _hit(
        "j1",
        "2025年2月11日在嘉兴市人民代表大会上。2024年，全市实现地区生产总值7569.5亿元。",
        "嘉兴市",
        title="dev_0094",
    )
    _answers("嘉兴市2025年政府工作报告里说，2024年全市地区生产总值是多少？", other, ours, needle="7569.5亿元")


def test_a_documents_kind_is_a_field_of_its_record() -> None:
    q = analyse("弋阳县政府同意实施清湖乡总体规划，发的是什么文种、文号多少？")
    assert q.fields == ("doc_type", "doc_number")


def test_what_a_figure_question_counts_in() -> None:
    assert analyse("万载县2022年地区生产总值是多少？").figure_families == ("money",)
    assert "地区" not in analyse("万载县2022年地区生产总值是多少？").terms  # the place's GDP, not a word to repeat
    assert "percent" in analyse("数字经济增加值在地区生产总值里占多少？").figure_families


def test_an_untitled_pages_repeated_words_are_what_it_is_about() -> None:
    """A notice the scraper left without a title (named dev_0079): 烟花爆竹 in most of its sentences
    is what its bare date line is about."""
    text = (
        "为加强烟花爆竹安全管理，现就禁止燃放烟花爆竹通告如下。\n二、禁燃禁放时间\n2023年2月6日起至2023年4月30日止。\n"
        "三、禁燃禁放种类\n各种烟花、鞭炮等烟花爆竹制品。"
    )
    notice = _hit("t", text, "五华县", title="dev_0079", doc="dev_0079")
    _answers("五华县烟花爆竹禁燃禁放的时间段是什么时候？", notice, needle="4月30日")


def test_a_figure_of_a_place_inside_the_asked_one_ranks_below_the_asked_places() -> None:
    county = _hit("c1", "年末常住人口488403人，比上年末增加353人。", "万载县", title="万载县2022年统计公报")
    city = _hit("c2", "年末全市常住人口496.97万人，比2021年减少0.14万人。", "宜春市", title="宜春市2022年统计公报")
    _answers("宜春市2022年末常住人口有多少？", county, city, needle="496.97万人")


def test_a_document_never_naming_the_asked_thing_does_not_answer() -> None:
    text = "根据《关于2022年部分节假日安排的通知》精神，4月3日至5日放假调休，共3天。请妥善安排值班。"
    notice = _hit("h", text, "湘西土家族苗族自治州", title="湘西州2022年清明节放假的通知")
    assert _evidence("湘西州2022年劳动节放假是怎么安排的？", notice).reason == refusal.NOT_STATED
    assert _evidence("湘西州2022年清明节放假是怎么安排的？", notice).reason is None
    report = _hit("r", "竹山县第十九届人民代表大会第二次会议要求加快构建现代产业体系。", "竹山县", title="决议")
    assert _evidence("竹山县人代会要求加快构建什么产业体系？", report).reason is None  # 人代会 abbreviates it


def test_a_deadline_states_when_something_ends_or_must_be_done_before() -> None:
    notice = _hit(
        "z", "意见建议请于11月23日前，以信件方式书面寄至市人大法制委。", "厦门市", title="社会信用条例草案征求意见"
    )
    _answers("厦门社会信用条例草案有意见的话，最迟要在哪天之前寄出？", notice, needle="11月23日前")


def test_which_offices_issued_jointly_is_answered_by_the_signature_lines() -> None:
    text = (
        "南环路丁字路口车行道维修改造工程是2018年度城建重点项目，施工期间将对南环路丁字路口实行交通管制。"
        "凡违反本通告规定的，依法予以处罚。\n安康市公安局交通警察支队 安康市住房和城乡建设局\n2018年3月9日"
    )
    notice = _hit("g", text, "安康市", title="关于南环路丁字路口实行交通管制的通告")
    evidence = _evidence("安康市南环路丁字路口交通管制通告是哪些单位联合发布的？", notice)
    assert evidence.reason is None
    assert "住房和城乡建设局" in evidence.parts[0].ranked[0].sentence.text


def test_a_record_question_about_another_session_is_refused() -> None:
    text = "(2022年12月28日竹山县第十九届人民代表大会第二次会议通过)竹山县第十九届人民代表大会第二次会议听取了政府工作报告。"
    resolution = _hit("v", text, "竹山县", title="关于政府工作报告的决议", date="2022-12-28")
    question = "竹山县第十九届人大{}会议关于政府工作报告的决议是哪天通过的？"
    assert _evidence(question.format("三次"), resolution).reason == refusal.OTHER_ORDINAL
    assert _evidence(question.format("二次"), resolution).reason is None


def test_a_countys_figure_does_not_answer_for_its_city() -> None:
    county = _hit("w", "2022年全县共接待游客1480万人次，同比增长35%。", "万载县", title="万载县2022年统计公报")
    assert _evidence("宜春市2022年全年一共接待了多少人次游客？", county).reason == refusal.OTHER_AREA
    assert _evidence("万载县2022年全年一共接待了多少人次游客？", county).reason is None


def test_a_second_part_asking_the_signature_date_is_of_the_same_document() -> None:
    q = analyse("《东阳市促进残疾人就业行动实施方案》的印发通知是哪个单位发的？落款日期是哪天？")
    assert len(q.parts) == 2 and q.parts[1].fields == ("doc_date",)
    assert "残疾人" in q.parts[1].terms  # the document the first part names


def test_a_modal_verb_is_no_event_a_date_must_state() -> None:
    notice = _hit(
        "m2",
        "4月3日至5日放假调休，共3天。4月2日(星期六)上班。",
        "湘西土家族苗族自治州",
        title="湘西州2022年清明节放假的通知",
    )
    _answers("湘西州2022年清明节放假调休，哪天需要上班？", notice, needle="4月2日")


def test_which_office_and_when_of_a_document_named_by_its_kind() -> None:
    assert analyse("汉台区突发事件总体应急预案是哪个单位、哪天印发的？").fields == ("issuer", "doc_date")
    assert analyse("五华县禁燃方案是哪个单位负责的？").fields == ()  # no act of issuing asked: a text question


def test_a_year_inside_the_sentence_before_dates_only_its_own_clause() -> None:
    text = (
        "我区2020年生活垃圾分类工作将严格按照市定目标推进：\n"
        "完善街头垃圾收集设施2019年10月底前建成5个小区智能分类试点；建成投入使用可回收物阳光房11座。"
    )
    reply = _hit("j2", text, "上街区", title="关于第95号建议的回复", date="2019-08-01")
    _answers("上街区2020年生活垃圾分类工作打算建成投用多少座可回收物阳光房？", reply, needle="11座")


def test_an_items_short_heading_is_quoted_with_its_detail(settings: Settings) -> None:
    text = (
        "下一步，区城管局将做好以下四个方面的重点工作。四是深入开展垃圾清运不及时专项治理。"
        "督促清运单位合理规划收运时间和路线，在节假日增加收运频次。"
    )
    hits = [_hit("q1", text, "上街区", title="关于第12号建议的答复", doc="q")]
    chain = AnswerChain(fake_search(hits), make_backend(settings), settings)
    answer = chain.invoke("上街区城管局打算怎么治理垃圾清运不及时的问题？")
    assert not answer.refused and "合理规划收运时间和路线" in answer.answer


def test_a_role_and_a_name_in_running_text_answer_who() -> None:
    text = (
        "5月15日，市卫生健康局召开建议提案交办工作会议。"
        "在具体落实办理中，市卫生健康局局长甘扬生同志要求切实增强建议提案办理工作的责任感。"
    )
    news = _hit("p1", text, "阳春市", title="市卫生健康局重视建议提案办理")
    _answers("阳春市卫生健康局部署建议提案办理工作时，对办理工作提出要求的局长是谁？", news, needle="甘扬生")


def test_the_broader_things_figure_does_not_answer_for_a_narrower_one() -> None:
    bulletin = _hit("b5", "2022年末，铁路营业里程4822公里。", "江西省", title="江西省2022年统计公报")
    assert _evidence("江西省2022年末高速铁路营业里程是多少公里？", bulletin).reason == refusal.OTHER_SUBJECT
    assert _evidence("江西省2022年末铁路营业里程是多少公里？", bulletin).reason is None


def test_a_quoted_phrase_is_a_name_the_answer_states() -> None:
    assert "五公开" in analyse("岳阳市政务公开实施意见里说的“五公开”是哪五个方面？").terms
    text = (
        "根据《关于全面推进政务公开工作的意见》，结合我市实际，提出如下实施意见。"
        "全面推进政务公开，是建设法治政府的重要举措。全面推进政务公开，要坚持以公开为常态。"
        "推进行政决策、执行、管理、服务和结果“五公开”，推动简政放权。"
    )
    opinion = _hit("y5", text, "岳阳市", title="关于全面推进政务公开工作的实施意见")
    _answers("岳阳市全面推进政务公开的实施意见里说的“五公开”是哪五个方面？", opinion, needle="五公开")


def test_a_heading_over_marked_items_is_quoted_with_its_items(settings: Settings) -> None:
    text = (
        "一、总体要求\n深化改革，提升效能。\n二、基本原则\n——权责一致。\n有权必有责，用权受监督。\n"
        "——减少层级。\n压缩办事层级。\n三、主要任务\n——简化流程。"
    )
    hits = [_hit("h9", text, "济宁市", title="济宁市关于深化市县同权改革的实施意见", doc="o")]
    chain = AnswerChain(fake_search(hits), make_backend(settings), settings)
    answer = chain.invoke("济宁市深化市县同权改革实施意见的基本原则有哪些？")
    assert not answer.refused and "权责一致" in answer.answer and "减少层级" in answer.answer
    assert "简化流程" not in answer.answer  # the next section's item is not this list's


def test_a_county_plans_dates_do_not_answer_for_its_prefecture() -> None:
    notice = _hit(
        "qc",
        "公示时间：2023年3月24日至2023年4月23日，公示期30日。",
        "庆城县",
        title="庆城县国土空间总体规划(2021—2035年)草案公示",
    )
    assert _evidence("庆阳市国土空间总体规划草案的公示时间是什么时候？", notice).reason == refusal.OTHER_AREA
    assert _evidence("庆城县国土空间总体规划草案的公示时间是什么时候？", notice).reason is None


def test_a_title_alike_but_of_another_place_is_not_the_named_document() -> None:
    from rag.answer.gate import names_document

    rules = from_hits(
        [_hit("lf", "第一条 为推进市政府常务会议议事决策科学化。", "禄丰市", title="禄丰市人民政府常务会议议事规则")]
    )[0]
    assert not names_document("楚雄彝族自治州人民政府常务会议议事规则", rules)
    assert names_document("禄丰市人民政府常务会议议事规则", rules)


def test_an_office_asked_of_a_named_documents_text_is_no_record_question() -> None:
    assert analyse("按照《长春市体育市场管理规定》，本辖区体育市场由哪个部门主管？").fields == ()
    assert analyse("《长春市体育市场管理规定》是哪个机关发布的？").fields == ("issuer",)


def test_a_bare_name_under_a_speechs_title_is_its_byline() -> None:
    text = "在区各界人士迎春茶话会上的致辞\n(2004年1月19日)\n周生信\n各位来宾：在这辞旧迎新的时刻，区委召开迎春茶话会。"
    speech = from_hits([_hit("sp", text, "利通区", title="在区各界人士迎春茶话会上的致辞")])[0]
    byline = next(s for s in speech.sentences if s.folded.strip() == "周生信")
    assert is_name_line(byline) and fit(analyse("利通区迎春茶话会上的致辞是谁讲的？"), byline) >= 0.7
    heading = next(s for s in speech.sentences if "茶话会" in s.folded)
    assert not is_name_line(heading)


def test_more_ways_to_ask_for_a_record_field_or_a_list() -> None:
    assert analyse("《金华开发区突发公共事件总体应急预案》的发布机构和成文日期分别是什么？").fields[0] == "issuer"
    assert analyse("泾县把工作任务分成了几个方面？").answer_type == "list"
