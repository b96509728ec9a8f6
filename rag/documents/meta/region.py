"""region: the issuing authority's region, from the national gazetteer (rag.lang.gazetteer).

The issuer's own name decides ("绍兴市上虞区交通运输局" -> 上虞区): every reading of the issuer is tried
in precedence order, since a header's "区交通运输局" names no place where the 落款 does. The most
specific level wins. Units below the county that issue in their own name (南湾街道办事处, 神山镇人民政府,
杨凌示范区…) are the region themselves. A central body ("国务院", "财政部": an organisation naming no
place and no local level) is 全国. Without an issuer: the title's place, else the county the text is
mostly about, else the city or province its counties share, else the province it names most.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from rag.documents.meta.orgs import is_org
from rag.documents.page_vocab import page_vocab
from rag.lang import Place, PlaceMention, gazetteer, vocab

NATIONAL = "全国"
_LEVEL_RANK = {"county": 0, "prefecture": 1, "province": 2}
# Characters that close the full name of an administrative unit (a surface ending so is kept as written).
_FULL_NAME_END = tuple("省市县区州盟旗")
# TODO(lang): the characters that mark a local body naming no gazetteer place ("区交通运输局");
# lang's vocab has no such list yet.
_LOCAL_MARKERS = re.compile(r"[省市县区州乡镇村]|街道|自治")
# A unit name must not run across another unit's name or a conjunction ("盘锦市住房和城乡建设局").
# TODO(lang): a ministry's name (财政部, 交通运输部) names no place and no local level: it is central.
_MINISTRY_ENDS = ("部",)
_NOT_IN_UNIT = re.compile(r"[省市县区州和与及]")


@lru_cache(maxsize=1)
def _unit_pattern() -> re.Pattern[str]:
    units = "|".join(map(re.escape, page_vocab().sub_county_units))
    return re.compile(rf"^([\u4e00-\u9fff]{{2,6}}?)({units})")


def _central_markers() -> tuple[str, ...]:
    return tuple(vocab().national_terms)


def _name(mention: PlaceMention) -> str:
    return mention.surface if mention.surface.endswith(_FULL_NAME_END) else mention.place.name


def _most_specific(mentions: list[PlaceMention]) -> PlaceMention | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: (_LEVEL_RANK.get(m.place.level, 3), m.start))


def sub_county_unit(issuer: str) -> str | None:
    """南湾街道办事处 -> 南湾街道; 神山镇人民政府 -> 神山镇; 杨凌示范区公安局 -> 杨凌示范区;
    黔东南州人民政府 -> 黔东南州 (a unit the gazetteer does not list by that name).
    A leading known place is skipped (××县××镇人民政府)."""
    name = issuer
    known = gazetteer().find(name)
    if known and known[0].start == 0:
        name = name[known[0].end :]
    m = _unit_pattern().match(name)
    if not m or _NOT_IN_UNIT.search(m.group(1)):
        return None
    unit = m.group(0)
    rest = name[m.end() :]
    if not rest or not is_org(rest):
        return None
    places = gazetteer().find(unit)
    if places and places[0].start == 0 and places[0].end == len(unit):
        return None  # the gazetteer's own name for it: the caller reads it there
    return unit


def is_central(issuer: str) -> bool:
    if gazetteer().find(issuer) or not is_org(issuer):
        return False
    if issuer.startswith(_central_markers()):
        return True
    return not _LOCAL_MARKERS.search(issuer) and issuer.endswith(_MINISTRY_ENDS)


def region_of_issuer(issuer: str) -> str | None:
    unit = sub_county_unit(issuer)
    if unit:
        return unit
    best = _most_specific(gazetteer().find(issuer))
    if best is not None:
        return _name(best)
    if is_central(issuer):
        return NATIONAL
    return None


def region_of_text(title: str, text: str) -> str | None:
    best = _most_specific(gazetteer().find(title))
    if best is not None:
        return _name(best)
    if title.startswith(_central_markers()):
        return NATIONAL
    mentions = gazetteer().find(text)
    if not mentions:
        return NATIONAL if any(term in text[:300] for term in _central_markers()) else None
    chain = _one_chain(mentions)
    if chain is not None:
        return _surface_of(chain, mentions)
    counties = Counter(m.place for m in mentions if m.place.level == "county")
    if counties:
        (top, n), total = counties.most_common(1)[0], sum(counties.values())
        if (n >= 2 and n * 2 > total) or len(counties) == 1:
            return _surface_of(top, mentions)
        parents = {p.parent for p in counties}
        if len(parents) == 1 and None not in parents:
            parent = gazetteer().get(str(parents.pop()))
            if parent is not None:
                return parent.name
    upper: Counter[Place] = Counter(m.place for m in mentions if m.place.level != "county")
    for county in counties.elements():
        if county.parent:
            parent = gazetteer().get(county.parent)
            if parent is not None:
                upper[parent] += 1
    if upper:
        top_place = upper.most_common(1)[0][0]
        return _surface_of(top_place, mentions)
    return None


def _one_chain(mentions: list[PlaceMention]) -> Place | None:
    """When every place the text names lies on one line of descent (遂宁市 in 四川省), the most specific."""
    places = {m.place for m in mentions}
    deepest = max(places, key=lambda p: p.depth)
    if all(p == deepest or p in gazetteer().ancestors(deepest) for p in places):
        return deepest
    return None


def _surface_of(place: Place, mentions: list[PlaceMention]) -> str:
    for m in mentions:
        if m.place == place and m.surface.endswith(_FULL_NAME_END):
            return m.surface
    return place.name


def find_region(issuers: list[str], title: str, text: str) -> str | None:
    for issuer in issuers:
        region = region_of_issuer(issuer)
        if region:
            return region
    return region_of_text(title, text)
