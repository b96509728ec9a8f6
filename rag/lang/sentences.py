"""The one sentence splitter (and its finer clause splitter) for index, ingestion, answering and verification.

Ends a sentence at 。！？!?；; (a run of them counts once) and at line breaks, keeps closing quotes
and brackets and trailing citation markers ([1], ［2］) with the sentence they close. None of the
end marks occurs inside a 文号, a decimal (3.5) or a date, so those are never split; a colon
between digits (10:30) does not end a clause. A line that ends in a comma-like mark or
an opening bracket continues on the next line (hard-wrapped text). Offsets index the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_END = "。！？!?；;"
_CLOSERS = "”’\"'」』》〉）)】〕］]"
_OPENERS = "“‘「『《〈（(【〔［["
_CONTINUES = "，,、：:" + _OPENERS  # a line ending in one of these goes on after the break
_CLAUSE = "，,、：:"
_MARKER = re.compile(r"\s*(?:[\[［【]\d{1,3}(?:\s*[,，、]\s*\d{1,3})*[\]］】])+")
_BOOK = {"《": "》", "（": "）", "(": ")"}


@dataclass(frozen=True)
class Sentence:
    """A sentence (or clause) as written: ``source[start:end] == text``."""

    text: str
    start: int
    end: int


def _latin_full_stop(text: str, i: int) -> bool:
    """A "." after a Latin word or its closing quote, not followed by a letter or digit."""
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return (
        bool(before)
        and (before.isascii() and (before.isalpha() or before in "\"')"))
        and not (after.isascii() and after.isalnum())
    )


def _boundaries(text: str, enders: str, nest: bool) -> list[int]:
    """End offsets (exclusive) of the pieces of ``text``."""
    cuts: list[int] = []
    i, n = 0, len(text)
    depth: list[str] = []
    while i < n:
        ch = text[i]
        if ch == "\n":
            k = i - 1
            while k >= 0 and text[k] in " \t\r\u3000":
                k -= 1
            if k < 0 or text[k] not in _CONTINUES or text[i + 1 :].lstrip(" \t\r\u3000")[:1] == "\n":
                cuts.append(i)
                depth.clear()
            i += 1
            continue
        if nest:  # clauses: a comma inside 《…》 or （…） does not cut
            if ch in _BOOK:
                depth.append(_BOOK[ch])
            elif depth and ch == depth[-1]:
                depth.pop()
        if ch == "." and _latin_full_stop(text, i):
            cuts.append(i + 1)  # an English sentence ends here (not 3.5, 2024.6.4 or www.gov.cn)
            i += 1
            continue
        if ch in enders and not (nest and depth and ch in _CLAUSE):
            if ch in ":：" and text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit():
                i += 1  # 10:30 is a time
                continue
            j = i + 1
            while j < n and (text[j] in enders or text[j] in _END):
                j += 1
            while j < n and text[j] in _CLOSERS:
                j += 1
            if (m := _MARKER.match(text, j)) is not None:
                j = m.end()
            while j < n and text[j] in _CLOSERS:
                j += 1
            cuts.append(j)
            i = j
            continue
        i += 1
    cuts.append(n)
    return cuts


def _pieces(text: str, cuts: list[int], offset: int = 0) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for end in cuts:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            s = start + lead
            out.append(Sentence(text=stripped, start=offset + s, end=offset + s + len(stripped)))
        start = end
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their offsets; whitespace around a sentence is not part of it."""
    return _pieces(text, _boundaries(text, _END, nest=False))


def split_clauses(sentence: str) -> list[Sentence]:
    """Clauses of ``sentence``: also cut at ，、：: (not inside 《…》 or （…）, not in 10:30)."""
    return _pieces(sentence, _boundaries(sentence, _CLAUSE + _END, nest=True))
