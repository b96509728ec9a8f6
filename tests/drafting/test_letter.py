"""The letter: every frame line of a 复函, the kind (建议/代表, 提案/委员), and the --json form."""

from __future__ import annotations

from datetime import date

from rag.drafting import Part, ReplyDraft, Statement, Suggestion
from rag.models import Citation

CITATION = Citation(1, "c1", "a.txt", "关于公交的答复", "全区公交线路达到120条。", "全区公交线路达到120条。")


def draft(**fields: str) -> ReplyDraft:
    s = Suggestion(title=fields.pop("title", "关于增开晚班公交的建议"), **fields)
    part = Part("关于增开晚班公交", (Statement("全区公交线路达到120条[1]。", (1,), "增开晚班公交"),))
    hole = Part("关于夜间安全", (), "【待补充：关于“夜间安全”的办理情况】")
    return ReplyDraft(s, (part, hole), (), (CITATION,), drafted_on=date(2024, 6, 4))


def test_text_has_the_frame_in_order() -> None:
    text = draft(deputy="刘世群", number="61", session="区人大一届三次会议", office="上虞区交通运输局").text()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "签发人" in lines[0] and "〔" in lines[0]
    assert lines[1] == "上虞区交通运输局关于区人大一届三次会议第61号建议的复函"
    assert lines[2] == "刘世群代表："
    assert lines[3].startswith("您提出的《关于增开晚班公交的建议》（第61号）收悉") and lines[3].endswith("现答复如下：")
    order = ["一、办理情况", "（一）关于增开晚班公交", "（二）关于夜间安全", "二、下一步工作", "联系人", "2024年6月4日"]
    positions = [text.index(x) for x in order]
    assert positions == sorted(positions)
    assert "办复类别" in text and "公开属性" in text
    assert text.index("依据") > text.index("公开属性") and "[1] 关于公交的答复（a.txt）" in text


def test_a_proposal_is_answered_to_a_member_and_blanks_stay_visible() -> None:
    text = draft(title="关于加强托育的提案", deputy="王五", session="区政协六届二次会议").text()
    assert "王五委员：" in text and "第×号提案的复函" in text
    assert "××〔××××〕××号" in draft().text() and "×××代表：" in draft().text()


def test_json_has_statements_citations_and_placeholders() -> None:
    obj = draft().to_json()
    assert obj["statements"] == ["全区公交线路达到120条[1]。"]
    assert obj["statement_details"][0]["citations"] == [1]
    assert obj["citations"][0]["source"] == "a.txt"
    assert any("夜间安全" in p for p in obj["placeholders"]) and any("下一步" in p for p in obj["placeholders"])
    assert obj["refused"] is False and obj["parts"][1]["placeholder"]
