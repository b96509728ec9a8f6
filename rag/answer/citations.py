"""Citation verification: every figure in an answer sentence must be in a passage that sentence cites.

This is what makes the assistant trustworthy (no number from the model's memory, no citation
that does not support its sentence, cf. RAGFlow issue 7232), so it is pure and small. Figures,
dates and 文号 are found by the one extractor in ``rag.lang``; they are compared by value
(757.2亿元 == 7572000万元, 20211026 == 2021年10月26日, 〔〕/[] spellings of one 文号), after
traditional/simplified and full/half-width folding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.textnorm import fold
from rag.lang import dates, doc_numbers
from rag.lang import figures as lang_figures
from rag.lang import split_sentences as lang_sentences
from rag.lang import years as lang_years
from rag.models import Citation

# [1], [1][2], [1,2], [1、2] — also after NFKC of full-width brackets; not the [2019] of a 文号.
CITATION_MARK = re.compile(r"\[(\d+(?:\s*[,，、]\s*\d+)*)\](?!\s*(?:第\s*)?\d{1,5}\s*号)")
_MARKS_AFTER = re.compile(r"^(?:\s*\[\d+(?:\s*[,，、]\s*\d+)*\])+")


@dataclass(frozen=True)
class Fact:
    """A figure, date or 文号 as written (``text``) and its comparable value (``key``)."""

    text: str
    kind: str  # doc_number, date, year, number
    key: tuple[object, ...]


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
    """One spelling for comparison: simplified, half width, no spaces."""
    return re.sub(r"\s+", "", fold(text))


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def extract(text: str) -> tuple[Fact, ...]:
    """All figures of ``text`` with comparable keys, in order of appearance. Citation marks are ignored."""
    return _extract(fold(text))


@lru_cache(maxsize=4096)
def _extract(text: str) -> tuple[Fact, ...]:
    text = CITATION_MARK.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[int, Fact]] = []
    for number in doc_numbers(text):
        found.append((number.start, Fact(number.raw, "doc_number", ("doc_number", number.normalised))))
        text = _blank(text, number.start, number.end)
    for date in dates(text):
        parts = tuple(date.iso.split("-"))
        found.append((date.start, Fact(date.raw, "date", ("date", *parts))))
        text = _blank(text, date.start, date.end)
    for year in dict.fromkeys(lang_years(text)):
        at = text.find(str(year))
        found.append((at, Fact(f"{year}年", "year", ("year", year))))
    for fig in lang_figures(text):
        found.append((fig.start, Fact(fig.raw, "number", ("number", fig.value, fig.unit, fig.key))))
    return tuple(fact for _, fact in sorted(found, key=lambda item: item[0]))


def figures(text: str) -> list[str]:
    """The figures of ``text`` as written: numbers, percentages, amounts, dates, 文号. Reused by the eval harness."""
    return [f.text for f in extract(text)]


def _supports(wanted: Fact, stated: Sequence[Fact]) -> bool:
    for fact in stated:
        if wanted.kind == "year" and fact.kind == "date" and str(fact.key[1]) == str(wanted.key[1]):
            return True  # 2024年 is stated by 2024年6月4日
        if fact.kind != wanted.kind:
            continue
        if wanted.kind == "date":
            # every component the answer states must be stated identically (a year-only date matches its day)
            a, p = wanted.key[1:], fact.key[1:]
            if len(a) <= len(p) and a == p[: len(a)]:
                return True
            continue
        if wanted.kind == "number":
            _, value, unit, key = wanted.key
            _, p_value, p_unit, p_key = fact.key
            if key == p_key or (value == p_value and (not unit or not p_unit)):
                return True
            continue
        if wanted.key == fact.key:
            return True
    return False


def is_supported(figure: str, passage: str) -> bool:
    """Whether one figure (as returned by ``figures``) is stated by ``passage``, compared by value."""
    wanted = extract(figure)
    if not wanted:
        return normalise(figure) in normalise(passage)
    stated = extract(passage)
    return all(_supports(w, stated) for w in wanted)


def unsupported_figures(text: str, passages: Sequence[str]) -> list[str]:
    """Figures of ``text`` that none of ``passages`` states."""
    stated = [f for p in passages for f in extract(p)]
    return [f.text for f in extract(text) if not _supports(f, stated)]


def split_sentences(text: str) -> list[str]:
    """Answer sentences (rag.lang's splitter) with the [n] marks that follow their end punctuation attached."""
    out: list[str] = []
    pos = 0
    for sentence in lang_sentences(text):
        if sentence.end <= pos:
            continue  # wholly taken by the marks attached to the sentence before
        marks = _MARKS_AFTER.match(text[sentence.end :])
        end = sentence.end + (marks.end() if marks else 0)
        piece = text[max(sentence.start, pos) : end].strip()
        pos = end
        if not piece or _is_only_marks(piece):
            if out and piece:
                out[-1] += piece
            continue
        out.append(piece)
    return out


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
    facts = extract(sentence)
    texts = tuple(f.text for f in facts)
    if not numbers:
        if facts:
            return DroppedSentence(sentence, "含有数字但没有标注引用", texts)
        return None
    missing = [n for n in numbers if n not in by_number]
    if missing:
        return DroppedSentence(sentence, f"引用了不存在的资料[{missing[0]}]", texts)
    stated = [f for n in numbers for f in extract(by_number[n].passage or by_number[n].quote)]
    bad = [f.text for f in facts if not _supports(f, stated)]
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
