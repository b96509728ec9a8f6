"""Lists written as quoted names or closed by 等, items that show the asked kind, verbs that are no places,
and 来源 / reporter questions answered by a news story's opening credit.

Hand-made hits only (no index). Each test pins one general rule next to a near miss that must still refuse.
"""

from __future__ import annotations

from index.records import Hit
from index.textnorm import fold
from rag.answer.backends import make_backend
from rag.answer.chain import AnswerChain
from rag.answer.evidence import assess
from rag.answer.extractive import ExtractiveBackend
from rag.answer.facts import asks_reporter, news_credit
from rag.answer.listing import enumerates, heads_list, list_items, named_by_items
from rag.answer.passages import from_hits
from rag.answer.query import key_terms, metadata_intent, places
from rag.settings import Settings

from .conftest import fake_search, make_hit
from .test_metadata_route import docs, hits

REPORT = "003_fea3b02bf23e59f2.txt"
REPORT_TITLE = "关于区域制造中心建设情况的汇报"
PLAN = "002_ab94c550cb50952a.txt"
PLAN_TITLE = "深入推进新时代新征程新合川制造业高质量发展行动方案(2023—2027年)"
NEWS = "004_46f7e9b34c242cae.txt"
NEWS_TITLE = "2021年重慶沿江承接產業轉移示范區承接東部地區產業轉移項目347個 完成投資523億元"
SPEECH = "001_c05f8967b619d6a9.txt"
SPEECH_TITLE = "重庆市区县委书记和部门一把手例会发言摘登"


def _answer(question: str, hits: list[Hit]) -> str:
    return "".join(ExtractiveBackend().generate(question, from_hits(hits)))


# -- how a list is written --------------------------------------------------------------------------


def test_quoted_names_back_to_back_are_a_list_closed_by_deng() -> None:
    text = fold("充分运用“制惠贷”“园保贷”等融资工具及网络招聘平台,帮助解决融资、用工等方面难题。")
    assert enumerates(fold("充分运用“制惠贷”“园保贷”等融资工具"))
    assert not enumerates(fold("充分运用“制惠贷”融资工具"))  # one quoted name is no list
    assert heads_list("融资工具", text) and heads_list("工具", text)
    assert not heads_list("招聘平台", text)  # 等 closed the list before it: 招聘平台 is another object
    assert heads_list("新兴产业", "加快发展低空经济、绿色低碳、卫星互联网等11个新兴产业,坚持应用导向。")
    hit = make_hit("r", "三是抓实要素保障。" + text, source=REPORT, title=REPORT_TITLE, region="")
    out = _answer("区域制造中心建设汇报中提到的融资工具有哪些？", [hit])
    assert "“制惠贷”“园保贷”" in out and "[1]" in out
    assert _answer("区域制造中心建设汇报中提到的招聘平台有哪些？", [hit]) == ""


def test_items_ending_with_a_modifiers_head_name_it() -> None:
    sentence = "更好融入制造业国际循环。积极参与西洽会、智博会、广交会、进博会等活动,扩大合川制造影响力。"
    assert list_items(fold("积极参与西洽会、智博会、广交会、进博会等活动")) == [
        ["积极参与西洽会", "智博会", "广交会", "进博会"]
    ]
    assert named_by_items("展会", fold(sentence), head=False)  # 西洽会 is a 会
    assert not named_by_items("企业", fold("发展制造业、服务业等产业"), head=True)  # never for the head itself
    hit = make_hit("p", sentence, source=PLAN, title=PLAN_TITLE, region="合川区")
    out = _answer("合川区方案提出要积极参与的展会活动包括哪些？", [hit])
    assert "西洽会、智博会、广交会、进博会" in out
    assert _answer("合川区方案提出要积极参与的体育活动包括哪些？", [hit]) == ""  # no item is a 体育 thing


def test_place_items_answer_a_generic_place_category() -> None:
    text = "永川積極組建4個駐外招商機構,涪陵派遣專業招商隊伍駐深圳、上海等地專職招商,積極探索社會化招商。"
    hit = make_hit("n", text, source=NEWS, title=NEWS_TITLE, region="重庆市")
    question = "涪陵招商队伍驻扎在哪些城市？"
    assert assess(key_terms(question), from_hits([hit])).score >= Settings().evidence_threshold
    assert "深圳、上海" in _answer(question, [hit])
    assert _answer("涪陵招商队伍驻扎在哪些省份？", [hit]) == ""  # a place name does not say it is a province
    assert not named_by_items("城市", fold("设立京津冀、长三角、珠三角驻外招商点"), head=True)  # regions


# -- places ---------------------------------------------------------------------------------------------


def test_a_verb_before_a_district_word_is_no_place() -> None:
    assert places("深化区领导“餐叙恳谈”等机制") == ()
    assert places("建立市领导联系重点企业制度") == ()
    assert places("铜梁区经济和信息化委员会") == ("铜梁区",)
    assert places("北京市朝阳区人民政府") == ("北京市", "朝阳区")


def test_a_compound_written_a_b_after_one_verb_is_answered_from_the_speakers_section() -> None:
    hit = make_hit(
        "s",
        "三、突出精准精细,优服务保障。深化区领导“餐叙恳谈”等机制,扎实推进“一件事一次办”,"
        "实现平均减时间70.6%、减环节72.1%,全市优化营商环境标杆城市创建成果持续巩固。",
        source=SPEECH,
        title=SPEECH_TITLE,
        region="重庆市",
        heading_path="抓项目促投资 激活力增动能 > 三、突出精准精细,优服务保障",
    )
    lead = make_hit(
        "l",
        "抓项目促投资 激活力增动能\n武隆区委书记 何庆\n武隆区全力以赴抓项目促投资。",
        source=SPEECH,
        title=SPEECH_TITLE,
        region="重庆市",
        heading_path="抓项目促投资 激活力增动能",
    )
    passages = from_hits([hit], [hit, lead])
    out = "".join(ExtractiveBackend().generate("武隆区平均减时间和减环节分别是多少？", passages))
    assert "70.6%" in out and "72.1%" in out
    assert "".join(ExtractiveBackend().generate("武隆区平均减时间和减材料分别是多少？", passages)) == ""
    # the section is another district's: still no answer
    other = make_hit("l", "抓项目促投资\n璧山区委书记 某某\n璧山区抓项目。", source=SPEECH, title=SPEECH_TITLE)
    passages = from_hits([hit], [hit, other])
    assert "".join(ExtractiveBackend().generate("武隆区平均减时间和减环节分别是多少？", passages)) == ""


# -- 来源 and reporters ------------------------------------------------------------------------------------


def test_news_credit_is_the_opening_outlet_up_to_huoxi() -> None:
    credit = news_credit("北极星输配电网获悉,9月15日,重庆市合川区人民政府办公室发布通知。")
    assert credit is not None and credit.value == "北极星输配电网" and credit.quote == "北极星输配电网获悉"
    page = (
        "當前位置:主頁\n來源:高新院 日期:2022-01-29\n近日,華龍網(wǎng)-新重慶客戶端記者從重慶市發展改革委獲悉,2021年。"
    )
    credit = news_credit(page)
    assert credit is not None and credit.value == "華龍網-新重慶客戶端"
    assert credit.quote == "近日,華龍網-新重慶客戶端記者從重慶市發展改革委獲悉"
    assert news_credit("记者从市发展改革委获悉,今年新开工项目增多。") is None  # names no outlet
    assert news_credit("会议指出,据悉今年将新建厂房。") is None  # 获悉/据悉 inside the story


def test_media_and_website_questions_are_source_questions() -> None:
    assert metadata_intent("沿江承接产业转移示范区的新闻是哪家媒体的记者采写的？") == "page_info"
    assert metadata_intent("合川区行动方案的这篇报道来源于哪个网站？") == "page_info"
    assert metadata_intent("合川区有哪些媒体宣传活动？") is None
    assert asks_reporter("是哪家媒体的记者采写的？") and not asks_reporter("这篇报道来源于哪个网站？")


def test_a_source_without_a_page_line_is_the_stories_credit(settings: Settings) -> None:
    chain = AnswerChain(fake_search(hits()), docs, make_backend(settings), settings)
    answer = chain.invoke("合川区制造业高质量发展行动方案的这篇报道来源于哪个网站？")
    assert not answer.refused and "消息来自北极星[1]" in answer.answer
    page = chain.invoke("关于区域制造中心建设情况的汇报来源于哪个网站？")
    assert "来源:网友投稿[1]" in page.answer  # a labelled 来源 line comes first
    # the report has a 来源 line but no reporter: who wrote it is not known
    assert chain.invoke("关于区域制造中心建设情况的汇报是哪家媒体的记者采写的？").refused
