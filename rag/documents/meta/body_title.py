"""The body's own title line, including red-head titles broken across lines.

A title block starts at a title-like line and takes the following short lines until its text closes
on a document-type word ("关于印发《…巩固提升" + "2021年行动计划》的通知"); an organisation line right
above a "关于" line is the title's first part ("高平市水务局" + "关于…的答复"), unless several are
(joint issuers stand above the title, not in it). Which block is the title, by layout, in order:

1. the block right above a date note: "(2011年1月12日)", "——2023年2月2日在…会议上", "(…会议通过)";
2. the block right above the page's own publication line ("发布时间: …", "来源: …", "2019-03-18 11:49");
3. the first official title: "[机关]关于…<文种>", "[机关]印发/转发…<文种>", "对…的答复";
4. a flattened first line: the title runs into its 文号 or its first sentence;
5. a headline followed by its "——" subtitle (joined);
6. the first title-like line of the page.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.documents.meta.labels import Found, label_hits, starts_with_label
from rag.documents.meta.orgs import is_org, is_place
from rag.documents.meta.page import Line, Page, make_line
from rag.documents.meta.titles import (
    MAX_TITLE_CHARS,
    MIN_TITLE_CHARS,
    clean_title,
    closing_type,
    complete,
    is_date_line,
    is_nav,
    title_like,
)
from rag.documents.page_vocab import page_vocab
from rag.lang import dates, doc_numbers

RULE = "body_title"
HEAD_LINES = 45
BLOCK_MAX_LINES = 4
PART_MAX_CHARS = 45
JOIN_MIN_CHARS = 12  # a first part without 关于/印发 this long is left open, not finished
_DATE_NOTE = re.compile(
    r"^(?:[(（]\s*(?:经\s*)?(?:19|20)\d{2}|——\s*(?:19|20)\d{2}|[(（][一二三四五六七八九〇○零]{4}年)"
)


@lru_cache(maxsize=1)
def _official() -> re.Pattern[str]:
    words = [*page_vocab().subject_openings, *page_vocab().reply_openings]
    return re.compile(r"^(?:.{0,60}?)(?:" + "|".join(map(re.escape, words)) + ")")


def _about() -> tuple[str, ...]:
    """ "关于"-like openings: they start a title line of their own."""
    return page_vocab().subject_openings[:2]


_DATETIME_LEAD = re.compile(r"^(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+\d{1,2}:\d{2}")


def is_date_note(line: Line) -> bool:
    if not _DATE_NOTE.match(line.key.replace(" ", "")):
        return False
    mentions = dates(line.key)
    return bool(mentions) and mentions[0].precision == "day"


def is_page_meta(line: Line) -> bool:
    """The page's publication line: "发布时间:… 来源:…", "浏览量: 时间:…", "2019-03-18 11:49 来源: …"."""
    hits = label_hits(line)
    meta = page_vocab().page_meta_labels
    if hits and hits[0].start == 0 and hits[0].label in meta:
        return True
    return bool(_DATETIME_LEAD.match(line.key))


def _skippable(line: Line) -> bool:
    """Widgets between a title and its publication line ("【字体: 打印", "|")."""
    return is_nav(line.key) or line.key.startswith(("【字", "[字", "字号", "字体"))


def _block(lines: list[Line], i: int) -> tuple[str, int] | None:
    """The title block starting at lines[i] as (text, index of its last line), or None."""
    first = lines[i]
    start_text = ""
    if is_org(first.key) and i + 1 < len(lines) and lines[i + 1].key.startswith(_about()):
        above_is_org = i > 0 and is_org(lines[i - 1].key)
        if not above_is_org:
            start_text = first.text
            i += 1
            first = lines[i]
    if not title_like(first, min_chars=2):
        return None
    text = start_text + first.text
    last = i
    if not closing_type(text):
        joined = text
        for j in range(i + 1, min(i + BLOCK_MAX_LINES, len(lines))):
            nxt = lines[j]
            if len(nxt.key) > PART_MAX_CHARS or not title_like(nxt, min_chars=1) or starts_with_label(nxt):
                break
            if not _official().match(make_line(0, joined).key) and len(joined) < JOIN_MIN_CHARS:
                break  # a short complete line ("政府文件", "王艳玲市长") is not the first part of a title
            joined += nxt.text
            if closing_type(joined):
                text, last = joined, j
                break
    if not complete(text) and not start_text:
        return None
    return text, last


def _next_content(lines: list[Line], j: int) -> Line | None:
    for line in lines[j + 1 : j + 4]:
        if not _skippable(line):
            return line
    return None


def _flattened(line: Line) -> str | None:
    """A page flattened onto one line: the title runs into its 文号 or its first sentence."""
    key = line.key
    if len(key) < 120:
        return None
    cut = len(key)
    numbers = doc_numbers(key[:200])
    if numbers:
        cut = numbers[0].start
    punct = re.search(r"[:：,，。;；]", key)
    if punct:
        cut = min(cut, punct.start())
    head = key[: min(cut, MAX_TITLE_CHARS)].strip()  # bounded: closing_type per prefix would be quadratic
    best = None
    for end in range(len(head), MIN_TITLE_CHARS - 1, -1):
        if closing_type(head[:end]):
            best = end
            break
    if best is None:
        return None
    return line.span(0, best)


def _subtitle(line: Line) -> bool:
    return title_like(make_line(line.index, line.text.lstrip("—- ")), min_chars=4)


def _from_marker(title: str) -> str:
    """ "发布了关于2022年清明节放假的通知" -> "关于…": before 关于 stands the issuer or nothing."""
    line = make_line(0, title)
    m = re.search("|".join(map(re.escape, _about())), line.key)
    if m and m.start() > 0:
        prefix = line.key[: m.start()].strip()
        rest = line.span(m.start(), len(line.key))
        if not (is_org(prefix) or is_place(prefix) or re.search(r"会议$", prefix)) and complete(rest):
            return rest
    return title


def body_title(page: Page) -> Found | None:
    lines = list(page.lines[:HEAD_LINES])
    blocks: list[tuple[str, int, int]] = []  # text, first line, last line
    i = 0
    while i < len(lines):
        block = _block(lines, i)
        if block is None:
            i += 1
            continue
        text, last = block
        blocks.append((text, i, last))
        i = last + 1

    def found(text: str, line: int, rule: str) -> Found:
        return Found("title", clean_title(text), f"{RULE}:{rule}", line)

    head = [b for b in blocks if b[1] <= page.body_start]
    for text, first, last in head:  # 1. above a date note
        nxt = _next_content(lines, last)
        if nxt is not None and is_date_note(nxt) and complete(clean_title(text)) and len(text) >= 4:
            return found(text, first, "date_note")
    for text, first, last in head:  # 2. above the page's publication line
        nxt = _next_content(lines, last)
        if nxt is not None and is_page_meta(nxt) and complete(clean_title(text)) and len(text) >= 4:
            return found(text, first, "page_meta")
    for text, first, _ in blocks:  # 3. the first official title
        cleaned = _from_marker(clean_title(text))
        if closing_type(cleaned) and complete(cleaned) and _official().match(make_line(0, cleaned).key):
            return found(cleaned, first, "official")
    if lines:  # 4. a flattened first line
        flat = _flattened(lines[0])
        if flat:
            return found(flat, 0, "flattened")
    for text, first, last in head:  # 5. a headline with its "——" subtitle
        nxt = _next_content(lines, last)
        if nxt is not None and nxt.key.startswith("——") and not is_date_note(nxt) and _subtitle(nxt):
            return found(text + nxt.text, first, "subtitle")
    for text, first, _ in blocks:  # 6. the first title-like block
        cleaned = clean_title(text)
        if len(cleaned) >= MIN_TITLE_CHARS and complete(cleaned):
            return found(text, first, "first")
    for text, first, _ in blocks:  # an official title of any form (a plan's own title after its transmittal)
        cleaned = clean_title(text)
        if closing_type(cleaned) and complete(cleaned):
            return found(text, first, "closing")
    return None


__all__ = ["body_title", "is_date_line", "is_date_note", "is_page_meta"]
