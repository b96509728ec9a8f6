"""The document's own 文号 (via rag.lang.doc_numbers, the one grammar), never one its text quotes.

Where a page states its own 文号, by layout:
- a header cell (文号 / 发文字号 / 【发布文号】 ...), read by key_value / value_list;
- a line of its own under the title or above it ("高水字〔2023〕93号", "宁交函〔2021〕141号 签发人:姜涛",
  "2006年10月26日 财建〔2006〕689号", "(穗府办[2006]37号)");
- appended to the title or prefixed to it ("…的通知(岳办发〔2017〕2号)", "鲁政发〔2014〕20号《…》"),
  or right after the title on a page flattened onto one line;
- an order's or announcement's serial alone under its issuer ("第63号", "〔十四届〕第三十六号").
A 文号 inside a sentence ("根据国发〔2019〕4号文件") is another document's.
"""

from __future__ import annotations

import re

from rag.documents.meta.labels import Found, cells
from rag.documents.meta.page import Line, Page
from rag.documents.meta.titles import closing_type, is_date_line
from rag.lang import DocNumber, doc_numbers

RULE = "doc_number"
HEAD_LINES = 30
# TODO(lang): orders and announcements are numbered by serial only (GB/T 9704 命令/公告): "第63号",
# "〔十四届〕第三十六号"; doc_numbers() needs an agency and a year.
_SERIAL_ONLY = re.compile(
    r"^(?:[〔\[【(（][^〔〕\[\]【】()（）]{1,6}[〕\]】)）])?第\s*[\d一二三四五六七八九十百零〇]+\s*[号號]$"
)


def as_written(number: DocNumber) -> str:
    return number.raw.strip()


def parse(value: str) -> str | None:
    """The 文号 a header value holds, or None ("" or "关 键 词" in an empty cell)."""
    numbers = doc_numbers(value)
    if numbers:
        return as_written(numbers[0])
    compact = value.replace(" ", "")
    return compact if _SERIAL_ONLY.match(compact) else None


def _own_number(line: Line) -> DocNumber | None:
    """A 文号 the line states as the document's own (see the module docstring)."""
    if line.is_prose and len(line.key) < 120:
        return None
    key = line.key
    numbers = doc_numbers(key)
    if not numbers:
        return None
    number = numbers[0]
    if key[: number.start].endswith("第") or ("《" in key[: number.start] and "》" in key[number.end :]):
        return None
    before = key[: number.start].strip(" (（")
    after = key[number.end :].strip(" )）")
    if not before and not after:
        return number
    if not before and (after.startswith("《") or closing_type(after)):  # 鲁政发〔2014〕20号《…》
        return number
    if not after and closing_type(before.rstrip("(（ ")):  # …的通知(岳办发〔2017〕2号)
        return number
    if (is_date_line(before) and not after) or (is_date_line(after[:12]) and not before):
        return number
    if not before and all(
        hit.field == "other" for hit, _ in cells(_rest(line, number))
    ):  # 宁交函〔2021〕141号 签发人:姜涛
        return number
    if closing_type(before) and len(key) >= 120:  # a flattened page: title, 文号, date, body
        return number
    return None


def _rest(line: Line, number: DocNumber) -> Line:
    from rag.documents.meta.page import make_line

    return make_line(line.index, line.key[number.end :].strip())


def body_doc_number(page: Page) -> Found | None:
    for line in page.lines[:HEAD_LINES]:
        number = _own_number(line)
        if number is not None:
            return Found("doc_number", line.span(number.start, number.end), RULE, line.index)
    for line in page.lines[1:HEAD_LINES]:
        compact = line.key.replace(" ", "")
        if _SERIAL_ONLY.match(compact):
            return Found("doc_number", line.text.strip(), f"{RULE}:serial", line.index)
    return None
