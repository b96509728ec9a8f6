"""Metadata of a document (title, 文号, issuer, date, region, doc_type) by readable rules.

Every field is found by a short list of rules tried in order, each a function a reviewer
can read and a test can pin; no model guesses. The cleaned text is the main input; the
raw text is read too, for page metadata that cleaning drops from the display text (the
文号/date list in seed 000's header, "日期:2022-01-29" lines). Matching runs on a folded
copy (simplified, NFKC) so traditional pages (seed 004) match the same rules; values that
come from the gazetteer are returned in their simplified, canonical form.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import PurePath
from typing import Literal

from index.textnorm import fold
from rag.documents.cleaning import BULLET, PROSE_PUNCT
from rag.models import CleanText, DocMeta, LoadedFile

log = logging.getLogger(__name__)

Precision = Literal["day", "month", "year"]

# How far into a document its own header (title, 文号, issuer) may be.
HEAD_LINES = 40
TITLE_MAX_CHARS = 100

# ---------------------------------------------------------------- 文号 (doc_number)

# 铜经信函〔2024〕54号, also with [2024] ［2024］ 【2024】 (2024) and 第54号.
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*(\d{1,5})\s*号"
)
# The same with its brackets and 号 lost in scraping: 铜经信函202454. Only believed on a line
# of its own whose prefix ends like a 文号 prefix does (函, 发, 字, 办 ...).
_MANGLED_DOC_NUMBER = re.compile(r"^([\u4e00-\u9fff]{1,10}[发函字办令文告复报通])((?:19|20)\d{2})(\d{1,4})号?$")


def find_doc_number(raw_lines: list[str]) -> str | None:
    """The document's own 文号 stands on a line of its own near the top; 文号 cited inside
    sentences belong to other documents and are ignored."""
    head = [_strip_bullet(ln) for ln in raw_lines[:HEAD_LINES]]
    for match in (_DOC_NUMBER.fullmatch, _MANGLED_DOC_NUMBER.match):  # a well-formed 文号 anywhere wins
        for ln in head:
            m = match(ln)
            if m:
                return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"
    return None


# ---------------------------------------------------------------- dates

_ISO_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?!\d)")
_ISO_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?(?![\d./-])")
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?"
)
_MANGLED_DATE = re.compile(r"^((?:19|20)\d{2})(\d{2,4})$")
_PAGE_DATE_LABEL = re.compile(r"(?:日期|发布时间|发布日期|更新时间|成文日期|时间)\s*[:：]\s*")
_LEAD_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年?(\s*[—\-~～至到])?")
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class FoundDate:
    iso: str
    precision: Precision


def parse_date(text: str) -> FoundDate | None:
    """The first date in text: 2024-06-04, 2023年9月12日, 二〇二三年九月十二日, 2024-05 (month)."""
    day_matches = list(_ISO_DAY.finditer(text))
    for m in day_matches:
        found = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if found:
            return found
    if day_matches:  # 2024年2月30日 is a typo, not "February 2024"
        return None
    cn = _CN_DATE.search(text)
    if cn:
        year = int("".join(str(_CN_DIGITS[c]) for c in cn.group(1)))
        day = _cn_number(cn.group(3)) if cn.group(3) else None
        found = _make_date(year, _cn_number(cn.group(2)), day)
        if found:
            return found
    for m in _ISO_MONTH.finditer(text):
        found = _make_date(int(m.group(1)), int(m.group(2)), None)
        if found:
            return found
    return None


def _cn_number(s: str) -> int:
    """一..三十一 as written in dates."""
    if "十" not in s:
        return _CN_DIGITS[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _make_date(year: int, month: int, day: int | None) -> FoundDate | None:
    if not 1 <= month <= 12:
        return None
    if day is None:
        return FoundDate(f"{year:04d}-{month:02d}-01", "month")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return FoundDate(f"{year:04d}-{month:02d}-{day:02d}", "day")


def _standalone_date(line: str, allow_mangled: bool) -> FoundDate | None:
    """A line that is only a date (a signature date). "202464" counts when it reads one way only."""
    line = _strip_bullet(line)
    if allow_mangled:
        m = _MANGLED_DATE.match(line)
        if m:
            return _unique_mangled_date(int(m.group(1)), m.group(2))
    found = parse_date(line)
    if found and len(re.sub(r"[\d年月日\-/.〇零一二三四五六七八九十\s]", "", line)) == 0:
        return found
    return None


def _unique_mangled_date(year: int, rest: str) -> FoundDate | None:
    readings = {
        found
        for cut in range(1, len(rest))
        if (found := _make_date(year, int(rest[:cut]), int(rest[cut:]))) is not None
        and len(rest[cut:]) <= 2
        and len(rest[:cut]) <= 2
    }
    return readings.pop() if len(readings) == 1 else None


def find_date(lines: list[str], raw_lines: list[str]) -> FoundDate | None:
    """Prefer the document's own 成文日期 (the date under the issuer's signature) over dates of
    the page that published it; then the page's list and labelled dates; then a news lead."""
    for i, ln in enumerate(lines):
        found = _standalone_date(ln, allow_mangled=True)
        if found and i > 0 and is_org_line(lines[i - 1]):
            return found
    for ln in lines:
        found = _standalone_date(ln, allow_mangled=False)
        if found:
            return found
    for ln in _leading_bullets(raw_lines):
        found = _standalone_date(ln, allow_mangled=False)
        if found:
            return found
    for ln in raw_lines[:HEAD_LINES]:
        m = _PAGE_DATE_LABEL.search(ln)
        if m:
            found = parse_date(ln[m.end() : m.end() + 20])
            if found:
                return found
    return _lead_date(lines)


def _lead_date(lines: list[str]) -> FoundDate | None:
    """News lead "4月26日上午,..." with the year taken from the same paragraph ("2024年一季度").
    Years in ranges (2023—2027年) are plans, not the date, so they do not count."""
    lead = _lead(lines)
    day = _LEAD_DAY.search(lead[:200])
    if not day:
        return None
    years = [int(m.group(1)) for m in _YEAR.finditer(lead) if not m.group(2)]
    if not years:
        return None
    return _make_date(max(years), int(day.group(1)), int(day.group(2)))


# ---------------------------------------------------------------- issuer

_ORG_SUFFIX = re.compile(
    r"(?:人民政府办公室|人民政府办公厅|人民政府|常务委员会|委员会|管理委员会|管委会|办公室|办公厅"
    r"|委|局|厅|部|署|院|中心|政府|公司|集团|协会|区委|县委|市委|省委|党组)$"
)
_ORG_LINE_MAX = 40
_SOURCE_LABEL = re.compile(r"来源\s*[:：]\s*([^\s:：|]{2,20})")
_NOT_AN_ISSUER = ("网友投稿", "本站", "网络", "互联网", "原创", "网友", "转载")


def is_org_line(line: str) -> bool:
    """An organisation's name on its own line: "重庆市铜梁区经济和信息化委员会"."""
    folded = fold(line).strip()
    return (
        4 <= len(folded) <= _ORG_LINE_MAX
        and not PROSE_PUNCT.search(folded)
        and not re.search(r"[:：\s\d]", folded)
        and bool(_ORG_SUFFIX.search(folded))
    )


def find_issuer(lines: list[str], raw_lines: list[str], title: str) -> str | None:
    """The signature above the 成文日期, else the organisation before 关于 in the title, else an
    organisation line at the top, else the page's 来源 label (for news)."""
    for i, ln in enumerate(lines[1:], start=1):
        if _standalone_date(ln, allow_mangled=True) and is_org_line(lines[i - 1]):
            return lines[i - 1].strip()
    before, sep, _ = title.partition("关于")
    if sep and is_org_line(before):
        return before.strip()
    for ln in lines[:10]:
        if is_org_line(ln):
            return ln.strip()
    for ln in raw_lines[:HEAD_LINES]:
        m = _SOURCE_LABEL.search(fold(ln))
        if m and not any(word in m.group(1) for word in _NOT_AN_ISSUER):
            return m.group(1)
    return None


# ---------------------------------------------------------------- title

_DOC_TITLE_SUFFIX = r"(?:通知|复函|函|方案|汇报|报告|讲话|意见|决定|办法|规定|规划|批复|请示|公告|通告|纲要|细则|计划)"
_OFFICIAL_TITLE = re.compile(r"关于.{2,80}?" + _DOC_TITLE_SUFFIX + r"$")
_LABEL = re.compile(r"^(?:核心提示|原文如下|附件|导读|摘要|编者按)[:：]?$")


def find_title(lines: list[str], fallback: str) -> str:
    """An official title ("...关于...的复函") near the top; else a headline with its "——" subtitle;
    else the first line that reads like a title. A news preface ("北极星输配电网获悉,9月15日,...")
    is a sentence, so it is never taken."""
    head = lines[:HEAD_LINES]
    for i, ln in enumerate(head):
        if not PROSE_PUNCT.search(ln) and _OFFICIAL_TITLE.search(fold(ln)):
            if ln.startswith("关于") and i > 0 and is_org_line(head[i - 1]):
                return head[i - 1] + ln
            return ln
    for i, ln in enumerate(head[:6]):
        if ln.startswith("——") and i > 0 and _title_like(head[i - 1]):
            return head[i - 1] + ln
    for ln in head[:10]:
        if _title_like(ln):
            return ln
    return fallback


def _title_like(line: str) -> bool:
    return (
        6 <= len(line) <= TITLE_MAX_CHARS
        and not PROSE_PUNCT.search(line)
        and not _LABEL.match(line)
        and not is_org_line(line)
        and _standalone_date(line, allow_mangled=True) is None
        and not _DOC_NUMBER.fullmatch(line)
    )


# ---------------------------------------------------------------- doc_type

_NEWS_LEAD = re.compile(r"获悉|讯[,，:：]|记者|报道|消息[,，]|日电")


def find_doc_type(title: str, lines: list[str]) -> str:
    """From the title's ending (a 印发 notice takes the type of what it issues), else 新闻 when the
    text opens like a news report, else 其他."""
    t = fold(title)
    if "复函" in t or "答复" in t or t.endswith("函"):
        return "复函"
    if "印发" in t and "方案" in t:
        return "方案"
    for pattern, doc_type in (
        (r"方案(?:\(.*\))?$", "方案"),
        (r"(?:汇报|报告)$", "汇报"),
        (r"讲话|发言|致辞", "讲话"),
        (r"(?:通知|通告|公告)$", "通知"),
    ):
        if re.search(pattern, t):
            return doc_type
    if _NEWS_LEAD.search(fold(_lead(lines))[:80]):
        return "新闻"
    return "其他"


# ---------------------------------------------------------------- region


@dataclass(frozen=True)
class Place:
    name: str
    parent: str
    level: str  # province | city | county


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, Place], re.Pattern[str]]:
    """Name or alias -> Place, and one regex matching any of them, longest first."""
    by_form: dict[str, Place] = {}
    text = resources.files("rag").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        name, aliases, parent, level = [*row.split("\t"), "", "", ""][:4]
        place = Place(name, parent, level)
        for form in [name, *filter(None, aliases.split(","))]:
            by_form[form] = place
    forms = sorted(by_form, key=len, reverse=True)
    return by_form, re.compile("|".join(map(re.escape, forms)))


def places_in(text: str) -> list[Place]:
    by_form, pattern = _gazetteer()
    return [by_form[m.group(0)] for m in pattern.finditer(fold(text))]


def find_region(issuer: str | None, title: str, text: str) -> str | None:
    """The most specific place in the issuer's name, else in the title, else the one county
    the text is mostly about, else the city/province its counties share (seed 003: 仪陇 and
    营山 -> 南充市), else the province it names most."""
    for source in (issuer or "", title):
        places = places_in(source)
        if places:
            return _most_specific(places).name
    places = places_in(text)
    counties = Counter(p for p in places if p.level == "county")
    if counties:
        (top, n), total = counties.most_common(1)[0], sum(counties.values())
        if n >= 2 and n * 2 > total:
            return top.name
        parents = {p.parent for p in counties}
        if len(parents) == 1:
            return parents.pop()
    upper = Counter(p.name for p in places if p.level != "county")
    upper.update(p.parent for p in counties.elements())
    return upper.most_common(1)[0][0] if upper else None


def _most_specific(places: list[Place]) -> Place:
    rank = {"county": 0, "city": 1, "province": 2}
    return min(places, key=lambda p: rank.get(p.level, 3))


# ---------------------------------------------------------------- all together


def extract_meta(loaded: LoadedFile, cleaned: CleanText) -> DocMeta:
    """DocMeta for one document; a field no rule finds is None (title falls back to the file name)."""
    lines = [ln for ln in cleaned.text.split("\n") if ln.strip()]
    raw_lines = [ln.strip() for ln in loaded.raw_text.splitlines() if ln.strip()]
    title = find_title(lines, fallback=PurePath(loaded.source).stem)
    issuer = find_issuer(lines, raw_lines, title)
    found = find_date(lines, raw_lines)
    return DocMeta(
        title=title,
        doc_number=find_doc_number(raw_lines),
        issuer=issuer,
        date=found.iso if found else None,
        date_precision=found.precision if found else None,
        region=find_region(issuer, title, cleaned.text),
        doc_type=find_doc_type(title, lines),
        incomplete=cleaned.incomplete,
    )


def _lead(lines: list[str]) -> str:
    """The first sentence-bearing line near the top: a news report's lead, where its date and "记者" are."""
    return next((ln for ln in lines[:10] if PROSE_PUNCT.search(ln)), "")


def _strip_bullet(line: str) -> str:
    return BULLET.sub("", line, count=1).strip()


def _leading_bullets(raw_lines: list[str]) -> list[str]:
    """Bullet lines before the first sentence: a page's metadata list (索引号, 文号, dates)."""
    out = []
    for ln in raw_lines[:HEAD_LINES]:
        if PROSE_PUNCT.search(ln):
            break
        if BULLET.match(ln):
            out.append(ln)
    return out
