"""The metadata route quotes the line stating a fact (文种, 公开属性, 实施期限, 来源, speaker, proposer, dates)."""

from __future__ import annotations

from dataclasses import replace

from index.records import Hit
from rag.answer.backends import make_backend
from rag.answer.chain import AnswerChain
from rag.answer.query import key_terms, metadata_intent
from rag.answer.subject import about_local_subject
from rag.models import DocMeta, DocumentRecord
from rag.settings import Settings

from .conftest import TONGLIANG_TITLE, corpus_docs, corpus_hits, fake_search, make_hit

NOTICE_TITLE = "重庆市合川区人民政府办公室关于印发深入推进制造业高质量发展行动方案(2023—2027年)的通知"
REPORT = "003.txt"
SPEECH = "001.txt"


def hits() -> list[Hit]:
    return [
        *corpus_hits(),
        make_hit("t9", "重庆市铜梁区经济和信息化委员会\n(此件主动公开)\n(联系人:孔洁莲", position=9),
        make_hit(
            "t3", "126号建议的复函\n周练代表:\n您提出的《关于加快工业经济发展的建议》(第126号)已收悉。", position=1
        ),
        make_hit(
            "card",
            f"标题：{NOTICE_TITLE}；发文机关：重庆市合川区人民政府办公室；日期：2023-09-12（2023年9月12日）；文种：方案。",
            source="002_ab94c550cb50952a.txt",
            title=NOTICE_TITLE,
            region="合川区",
            heading_path="文件信息",
        ),
        make_hit(
            "h0",
            "北极星获悉,9月15日,重庆市合川区人民政府办公室发布关于印发《行动方案(2023—2027年)》的通知。",
            source="002_ab94c550cb50952a.txt",
            title=NOTICE_TITLE,
            region="合川区",
            position=0,
        ),
        make_hit(
            "r0",
            "关于区域制造中心建设情况的汇报\n更新时间:2024-05 来源:网友投稿\n全市经信系统加快建设区域制造中心。",
            source=REPORT,
            title="关于区域制造中心建设情况的汇报",
            region="",
            position=0,
        ),
        make_hit(
            "s1",
            "有效盘活国有资产 推动经济稳进增效\n铜梁区委书记 谭庆\n铜梁区坚持盘活国有资产。",
            source=SPEECH,
            title="区县委书记例会发言摘登",
            region="重庆市",
        ),
        make_hit(
            "s0",
            "核心提示\n4月26日上午,市委召开区县委书记和部门一把手例会。会议通报情况。",
            source=SPEECH,
            title="区县委书记例会发言摘登",
            region="重庆市",
        ),
    ]


def docs() -> list[DocumentRecord]:
    base = corpus_docs()
    notice = replace(base[1], meta=replace(base[1].meta, title=NOTICE_TITLE))
    report = DocumentRecord(
        REPORT,
        "z",
        DocMeta("关于区域制造中心建设情况的汇报", None, None, "2024-05-01", "month", None, "汇报"),
        "public",
        (),
    )
    return [base[0], notice, report]


def ask(settings: Settings, question: str) -> str:
    chain = AnswerChain(fake_search(hits()), docs, make_backend(settings), settings)
    answer = chain.invoke(question)
    assert not answer.refused, question
    assert answer.citations and answer.citations[0].chunk_id, question
    return answer.answer


def test_new_metadata_questions_are_routed() -> None:
    assert metadata_intent("铜梁区那份复函属于什么文种？") == "doc_type"
    assert metadata_intent("铜经信函〔2024〕54号的公开属性是什么？") == "visibility"
    assert metadata_intent("合川区行动方案的实施期限是哪几年？") == "period"
    assert metadata_intent("这份汇报的更新时间和来源是什么？") == "page_info"
    assert metadata_intent("代表铜梁区发言的是谁？") == "speaker"
    assert metadata_intent("第126号建议是哪位代表提出的？") == "proposer"
    assert metadata_intent("例会是哪天召开的？") == "meeting_date"
    assert metadata_intent("铜梁区新型储能项目的资金来源有哪些？") is None


def test_doc_type_comes_from_the_title_and_cites_the_card(settings: Settings) -> None:
    assert "的文种是通知[1]" in ask(settings, "合川区印发制造业行动方案的文件是什么文种？")
    assert "的文种是复函[1]" in ask(settings, "铜梁区经济信息委对第126号建议的答复属于什么文种？")


def test_period_is_the_title_year_range(settings: Settings) -> None:
    assert "实施期限为2023—2027年[1]" in ask(settings, "合川区制造业行动方案的实施期限是哪几年？")


def test_visibility_quotes_the_line_without_figures_the_passage_lacks(settings: Settings) -> None:
    text = ask(settings, "铜经信函〔2024〕54号的公开属性是什么？")
    assert text == "该复函注明“(此件主动公开)”，公开属性为主动公开[1]。"
    assert TONGLIANG_TITLE not in text  # its 126 is not in the cited passage


def test_page_line_answers_source_and_update_time(settings: Settings) -> None:
    text = ask(settings, "关于区域制造中心建设情况的汇报更新时间是什么时候？来源是什么？")
    assert "更新时间:2024-05 来源:网友投稿[1]" in text


def test_speaker_proposer_meeting_and_publication_dates(settings: Settings) -> None:
    assert "谭庆" in ask(settings, "在例会上代表铜梁区发言的是谁？")
    assert ask(settings, "铜梁区第126号建议是哪位代表提出的？").startswith("周练代表:您提出的")
    assert ask(settings, "区县委书记和部门一把手例会是哪天召开的？").startswith("4月26日上午")
    assert "9月15日" in ask(settings, "合川区行动方案的印发通知是几月几日发布的？")
    assert "2023年9月12日[1]" in ask(settings, "合川区印发行动方案的通知落款日期是什么时候？")


def test_unknown_speaker_falls_back_to_the_ordinary_answer_and_refuses(settings: Settings) -> None:
    chain = AnswerChain(fake_search(hits()), docs, make_backend(settings), settings)
    assert chain.invoke("代表北京市发言的是谁？").refused


def test_focus_skips_target_words_and_place_suffix_tokens() -> None:
    terms = key_terms("合川区到2027年氢能产业产值目标是多少？")
    assert terms.focus == ("氢能", "产业", "产值")
    assert all(t != "区到" for t, _ in terms.terms)


def test_figure_after_another_bodys_sentence_is_not_the_asked_places() -> None:
    text = "下一步,市经济信息委将大抓集群培育。\n深入开展价值创造行动,完成固定资产投资290亿元、增长19.7%。"
    assert not about_local_subject(("云阳县",), "完成固定资产投资290亿元、增长19.7%", text)
    assert about_local_subject(("重庆市",), "完成固定资产投资290亿元、增长19.7%", text)
    own = "云阳县深入推进改革。一季度固定资产投资增长12%。"
    assert about_local_subject(("云阳县",), "一季度固定资产投资增长12%", own)
    goals = "——空间布局实现新突破。产业园区经济发展更加巩固。分别增加至12家、300家和2100家。"
    assert about_local_subject(("合川区",), "分别增加至12家、300家和2100家", goals)
