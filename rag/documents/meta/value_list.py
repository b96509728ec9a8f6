"""Label-free header lists: a page header flattened to its values, one a line, labels lost.

    • 005253197/2021-00019        (索引号)
    • 上街区城市管理局             (发布机构)
    • 建议                        (分类)
    • 2021-06-08                  (日期)

The list is recognised by its first value, an index number (索引号 shape: an organisation code, a
slash or dash, a year, a serial); each following value is read by its shape (an organisation, a
date, a 文号, a document title). An index number itself is never a title.
"""

from __future__ import annotations

import re

from rag.documents.meta.labels import Found, label_hits
from rag.documents.meta.orgs import is_org
from rag.documents.meta.page import Line, Page
from rag.lang import dates, doc_numbers

RULE = "value_list"
# 索引号: 11500224009334154B/2024-00040, 01525724-7-/2020-1009007, bxszfhcxjsj-2019-00113, HHCR-2023-01005
INDEX_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{2,}[/\-](?:19|20)\d{2}[\-\d/]*$")
MAX_VALUES = 8
HEAD_LINES = 12


def is_index_number(text: str) -> bool:
    return bool(INDEX_NUMBER.match(text.replace(" ", "")))


def value_list_fields(page: Page) -> list[Found]:
    """Values of a label-free header list near the top of the page, read by shape."""
    lines = page.lines[:HEAD_LINES]
    start = next((ln.index for ln in lines if is_index_number(ln.key)), None)
    if start is None:
        return []
    found: list[Found] = []
    for line in page.lines[start + 1 : start + 1 + MAX_VALUES]:
        if line.is_prose or label_hits(line):
            break
        found.extend(_read_value(line))
    return found


def _read_value(line: Line) -> list[Found]:
    key = line.key
    numbers = doc_numbers(key)
    if numbers and numbers[0].end - numbers[0].start >= len(key.strip()) - 1:
        return [Found("doc_number", line.text, RULE, line.index)]
    mentions = dates(key)
    if mentions and len(re.sub(r"[\d\s:\-./年月日]", "", key)) == 0:
        return [Found("publish_date", mentions[0].iso, RULE, line.index)]
    if is_org(key):
        return [Found("issuer", line.text, RULE, line.index)]
    from rag.documents.meta.titles import closing_type, complete

    if len(key) >= 8 and closing_type(key) and complete(key):
        return [Found("title", line.text, RULE, line.index)]
    return []
