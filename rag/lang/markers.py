"""What a text pins down besides places and figures: ordinals of a series, relative years, comparison years.

A question about 十三届人大三次会议 or 第三批 asks about one member of a series; a sentence saying 今年
in a 2023 document speaks of 2023, and 比2021年增长 compares with 2021 without being about it.
The answer stage (rag.answer.constraints) checks these against the evidence; the words are data
(ordinal_counters.tsv, relative_years.tsv, comparison_markers.txt, asked_families.tsv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.lang.data import read_list, read_pairs, read_table
from rag.lang.extract import years
from rag.lang.numerals import CN_NUMERAL, alternation, as_int

_NUMBER = rf"(?:\d{{1,4}}|[{CN_NUMERAL}]{{1,6}})"


@dataclass(frozen=True)
class Ordinal:
    """One numbered member of a series: (family, value) as 第二次会议 -> ("sitting", 2)."""

    family: str
    value: int
    raw: str


@dataclass(frozen=True)
class _Counters:
    pattern: re.Pattern[str]
    families: dict[str, tuple[str, bool]]  # counter -> (family, needs 第)


@lru_cache(maxsize=1)
def _counters() -> _Counters:
    rows = read_table("ordinal_counters.tsv", 3)
    families = {counter: (family, need == "第") for counter, family, need in rows}
    pattern = re.compile(rf"(第)?({_NUMBER})({alternation(families)})")
    return _Counters(pattern, families)


def ordinals(text: str) -> list[Ordinal]:
    """Numbered members of a series the text names (十三届, 三次会议, 第三批, 第61号), in order."""
    counters = _counters()
    out: list[Ordinal] = []
    for m in counters.pattern.finditer(text):
        family, needs_di = counters.families[m.group(3)]
        if needs_di and not m.group(1):
            continue
        value = as_int(m.group(2))
        if value is None or (value == 1 and not m.group(1) and m.group(2) == "一"):
            continue  # 一次 / 一批 without 第 mean "once" / "a batch"
        out.append(Ordinal(family, value, m.group(0)))
    return out


@lru_cache(maxsize=1)
def _relative() -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((w, int(o)) for w, o in read_pairs("relative_years.tsv")), key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _comparison() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(read_list('comparison_markers.txt'))})\s*$")


def relative_years(text: str, base: int) -> list[int]:
    """The years words like 今年 / 去年 name in a text written in ``base``."""
    found: list[int] = []
    rest = text
    for word, offset in _relative():
        if word in rest:
            found.append(base + offset)
            rest = rest.replace(word, " ")
    return found


def comparison_years(text: str) -> set[int]:
    """Years stated only as a base of comparison (比2021年增长): what the statement is measured against."""
    out: set[int] = set()
    for year in years(text):
        mentions = [m.start() for m in re.finditer(str(year), text)]
        if mentions and all(_comparison().search(text[max(0, at - 4) : at]) for at in mentions):
            out.add(year)
    return out


def stated_years(text: str, base: int | None = None) -> set[int]:
    """The years a statement is about: those it names, not as a comparison base, and 今年/去年 read
    against ``base`` (the year its document was written), when known."""
    found = set(years(text)) - comparison_years(text)
    if base is not None:
        found.update(relative_years(text, base))
    return found


@lru_cache(maxsize=1)
def _asked_families() -> tuple[tuple[str, tuple[str, ...]], ...]:
    rows = [(w, tuple(f.strip() for f in fams.split(",") if f.strip())) for w, fams in read_pairs("asked_families.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def asked_families(text: str) -> tuple[str, ...]:
    """The unit families a figure asked right after ``text`` is counted in: those of the asked-family
    word nearest its end (投资 -> money, 满意率 -> percent, 投资增长 -> any), or ()."""
    best: tuple[int, tuple[str, ...]] | None = None
    for key, families in _asked_families():
        at = text.rfind(key)
        if at >= 0 and (best is None or at + len(key) > best[0]):
            best = (at + len(key), families)
    return best[1] if best else ()


def asked_word_families(word: str) -> tuple[str, ...]:
    """The families asked_families.tsv gives ``word`` itself (增长 -> any), () for any other word (增加值)."""
    return next((families for key, families in _asked_families() if key == word), ())


def ordinal_prefix() -> str:
    """The word before a number that makes it a member of a series (第): 第几 asks for a rank, not a figure."""
    return next((need for _, _, need in read_table("ordinal_counters.tsv", 3) if need != "any"), "")


@lru_cache(maxsize=1)
def _periods() -> tuple[tuple[str, tuple[int, int]], ...]:
    rows = [(w, (int(a), int(b))) for w, a, b in read_table("periods.tsv", 3) if a.isdigit() and b.isdigit()]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def _month_range() -> re.Pattern[str]:
    separators = alternation(read_list("range_separators.txt"))
    return re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:月份?)?\s*(?:{separators})\s*(\d{{1,2}})\s*月")


def periods(text: str) -> set[tuple[int, int]]:
    """The parts of a year (first month, last month) the text reports for: 一季度 -> (1, 3), 1—5月 ->
    (1, 5), 全年 -> (1, 12). A single month (1月) is a date, not a period, and is left out."""
    found: set[tuple[int, int]] = set()
    rest = text
    for word, months in _periods():
        if word in rest:
            found.add(months)
            rest = rest.replace(word, " ")
    for m in _month_range().finditer(rest):
        first, last = int(m.group(1)), int(m.group(2))
        if 1 <= first < last <= 12:
            found.add((first, last))
    return found


@lru_cache(maxsize=1)
def area_words() -> tuple[str, ...]:
    """Endings of named areas that are no administrative division (示范区, 开发区, 园区), longest first."""
    return tuple(sorted(read_list("area_suffixes.txt"), key=len, reverse=True))


def areas(text: str) -> set[str]:
    """The area endings (示范区, 高新区 …) the text names, a shorter one inside a longer one not counted."""
    found: set[str] = set()
    rest = text
    for word in area_words():
        if word in rest:
            found.add(word)
            rest = rest.replace(word, " ")
    return found


def change_words(text: str) -> list[str]:
    """The words of asked_families.tsv saying a figure is a change (增长, 下降, 提高 …) the text holds."""
    return [key for key, families in _asked_families() if "any" in families and key in text]
