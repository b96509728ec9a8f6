"""What a question asks besides its answer type: the figure's unit family, what the figure is of, the years.

Constraint fields of the Query (rag.answer.query) that rag.answer.constraints checks against the
quoted sentence; the words (asked families, relative years, comparison markers) are data in
rag/lang/data, read through rag.lang.markers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import rjieba

from rag.lang import vocab, years
from rag.lang.data import read_list, read_pairs
from rag.lang.markers import asked_families, asked_word_families, comparison_years, ordinal_prefix, relative_years
from rag.lang.numerals import alternation

ANY_RANK = "rank"  # figure_families of a 第几 question: a rank, no figure of any unit is needed
ASKED_WINDOW = 6  # characters before the interrogative that may say what the figure counts (总投资是多少)
ANY_CHANGE = "any"  # asked_families.tsv: a change (增长多少), in any unit
ANY_SIZE = "size"  # asked_families.tsv: a target or size (规模目标是多少), any figure
SUBJECT_WINDOW = 12  # characters before the interrogative naming what the figure is of
_BRACKETED = re.compile(r"[(（][^()（）]{0,30}[)）]")  # a bracketed remark after a name
_PHRASE_MARKS = "，,；;：:、？?"  # a phrase ends at these


@lru_cache(maxsize=256)
def unit_families(unit: str) -> tuple[str, ...]:
    """The families of an asked unit (亿元 -> money; 家 -> also 间, 所), its multiplier stripped."""
    units = vocab().units
    for mult in sorted(vocab().multipliers, key=len, reverse=True):
        if unit.startswith(mult) and unit[len(mult) :] in units:
            unit = unit[len(mult) :]
            break
    family = units.get(unit, "")
    return (family, *_equivalents().get(family, ())) if family else ()


@lru_cache(maxsize=1)
def _equivalents() -> dict[str, tuple[str, ...]]:
    """Families whose measure words count the same things (rag/lang/data/unit_equivalents.tsv)."""
    return {f: tuple(x.strip() for x in also.split(",") if x.strip()) for f, also in read_pairs("unit_equivalents.tsv")}


def figure_families(
    text: str, kind: str, unit: str, main: tuple[int, int] | None, focus: Sequence[str]
) -> tuple[str, ...]:
    """The unit families a figure answer must be in: the asked unit's, else what the words around the
    interrogative say is counted (多少钱 / 总投资是多少 -> money, 满意率是多少 -> percent), else none."""
    if kind != "figure" or main is None:
        return ()
    start, end = main
    prefix = ordinal_prefix()
    if prefix and text[:start].endswith(prefix):
        return (ANY_RANK,)  # 第几位 asks for a rank, which is no figure
    if unit:
        return unit_families(unit)
    begin = max(0, start - ASKED_WINDOW)
    begin = max(begin, *(text.rfind(mark, begin, start) + 1 for mark in _PHRASE_MARKS))  # …政策里,多大面积
    return asked_families(text[begin:end]) or asked_families("".join(focus))


# jieba parts of speech of words naming a thing (nouns, verbal nouns, abbreviations, idioms, English, 一季度)
# (time words such as 一季度 are left out: the year/period is a constraint of its own, not what is counted)
_NOUN_TAGS = frozenset({"n", "nz", "nt", "vn", "j", "l", "eng", "b", "ng", "an"})


@lru_cache(maxsize=4096)
def all_tagged(word: str, tags: frozenset[str]) -> bool:
    """Every jieba word of ``word`` has one of the parts of speech ``tags``."""
    return all(tag in tags for _, tag in rjieba.tag(word))


def _is_noun(word: str) -> bool:
    """Every jieba word of ``word`` names a thing: verbs (达到, 到位), adverbs (分别, 最终) do not."""
    return all_tagged(word, _NOUN_TAGS)


def _find_all(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)] if word else []


def figure_subject(
    text: str, terms: Sequence[str], kind: str, main: tuple[int, int] | None, gap: int
) -> tuple[str, ...]:
    """What the asked figure is of: the content words in the phrase right before the interrogative
    (一季度工业投资增长多少 -> 一季度, 工业, 投资), words inside a longer one dropped, and words saying
    the figure is a change (增长) left out, as any figure's sentence may phrase that differently."""
    if kind != "figure" or main is None:
        return ()
    start, end = main
    if any(end <= text.find(t) <= end + gap for t in terms):
        return ()  # 收到了多少件议事原案: the counted word after it says what is asked (the focus)
    begin = max(0, start - SUBJECT_WINDOW)
    cut = max(text.rfind(mark, begin, start) for mark in _PHRASE_MARKS)
    begin = max(begin, cut + 1)
    lowered = text.lower()
    # a word reaching into the window counts whole (机器人产业集群…: 机器人 starts before the window)
    inside = [t for t in terms if any(begin - len(t) < at < start for at in _find_all(lowered, t.lower()))]
    longest = [t for t in inside if not any(t != o and t in o for o in inside)]  # 季度 inside 一季度
    return tuple(t for t in longest if not {ANY_CHANGE, ANY_SIZE} & set(asked_word_families(t)) and _is_noun(t))


def asked_years(text: str) -> tuple[int, ...]:
    """The question's years (not a comparison base: 较2022年下降多少, not a bracketed qualifier of a name:
    总体规划(2021—2035年) names the plan, not the year asked about) and those its 上一年 names."""
    text = _BRACKETED.sub(" ", text)
    bases = comparison_years(text)
    stated = [y for y in dict.fromkeys(years(text)) if y not in bases]
    relative = [y for base in stated for y in relative_years(text, base)]
    return tuple(dict.fromkeys([*stated, *relative]))


_PHRASE = re.compile(r"[“\"‘']([^“”\"‘’']{2,12})[”\"’']")


def quoted_phrases(text: str) -> tuple[str, ...]:
    """Phrases in quotation marks (not 《》 titles): names the question gives as written."""
    return tuple(dict.fromkeys(m.group(1) for m in _PHRASE.finditer(text)))


@lru_cache(maxsize=1)
def _list_count() -> re.Pattern[str]:
    return re.compile(rf"几({alternation(read_list('list_counters.txt'))})")


def list_counter(text: str, kind: str, main: tuple[int, int] | None) -> str:
    """The measure word of 几类/哪几项/几个方面 in a list question: its answer states a count in it."""
    if kind != "list" or main is None:
        return ""
    found = _list_count().search(text, main[0], main[1] + 3)
    return found.group(1) if found else ""
