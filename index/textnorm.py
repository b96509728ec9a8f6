"""Text folding shared by the tokenizer, the cleaner and the evaluation matcher.

One definition of "the same text" (simplified characters, half width, no pinyin
annotations, no zero-width characters) so that index, query and gold evidence agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

# A pinyin annotation right after a CJK character: 園區(qū) -> 園區. Tone-marked latin letters
# (or plain pinyin with a digit tone) inside ASCII or full-width parentheses.
_PINYIN_SYLLABLE = r"[a-zA-Züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]{1,7}[1-5]?"
PINYIN_ANNOTATION = re.compile(
    r"(?<=[\u3400-\u9fff])[(（]\s*" + _PINYIN_SYLLABLE + r"(?:\s+" + _PINYIN_SYLLABLE + r")*\s*[)）]"
)
# Annotations must carry at least one tone mark, or we would strip real abbreviations like 区(GDP).
_TONE_MARK = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")
ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff\u00ad]")
WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def strip_pinyin(text: str) -> str:
    """Remove tone-marked pinyin annotations after Chinese characters (園區(qū)規(guī)劃 -> 園區規劃)."""

    def repl(m: re.Match[str]) -> str:
        return "" if _TONE_MARK.search(m.group(0)) else m.group(0)

    if "(" not in text and "（" not in text:  # an annotation is parenthesised: nothing to scan for
        return text
    return PINYIN_ANNOTATION.sub(repl, text)


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))


@lru_cache(maxsize=4096)  # cleaning and metadata fold the same line several times (breadcrumb, widget, footer checks)
def fold(text: str) -> str:
    """The normalised copy: pinyin stripped, NFKC (full width -> half width), simplified, no zero-width chars."""
    text = ZERO_WIDTH.sub("", text)
    text = strip_pinyin(text)
    if not unicodedata.is_normalized("NFKC", text):  # the check is much cheaper than normalising
        text = unicodedata.normalize("NFKC", text)
    return to_simplified(text)


def fold_for_match(text: str) -> str:
    """fold() plus all whitespace removed: for substring matching of evidence and figures."""
    return WHITESPACE.sub("", fold(text))
