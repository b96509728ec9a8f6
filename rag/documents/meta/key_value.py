"""Header tables and "key：value" blocks: 索引号 / 发布机构 / 成文日期 / 名称 / 文号 / 发布日期 ...

One reader covers the layouts pages use for the same table: label-value lines ("文号：晋政发〔2018〕13号"),
several cells on a line ("索引号: … 公开方式: 主动公开"), rows flattened to "|" cells, spaced labels
("索 引 号"), double-space separated cells without colons ("信息名称  关于…的答复  成文日期  2018-12-14"),
and a label on a line of its own with its value on the next line ("- 发文机构" / "- 隆阳区水务局").
An empty cell ("文号:" followed by another label) yields nothing. The first value of a field wins.
"""

from __future__ import annotations

from rag.documents.meta.labels import Found, cells, is_label_only, label_hits
from rag.documents.meta.page import Page

RULE = "key_value"
KEPT = ("title", "doc_number", "issuer", "date", "publish_date", "source")


def header_fields(page: Page) -> list[Found]:
    """Every labelled value of the page, in page order (prose lines are not headers)."""
    found: list[Found] = []
    lines = page.lines
    for line in lines:
        if line.is_prose and not label_hits(line):
            continue
        only = is_label_only(line)
        if only is not None:
            nxt = lines[line.index + 1] if line.index + 1 < len(lines) else None
            if only.field in KEPT and nxt is not None and not label_hits(nxt) and not nxt.is_prose:
                found.append(Found(only.field, nxt.text, RULE, nxt.index))
            continue
        for hit, value in cells(line):
            if hit.field in KEPT and value:
                found.append(Found(hit.field, value, RULE, line.index))
    return found
