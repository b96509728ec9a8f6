"""The one extractor of figures, dates, years and 文号 (index, ingestion, answering and verification share it).

Every extractor runs on ``fold_aligned(text)`` (simplified, half width, pinyin masked, same
length), so offsets point into the caller's text and 貳〇二四年 / ２０２４ / 億 need no special
cases. One pass per text does all four in order of strength (文号, dates, years, figures: a weaker
match never takes a stronger one's characters) and is cached, so calling figures(), dates() and
protected_spans() on the same passage analyses it once. The grammars live in docnumber.py,
calendar_cn.py and quantity.py; the words (units, 代字 suffixes, lead-ins) in rag/lang/data.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Analysis:
    doc_numbers: tuple[DocNumber, ...]
    dates: tuple[DateMention, ...]
    year_spans: tuple[tuple[int, int, tuple[int, ...]], ...]
    figures: tuple[Figure, ...]


@lru_cache(maxsize=256)
def _analyse(text: str) -> _Analysis:
    folded = fold_aligned(text)
    taken = Taken(len(text))
    numbers = find_doc_numbers(folded, text, taken)
    found_dates = find_dates(folded, text, taken)
    spans = find_year_spans(folded, taken)
    found_figures = find_figures(folded, text, taken)
    return _Analysis(
        doc_numbers=tuple(numbers),
        dates=tuple(found_dates),
        year_spans=tuple((s, e, tuple(v)) for s, e, v in spans),
        figures=tuple(found_figures),
    )


def doc_numbers(text: str) -> list[DocNumber]:
    """文号 in ``text``: 机关代字〔年份〕序号号 with any bracket pair, full-width digits and an optional 第;
    the mangled forms that lost brackets and/or 号 only when the agency ends in a 代字 suffix from data
    and the year is plausible; orders numbered without a year (渝府令第121号, year 0)."""
    return list(_analyse(text).doc_numbers)


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
