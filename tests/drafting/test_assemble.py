"""Assembly over the facade: parts of verified, cited statements; placeholders for what nothing covers."""

from __future__ import annotations

from rag.drafting import Suggestion, build_draft, supported

from .fakes import FakeFacade

REPLY = (
    "刘世群代表:\n您提出的《关于增开汤浦晚班公交的建议》收悉。经研究,现答复如下:\n"
    "一、基本情况\n章镇夜公交于2014年开通,道墟夜公交于2017年开通。\n"
    "我们自2017年开始已在考虑汤浦开行夜间公交的可行性。\n"
    "下一步,我们将召开专题会议研究开行方案,力争年底前完成。\n"
    "非常感谢您对交通运输事业的关心与支持!\n联系电话:82218902\n上虞区交通运输局\n2019年5月9日"
)
DOCS = {
    "reply.txt": ("关于区人大一届三次会议第61号建议的答复", "绍兴市上虞区交通运输局", None, REPLY),
    "plan.txt": ("上虞区公交发展规划", "上虞区人民政府", "上虞区", "全区城乡公交线路达到120条。"),
    "sibling.txt": ("越城区公交发展规划", "越城区人民政府", "越城区", "越城区夜间公交线路达到30条。"),
    "central.txt": ("交通强国建设纲要", "中共中央 国务院", None, "推进城乡交通运输一体化发展。"),
}


def facade() -> FakeFacade:
    return FakeFacade(
        dict(DOCS),
        answers={
            "公交": [
                ("全区城乡公交线路达到120条", "plan.txt"),
                ("越城区夜间公交线路达到30条", "sibling.txt"),  # another county: must not be cited
                ("全区城乡公交线路达到150条", "plan.txt"),  # a figure the cited passage does not state
                ("您提出的建议收悉", "plan.txt"),  # a letter formula, not 办理情况
            ],
        },
    )


SUGGESTION = Suggestion(title="关于增开汤浦晚班公交的建议", deputy="刘世群", region="上虞区", number="61")


def test_prior_reply_is_quoted_sentence_by_sentence_and_next_steps_are_separated() -> None:
    f = facade()
    draft = build_draft(f, SUGGESTION, f.ask)
    texts = [s.text for s in draft.statements]
    assert any("2014年开通" in t and t.endswith("]。") for t in texts)
    assert [s.text for s in draft.next_steps] and "力争年底前完成" in draft.next_steps[0].text
    assert all("收悉" not in t and "82218902" not in t and "基本情况" not in t for t in texts)
    sources = {c.source for c in draft.citations}
    assert "reply.txt" in sources and "sibling.txt" not in sources


def test_only_scoped_supported_statements_are_kept_the_rest_is_dropped() -> None:
    f = facade()
    draft = build_draft(f, SUGGESTION, f.ask)
    texts = "".join(s.text for s in draft.statements)
    assert "120条" in texts and "30条" not in texts and "150条" not in texts and "收悉" not in texts
    assert any("150条" in d for d in draft.dropped) and any("30条" in d for d in draft.dropped)
    # every ask went through the answerer with the region filter, which never admits the sibling county
    assert f.asked and all(flt is not None and "sibling.txt" not in flt.equals["source"] for _, flt in f.asked)
    # citation numbers are one numbering across asks, and every [n] resolves
    numbers = {c.n for c in draft.citations}
    assert numbers == set(range(1, len(numbers) + 1))
    assert all(set(s.citations) <= numbers for s in draft.statements)


def test_what_nothing_covers_is_a_visible_placeholder_never_a_sentence() -> None:
    f = FakeFacade(dict(DOCS))
    draft = build_draft(f, Suggestion(title="关于建设火星基地的建议", region="上虞区"), f.ask)
    assert draft.refused and not draft.statements and not draft.citations
    text = draft.text()
    assert "【待补充" in text and "火星基地" in text
    assert "办理情况" in text and "下一步工作" in text and "联系人" in text


def test_support_check_compares_figures_and_dates_by_value() -> None:
    assert supported("总产值757.2亿元[1]。", ["全年规上工业总产值实现757.2亿元。"])
    assert supported("产值增长明显[1]。", ["没有数字。"])
    assert not supported("总产值800亿元[1]。", ["全年规上工业总产值实现757.2亿元。"])
    assert not supported("于2024年6月4日印发[1]。", ["于2024年6月5日印发。"])
