"""What the assistant says when the documents do not cover a question: plainly, without guessing.

The UI shows ``REFUSAL_SUGGESTION`` as a hint of where to ask instead (12345 hotline).
"""

from __future__ import annotations

from functools import lru_cache

from rag.prompts import render

REFUSAL_SUGGESTION = "如需进一步了解，可拨打12345政务服务便民热线，或咨询相关主管部门。"
NO_EVIDENCE = "no_evidence"  # retrieval found nothing usable
LOW_COVERAGE = "low_coverage"  # the best passage does not cover the question's key terms
UNSUPPORTED = "unsupported"  # every answer sentence failed citation verification
NO_ANSWER = "no_answer"  # the backend itself found no answer in the passages
OUT_OF_SCOPE = "out_of_scope"  # no passage is about the asked place, year or document
# the best sentence covers the question but states something else than it pins down (rag.answer.constraints)
NO_FIGURE = "no_figure"  # no figure of the asked kind (件, money, a percentage)
OTHER_SUBJECT = "other_subject"  # its figures are of something else than the asked one
OTHER_YEAR = "other_year"  # about another year
OTHER_ORDINAL = "other_ordinal"  # about another session, batch or numbered item
OTHER_ORGANISATION = "other_organisation"  # about another organisation
OTHER_PERIOD = "other_period"  # about another part of the year (全年 for 一季度)
OTHER_AREA = "other_area"  # about a named zone or park, not the asked place
OTHER_EVENT = "other_event"  # a date of another event than the one asked (征求意见 for 施行)
NOT_STATED = "not_stated"  # the document never names a thing the question asks about (劳动节)
NO_DOC_NUMBER = "no_doc_number"  # a 文号 is asked and the document neither records nor states one

REASONS: dict[str, str] = {
    NO_EVIDENCE: "没有检索到相关文件内容",
    LOW_COVERAGE: "检索到的内容没有覆盖问题中的关键信息",
    UNSUPPORTED: "回答中的内容无法在所引资料中得到核实",
    NO_ANSWER: "资料中没有能回答该问题的句子",
    OUT_OF_SCOPE: "检索到的内容与问题所问的地区、年份或文件不符",
    NO_FIGURE: "检索到的内容没有问题所问的数字",
    OTHER_SUBJECT: "检索到的数字说的是另一项指标",
    OTHER_YEAR: "检索到的内容说的是另一个年份",
    OTHER_ORDINAL: "检索到的内容说的是另一届、另一次或另一编号",
    OTHER_ORGANISATION: "检索到的内容说的是另一个单位",
    OTHER_PERIOD: "检索到的内容说的是另一个时段",
    OTHER_AREA: "检索到的内容说的是另一个园区或功能区",
    OTHER_EVENT: "检索到的日期说的是另一件事",
    NOT_STATED: "检索到的文件没有提到问题所问的事项",
    NO_DOC_NUMBER: "该文件的记录和正文中都没有文号",
}


@lru_cache(maxsize=1)
def refusal_text() -> str:
    """The refusal sentence shown to users (prompts/refusal.txt), including the suggestion."""
    return render("refusal", suggestion=REFUSAL_SUGGESTION)


REFUSAL_TEXT_PREFIX = "抱歉，现有文件中没有找到能回答这个问题的内容"


def is_refusal(text: str) -> bool:
    """Whether a backend's raw output is the refusal sentence (LLMs are told to reply with it verbatim)."""
    return REFUSAL_TEXT_PREFIX in text
