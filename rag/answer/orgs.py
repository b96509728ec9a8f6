"""Organisation names in questions and sentences, compared abbreviation-aware (住建局 ≈ 住房和城乡建设局).

A name is a noun-like word ending in one of rag.lang's org_suffixes (教育局, 建设局, 委员会) or such an
ending standing alone after noun-like words (卫生 健康 局), together with the noun-like words before it
(住房 和 城乡 建设局), cut at a place, a relative year word (今年) and a single administrative
character (市教育局 -> 教育 + 局). Words come from jieba with their part of speech, so 委 in 委员,
会 in 会议 or 局 in 布局 is no organisation. Two names are the same organisation when their endings
agree and one core is an ordered character subsequence of the other starting with the same
character: abbreviations keep the order of the full name's characters (住建 / 住房和城乡建设).
No organisation name is listed anywhere: the rule is the mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import rjieba

from index.textnorm import fold
from rag.lang import gazetteer, vocab
from rag.lang.data import read_pairs

MAX_CORE = 10  # characters of a name before its ending
MIN_CORE = 2  # a one-character core names no organisation reliably
_ADMIN = "省市县区州镇乡"  # a single administrative level before the name (市教育局): not part of the name
# jieba parts of speech a name is made of: nouns, organisation names, abbreviations, adjectives, verbal nouns
_NAME_TAGS = frozenset({"n", "nt", "nz", "j", "an", "a", "vn"})
_NAME_JOINERS = frozenset({"和", "与"})  # inside a name: 住房和城乡建设局, 卫生健康和体育局


@dataclass(frozen=True)
class OrgName:
    core: str  # 卫生健康
    suffix: str  # 局


@lru_cache(maxsize=1)
def _suffixes() -> tuple[str, ...]:
    return tuple(sorted({fold(s) for s in vocab().org_suffixes if s}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _relative_words() -> frozenset[str]:
    return frozenset(w for w, _ in read_pairs("relative_years.tsv"))


def _is_place(word: str) -> bool:
    return any(m.start == 0 and m.end == len(word) for m in gazetteer().find(word))


def _name_part(word: str, tag: str) -> bool:
    if word in _relative_words() or _is_place(word):
        return False
    return tag in _NAME_TAGS or word in _NAME_JOINERS


@lru_cache(maxsize=2048)
def organisations(text: str) -> tuple[OrgName, ...]:
    """Organisation names in ``text`` (folded), each once, in order."""
    words = rjieba.tag(text)
    out: list[OrgName] = []
    for i, (word, tag) in enumerate(words):
        if tag not in _NAME_TAGS:
            continue
        suffix = next((s for s in _suffixes() if word.endswith(s)), "")
        if not suffix or (len(word) == 2 and len(suffix) == 1):
            continue  # 布局, 干部, 全部: a word that merely ends in an ending character
        core = word[: -len(suffix)]
        for before, before_tag in reversed(words[:i]):
            if len(core) + len(before) > MAX_CORE or not _name_part(before, before_tag):
                break
            core = before + core
        while core and core[0] in _NAME_JOINERS:
            core = core[1:]
        if len(core) > MIN_CORE and core[0] in _ADMIN:
            core = core[1:]
        name = OrgName(core, suffix)
        if len(core) >= MIN_CORE and name not in out:
            out.append(name)
    return tuple(out)


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def comparable(a: OrgName, b: OrgName) -> bool:
    """Both endings name the same kind of body (局 / 管理局, 委 / 委员会), so the names may be compared."""
    x, y = a.suffix, b.suffix
    return x == y or x.endswith(y) or y.endswith(x) or x[0] == y[0]


def same_organisation(a: OrgName, b: OrgName) -> bool:
    """Comparable endings, and one core the other's tail or its ordered subsequence from the same first character."""
    if not comparable(a, b):
        return False
    short, long = sorted((a.core, b.core), key=len)
    # a name may drop a leading qualifier (古岩加油站 / 加油站) or abbreviate (住建局 / 住房和城乡建设局)
    return long.endswith(short) or (short[0] == long[0] and _subsequence(short, long))
