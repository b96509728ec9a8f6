"""Make scraped text readable: drop page chrome, rejoin broken lines, drop repeats.

The result is the *display* text, so it keeps the document's own characters (traditional
stays traditional); folding to simplified/NFKC is done for the index copy only
(index.textnorm.fold). Each rule is a small function so a reviewer can read, and a test
can pin, exactly what is removed. Nothing here is a sample site's phrase: page chrome is recognised
by shape (breadcrumbs, menus of short words, label rows of widgets, a footer block opened by a footer
cue) with its words in rag/data/page_vocab.toml and its regular shapes in rag/data/boilerplate.txt.
Contact lines of the document itself (联系人/联系电话 under a reply's 落款) are text, not footer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index.textnorm import ZERO_WIDTH, fold, fold_for_match, strip_pinyin
from rag.documents.meta.labels import cells
from rag.documents.meta.page import make_line, strip_markup
from rag.documents.meta.titles import is_breadcrumb, is_nav
from rag.documents.page_vocab import page_vocab
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
LONG_LINE = 120  # a breadcrumb line longer than this, with sentences, is a page flattened onto one line
BREADCRUMB_PREFIX_MAX = 150
STEP_MAX_CHARS = 30
WIDGET_MAX_CHARS = 30
# A footer block starts at a cue in the last lines; footer lines are short; running text after it stays.
FOOTER_WITHIN = 15
FOOTER_LINE_MAX = 160
FOOTER_KEEPS_PROSE = 60


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
    text = strip_markup(ZERO_WIDTH.sub("", text))
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
    """Drop breadcrumbs, widget rows, menus, the footer block, and the navigation lists at the top."""
    rules = _rules()
    lines = _drop_above_breadcrumb(lines, removed)
    lines = _drop_footer_block(lines, removed)
    kept: list[str] = []
    for raw in lines:
        ln = raw
        for pattern in rules.strip:
            ln = pattern.sub("", ln)
        if not ln.strip():
            _note(removed, raw)
            continue
        breadcrumb = any(p.search(ln) for p in rules.breadcrumb) or is_breadcrumb(fold(ln))
        if breadcrumb and _is_prose(ln) and len(ln) > LONG_LINE:
            ln = _after_breadcrumb(ln)  # a page flattened onto one line keeps its text
            breadcrumb = False
        if breadcrumb or any(p.search(ln) for p in rules.line) or is_menu_line(ln) or is_widget_line(ln):
            _note(removed, ln)
            continue
        kept.append(ln)
    return _drop_leading_lists(kept, removed)


def is_widget_line(line: str) -> bool:
    """Share/print/font-size widgets, view counters and other page furniture on a line of their own."""
    key = fold(line).strip()
    if is_nav(key) or key.replace(" ", "") in page_vocab().nav_words:
        return True
    if len(key) <= WIDGET_MAX_CHARS and not PROSE_PUNCT.search(key) and any(c in key for c in page_vocab().widget_cues):
        return True
    row = cells(make_line(0, key))
    chrome = page_vocab().chrome_labels
    return (
        bool(row)
        and row[0][0].start == 0
        and all(hit.label in chrome and len(re.sub(r"[\d\s【】\[\]:：次-]", "", value)) <= 2 for hit, value in row)
    )


def _after_breadcrumb(line: str) -> str:
    """ "当前位置:首页 > 政务公开 > 正文 关于…。…" -> "关于…。…": the text after the trail's last step."""
    last = max(line.rfind(sep, 0, BREADCRUMB_PREFIX_MAX) for sep in (">", "»", "›", "/"))
    if last < 0:
        return line
    rest = line[last + 1 :].lstrip()
    space = rest.find(" ")
    return rest[space + 1 :].strip() if 0 <= space < STEP_MAX_CHARS else rest


def _drop_footer_block(lines: list[str], removed: list[str] | None) -> list[str]:
    """From the first footer cue near the end (版权所有, ICP备, 网站标识码, 扫一扫…), the rest of the page
    is site furniture, except running text (a long sentence) that a page may append after it."""
    cues = page_vocab().footer_cues
    start = max(0, len(lines) - FOOTER_WITHIN)
    for i in range(start, len(lines)):
        key = fold(lines[i])
        if len(key) <= FOOTER_LINE_MAX and any(c.lower() in key.lower() for c in cues):
            tail = lines[i:]
            kept = [ln for ln in tail if _is_prose(ln) and len(ln) >= FOOTER_KEEPS_PROSE]
            for ln in tail:
                if ln not in kept:
                    _note(removed, ln)
            return lines[:i] + kept
    return lines


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
