"""Split a cleaned document into passages that follow its structure.

Sections come from the headings of official documents (一、 （一） 1. （1）, and short
unnumbered subheadings); inside a section, chunks are packed from whole sentences
(rag.lang.split_sentences, the one splitter) up to ``chunk_size`` characters, neighbours sharing up to ``overlap``
characters. A cut never falls inside a number (757.2亿元), a 文号 (铜经信函〔2024〕54号)
or a quoted title (《...》), because a passage holding half a figure answers nothing.

Each chunk carries its heading path; the title and path are prepended to the text that
BM25 and the embedder see (contextual chunking), never to the text shown to people.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from dataclasses import dataclass

from index.textnorm import fold
from rag.documents.cleaning import PROSE_PUNCT
from rag.errors import ConfigError, EmptyDocumentError
from rag.lang import split_sentences
from rag.models import Chunk, DocMeta

log = logging.getLogger(__name__)

_CN_NUM = "一二三四五六七八九十百零〇"
# (level, pattern): a smaller level is a larger section.
HEADING_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^第[{_CN_NUM}\d]+[编章]")),
    (2, re.compile(rf"^第[{_CN_NUM}\d]+节")),
    (3, re.compile(rf"^[{_CN_NUM}]+、")),
    (4, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (5, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    (6, re.compile(r"^[（(]\d{1,2}[）)]")),
)
UNNUMBERED_LEVEL = 0  # a subheading without a number ("以基础设施建设为先导,全力夯实承接产业能力")

_CLAUSE_END = re.compile(r"[，,、：:]")
# Spans a cut must never fall inside.
_PROTECTED = re.compile(
    r"[\u4e00-\u9fff]{1,12}?[〔\[［【(（](?:19|20)\d{2}[〕\]］】)）]第?\d{1,5}号"  # 文号
    r"|《[^《》\n]{0,200}》"  # quoted title
    r"|\d+(?:[.,．]\d+)*(?:\s*(?:万亿|亿|万|千|百))?(?:元|美元|%|‰|个百分点)?"  # number with its unit
)
_STRONG_PUNCT = re.compile(r"[。；;！？!?]")
_HEADING_MAX_CHARS = 40
# A line ending like this is a sentence or a label, not a subheading (closing quotes are fine:
# 多措并举 承压前行 奋力夺取经济发展“开门红”).
_NOT_A_HEADING_END = tuple("。！？!?；;：:，,、…")
_HEADING_LEAD_MAX = 60


@dataclass(frozen=True)
class _Section:
    path: tuple[str, ...]
    start: int
    end: int


def chunk_document(source: str, text: str, meta: DocMeta, chunk_size: int = 400, overlap: int = 80) -> list[Chunk]:
    """Structure-aware chunks of the cleaned ``text``; offsets index into ``text``."""
    if chunk_size < 1 or not 0 <= overlap < chunk_size:
        raise ConfigError(
            f"分块设置无效：chunk_size={chunk_size}, overlap={overlap}。"
            "请让 RAG_CHUNK_OVERLAP 小于 RAG_CHUNK_SIZE（例如 400 和 80）。"
        )
    protected = _protected_spans(text)
    bylines = _bylines(text)
    chunks: list[Chunk] = []
    for section in _merge_small(_sections(text), min_chars=chunk_size // 4):
        units = _units(text, section.start, section.end, chunk_size, protected)
        for start, end in _pack(units, chunk_size, overlap):
            body = text[start:end]
            position = len(chunks)
            # a speech's byline ("沙坪坝区委书记 唐小平") says whose every paragraph is: index it with each
            byline = bylines.get(section.path[0], "") if section.path else ""
            speaker = f" {byline}" if byline else ""
            context = f"{meta.title}{speaker} {' > '.join(section.path)}\n{body}"
            chunks.append(
                Chunk(
                    id=Chunk.make_id(source, position, body),
                    source=source,
                    position=position,
                    text=body,
                    index_text=fold(context),
                    heading_path=section.path,
                    start=start,
                    end=end,
                )
            )
    if not chunks:
        raise EmptyDocumentError(source, "清洗后没有可检索的文字（可能只有页面导航或空白）。请检查文件内容后重新导入。")
    return chunks


# ---------------------------------------------------------------- sections


def heading_level(paragraph: str) -> int | None:
    for level, pattern in HEADING_LEVELS:
        if pattern.match(paragraph):
            return level
    return None


def _heading_text(paragraph: str) -> str:
    """A numbered paragraph that goes on after its heading (一、突出政府引导,...。深入实施...)
    is named by its first sentence."""
    if len(paragraph) <= _HEADING_MAX_CHARS:
        return paragraph.rstrip("。；;：:")
    m = re.match(rf"^.{{1,{_HEADING_LEAD_MAX}}}?[。；;：:]", paragraph)
    return m.group(0).rstrip("。；;：:") if m else paragraph[:_HEADING_MAX_CHARS]


def _is_subheading(line: str, following: list[str]) -> bool:
    """Short, not a sentence, not ending in punctuation, and followed by prose (or by a
    one-line byline and then prose, like seed 001's speech titles)."""
    if not 8 <= len(line) <= _HEADING_MAX_CHARS or _STRONG_PUNCT.search(line):
        return False
    if line.endswith(_NOT_A_HEADING_END) or line.startswith(("(", "（")):
        return False
    if following and _STRONG_PUNCT.search(following[0]):
        return True
    return len(following) > 1 and _is_byline(following[0]) and bool(_STRONG_PUNCT.search(following[1]))


def _bylines(text: str) -> dict[str, str]:
    """Heading -> the byline right under it, for speech collections (title line, then the speaker)."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    found: dict[str, str] = {}
    for i, para in enumerate(paragraphs[:-2]):
        nxt = paragraphs[i + 1]
        if _is_byline(nxt) and not nxt.endswith((":", "：")) and _is_subheading(para, paragraphs[i + 1 : i + 3]):
            found.setdefault(_heading_text(para), paragraphs[i + 1])
    return found


def _is_byline(line: str) -> bool:
    return len(line) <= _HEADING_MAX_CHARS and not PROSE_PUNCT.search(line)


def _sections(text: str) -> list[_Section]:
    """Runs of paragraphs under one heading path. The header block before the first sentence
    (title, 文号, issuer) is never a heading: the title already goes into every chunk.

    In a speech collection (seed 001: title line + byline per speaker, numbered items below) a
    numbered item that repeats or goes back in its speaker's sequence (a second 三、) cannot be
    that speaker's: the source was shuffled. From there up to the next speaker's title the text is
    filed under its own item heading only, or under the one speaker a paragraph names itself
    ("下一步,市经济信息委将…") — never silently under the speaker above it."""
    paragraphs = _paragraph_spans(text)
    lines = [text[s:e] for s, e in paragraphs]
    first_prose = next((i for i, ln in enumerate(lines) if _STRONG_PUNCT.search(ln)), len(lines))
    speeches = _speeches(lines, first_prose)
    sections: list[_Section] = []
    stack: list[tuple[int, str]] = []
    byline_of: int | None = None
    ordinals: dict[int, int] | None = None  # last item number per level in the current speech
    stray = False
    for i, ((start, end), line) in enumerate(zip(paragraphs, lines, strict=True)):
        level = heading_level(line)
        name = _heading_text(line) if level is not None else line
        if level is None and i > first_prose and i != byline_of and _is_subheading(line, lines[i + 1 : i + 3]):
            level = UNNUMBERED_LEVEL
            if not _STRONG_PUNCT.search(lines[i + 1]):
                byline_of = i + 1
        if i in speeches:
            ordinals, stray = {}, False
        elif level is not None and ordinals is not None and not stray and i >= first_prose:
            number = _item_number(line, level)
            if number is not None and number <= ordinals.get(level, 0):
                stray = True
                stack = []
                log.debug("第%d段“%s”不接续所在发言的编号，疑为错位段落，不归入该发言", i, name)
            elif number is not None:
                ordinals = {lv: n for lv, n in ordinals.items() if lv < level} | {level: number}
        if level is not None and i >= first_prose:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, name))
            path = tuple(n for _, n in stack)
            sections.append(_Section(_attributed(path, line, speeches) if stray else path, start, end))
        elif sections:
            last = sections[-1]
            path = _attributed(tuple(n for _, n in stack), line, speeches) if stray else last.path
            if path == last.path:
                sections[-1] = _Section(last.path, last.start, end)
            else:
                sections.append(_Section(path, start, end))
        else:
            sections.append(_Section((), start, end))
    return sections


@dataclass(frozen=True)
class _Speech:
    title: str
    names: tuple[str, ...]  # the speaker's unit as a paragraph would name it: 涪陵区, 涪陵


# The role after the unit in a byline: 涪陵区委书记, 两江新区党工委书记, 市经济信息委党组书记.
_BYLINE_ROLE = re.compile(
    r"(?:党工委|党组|党委|委)?(?:常务)?副?(?:书记|主任|局长|厅长|部长|区长|县长|市长|主席|院长|董事长|总经理)$"
)


def _speeches(lines: list[str], first_prose: int) -> dict[int, _Speech]:
    """Index of each speech title line (a subheading followed by a byline) -> its speaker's unit."""
    out: dict[int, _Speech] = {}
    for i, line in enumerate(lines[:-1]):
        if (
            i > first_prose
            and heading_level(line) is None
            and not _STRONG_PUNCT.search(lines[i + 1])
            and _is_subheading(line, lines[i + 1 : i + 3])
        ):
            out[i] = _Speech(line, _speaker_units(lines[i + 1]))
    return out


def _speaker_units(byline: str) -> tuple[str, ...]:
    """The unit a byline speaks for, as a paragraph would name it: 市委常委、两江新区党工委书记 罗茜 ->
    ("两江新区", "两江"); () when no unit can be read, so nothing is attributed by guesswork."""
    roles = byline.rsplit(maxsplit=1)[0] if len(byline.split()) > 1 else byline
    for part in roles.split("、"):
        m = _BYLINE_ROLE.search(part)
        if m and m.start() >= 2:
            unit = part[: m.start()]
            short = re.sub(r"(?:新区|区|县)$", "", unit)
            return (unit, short) if short != unit and len(short) >= 2 else (unit,)
    return ()


def _attributed(path: tuple[str, ...], paragraph: str, speeches: dict[int, _Speech]) -> tuple[str, ...]:
    """A misplaced paragraph goes under a speaker's title only when it names that speaker alone."""
    named = {s.title for s in speeches.values() if any(n in paragraph for n in s.names)}
    return (named.pop(), *path) if len(named) == 1 else path


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _item_number(paragraph: str, level: int) -> int | None:
    """The number of a numbered heading (三、 -> 3, (十二) -> 12, 2. -> 2); None for 第…章 and the like."""
    if level not in (3, 4, 5, 6):
        return None
    m = re.match(r"^[（(]?([\d一二三四五六七八九十百零〇]+)", paragraph)
    if not m:
        return None
    token = m.group(1)
    if token.isdigit():
        return int(token)
    if "百" in token:
        return None
    tens, _, ones = token.rpartition("十")
    if "十" not in token:
        return _CN_DIGITS.get(token) if len(token) == 1 else None
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def _merge_small(sections: list[_Section], min_chars: int) -> list[_Section]:
    """A heading with almost nothing under it (三、加快构建... directly followed by (一)...) joins
    the next section, whose path already names it."""
    out: list[_Section] = []
    pending: _Section | None = None
    for section in sections:
        if pending is not None:
            section = _Section(section.path, pending.start, section.end)
            pending = None
        if section.end - section.start < min_chars:
            pending = section
        else:
            out.append(section)
    if pending is not None:
        if out:
            last = out[-1]
            out[-1] = _Section(last.path, last.start, pending.end)
        else:
            out.append(pending)
    return out


# ---------------------------------------------------------------- units and packing


def _protected_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PROTECTED.finditer(text) if m.end() - m.start() > 1]


def _cut_allowed(pos: int, protected: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(protected, (pos, math.inf)) - 1
    return i < 0 or not protected[i][0] < pos < protected[i][1]


def _units(text: str, start: int, end: int, chunk_size: int, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of the section as (start, end); a sentence longer than a chunk is cut at
    clause ends (，、：), and as a last resort anywhere that is not inside a protected span."""
    units: list[tuple[int, int]] = []
    for p_start, p_end in _paragraph_spans(text[start:end]):
        p_start, p_end = p_start + start, p_end + start
        cuts = [p_start + s.end for s in split_sentences(text[p_start:p_end])]
        prev = p_start
        for cut in [c for c in cuts if _cut_allowed(c, protected)] + [p_end]:
            if cut > prev and text[prev:cut].strip():
                units.extend(_split_long(text, prev, cut, chunk_size, protected))
            prev = max(prev, cut)
    return units


def _split_long(
    text: str, start: int, end: int, chunk_size: int, protected: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    while end - start > chunk_size:
        limit = start + chunk_size
        clause_cuts = [m.end() for m in _CLAUSE_END.finditer(text, start + 1, limit)]
        cut = next((c for c in reversed(clause_cuts) if _cut_allowed(c, protected)), None)
        if cut is None:
            cut = next((c for c in range(limit, start, -1) if _cut_allowed(c, protected)), None)
        if cut is None:  # one protected span longer than a chunk: keep it whole
            cut = next(c for c in range(limit, end + 1) if _cut_allowed(c, protected))
        pieces.append((start, cut))
        start = cut
    if end > start:
        pieces.append((start, end))
    return pieces


def _pack(units: list[tuple[int, int]], chunk_size: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy packing of whole units up to a target that spreads the section evenly over the
    fewest chunks; the next chunk starts with the last units that fit into ``overlap``."""
    if not units:
        return []
    length = units[-1][1] - units[0][0]
    n = max(1, math.ceil((length - overlap) / (chunk_size - overlap)))
    target = min(chunk_size, math.ceil((length - overlap) / n) + overlap + chunk_size // 10)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        start = units[i][0]
        j = i + 1
        while j < len(units) and units[j][1] - start <= target:
            j += 1
        spans.append((start, units[j - 1][1]))
        if j >= len(units):
            break
        k = j
        while k - 1 > i and units[j - 1][1] - units[k - 1][0] <= overlap and units[j][1] - units[k - 1][0] <= target:
            k -= 1
        i = k
    return spans


CARD_HEADING = "文件信息"


def _date_words(meta: DocMeta) -> str:
    """2024-06-04 as 2024年6月4日 (or 2024年5月 at month precision), the way Chinese text writes it."""
    if not meta.date:
        return ""
    year, month, day = (int(p) for p in meta.date.split("-"))
    if meta.date_precision == "year":
        return f"{year}年"
    if meta.date_precision == "month":
        return f"{year}年{month}月"
    return f"{year}年{month}月{day}日"


def metadata_card(source: str, meta: DocMeta, position: int) -> Chunk:
    """A passage stating the document's metadata, so 文号/发文机关/日期 questions retrieve and cite a real
    passage (page headers holding them are removed by cleaning) and their figures can be verified."""
    parts = [f"标题：{meta.title}"]
    if meta.doc_number:
        parts.append(f"文号：{meta.doc_number}")
    if meta.issuer:
        parts.append(f"发文机关：{meta.issuer}")
    if meta.date:
        parts.append(f"日期：{meta.date}（{_date_words(meta)}）")
    if meta.region:
        parts.append(f"地区：{meta.region}")
    parts.append(f"文种：{meta.doc_type}")
    if meta.incomplete:
        parts.append("说明：原文不完整，部分内容被来源网站隐藏")
    text = "；".join(parts) + "。"
    return Chunk(
        id=Chunk.make_id(source, position, text),
        source=source,
        position=position,
        text=text,
        index_text=fold(f"{meta.title} {CARD_HEADING}\n{text}"),
        heading_path=(CARD_HEADING,),
        start=0,
        end=0,
    )
