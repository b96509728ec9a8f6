"""Dates a page states besides its header cells and its 落款 (all forms via rag.lang.dates).

- a date note under the title: "(2011年1月12日)", "——2023年2月2日在…会议上", "(…会议通过)";
- the date beside the 文号 in a legal-database header ("2006年10月26日 财建〔2006〕689号");
- the page's publication line led by a timestamp ("2019-03-18 11:49 来源: …");
- a news lead's "4月26日上午" with the year its paragraph names (the last resort).
"""

from __future__ import annotations

import re

from rag.documents.meta.body_title import is_date_note, is_page_meta
from rag.documents.meta.labels import Found
from rag.documents.meta.orgs import first_org
from rag.documents.meta.page import Page
from rag.documents.meta.titles import closing_type, is_date_line
from rag.documents.page_vocab import page_vocab
from rag.lang import dates, doc_numbers

RULE = "dates"
HEAD_LINES = 30
_LEAD_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年?(\s*[—\-~～至到])?")


def date_notes(page: Page) -> list[Found]:
    out = []
    for line in page.lines[:HEAD_LINES]:
        if is_date_note(line):
            d = dates(line.key)[0]
            out.append(Found("date", d.iso, f"{RULE}:note", line.index, d.precision))
    return out


def date_lines_under_title(page: Page) -> list[Found]:
    """A date alone on a line in the header, right under the title or the issuer's name
    ("江西省统计局  国家统计局江西调查总队" / "2023年3月28日"): the document's own date."""
    out = []
    lines = page.lines
    for line in lines[1 : min(page.first_prose, HEAD_LINES)]:
        prev = lines[line.index - 1]
        if not is_date_line(line.key) or any(w in line.key for w in page_vocab().not_document_date):
            continue
        if first_org(prev.key) is not None or closing_type(prev.key):
            d = dates(line.key)[0]
            if d.precision == "day":
                out.append(Found("date", d.iso, f"{RULE}:under_title", line.index, d.precision))
    return out


def beside_doc_number(page: Page) -> list[Found]:
    out = []
    for line in page.lines[:HEAD_LINES]:
        numbers = doc_numbers(line.key)
        if not numbers:
            continue
        number = numbers[0]
        for d in dates(line.key):
            gap = line.key[d.end : number.start] if d.end <= number.start else line.key[number.end : d.start]
            if len(gap.strip()) == 0:
                out.append(Found("date", d.iso, f"{RULE}:beside_number", line.index, d.precision))
    return out


def page_meta_dates(page: Page) -> list[Found]:
    """A timestamp leading the page's publication line."""
    skip = page_vocab().not_document_date
    out = []
    for line in page.lines[:HEAD_LINES]:
        if is_page_meta(line) and not any(w in line.key for w in skip):
            mentions = dates(line.key)
            if mentions and mentions[0].start == 0:
                out.append(Found("publish_date", mentions[0].iso, f"{RULE}:page_meta", line.index, "day"))
    return out


def lead_date(page: Page) -> Found | None:
    """ "4月26日上午,…" with the year of the same paragraph; years in ranges (2023—2027年) are plans."""
    lead = next((ln for ln in page.lines[:12] if ln.is_prose), None)
    if lead is None:
        return None
    day = _LEAD_DAY.search(lead.key[:200])
    if not day:
        return None
    years = [int(m.group(1)) for m in _YEAR.finditer(lead.key) if not m.group(2)]
    if not years:
        return None
    month, dom = int(day.group(1)), int(day.group(2))
    found = dates(f"{max(years)}年{month}月{dom}日")
    if not found:
        return None
    return Found("date", found[0].iso, f"{RULE}:lead", lead.index, found[0].precision)
