"""Is a piece of text the name of an organisation? By its closing word (vocab().org_suffixes).

Joint issuers ("安康市公安局交通警察支队 安康市住房和城乡建设局", "中共云南省委、云南省人民政府") are
organisations when each of their parts is one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.documents.meta.page import CLAUSE, SENTENCE_END
from rag.documents.page_vocab import page_vocab
from rag.lang import vocab

ORG_MAX_CHARS = 60
_JOINT = re.compile(r"[\s、,，]+")
_NON_NAME = re.compile(r"[:：|\d《》“”\"]")


@lru_cache(maxsize=1)
def _suffix_pattern() -> re.Pattern[str]:
    suffixes = sorted(set(vocab().org_suffixes) | set(_EXTRA_SUFFIXES), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, suffixes)) + r")(?:\(.{1,8}\))?$")


# TODO(lang): units that vocab().org_suffixes may not close on yet (政府办, 提案委, 交警大队, 党组);
# remove once lang's list has them.
_EXTRA_SUFFIXES = ("办", "委", "大队", "支队", "中队", "行署", "党组", "政协", "人大常委会", "中央")


# TODO(lang): "会" alone closes 协会/学会/工会 but also 两会, 大会, 协商会 (events); lang's list has it bare.
_HUI_ORGS = ("协会", "学会", "工会", "商会", "联合会", "理事会", "委会")
_HUI_EVENTS = ("协商会",)


def ends_like_org(text: str) -> bool:
    m = _suffix_pattern().search(text)
    if not m:
        return False
    if m.group(0).startswith("会"):
        return text.endswith(_HUI_ORGS) and not text.endswith(_HUI_EVENTS)
    return True


def is_org(text: str) -> bool:
    """An organisation's name (or joint names), not a sentence: "重庆市铜梁区经济和信息化委员会"."""
    name = text.strip()
    if not 2 <= len(name) <= ORG_MAX_CHARS or SENTENCE_END.search(name) or _NON_NAME.search(name):
        return False
    if name in page_vocab().not_issuers:
        return False
    parts = [p for p in _JOINT.split(name) if p]
    if not parts:
        return False
    return all(ends_like_org(p) and p not in page_vocab().not_issuers for p in parts) and not (
        CLAUSE.search(name) and len(parts) == 1
    )


def is_name(text: str) -> bool:
    """A value a labelled issuer cell may hold: a name, even one cut short ("…住房和城乡建设")."""
    name = text.strip()
    han = sum(1 for ch in name if "\u4e00" <= ch <= "\u9fff")
    return (
        2 <= len(name) <= ORG_MAX_CHARS
        and han >= 0.6 * len(name.replace(" ", ""))
        and not SENTENCE_END.search(name)
        and not _NON_NAME.search(name)
        and name not in page_vocab().not_issuers
    )


def first_org(text: str) -> str | None:
    """The first of several organisations laid out side by side ("青海省卫生厅      青海省发展和改革委员会")."""
    for part in re.split(r"\s{2,}", text.strip()):
        if is_org(part):
            return part.strip()
    return None


def is_place(text: str) -> bool:
    """A place's or a sub-county unit's name, whole: "南湾街道", "仪陇县"."""
    from rag.lang import gazetteer

    name = text.strip()
    mentions = gazetteer().find(name)
    if mentions and mentions[0].start == 0 and mentions[-1].end == len(name):
        return True
    return 2 < len(name) <= 12 and name.endswith(page_vocab().sub_county_units) and not SENTENCE_END.search(name)
