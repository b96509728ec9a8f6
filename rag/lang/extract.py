"""The one extractor of figures, dates, years and 文号 (index, ingestion, answering and verification share it).

Every extractor runs on ``fold_aligned(text)`` (simplified, half width, pinyin masked, same
length), so offsets point into the caller's text and 貳〇二四年 / ２０２４ / 億 need no special
cases. One pass per text does all four in order of strength (文号, dates, years, figures: a weaker
match never takes a stronger one's characters) and is cached, so calling figures(), dates() and
protected_spans() on the same passage analyses it once. The grammars live in docnumber.py,
calendar_cn.py and quantity.py; the words (units, 代字 suffixes, lead-ins) in rag/lang/data.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from rag.lang.calendar_cn import DateMention, find_dates, find_year_spans
from rag.lang.docnumber import DocNumber, find_doc_numbers
from rag.lang.normalize import fold_aligned
from rag.lang.numerals import Span, Taken
from rag.lang.quantity import Figure, find_figures

__all__ = [
    "DateMention",
    "DocNumber",
    "Figure",
    "dates",
    "doc_numbers",
    "figures",
    "protected_spans",
    "protected_tokens",
    "years",
]


class _Analysis:
    """One text's matches, found stage by stage on first need and kept.

    The stages run in order of strength (文号, dates, years, figures) and each weaker stage needs the
    characters the stronger ones hold, so asking for 文号 alone (the metadata extractor reads whole
    pages for them) never pays for the figure grammar, and asking for figures later runs only the
    stages still missing. The result is the same as running all four at once."""

    __slots__ = ("_dates", "_doc_numbers", "_figures", "_folded", "_lock", "_taken", "_text", "_year_spans")

    def __init__(self, text: str) -> None:
        self._text = text
        self._folded = fold_aligned(text)
        self._taken = Taken(len(text))
        self._lock = threading.RLock()  # the cache is shared by the server's threads; a stage runs once
        self._doc_numbers: tuple[DocNumber, ...] | None = None
        self._dates: tuple[DateMention, ...] | None = None
        self._year_spans: tuple[tuple[int, int, tuple[int, ...]], ...] | None = None
        self._figures: tuple[Figure, ...] | None = None

    @property
    def doc_numbers(self) -> tuple[DocNumber, ...]:
        with self._lock:
            if self._doc_numbers is None:
                self._doc_numbers = tuple(find_doc_numbers(self._folded, self._text, self._taken))
        return self._doc_numbers

    @property
    def dates(self) -> tuple[DateMention, ...]:
        with self._lock:
            if self._dates is None:
                _ = self.doc_numbers
                self._dates = tuple(find_dates(self._folded, self._text, self._taken))
        return self._dates

    @property
    def year_spans(self) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
        with self._lock:
            if self._year_spans is None:
                _ = self.dates
                spans = find_year_spans(self._folded, self._taken)
                self._year_spans = tuple((s, e, tuple(v)) for s, e, v in spans)
        return self._year_spans

    @property
    def figures(self) -> tuple[Figure, ...]:
        with self._lock:
            if self._figures is None:
                _ = self.year_spans
                self._figures = tuple(find_figures(self._folded, self._text, self._taken))
        return self._figures


@lru_cache(maxsize=256)
def _analyse(text: str) -> _Analysis:
    return _Analysis(text)


def doc_numbers(text: str) -> list[DocNumber]:
    """文号 in ``text``: 机关代字〔年份〕序号号 with any bracket pair, full-width digits and an optional 第;
    the mangled forms that lost brackets and/or 号 only when the agency ends in a 代字 suffix from data
    and the year is plausible; orders numbered without a year (渝府令第121号, year 0)."""
    return list(_analyse(text).doc_numbers)


_CITED = re.compile(r"》\s*[（(]\s*$")  # 《…》(豫政办〔2016〕26号): the number of the document just named


def own_doc_numbers(text: str) -> list[DocNumber]:
    """文号 of ``text`` that are not citations: a number in brackets right after a 《title》 is that
    document's (根据《…的通知》(豫政办〔2016〕26号)要求), not the page's own."""
    return [n for n in doc_numbers(text) if not _CITED.search(text[max(0, n.start - 8) : n.start])]


def dates(text: str) -> list[DateMention]:
    """Dates in ``text``: 2024年6月4日, 2024-06-04, 2024.6.4, 2024/6/4, 20240604, 2023619 (one valid
    reading only), 二〇二四年六月四日 / 二○○一年十二月三十日, and year-month (precision "month")."""
    return list(_analyse(text).dates)


def years(text: str) -> list[int]:
    """Years mentioned (2023年, 二〇二三年, both ends of 2021—2025年, and the years of dates), in order
    of first mention, each once. The year inside a 文号 (〔2019〕) is not a mention."""
    analysis = _analyse(text)
    found = [(s, v) for s, _, values in analysis.year_spans for v in values]
    found += [(d.start, int(d.iso[:4])) for d in analysis.dates]
    out: list[int] = []
    for _, year in sorted(found):
        if year not in out:
            out.append(year)
    return out


def figures(text: str) -> list[Figure]:
    """Numbers with their units or measure words (757.2亿元, 12.5千米, 3-5个, 约3000人, 二十三家, 15%),
    and bare Arabic numbers; not the numbers of dates, years, 文号 or ordinals (第3条)."""
    return list(_analyse(text).figures)


def protected_spans(text: str) -> list[Span]:
    """Spans a tokenizer must keep whole: 文号, dates, years and figures with a unit, leftmost first,
    non-overlapping (a 文号 wins over the numbers inside it)."""
    analysis = _analyse(text)
    spans = [(d.start, d.end) for d in analysis.doc_numbers]
    spans += [(d.start, d.end) for d in analysis.dates]
    spans += [(s, e) for s, e, _ in analysis.year_spans]
    spans += [(f.start, f.end) for f in analysis.figures if f.unit]
    return sorted(spans)


def protected_tokens(text: str) -> list[tuple[int, int, str]]:
    """protected_spans() with the token each span stands for: a 文号 in its normalised form (so the
    damaged 渝府办发202312号 and 渝府办发〔2023〕12号 are one token), anything else as written."""
    analysis = _analyse(text)
    numbers = {(d.start, d.end): d.normalised for d in analysis.doc_numbers}
    return [(s, e, numbers.get((s, e)) or "".join(text[s:e].split())) for s, e in protected_spans(text)]
