"""Whom and when a quoted sentence is about: the check that a passage merely *mentioning* the asked place
or year does not make it the answer.

A speech collection (001) states "工业投资增长49.7%" under a section whose lead line reads
"沙坪坝区委书记 唐小平"; a news story lists 永川 among the seven districts of a zone and then gives
the zone's total. So a sentence is about the asked place only if it names it itself, or names no
place and its section (heading and lead lines) or, failing that, its document is about it. Years
work the same way: a sentence without a year takes the last year set before it in the passage
("到2027年,…实现以下目标：…"), else the years of its document title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.textnorm import fold
from rag.answer.query import is_known_place, place_in, places

_LEAD_LINE_MAX = 40  # section lead lines (speaker, heading) are short; body paragraphs are not
_YEAR_AT = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(?:[—–\-~～至到]+\s*((?:19|20)\d{2}))?\s*年")
_BASELINE = re.compile(r"(?:较|比|同比|相比|与|和)\s*$")


def heading_root(meta: object) -> str:
    """The top-level heading of a chunk ("A > B" -> "A")."""
    path = str(getattr(meta, "get", lambda *_: "")("heading_path") or "")
    return path.split(" > ")[0].strip()


def lead_lines(text: str, limit: int = 6) -> str:
    """The short lines opening a section (title, "沙坪坝区委书记 唐小平"), joined."""
    lines = [ln.strip() for ln in text.split("\n")[:limit]]
    return "\n".join(ln for ln in lines if ln and len(ln) <= _LEAD_LINE_MAX)


def subject_places(section: str, document: str) -> tuple[str, ...]:
    """What a passage is about: the places of its section, else those of its document (title, region)."""
    found = places(section) if section else ()
    return found or places(document)


def about_place(asked: Sequence[str], quote: str, section: str, document: str, sentence: str = "") -> bool:
    """Whether the quoted span (trimmed from ``sentence``) is about every asked place (module docstring)."""
    if not asked:
        return True
    named = places(quote) or (places(sentence) if sentence else ())
    subject = subject_places(section, document)
    for place in asked:
        if any(place_in(place, n) or place_in(n, place) for n in named):
            continue
        if named and not all(_is_container(n, place) or _is_below(n, place) for n in named):
            return False  # the sentence is about another place it names (涪陵… when asked 永川)
        if not any(place_in(place, s) or place_in(s, place) for s in subject):
            return False
    return True


# A sentence opening with a municipal body ("下一步,市经济信息委将…", "市国资委深入…") reports that body's work.
_BODY_OPENING = re.compile(r"^(?:下一步|同时|此外|今年以来|一季度)?[,，]?(市[\u4e00-\u9fff]{1,8}?委)(?!员)")
_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")


def local_subject(quote: str, passage_text: str) -> str:
    """The body or place a sentence before ``quote`` in the passage opens with, nearest first; "" if none.

    A chunk may join the end of one speech to the start of another (a chunking slip, or a short
    section); the last sentence that names who is talking tells whom an unnamed figure is about.
    """
    folded = fold(passage_text)
    idx = folded.find(fold(quote)[:12])
    if idx <= 0:
        return ""
    for sentence in reversed([x.strip() for x in _SENTENCE_END.split(folded[:idx]) if x.strip()]):
        body = _BODY_OPENING.match(sentence)
        if body is not None:
            return body.group(1)
        opening = places(sentence[:12])
        if opening and sentence.startswith(opening[0][:2]) and is_known_place(opening[0]):
            return opening[0]
    return ""


def about_local_subject(asked: Sequence[str], quote: str, passage_text: str) -> bool:
    """False when the quote follows, in its passage, a sentence about another body or place than the asked one."""
    if not asked or places(quote):
        return True
    subject = local_subject(quote, passage_text)
    if not subject:
        return True
    if subject.startswith("市") and subject.endswith("委"):
        return all(_is_container(p, p) for p in asked)  # a municipal body's figure is the city's, not a district's
    return all(place_in(p, subject) or place_in(subject, p) or _is_container(subject, p) for p in asked)


def _is_container(named: str, asked: str) -> bool:
    """A province-level name (重庆) in a sentence about one of its districts does not change the subject."""
    return len(named) <= 3 and named.rstrip("市省") in ("重庆", "四川", "北京", "上海", "天津")


_LEVEL = {"省": 0, "市": 1, "区": 2, "县": 2, "镇": 3, "乡": 3, "街道": 3, "村": 4}


def _level(place: str) -> int | None:
    return next((lvl for suffix, lvl in _LEVEL.items() if place.endswith(suffix)), None)


def _is_below(named: str, asked: str) -> bool:
    """A town (龙市镇) named in a sentence about a district is one of its parts, not another subject.

    Whose part it is stays open: the caller still requires the section or document to be about the
    asked place.
    """
    named_level, asked_level = _level(named), _level(asked)
    if asked_level is None and is_known_place(asked):
        asked_level = 2  # a district named by its stem (永川)
    return named_level is not None and asked_level is not None and named_level > asked_level and named_level >= 3


def _years_in(text: str) -> set[str]:
    out: set[str] = set()
    for m in _YEAR_AT.finditer(text):
        if _BASELINE.search(text[: m.start()][-3:]):
            continue  # 较2022年下降13%: a baseline, not the time the figure is about
        if m.group(2):
            out.update(str(y) for y in range(int(m.group(1)), int(m.group(2)) + 1))
        else:
            out.add(m.group(1))
    return out


def implied_years(quote: str, passage_text: str, title: str) -> set[str]:
    """The years a quoted span is about: stated in it, else the last one set before it, else the title's."""
    stated = _years_in(fold(quote))
    if stated:
        return stated
    folded = fold(passage_text)
    idx = folded.find(fold(quote)[:12])
    before = folded[:idx] if idx > 0 else ""
    last: set[str] = set()
    for m in _YEAR_AT.finditer(before):
        if not _BASELINE.search(before[: m.start()][-3:]):
            last = _years_in(m.group(0))
    return last or _years_in(fold(title))


def about_years(asked: Sequence[str], quote: str, passage_text: str, title: str) -> bool:
    """False when the span is known to be about other years than the asked ones."""
    if not asked:
        return True
    if any(y in fold(quote) for y in asked):
        return True
    implied = implied_years(quote, passage_text, title)
    return not implied or bool(implied & set(asked))
