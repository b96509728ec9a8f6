"""Who a page says published it, when nothing official does: 文章来源 lines, news credits, the site owner.

    来源: 阳春市卫生健康局          -> 阳春市卫生健康局
    來源: 交通運輸部網站            -> 交通運輸部 (a website's name: its owner)
    文成新聞網訊(記者 …)            -> 文成新聞網 (a news credit)
    版权所有:中国人民政治协商会议榆林市委员会   -> the site owner, last of all

A source that names no organisation ("网友投稿", "法律资料网", "sp20241101") gives nothing.
"""

from __future__ import annotations

import re

from rag.documents.meta.labels import Found
from rag.documents.meta.orgs import is_org
from rag.documents.meta.page import Page, make_line
from rag.documents.page_vocab import page_vocab

RULE = "source_line"
_TRAILING_TIME = re.compile(r"\s*(?:19|20)\d{2}[-/.年].*$")
_CREDIT = re.compile(r"(?:网|报|台|社)讯")
CREDIT_MAX_CHARS = 10
_WIRE = re.compile(r"据([\u4e00-\u9fff]{2,8}?社)")


def source_issuer(value: str) -> str | None:
    """The organisation a 来源 value names, or None."""
    text = _TRAILING_TIME.sub("", value).strip().split(" ")[0] if value.strip() else ""
    if not text:
        return None
    key = make_line(0, text).key
    for suffix in page_vocab().site_suffixes:
        if key.endswith(suffix):
            owner = key[: -len(suffix)]
            return text[: len(owner)] if is_org(owner) else None
    return text if is_org(key) else None


def _credit(key: str) -> tuple[int, int] | None:
    """ "…文成新闻网讯(记者…)": the outlet's name starts with a place ("本网讯" names none)."""
    from rag.lang import gazetteer

    for m in _CREDIT.finditer(key):
        end = m.end() - 1
        for start in range(max(0, end - CREDIT_MAX_CHARS), end - 2):
            mentions = gazetteer().find(key[start:end])
            if mentions and mentions[0].start == 0:
                return start, end
    return None


def source_fields(page: Page, sources: list[Found]) -> list[Found]:
    """Issuers read from the page's source values, then from news credits."""
    found = []
    for src in sources:
        org = source_issuer(src.value)
        if org:
            found.append(Found("issuer", org, RULE, src.line))
    for line in page.lines[:12]:
        credit = _credit(line.key)
        if credit is not None:
            found.append(Found("issuer", line.span(*credit), f"{RULE}:credit", line.index))
            break
        m = _WIRE.search(line.key)
        if m:
            found.append(Found("issuer", line.span(m.start(1), m.end(1)), f"{RULE}:credit", line.index))
            break
    return found


def site_owner(page: Page) -> list[Found]:
    """The footer's 版权所有 / 主办单位 organisation."""
    labels = page_vocab().site_owner_labels
    for line in reversed(page.lines[-8:]):
        for label in labels:
            pos = line.key.find(label)
            if pos < 0:
                continue
            rest = line.key[pos + len(label) :].lstrip(" :：©")
            rest = re.sub(r"^(?:copyright)?\s*©?\s*(?:19|20)\d{2}\s*[,，]?\s*", "", rest, flags=re.IGNORECASE)
            name = re.split(r"\s|[,，;；|]", rest.strip())[0] if rest.strip() else ""
            if name and is_org(name):
                start = line.key.find(name)
                return [Found("issuer", line.span(start, start + len(name)), f"{RULE}:site_owner", line.index)]
    return []
