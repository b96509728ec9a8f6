"""Shared pieces of the extractors: Chinese numerals, year bounds, and which characters a match holds.

Extractors run in a fixed order of strength (文号, dates, years, figures) and a weaker one never
takes characters a stronger one holds; ``Taken`` records that in O(span) per check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import cn2an

Span = tuple[int, int]
YEAR_MIN, YEAR_MAX = 1900, 2099  # years a government document can mention
CN_DIGIT = "零〇○一二两三四五六七八九"
CN_NUMERAL = CN_DIGIT + "十百千点"  # 万 and 亿 are read as multipliers (三万人, 一千二百万元)
CN_YEAR = r"[〇○零一二三四五六七八九OО]{4}"  # 二〇二四, 二○○一 (both circles), O for 〇 in damaged text
_CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "O": "0", "О": "0"}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so 平方公里 wins over 公里)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class Taken:
    """Which characters of a text earlier (stronger) matches already hold."""

    def __init__(self, size: int) -> None:
        self._held = bytearray(size)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self._held[start:end])

    def add(self, start: int, end: int) -> None:
        self._held[start:end] = b"\x01" * (end - start)


@lru_cache(maxsize=4096)
def cn_int(text: str) -> int | None:
    """二〇二四 -> 2024 (digit by digit), 十二 -> 12 (cn2an); None when it is no number."""
    if all(c in _CN_YEAR_DIGITS for c in text):
        return int("".join(_CN_YEAR_DIGITS[c] for c in text))
    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def as_int(text: str) -> int | None:
    """Arabic or Chinese digits as an int."""
    return int(text) if text.isdigit() else cn_int(text)


@lru_cache(maxsize=4096)
def cn_number(text: str) -> float | None:
    """二十三 -> 23.0, 三点五 -> 3.5; None for 一 alone (一个, 一批 mean "a") and non-numbers."""
    if text == "一" or text.startswith("点"):
        return None
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None
