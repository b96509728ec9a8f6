"""Offset-preserving folding: traditional -> simplified and full width -> half width, one character each.

Extractors report offsets into the caller's text, so they match on a folded copy of exactly the
same length. ``index.textnorm.fold`` is the lossy normaliser for the index; this one never
changes the length (a character whose folded form is longer, such as ㎡, is kept as written).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

from index.textnorm import PINYIN_ANNOTATION

MASK = "\u00a0"  # what a pinyin annotation becomes in the aligned copy: whitespace to every regex
_TONE_MARK = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def _fold_char(ch: str) -> str:
    nfkc = unicodedata.normalize("NFKC", ch)
    if len(nfkc) != 1:
        nfkc = ch
    simp = str(_t2s().convert(nfkc))
    return simp if len(simp) == 1 else nfkc


class _FoldTable(dict[int, str]):
    """str.translate table that folds each character once, on first sight (C speed afterwards)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code)) if code > 127 else chr(code)
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def _mask_pinyin(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        return MASK * len(m.group(0)) if _TONE_MARK.search(m.group(0)) else m.group(0)

    return PINYIN_ANNOTATION.sub(repl, text) if "(" in text or "（" in text else text


def fold_aligned(text: str) -> str:
    """Simplified, half-width copy of ``text`` with the same length (offsets carry over unchanged).

    Inline pinyin annotations (發(fā)) become MASK characters, so 黔府辦發(fā)〔2012〕34號 reads as a 文号.
    """
    if text.isascii():
        return text
    widened = text.translate(_TABLE)
    # Phrase-level conversion is better (乾隆 vs 干), but only usable when it keeps the length.
    phrase = str(_t2s().convert(widened))
    return _mask_pinyin(phrase if len(phrase) == len(widened) else widened)


def to_simplified(text: str) -> str:
    """Simplified characters (length may change); for names looked up whole."""
    return str(_t2s().convert(unicodedata.normalize("NFKC", text)))
