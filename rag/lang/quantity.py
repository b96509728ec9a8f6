"""Figures: numbers with their units or measure words, comparable across spellings.

Arabic and Chinese numerals (cn2an), decimals, 万/亿 multipliers, ranges (3-5个), hedges kept in
``raw`` (约/近/余/多), and every unit and measure word from rag/lang/data/units.tsv. ``Figure.key``
is the value in the unit's canonical form, so 757.2亿元 == 7572000万元 and 12.5公里 == 12.5千米.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from rag.lang.numerals import CN_DIGIT, CN_NUMERAL, Taken, alternation, cn_number
from rag.lang.vocab import vocab


def _plain(d: Decimal) -> str:
    text = f"{d.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Figure:
    """A number as written, with its unit or measure word; ``key`` compares values across spellings."""

    raw: str
    value: float  # the number as written, before the multiplier (757.2 for 757.2亿元)
    unit: str  # multiplier + unit as written, simplified (亿元, 千米, %, 个); "" for a bare number
    start: int
    end: int
    high: float | None = None  # upper end of a range (3-5个 -> value 3, high 5)
    approximate: bool = False  # 约/近/余/多 … hedged

    @property
    def family(self) -> str:
        """The unit family (money, length, percent, count …); "" for a bare number."""
        return _split_unit(self.unit)[2]

    @property
    def key(self) -> str:
        """Comparison key: value in the canonical unit (757.2亿元 and 7572000万元 -> 75720000000元)."""
        mult, unit, _ = _split_unit(self.unit)
        canonical, factor = vocab().unit_canonical.get(unit, (unit, Decimal(1)))
        scale = mult * factor
        low = _plain(_decimal(self.value) * scale)
        if self.high is None:
            return f"{low}{canonical}"
        return f"{low}-{_plain(_decimal(self.high) * scale)}{canonical}"


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value))


@lru_cache(maxsize=512)
def _split_unit(unit: str) -> tuple[Decimal, str, str]:
    """亿元 -> (1e8, 元, money); 千米 -> (1, 千米, length): a whole unit wins over multiplier + unit."""
    v = vocab()
    if unit in v.units or unit == "":
        return Decimal(1), unit, v.units.get(unit, "")
    for mult in sorted(v.multipliers, key=len, reverse=True):
        if unit.startswith(mult) and (unit[len(mult) :] in v.units or unit == mult):
            rest = unit[len(mult) :]
            return Decimal(str(int(v.multipliers[mult]))), rest, v.units.get(rest, "")
    return Decimal(1), unit, ""


@lru_cache(maxsize=1)
def _figure_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    v = vocab()
    units = alternation(list(v.units))
    mults = alternation(list(v.multipliers))
    pre = alternation([w for w, pos in v.approximators.items() if pos == "prefix"])
    inf = alternation([w for w, pos in v.approximators.items() if pos == "infix"])
    suf = alternation([w for w, pos in v.approximators.items() if pos == "suffix"])
    uprefix = alternation(list(v.unit_prefixes))
    sep = alternation(v.range_separators)
    arabic = r"(?<![\dA-Za-z.])\d+(?:,\d{3})*(?:\.\d+)?(?![\d])"
    chinese = rf"[{CN_DIGIT}十][{CN_NUMERAL}]*"
    num = rf"(?:{arabic}|{chinese})"
    # one space may stand between a number and its unit (757.2 亿元, from PDFs and spaced pages)
    unit = rf"(?:[ \u00a0]?(?:(?P<{{u}}>{units})|(?P<{{m}}>{mults})(?P<{{i}}>{inf})?(?P<{{v}}>{units})?))"
    tail = rf"(?P<inf>{inf})?{unit.format(u='unit', m='mult', i='inf2', v='munit')}?(?P<suf>{suf})?"
    # A figure starts with a digit, a numeral or the first character of a hedge/unit prefix: the
    # lookahead lets the scan skip every other position at once.
    starts = {w[0] for w in v.approximators} | {w[0] for w in v.unit_prefixes} | set(CN_DIGIT + "十")
    first = rf"(?=[\d{re.escape(''.join(sorted(starts)))}])"
    head = rf"{first}(?P<pre>{pre})?(?P<uprefix>{uprefix})?"
    single = re.compile(rf"{head}(?P<n1>{num}){tail}")
    first_unit = unit.format(u="unit1", m="mult1", i="inf1", v="munit1")
    rng = re.compile(
        rf"{head}(?P<n1>{num}){first_unit}?\s*(?:{sep})\s*(?P<n2>{num})(?P<inf>{inf})?"
        rf"{unit.format(u='unit', m='mult', i='inf2', v='munit')}(?P<suf>{suf})?"
    )
    return rng, single


@lru_cache(maxsize=4096)
def _number(text: str) -> float | None:
    if text[0].isdigit():
        try:
            return float(Decimal(text.replace(",", "")))
        except InvalidOperation:
            return None
    return cn_number(text)


@lru_cache(maxsize=1)
def _numeral_char() -> re.Pattern[str]:
    """A figure's number starts with a digit or a Chinese numeral: no such character, no figure."""
    return re.compile(rf"[\d{CN_DIGIT}十]")


def find_figures(folded: str, text: str, taken: Taken) -> list[Figure]:
    """Figures in ``folded`` (offsets and ``raw`` from ``text``) outside what ``taken`` holds."""
    rng, single = _figure_patterns()
    out: list[Figure] = []
    if _numeral_char().search(folded) is None:
        return out
    # a range needs one of its separators (- ~ 至 …): most passages have none, so skip its scan
    has_range = any(sep in folded for sep in vocab().range_separators)
    for pattern in (rng, single) if has_range else (single,):
        for m in pattern.finditer(folded):
            start, end = m.start(), m.end()
            if taken.overlaps(start, end) or folded[max(0, start - 1) : start] == "第":
                continue
            n1 = _number(m.group("n1"))
            if n1 is None:
                continue
            unit_word = m.group("unit") or ((m.group("mult") or "") + (m.group("munit") or ""))
            if m.group("uprefix"):
                unit_word = vocab().unit_prefixes[m.group("uprefix")]
            if not m.group("n1")[0].isdigit() and not unit_word:
                continue  # Chinese numerals only count with a unit (三是, 十四五 are not figures)
            high = None
            if pattern is rng:
                high = _number(m.group("n2"))
                if high is None or high < n1:
                    continue
                first = m.group("unit1") or ((m.group("mult1") or "") + (m.group("munit1") or ""))
                if first and first != unit_word:
                    continue  # 3万-5亿元: different scales are two figures
            approx = bool(m.group("pre") or m.group("inf") or m.group("inf2") or m.group("suf"))
            out.append(Figure(text[start:end], n1, unit_word, start, end, high, approx))
            taken.add(start, end)
    return sorted(out, key=lambda f: f.start)
