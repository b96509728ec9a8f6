"""A page as metadata extractors read it: its lines, each with a folded copy to match on.

Extractors match labels and words on ``Line.key`` (traditional -> simplified, full width -> half
width) and return values cut from ``Line.text`` (as written), so a traditional page is read by the
same rules and keeps its own characters. The raw text is read, not the cleaned one: page headers
(索引号/文号 tables, source lines) are exactly what cleaning removes from the display text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from index.textnorm import ZERO_WIDTH, strip_pinyin, to_simplified

# Markup left inside scraped text: block tags end a line, the rest goes.
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|br|div|tr|li|h[1-6]|table|section)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<!--.*?-->|<\s*/?\s*[a-zA-Z][^<>]{0,300}>", re.DOTALL)
_SPACE = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]")
_BULLET = re.compile(r"^(?:[•·●○▪◆◇■□\-*+]\s*)+")
# A letter-spaced line of single characters: "大 同 市 人 民 政 府", "答 复".
_LETTER_SPACED = re.compile(r"^[\u4e00-\u9fff](?: [\u4e00-\u9fff])+$")
# Sentence punctuation: a line holding one is prose, not a title, label or menu entry.
SENTENCE_END = re.compile(r"[。！？!?；;]")
CLAUSE = re.compile(r"[，,、]")
BODY_MIN_CHARS = 20


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", ch))


class _FoldTable(dict[int, str]):
    """str.translate table of _fold_char, filled on first sight of each character (C speed afterwards);
    ``uneven`` collects the characters whose folded form is not exactly one character (ﬁ, ㎡, …)."""

    def __init__(self) -> None:
        super().__init__()
        self.uneven: set[str] = set()

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(folded) != 1:
            self.uneven.add(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


@lru_cache(maxsize=2048)  # cleaning and the extractors read the same lines more than once
def fold_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """The folded copy of text and, for each of its characters, the offset it came from."""
    key = text.translate(_TABLE)
    if _TABLE.uneven.isdisjoint(text):  # every character folds to one: offsets are the identity
        return key, tuple(range(len(text)))
    pos: list[int] = []
    for i, ch in enumerate(text):
        pos.extend([i] * len(_TABLE[ord(ch)]))
    return key, tuple(pos)


@dataclass(frozen=True)
class Line:
    index: int
    text: str  # as written (pinyin annotations and markup removed, bullet stripped)
    key: str  # folded, for matching
    pos: tuple[int, ...] = field(repr=False)

    def span(self, start: int, end: int) -> str:
        """The written text behind key[start:end]."""
        if end <= start:
            return ""
        return self.text[self.pos[start] : self.pos[end - 1] + 1].strip()

    @property
    def is_prose(self) -> bool:
        return bool(SENTENCE_END.search(self.key)) or (len(self.key) > 60 and bool(CLAUSE.search(self.key)))


def make_line(index: int, text: str) -> Line:
    key, pos = fold_with_offsets(text)
    return Line(index, text, key, pos)


@dataclass(frozen=True)
class Page:
    lines: tuple[Line, ...]
    head_titles: tuple[str, ...] = ()  # <title>, og:title, ArticleTitle of an HTML page

    @property
    def first_prose(self) -> int:
        """Index of the first prose line (where the body starts); len(lines) when there is none."""
        return next((ln.index for ln in self.lines if ln.is_prose), len(self.lines))

    @property
    def body_start(self) -> int:
        """Index of the first paragraph of running text (a greeting "您好,欢迎访问!" is not one)."""
        return next((ln.index for ln in self.lines if ln.is_prose and len(ln.key) >= BODY_MIN_CHARS), len(self.lines))

    def after(self, index: int, limit: int = 1) -> list[Line]:
        return list(self.lines[index + 1 : index + 1 + limit])


_LOST_SPACES = re.compile(r"\?{3,}")  # full-width spaces a mis-decoding turned into "???"


def _normalise_line(raw: str) -> str:
    text = _SPACE.sub(" ", _LOST_SPACES.sub(" ", raw)).strip()
    text = _BULLET.sub("", text).strip()
    text = text.strip("|｜").strip()
    if _LETTER_SPACED.match(text):
        text = text.replace(" ", "")
    return text


def strip_markup(text: str) -> str:
    """HTML left inside scraped text: block tags end a line, other tags and comments go, entities decode."""
    if "<" not in text or ">" not in text:
        return text
    return html.unescape(_TAG.sub("", _BLOCK_TAG.sub("\n", text)))


def read_page(raw_text: str, head_titles: tuple[str, ...] = ()) -> Page:
    """Lines of the raw text: markup and pinyin annotations removed, empty lines dropped."""
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_markup(ZERO_WIDTH.sub("", text))
    text = strip_pinyin(text)
    lines: list[Line] = []
    for raw in text.split("\n"):
        line = _normalise_line(raw)
        if line:
            lines.append(make_line(len(lines), line))
    return Page(tuple(lines), head_titles)
