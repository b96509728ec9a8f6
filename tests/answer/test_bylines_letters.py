"""谁 answered by a byline (role + name), a reply's greeting as the matter of the whole letter,
content words without the segmenter's overlapping pieces, and compound parts naming a neighbour
county by its short name."""

from __future__ import annotations

from rag.answer.passages import from_hits, make_passage
from rag.answer.query import analyse, content_terms
from rag.answer.select import coverage, idf, letter_matters, rank_sentences
from rag.answer.shape import is_name_line

from .conftest import make_hit

DIGEST_TITLE = "全省区县委书记例会发言摘登"
DIGEST = (  # one chunk per speaker, as a digest is indexed
    "——全省区县委书记例会发言摘登\n4月26日上午,召开区县委书记例会。\n甲区、乙区负责同志等作交流发言。",
    "坚持招商为要 以高水平招商集聚新动能\n涪陵区委书记 王志杰\n涪陵区坚持招商为要,新签合同26个。",
    "有效盘活国有资产 推动经济稳进增效\n铜梁区委书记 谭庆\n铜梁区坚持盘活国有资产,推动经济稳进增效。",
)
REPORT = (
    "关于2023年人大代表建议工作情况的报告\n——2023年12月26日在常务委员会会议上\n"
    "常务委员会代表联络室主任李文\n主任、各位副主任、秘书长、各位委员:\n"
    "受主任会议委托,现就今年人大代表建议工作情况报告如下:\n一、基本情况"
)
REPLY = (
    "张三代表:\n你提出的“关于硬化村组公路的建议”已交我局研究办理,现答复如下:\n"
    "目前资金有限,你所提的建议暂不能解决。只能纳入项目库,待上级有投资,我们将优先安排。"
)


def hit(cid: str, text: str, title: str = "发言摘登"):  # type: ignore[no-untyped-def]
    return make_hit(cid, text, source=f"{cid}.txt", title=title, region="")


def line(text: str):  # type: ignore[no-untyped-def]
    return make_passage(1, hit("x", text)).sentences[0]


def test_a_byline_is_a_name_line_a_heading_with_a_role_word_is_not() -> None:
    for byline in ("涪陵区委书记 王志杰", "市长:宋春华", "常务委员会代表联络室主任李文", "尊敬的贺宽峰代表:"):
        assert is_name_line(line(byline)), byline
    for other in ("——全省区县委书记例会发言摘登", "甲区、乙区负责同志等作交流发言。", "各位代表"):
        assert not is_name_line(line(other)), other
    assert not is_name_line(line("召开区县委书记例会"))  # 书记例会: 例会 is a word, no name


def test_who_spoke_for_a_place_is_the_byline_naming_it() -> None:
    hits = [hit(f"d{i}", text, DIGEST_TITLE) for i, text in enumerate(DIGEST)]
    ranked = rank_sentences(analyse("在区县委书记例会上代表铜梁区发言的是谁?"), from_hits(hits))
    score = {s.sentence.text.strip(): s.score for s in ranked}
    bylines = [s for s in ranked if is_name_line(s.sentence)]
    assert bylines[0].sentence.text.strip() == "铜梁区委书记 谭庆"
    assert score["铜梁区委书记 谭庆"] > score["甲区、乙区负责同志等作交流发言。"]


def test_who_made_the_report_is_the_byline_under_its_title_not_the_greeting() -> None:
    ranked = rank_sentences(analyse("2023年人大代表建议工作情况的报告是谁作的?"), from_hits([hit("r", REPORT, "报告")]))
    assert "李文" in ranked[0].sentence.text


def test_a_replys_greeting_is_the_matter_every_sentence_of_the_letter_answers() -> None:
    passages = from_hits([hit("l", REPLY, "答复")])
    assert "硬化村组公路" in next(iter(letter_matters(passages).values()))
    q = analyse("张三代表硬化村组公路的建议暂时解决不了,打算怎么处理?")
    ranked = rank_sentences(q, passages)
    answer = next(s for s in ranked if "纳入项目库" in s.sentence.text)
    alone = coverage(q, idf(q.terms, passages), answer.sentence, answer.passage.context)
    assert answer.coverage > alone  # the greeting's 硬化村组公路 / 建议 count for the letter's answer


def test_content_words_drop_pieces_across_a_words_parts() -> None:
    terms = content_terms("建议暂时解决不了,打算怎么处理")
    assert "解决不了" in terms and "解决" in terms
    assert "决不" not in terms


def test_a_part_naming_a_neighbour_county_by_short_name_asks_about_it() -> None:
    first, second = analyse("铜梁区高新技术企业累计有多少家?璧山全年新获批高新技术企业多少家?").subqueries
    assert [p.name for p in first.places] == ["铜梁区"]
    assert [p.name for p in second.places] == ["璧山区"] and "璧山" not in second.terms
    # without a neighbour named before, a short name alone is no place
    assert not analyse("璧山全年新获批高新技术企业多少家?").places
