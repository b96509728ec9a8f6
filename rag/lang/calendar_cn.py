"""Dates and years as written in Chinese government text, with ISO values and precision.

Forms: 2024年6月4日, 2024-06-04, 2024.6.4, 2024/6/4, compact 20240604 and 2023619 (only when exactly
one reading is a valid date), 二〇二四年六月四日 / 二○○一年十二月三十日, and year-month (precision
"month"). Years: 2023年, 二〇二三年 and both ends of 2021—2025年.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rag.lang.data import read_table
from rag.lang.numerals import CN_YEAR, YEAR_MAX, YEAR_MIN, Taken, alternation, as_int
from rag.lang.vocab import vocab


@dataclass(frozen=True)
class DateMention:
    """A date as written and as ISO (``2024-06-04``; ``2024-06`` for precision month)."""

    raw: str
    iso: str
    precision: Literal["day", "month", "year"]
    start: int
    end: int


_NOT_DIGIT_BEFORE = r"(?<![\d.A-Za-z/_-])"
_NOT_DIGIT_AFTER = r"(?![\d.A-Za-z/_-]|\.\d)"
_CN_MD = r"[一二三四五六七八九十]{1,3}"
_YM = ("年", "月")
# (kind, pattern, characters it cannot match without: all of ``all_of``, one of ``any_of``, a digit
# when ``digit``): checked with ``in`` before the pattern scans the text, since most passages hold
# no 年…月 and many no date separator.
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[str, ...], tuple[str, ...], bool], ...] = (
    ("ymd", re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"), _YM, (), True),
    ("ymd", re.compile(rf"(?P<y>{CN_YEAR})\s*年\s*(?P<m>{_CN_MD})\s*月\s*(?P<d>{_CN_MD})\s*[日号]"), _YM, (), False),
    (
        "ymd",
        re.compile(
            r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?P<s>[-/.])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})(?!\d|\.\d)"
        ),
        (),
        ("-", "/", "."),
        True,
    ),
    # a serial number (第20220104号) is not a compact date
    (
        "compact",
        re.compile(_NOT_DIGIT_BEFORE + r"(?<!第)(?P<digits>(?:19|20)\d{5,6})" + _NOT_DIGIT_AFTER + r"(?!\s*号)"),
        (),
        (),
        True,
    ),
    ("ym", re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])"), _YM, (), True),
    ("ym", re.compile(rf"(?P<y>{CN_YEAR})\s*年\s*(?P<m>{_CN_MD})\s*月(?!\s*{_CN_MD}\s*[日号])"), _YM, (), False),
    ("ym", re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<s>[-/])(?P<m>\d{1,2})(?![\d/-])"), (), ("-", "/"), True),
)
_DIGIT = re.compile(r"\d")
# a month and day with no year (请于11月23日前反馈): not a DateMention (no year to resolve), and not a
# protected span, so reading it changes no index
_MONTH = r"(?<![\d月])(?:1[0-2]|0?[1-9])月"


@lru_cache(maxsize=1)
def _month_day() -> re.Pattern[str]:
    """N月N日, N月 + a part of the month (5月底, 6月中旬), or a part of the year (年底): month_parts.txt."""
    parts = read_table("month_parts.txt", 2)
    month = alternation([w for kind, w in parts if kind == "month"])
    year = alternation([w for kind, w in parts if kind == "year"])
    return re.compile(rf"{_MONTH}(?:(?:[12]\d|3[01]|0?[1-9])[日号]|{month})|{year}")


def month_days(text: str) -> list[str]:
    """Dates without a year: month-day (11月23日), month part (5月底) or year part (年底) in ``text``;
    ``dates`` covers the dated forms."""
    return _month_day().findall(text)


def _valid(y: int, m: int, d: int) -> bool:
    if not YEAR_MIN <= y <= YEAR_MAX:
        return False
    try:
        _dt.date(y, m, d)
    except ValueError:
        return False
    return True


def _compact(digits: str) -> tuple[int, int, int] | None:
    """20211026 -> (2021, 10, 26); 2023619 -> (2023, 6, 19) only when one reading is a valid date."""
    y, rest = int(digits[:4]), digits[4:]
    if len(rest) == 4:
        readings = [(int(rest[:2]), int(rest[2:]))]
    else:
        readings = [(int(rest[:1]), int(rest[1:])), (int(rest[:2]), int(rest[2:]))]
    valid = [(y, m, d) for m, d in readings if _valid(y, m, d) and not (len(rest) == 3 and rest[1] == "0" and m < 10)]
    return valid[0] if len(valid) == 1 else None


def find_dates(folded: str, text: str, taken: Taken) -> list[DateMention]:
    """Dates in ``folded`` (offsets and ``raw`` from ``text``); marks what it takes in ``taken``."""
    found: list[DateMention] = []
    digits = _DIGIT.search(folded) is not None
    for kind, pattern, all_of, any_of, digit in _DATE_PATTERNS:
        if (digit and not digits) or not all(c in folded for c in all_of):
            continue
        if any_of and not any(c in folded for c in any_of):
            continue
        for m in pattern.finditer(folded):
            if taken.overlaps(m.start(), m.end()):
                continue
            if kind == "compact":
                ymd = _compact(m.group("digits"))
                if ymd is None:
                    continue
                y, mo, d = ymd
                iso, precision = f"{y:04d}-{mo:02d}-{d:02d}", "day"
            else:
                y_, mo_ = as_int(m.group("y")), as_int(m.group("m"))
                d_ = as_int(m.group("d")) if kind == "ymd" else 1
                if y_ is None or mo_ is None or d_ is None or not _valid(y_, mo_, d_):
                    continue
                if kind == "ymd":
                    iso, precision = f"{y_:04d}-{mo_:02d}-{d_:02d}", "day"
                else:
                    iso, precision = f"{y_:04d}-{mo_:02d}", "month"
            found.append(DateMention(text[m.start() : m.end()], iso, precision, m.start(), m.end()))  # type: ignore[arg-type]
            taken.add(m.start(), m.end())
    return sorted(found, key=lambda d: d.start)


@lru_cache(maxsize=1)
def _year_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    sep = alternation(vocab().range_separators)
    rng = re.compile(rf"(?<![\d.])(?P<a>(?:19|20)\d{{2}})\s*(?:年\s*)?(?:{sep})+\s*(?P<b>(?:19|20)\d{{2}})\s*年")
    one = re.compile(rf"(?<![\d.])(?P<a>(?:19|20)\d{{2}}|{CN_YEAR})\s*年")
    return rng, one


def find_year_spans(folded: str, taken: Taken) -> list[tuple[int, int, list[int]]]:
    """(start, end, years) of 2023年 / 二〇二三年 / 2021—2025年 not inside what ``taken`` holds."""
    rng, one = _year_patterns()
    out: list[tuple[int, int, list[int]]] = []
    if "年" not in folded:  # both forms end in 年
        return out
    for pattern in (rng, one):
        for m in pattern.finditer(folded):
            if taken.overlaps(m.start(), m.end()):
                continue
            values = [v for g in ("a", "b") if g in pattern.groupindex and (v := as_int(m.group(g))) is not None]
            values = [v for v in values if YEAR_MIN <= v <= YEAR_MAX]
            if values:
                out.append((m.start(), m.end(), values))
                taken.add(m.start(), m.end())
    return sorted(out)
