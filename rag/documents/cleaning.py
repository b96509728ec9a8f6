"""Make scraped text readable: drop page chrome, rejoin broken lines, drop repeats.

The result is the *display* text, so it keeps the document's own characters (traditional
stays traditional); folding to simplified/NFKC is done for the index copy only
(index.textnorm.fold). Each rule is a small function so a reviewer can read, and a test
can pin, exactly what is removed. Patterns of page chrome live in rag/data/boilerplate.txt.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index.textnorm import ZERO_WIDTH, fold_for_match, strip_pinyin
from rag.models import CleanText, LoadedFile

log = logging.getLogger(__name__)

# Headings of Chinese official documents: 一、 （一） 1. （1） 第一章/第一条.
HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|\d{1,2}\s*[.．、](?!\d)"
    r"|[（(]\d{1,2}[）)]"
    r"|第[一二三四五六七八九十百零〇\d]+[章节條条部分篇])"
)
BULLET = re.compile(r"^\s*(?:[•·●○▪◆◇■□\-*+]|\d+[.)])\s+")
# A line ending in one of these ends a sentence (or a title/label), so the next line is new.
TERMINAL = tuple("。！？!?；;：:…”’」』)）】]》")
# A line ending in one of these was cut mid-sentence.
CONTINUING = tuple("，,、（(“‘《「『")
# Sentence punctuation inside a line: the line is prose, not a title, label or menu entry.
PROSE_PUNCT = re.compile(r"[，,。；;！？!?]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_MENU_TOKEN_MAX = 8
_MENU_MIN_TOKENS = 4
# Paragraphs shorter than this (folded) are never dropped as duplicates: headings and
# signature lines (an issuer's name at top and bottom) legitimately repeat.
MIN_DUPLICATE_CHARS = 20
# Above this many paragraphs only exact duplicates are dropped (containment is quadratic).
MAX_PARAGRAPHS_FOR_CONTAINMENT = 2000
# A line cut mid-sentence is at least this long; shorter comma-bearing lines are news
# subheadings ("以基礎設施建設為先導,全力夯實承接產業能力", seed 004).
MIN_WRAPPED_CHARS = 30
# A breadcrumb this close to the top marks everything above it as site header.
BREADCRUMB_WITHIN = 5


@dataclass(frozen=True)
class _Rules:
    breadcrumb: tuple[re.Pattern[str], ...]
    line: tuple[re.Pattern[str], ...]
    truncation: tuple[re.Pattern[str], ...]
    strip: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    rules: dict[str, list[re.Pattern[str]]] = {"breadcrumb": [], "line": [], "truncation": [], "strip": []}
    text = resources.files("rag").joinpath("data/boilerplate.txt").read_text(encoding="utf-8")
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        kind, _, pattern = raw.partition("\t")
        rules[kind.strip()].append(re.compile(pattern.strip()))
    return _Rules(**{kind: tuple(patterns) for kind, patterns in rules.items()})


def clean(loaded: LoadedFile) -> CleanText:
    """Display text of a loaded file: paragraphs separated by "\\n"."""
    removed: list[str] = []
    text = loaded.raw_text.replace("\r\n", "\n").replace("\r", "\n")
    text = ZERO_WIDTH.sub("", text)
    text, incomplete = remove_truncation_markers(text)
    if incomplete:
        removed.append("truncation marker")
    text = strip_pinyin(text)
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    lines = drop_boilerplate(lines, removed)
    lines = join_wrapped_lines(lines, pdf=loaded.kind == "pdf")
    lines = drop_duplicate_paragraphs(lines, removed)
    if removed:
        log.debug("%s: removed %s", loaded.source, removed)
    return CleanText(text="\n".join(lines), incomplete=incomplete, removed=tuple(removed))


def remove_truncation_markers(text: str) -> tuple[str, bool]:
    """Remove "---此处隐藏5003字,下载后查看---"-style markers; report whether any was found."""
    found = False
    for pattern in _rules().truncation:
        text, n = pattern.subn("", text)
        found = found or n > 0
    return text, found


def drop_boilerplate(lines: list[str], removed: list[str] | None = None) -> list[str]:
    """Drop breadcrumbs, widget text, menus, footers, and the navigation lists at the top."""
    rules = _rules()
    lines = _drop_above_breadcrumb(lines, removed)
    kept: list[str] = []
    for raw in lines:
        ln = raw
        for pattern in rules.strip:
            ln = pattern.sub("", ln)
        if not ln.strip():
            _note(removed, raw)
            continue
        if any(p.search(ln) for p in (*rules.breadcrumb, *rules.line)) or is_menu_line(ln):
            _note(removed, ln)
            continue
        kept.append(ln)
    return _drop_leading_lists(kept, removed)


def is_menu_line(line: str) -> bool:
    """A site menu flattened into one line: many short words, no punctuation ("智能问答 政策问答 ...")."""
    tokens = line.split(" ")
    return (
        len(tokens) >= _MENU_MIN_TOKENS
        and all(len(t) <= _MENU_TOKEN_MAX for t in tokens)
        and not PROSE_PUNCT.search(line)
        and "|" not in line  # a table row, not a menu
    )


def _drop_above_breadcrumb(lines: list[str], removed: list[str] | None) -> list[str]:
    """Lines above a breadcrumb near the top are site header ("Network" in seed 004)."""
    for i, ln in enumerate(lines[:BREADCRUMB_WITHIN]):
        if any(p.search(ln) for p in _rules().breadcrumb):
            head = [h for h in lines[:i] if PROSE_PUNCT.search(h)]
            for h in lines[:i]:
                if h not in head:
                    _note(removed, h)
            return head + lines[i:]
    return lines


def _drop_leading_lists(lines: list[str], removed: list[str] | None) -> list[str]:
    """Before the first sentence of a page, short bullet items are navigation or page-metadata
    lists (seed 004's menu, seed 000's 索引号/文号/日期 list). Lists inside the text stay."""
    out: list[str] = []
    seen_prose = False
    for ln in lines:
        if not seen_prose and BULLET.match(ln) and not PROSE_PUNCT.search(ln) and len(ln) <= 40:
            _note(removed, ln)
            continue
        seen_prose = seen_prose or bool(PROSE_PUNCT.search(ln))
        out.append(ln)
    return out


def _note(removed: list[str] | None, what: str) -> None:
    if removed is not None:
        removed.append(what[:30])


def is_heading_start(line: str) -> bool:
    return bool(HEADING_START.match(line))


def _is_prose(line: str) -> bool:
    return bool(PROSE_PUNCT.search(line))


def join_wrapped_lines(lines: list[str], pdf: bool = False) -> list[str]:
    """Join lines that were cut mid-sentence (seed 001: "...深入实施“双倍" + "增”行动计划...").

    A line is continued by the next one when it does not end a sentence, it is prose (has
    sentence punctuation or ends in a comma), and the next line is prose that does not start
    a heading or list item. Titles and labels have no sentence punctuation, so they stay.
    PDFs wrap every line at the page width: there a line as long as the page is continued too.
    """
    width = _pdf_line_width(lines) if pdf else 0
    out: list[str] = []
    for ln in lines:
        if out and _continues(out[-1], ln, width):
            out[-1] = _glue(out[-1], ln)
        else:
            out.append(ln)
    return out


def _continues(prev: str, nxt: str, pdf_width: int) -> bool:
    if prev.endswith(TERMINAL) or is_heading_start(nxt) or BULLET.match(nxt):
        return False
    if pdf_width and len(prev) >= 0.85 * pdf_width:
        return True
    if prev.endswith(CONTINUING):
        return _is_prose(nxt)
    return len(prev) >= MIN_WRAPPED_CHARS and _is_prose(prev) and _is_prose(nxt)


def _pdf_line_width(lines: list[str]) -> int:
    lengths = sorted(len(ln) for ln in lines)
    if len(lengths) < 5:
        return 0
    return lengths[int(len(lengths) * 0.9)]


def _glue(a: str, b: str) -> str:
    """Chinese joins without a space; two latin words or numbers keep one."""
    if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return f"{a} {b}"
    return a + b


def drop_duplicate_paragraphs(lines: list[str], removed: list[str] | None = None) -> list[str]:
    """Drop repeated paragraphs (seed 001 repeats and shuffles them), keeping the first.

    A paragraph contained in a longer one is dropped too: scraped pages repeat fragments of
    paragraphs that also appear whole. Comparison is on the folded text (traditional =
    simplified, no whitespace); short lines are never dropped, and titles (no sentence
    punctuation) only when repeated exactly.
    """
    keys = [fold_for_match(ln) for ln in lines]
    seen: set[str] = set()
    containment = len(lines) <= MAX_PARAGRAPHS_FOR_CONTAINMENT
    out: list[str] = []
    for i, (ln, key) in enumerate(zip(lines, keys, strict=True)):
        if len(key) >= MIN_DUPLICATE_CHARS:
            contained = containment and _is_prose(ln) and _contained_elsewhere(i, keys)
            if key in seen or contained:
                _note(removed, f"duplicate: {ln}")
                continue
            seen.add(key)
        out.append(ln)
    return out


def _contained_elsewhere(i: int, keys: list[str]) -> bool:
    key = keys[i]
    return any(j != i and len(other) > len(key) and key in other for j, other in enumerate(keys))
