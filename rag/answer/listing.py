"""How a sentence enumerates items, and whether the items are of the kind a list question asks for.

Chinese documents list items joined by 、 (低空经济、绿色低碳、卫星互联网), as quoted names written
back to back (“制惠贷”“园保贷”), numbered (一是…二是…) or after a colon; a category word closes the
list after 等 (…等11个新兴产业, …等融资工具及网络招聘平台) or opens it (三大园区组团：南溪组团、…).
A question may name the category by a wider word than the document (展会活动 for "西洽会、智博会等活动",
城市 for "深圳、上海等地"): the items themselves then show their kind, since Chinese compounds end with
their head (西洽会 is a 会) and place names are recognised as places.
All functions take folded text and are pure.
"""

from __future__ import annotations

import re

from rag.answer.query import places

# Between two items: 、, or two quoted names written back to back (“制惠贷”“园保贷”).
ITEM_SEPARATOR = re.compile(r"、|[”」』]\s*[“「『]")
_NUMBERED = re.compile(r"[一二三四五六七八九十]是|[(（][一二三四五六七八九十\d]{1,2}[)）]|(?<![\d.])\d{1,2}[.、](?!\d)")
_COLON_LIST = re.compile(r"[:：][^，,。；;]+[，,][^，,。；;]+[，,和及与]")
_HEADING_MARK = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})、")
# After the category: the clause ends (…等11个新兴产业。), or it is glued to what follows (…产业集群,升级…).
_ENDS_CLAUSE = re.compile(r"^\s*(?:$|[,，。；;：:)）])")
# Right before the category: 等 and one noun phrase (no 及/和/与 joining another object) close a list
# whatever follows (…等融资工具及网络招聘平台 lists 融资工具; …等一批高成长性产业集群 lists 产业集群).
_CLOSED_BY_DENG = re.compile(r"等[^等及和与并、]{0,12}$")
# Before the items: 园区组团：南溪组团、… / 新兴产业包括A、B / 3个园区组团(南溪组团、…).
_OPENS_ITEMS = re.compile(r"^\s*(?:[:：(（]|包括|包含|涵盖|主要有|分别是|分别为|有|为|是)")
_CLAUSE = re.compile(r"[^，,。；;：:()（）]+")
_QUOTES = "“”「」『』\"' "
# Generic category nouns whose members are places: 哪些城市 is answered by "深圳、上海等地". Narrower
# ones (省份, 区县, 国家) are left out: a place name alone does not say which kind of place it is.
PLACE_CATEGORIES = frozenset(["城市", "地区", "地方", "区域"])


def enumerates(text: str) -> bool:
    """Whether a span lists items: joined by 、 or as adjacent quoted names, numbered (一是…二是…,
    (1)…(2)…), or after a colon by ，. A heading's own number (三、加快构建…) lists nothing."""
    body = _HEADING_MARK.sub("", text)
    return (
        ITEM_SEPARATOR.search(body) is not None
        or len(_NUMBERED.findall(body)) >= 2
        or _COLON_LIST.search(body) is not None
    )


def heads_list(category: str, folded: str) -> bool:
    """Whether ``category`` names what the span's items are, not one item among them.

    "加快发展低空经济、绿色低碳、卫星互联网等11个新兴产业" lists 新兴产业 (the word closes the list);
    "三大园区组团：南溪组团、草街组团" too (the word opens it); "传统产业转型升级、未来产业加快布局"
    does not list 未来产业, it names it as one item.
    """
    body = _HEADING_MARK.sub("", folded)
    for m in re.finditer(re.escape(category), body):
        clause_start = max(body.rfind(c, 0, m.start()) for c in "，,。；;") + 1
        before, after = body[clause_start : m.start()], body[m.end() :]
        # with 等 the list ends there: "A、B等融资工具及网络招聘平台" lists 融资工具, not 招聘平台
        closed = _CLOSED_BY_DENG.search(before) or ("等" not in before and _ENDS_CLAUSE.match(after))
        if ITEM_SEPARATOR.search(before) and closed:
            return True
        if _OPENS_ITEMS.match(after) and ITEM_SEPARATOR.search(after.split("。")[0]):
            return True
    return False


def list_items(folded: str) -> list[list[str]]:
    """The items of each enumeration in a span, as written (a clause's first item may carry its verb:
    驻深圳、上海等地 -> [驻深圳, 上海]); only their endings are reliable."""
    out: list[list[str]] = []
    for clause in _CLAUSE.findall(folded):
        pieces = [p.strip(_QUOTES) for p in ITEM_SEPARATOR.split(clause)]
        if len(pieces) < 2:
            continue
        pieces[-1] = pieces[-1].split("等")[0].strip(_QUOTES)
        out.append([p for p in pieces if p])
    return out


def _ends_with_place(item: str) -> bool:
    found = places(item)
    return bool(found) and item.endswith((found[-1], found[-1][:-1]))


def named_by_items(word: str, folded: str, *, head: bool) -> bool:
    """Whether a list in the span has items of the kind ``word`` names, though the span lacks the word.

    A place category (城市) is named by items that all end with a place name (深圳、上海). A modifier of
    the category (展会 in 展会活动, ``head`` False) is also named by items that all end with its last
    character (西洽会、智博会 are 会); the head itself never is that way (制造业 ends like 企业 but is none).
    At least two items are needed.
    """
    if len(word) < 2 or word in folded:
        return False
    for items in list_items(folded):
        if len(items) < 2:
            continue
        if word in PLACE_CATEGORIES and all(_ends_with_place(item) for item in items):
            return True
        if not head and all(len(item) > 1 and item.endswith(word[-1]) for item in items):
            return True
    return False
