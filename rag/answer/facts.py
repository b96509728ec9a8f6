"""Document facts that live in one short line of the text, found by their shape, not by retrieval scores.

A document's 文种 is the end of its title, its 公开属性 the "(此件主动公开)" line, its 实施期限 the
"(2023—2027年)" of its title, its 来源/更新时间 a page line ("更新时间:2024-05 来源:网友投稿"), a
speech's speaker its byline ("铜梁区委书记 谭庆"), a 复函's addressee its salutation ("周练代表:").
Such lines are too short or too formulaic for the extractive sentence scorer, so the metadata route
looks for them here and quotes them verbatim: every answer still cites the passage that says it.
All functions are pure (text in, quoted line out) so they are tested without an index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.textnorm import fold, strip_pinyin

# Longest first: 复函 before 函, 实施方案 is still a 方案.
DOC_TYPES = (
    "实施细则",
    "工作要点",
    "复函",
    "通知",
    "方案",
    "意见",
    "办法",
    "规定",
    "决定",
    "汇报",
    "报告",
    "批复",
    "通报",
    "公告",
    "通告",
    "纪要",
    "规划",
    "细则",
    "决议",
    "命令",
    "议案",
    "请示",
    "指南",
    "条例",
    "计划",
    "讲话",
    "摘登",
    "函",
)
_TITLE_TAIL = "()（）《》〈〉“”\"' 　.。"
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[—–\-~～至到]+\s*((?:19|20)\d{2})\s*年?")
_VISIBILITY = re.compile(
    r"[（(]\s*此件\s*(主动公开|依申请公开|不予公开|公开发布|不公开)\s*[）)]"
    r"|公开(?:属性|方式|类型|选项)\s*[:：]\s*(主动公开|依申请公开|不予公开|不公开)"
)
PAGE_LABELS = ("更新时间", "更新日期", "发布时间", "发布日期", "来源", "日期", "作者", "发文日期")
_PAGE_LABEL = re.compile(r"(" + "|".join(PAGE_LABELS) + r")\s*[:：]\s*\S")
_PAGE_TAIL = re.compile(r"\s*(?:点击|浏览|阅读)(?:量|次数)?\s*[:：].*$")
_PAGE_LINE_MAX = 80
# "铜梁区委书记 谭庆", "市经济信息委党组书记、主任 蓝庆华": roles, a space, a 2-4 character name.
_ROLE = r"(?:副?(?:书记|主任|局长|区长|县长|市长|部长|主席|院长|厅长)|负责人|总经理|董事长|党组成员)"
_BYLINE = re.compile(r"^(?P<roles>\S{2,40}?" + _ROLE + r")[ \u3000]+(?P<name>[\u4e00-\u9fff·]{2,5})$")
_ORG_OF_ROLE = re.compile(r"^(?P<org>.+?)(?:党工委|党委|党组|区委|县委|市委|工委)?" + _ROLE + r"$")
_SALUTATION = re.compile(r"^(?P<who>[\u4e00-\u9fff·]{2,5}(?:代表|委员))\s*[:：]\s*$")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_MONTH_DAY = re.compile(r"(?<!\d)\d{1,2}\s*月\s*\d{1,2}\s*日")


@dataclass(frozen=True)
class Line:
    """A line (or sentence) of a text that states a fact, and the fact as the answer names it."""

    quote: str
    value: str


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def doc_type_of(title: str) -> str | None:
    """The 文种 a title ends with (…的复函 -> 复函, …行动方案(2023—2027年)的通知 -> 通知)."""
    tail = fold(title).rstrip(_TITLE_TAIL)
    return next((t for t in DOC_TYPES if tail.endswith(t)), None)


def issuing_notice(title: str) -> bool:
    """A "关于印发《X方案》的通知": the notice's 文种 is 通知, the document it issues is X's."""
    return "印发" in title and doc_type_of(title) == "通知"


def period_of(text: str) -> str | None:
    """The first year range of a text as written (行动方案(2023—2027年) -> 2023—2027年)."""
    m = _YEAR_RANGE.search(text)
    if m is None or int(m.group(2)) <= int(m.group(1)):
        return None
    written = m.group(0).strip()
    return written if written.endswith("年") else written + "年"


def visibility_line(text: str) -> Line | None:
    """The line stating a document's 公开属性, e.g. "(此件主动公开)" -> 主动公开."""
    for line in _lines(text):
        m = _VISIBILITY.search(fold(line))
        if m is not None:
            value = m.group(1) or m.group(2)
            return Line(line, "主动公开" if value == "公开发布" else value)
    return None


def page_line(text: str, wanted: Iterable[str] = ()) -> Line | None:
    """A short page line with labels like 来源:/更新时间:/日期:, preferring one with the ``wanted`` labels.

    Trailing counters (点击:次) are cut; the rest is quoted verbatim.
    """
    wanted = tuple(wanted)
    best: tuple[int, str] | None = None
    for line in _lines(text):
        if len(line) > _PAGE_LINE_MAX:
            continue
        labels = {m.group(1) for m in _PAGE_LABEL.finditer(fold(line))}
        if not labels:
            continue
        score = sum(1 for w in wanted if w in labels) * 10 + len(labels)
        if wanted and not any(w in labels for w in wanted):
            continue
        if best is None or score > best[0]:
            best = (score, line)
    if best is None:
        return None
    quote = best[1]
    tail = _PAGE_TAIL.search(fold(quote))
    if tail is not None and len(fold(quote)) == len(quote):
        quote = quote[: tail.start()].strip()  # 點擊:次 is a counter of the web page, not a fact
    return Line(quote, quote)


def page_labels(question: str) -> tuple[str, ...]:
    """The page-line labels a question asks for (来源, 更新时间, 日期…)."""
    q = fold(question)
    out: list[str] = []
    if re.search(r"来源|出处|出自|网站|媒体", q):
        out.append("来源")
    if "更新" in q:
        out += ["更新时间", "更新日期"]
    if re.search(r"发布(?:日期|时间)|什么时候发布|哪天发布|日期", q):
        out += ["发布时间", "发布日期", "日期"]
    if "作者" in q:
        out.append("作者")
    return tuple(out)


# A news story's opening credits the outlet that reported it: "北极星输配电网获悉,…",
# "近日,华龙网-新重庆客户端记者从重庆市发展改革委获悉,…". Traditional forms are matched too: the
# quote must stay verbatim.
_CREDIT = re.compile(
    r"^(?P<quote>(?:(?:近日|日前|近期|昨日|今日|今天|据悉|\d{1,2}\s*月\s*\d{1,2}\s*日)\s*[,，]?\s*)?"
    r"(?P<who>[^\s,，。;；:：“”\"()（）]{2,24}?)(?:[记記]者[^\s,，。;；]{0,24}?)?[获獲]悉)"
)
_NOT_OUTLET = re.compile(r"[记記]者|[从從]|我们|笔者|本报|本网|据")
_CREDIT_LINES = 12  # the credit opens the story; deeper lines quote officials, not the outlet


def news_credit(text: str) -> Line | None:
    """The opening of a news story naming the outlet that reported it, quoted up to 获悉, and the outlet.

    Only a line that opens with the credit counts ("记者从市发展改革委获悉" names no outlet, and a
    获悉 further into a paragraph is the story's own content).
    """
    for line in _lines(strip_pinyin(text))[:_CREDIT_LINES]:  # 華龍網(wǎng): pinyin notes are no part of the name
        m = _CREDIT.match(line)
        if m is None or _NOT_OUTLET.search(m.group("who")):
            continue
        return Line(m.group("quote"), m.group("who"))
    return None


def asks_reporter(question: str) -> bool:
    """Whether a 来源 question asks which outlet's reporter wrote the story (not the page's 来源: line)."""
    return re.search(r"记者|媒体|采写|报社|通讯社", fold(question)) is not None


@dataclass(frozen=True)
class Byline:
    """A speech's byline: the line as written, the bodies its roles belong to, and the speaker."""

    quote: str
    orgs: tuple[str, ...]
    name: str


def bylines(text: str) -> list[Byline]:
    """Byline lines of a text ("铜梁区委书记 谭庆" -> orgs (铜梁,), name 谭庆)."""
    out: list[Byline] = []
    for line in _lines(text):
        m = _BYLINE.match(line)
        if m is None:
            continue
        orgs = []
        for role in re.split(r"[、,，]", m.group("roles")):
            om = _ORG_OF_ROLE.match(role.strip())
            if om is not None and len(om.group("org")) >= 2:
                orgs.append(om.group("org"))
        if orgs:
            out.append(Byline(line, tuple(orgs), m.group("name")))
    return out


def _org_stem(org: str) -> str:
    stem = re.sub(r"(?:区|县|市)$", "", org) if len(org) > 2 else org
    return fold(stem)


def speaker_for(question: str, texts: Iterable[str]) -> Byline | None:
    """The byline whose body the question names (代表铜梁区发言 -> "铜梁区委书记 谭庆"); the most specific wins."""
    q = fold(question)
    best: tuple[int, Byline] | None = None
    for text in texts:
        for byline in bylines(text):
            matched = [o for o in byline.orgs if _org_stem(o) in q]
            if not matched:
                continue
            score = max(len(_org_stem(o)) for o in matched)
            if best is None or score > best[0]:
                best = (score, byline)
    return best[1] if best else None


def salutation(text: str) -> Line | None:
    """A 复函's addressee line with the sentence after it ("周练代表:" + "您提出的…已收悉。")."""
    lines = _lines(text)
    for i, line in enumerate(lines):
        m = _SALUTATION.match(line)
        if m is None:
            continue
        following = _SENTENCE.findall(lines[i + 1]) if i + 1 < len(lines) else []
        first = following[0].strip() if following else ""
        quote = line + first if first and len(first) <= 80 else line
        return Line(quote, m.group("who"))
    return None


def event_sentence(text: str, verbs: str, about: str) -> Line | None:
    """The sentence dating an event (4月26日上午,市委召开…例会。) that shares most words with ``about``.

    ``verbs`` is a regex of the event's verbs (召开|举行, 发布); the sentence must hold a month-day
    date and one of them; ties go to the earlier sentence.
    """
    wanted = {fold(about)[i : i + 2] for i in range(len(fold(about)) - 1)}
    best: tuple[int, str] | None = None
    for sentence in _SENTENCE.findall(text):
        s = sentence.strip()
        folded = fold(s)
        date = _MONTH_DAY.search(folded)
        verb = re.search(verbs, folded)
        if date is None or verb is None or date.start() > verb.start():
            continue
        overlap = len({folded[i : i + 2] for i in range(len(folded) - 1)} & wanted)
        if overlap >= 3 and (best is None or overlap > best[0]):
            best = (overlap, s)
    if best is None:
        return None
    m = _MONTH_DAY.search(best[1])
    return Line(best[1], m.group(0) if m else "")
