"""Citation verification: every figure in an answer sentence must be in a passage that sentence cites.

This is what makes the assistant trustworthy (no number from the model's memory, no citation
that does not support its sentence, cf. RAGFlow issue 7232), so it is pure and small:
``figures`` finds numbers, percentages, amounts, dates and 文号; ``verify`` keeps the sentences
whose figures are all supported and reports the others with a reason. Comparison is on
normalised values: traditional/simplified, full/half width, 億/亿, and 亿元 vs 万元 by value
(757.2亿元 == 7572000万元, but 757.2万元 is a different figure).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from index.textnorm import fold
from rag.models import Citation

# [1], [1][2], [1,2], [1、2] — also after NFKC of full-width brackets.
CITATION_MARK = re.compile(r"\[(\d+(?:\s*[,，、]\s*\d+)*)\](?!\s*(?:第\s*)?\d{1,5}\s*号)")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+|\n|$)(?:\s*\[\d+(?:\s*[,，、]\s*\d+)*\])*")

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(?:第\s*)?(\d{1,5})\s*号")
_DATE_YMD = re.compile(r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
_DATE_YM = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_DATE_MD = re.compile(r"(?<![\d.])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"(?<![\d.])(\d{4})\s*年(?!\s*\d{1,2}\s*月)")
_YEAR_RANGE = re.compile(r"(?<![\d.])(\d{4})\s*[—–\-~～至到]+\s*(\d{4})\s*年?")
_PERCENT = re.compile(r"(?:百分之\s*(\d+(?:\.\d+)?))|(?<![\d.])(\d+(?:\.\d+)?)\s*(?:%|％|‰)")
_NUMBER = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万亿|千亿|百亿|亿|千万|百万|万|千)?\s*"
    r"(元|美元|平方公里|平方米|千伏|千瓦|万方|家|个|项|户|人|亩|宗|场|口|吨|倍|件|名|次|条|座|所|台|辆|方|批)?"
)
_MULTIPLIER = {
    "": Decimal(1),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
    "百亿": Decimal(10_000_000_000),
    "千亿": Decimal(100_000_000_000),
    "万亿": Decimal(1_000_000_000_000),
}


@dataclass(frozen=True)
class Figure:
    """A figure as written (``text``) and its comparable value (``key``)."""

    text: str
    kind: str  # doc_number, date, percent, number
    key: tuple[str, ...]


@dataclass(frozen=True)
class DroppedSentence:
    """A sentence removed from the answer, and why (the eval harness counts these)."""

    sentence: str
    reason: str
    figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifiedText:
    """What survived verification: kept sentences (with their [n]) and the dropped ones."""

    text: str
    kept: tuple[str, ...]
    dropped: tuple[DroppedSentence, ...]
    cited: tuple[int, ...]  # citation numbers used by kept sentences, in first-use order

    @property
    def supported(self) -> bool:
        """True when at least one kept sentence cites a passage: otherwise the answer must refuse."""
        return bool(self.cited)


def normalise(text: str) -> str:
    """One spelling for comparison: simplified, half width, no spaces, no thousands separators."""
    text = fold(text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"\s+", "", text)


def _decimal(value: str) -> Decimal:
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regexes only pass digits
        return Decimal(0)


def _canon(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _mask(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


def extract(text: str) -> tuple[Figure, ...]:
    """All figures of ``text`` with comparable keys, in order of appearance. Citation marks are ignored."""
    return _extract(fold(text))


@lru_cache(maxsize=4096)
def _extract(text: str) -> tuple[Figure, ...]:
    text = CITATION_MARK.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[int, Figure]] = []
    for pattern, build in _BUILDERS:
        for m in list(pattern.finditer(text)):
            figure = build(m)
            if figure is not None:
                found.append((m.start(), figure))
            text = _mask(text, m.span())
    return tuple(figure for _, figure in sorted(found, key=lambda item: item[0]))


def _doc_number(m: re.Match[str]) -> Figure:
    text = m.group(0).strip()
    # Function words the prefix pattern may have swallowed (见铜经信函〔2024〕54号).
    while len(re.sub(r"[〔\[［(（【].*", "", text)) > 3 and text[0] in "见据按依和与及的是为在即于以由经对":
        text = text[1:]
    prefix = re.sub(r"[〔\[［(（【].*", "", text).strip()
    return Figure(text, "doc_number", ("doc_number", prefix, m.group(1), str(int(m.group(2)))))


def _ymd(m: re.Match[str]) -> Figure | None:
    month, day = int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return Figure(m.group(0).strip(), "date", ("date", m.group(1), str(month), str(day)))


def _number(m: re.Match[str]) -> Figure:
    value = _decimal(m.group(1)) * _MULTIPLIER[m.group(2) or ""]
    return Figure(m.group(0).strip(), "number", ("number", _canon(value), m.group(3) or ""))


# Order matters: the more specific shapes mask their text before the generic number pattern runs.
_BUILDERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Figure | None]], ...] = (
    (_DOC_NUMBER, _doc_number),
    (_YEAR_RANGE, lambda m: Figure(m.group(0).strip(), "date", ("year_range", m.group(1), m.group(2)))),
    (_DATE_YMD, _ymd),
    (_DATE_YM, lambda m: Figure(m.group(0).strip(), "date", ("date", m.group(1), str(int(m.group(2))), ""))),
    (_DATE_MD, lambda m: Figure(m.group(0).strip(), "date", ("date", "", str(int(m.group(1))), str(int(m.group(2)))))),
    (_YEAR, lambda m: Figure(m.group(0).strip(), "date", ("date", m.group(1), "", ""))),
    (
        _PERCENT,
        lambda m: Figure(m.group(0).strip(), "percent", ("percent", _canon(_decimal(m.group(1) or m.group(2))))),
    ),
    (_NUMBER, _number),
)


def figures(text: str) -> list[str]:
    """The figures of ``text`` as written: numbers, percentages, amounts, dates, 文号. Reused by the eval harness."""
    return [f.text for f in extract(text)]


def _supports(answer_fig: Figure, passage_figs: Iterable[Figure]) -> bool:
    for fig in passage_figs:
        if fig.kind != answer_fig.kind and not (answer_fig.kind == "date" and fig.kind == "date"):
            continue
        a, p = answer_fig.key, fig.key
        if a[0] == "doc_number" and p[0] == "doc_number":
            # The prefix pattern may take a word before the 文号 (见铜经信函〔2024〕54号): compare by suffix.
            if a[2:] == p[2:] and (a[1].endswith(p[1]) or p[1].endswith(a[1])):
                return True
            continue
        if a[0] == "date" and p[0] == "date":
            # Every component the answer states must be stated identically by the passage.
            if all(not x or x == y for x, y in zip(a[1:], p[1:], strict=True)):
                return True
            continue
        if a[0] == "date" and p[0] == "year_range" and a[2:] == ("", "") and a[1] in p[1:]:
            return True
        if a[0] == "number" and p[0] == "number":
            if a[1] == p[1] and (not a[2] or not p[2] or a[2] == p[2]):
                return True
            continue
        if a == p:
            return True
    return False


def is_supported(figure: str, passage: str) -> bool:
    """Whether one figure (as returned by ``figures``) is stated by ``passage``, compared by normalised value."""
    wanted = extract(figure)
    if not wanted:
        return normalise(figure) in normalise(passage)
    passage_figs = extract(passage)
    return all(_supports(w, passage_figs) for w in wanted)


def unsupported_figures(text: str, passages: Sequence[str]) -> list[str]:
    """Figures of ``text`` that none of ``passages`` states."""
    passage_figs = [f for p in passages for f in extract(p)]
    return [f.text for f in extract(text) if not _supports(f, passage_figs)]


def split_sentences(text: str) -> list[str]:
    """Sentences with the [n] marks that follow their end punctuation kept attached."""
    return [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(text)) if s and not _is_only_marks(s)]


def _is_only_marks(sentence: str) -> bool:
    return not CITATION_MARK.sub("", sentence).strip(" 。！？!?；;，,")


def cited_numbers(sentence: str) -> list[int]:
    """The [n] numbers a sentence cites, in order, without repeats."""
    seen: list[int] = []
    for m in CITATION_MARK.finditer(fold(sentence)):
        for part in re.split(r"[,，、]", m.group(1)):
            n = int(part.strip())
            if n not in seen:
                seen.append(n)
    return seen


def verify_sentence(sentence: str, by_number: dict[int, Citation]) -> DroppedSentence | None:
    """None if the sentence may stay; otherwise why it must go."""
    numbers = cited_numbers(sentence)
    figs = extract(sentence)
    fig_texts = tuple(f.text for f in figs)
    if not numbers:
        if figs:
            return DroppedSentence(sentence, "含有数字但没有标注引用", fig_texts)
        return None
    missing = [n for n in numbers if n not in by_number]
    if missing:
        return DroppedSentence(sentence, f"引用了不存在的资料[{missing[0]}]", fig_texts)
    passage_figs = [f for n in numbers for f in extract(by_number[n].passage or by_number[n].quote)]
    bad = [f.text for f in figs if not _supports(f, passage_figs)]
    if bad:
        return DroppedSentence(sentence, f"数字“{bad[0]}”不在所引资料中", tuple(bad))
    return None


def verify(answer_text: str, citations: Sequence[Citation]) -> VerifiedText:
    """Keep the sentences whose figures all appear in a passage they cite; drop and explain the rest.

    A sentence without [n] and without figures (a connective like "具体如下：") is kept but does
    not count as support; ``VerifiedText.supported`` is False when no cited sentence survives.
    """
    by_number = {c.n: c for c in citations}
    kept: list[str] = []
    dropped: list[DroppedSentence] = []
    cited: list[int] = []
    for sentence in split_sentences(answer_text):
        problem = verify_sentence(sentence, by_number)
        if problem is not None:
            dropped.append(problem)
            continue
        kept.append(sentence)
        cited.extend(n for n in cited_numbers(sentence) if n not in cited)
    if not cited:
        kept = []  # connectives alone are not an answer
    return VerifiedText(text="".join(kept), kept=tuple(kept), dropped=tuple(dropped), cited=tuple(cited))
