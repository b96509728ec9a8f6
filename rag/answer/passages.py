"""Numbered passages, each analysed once: sentences with their figures, dates, places and years.

Retrieved text is data, never instructions. Two defences: the prompt fences each passage
(prompts/passage.txt), and sentences that read as instructions to the assistant are cut from the
evidence copy (``text``), so neither the extractive selector can quote them nor can citation
verification accept a figure that only they contain. People still see the full passage (``display``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from index.records import Hit
from index.textnorm import fold, strip_pinyin
from rag.lang import DateMention, Figure, Place, dates, figures, gazetteer, split_sentences, years
from rag.models import Citation
from rag.prompts import render
from rag.safety import is_instruction_like

log = logging.getLogger(__name__)

# Instruction-like text aimed at the assistant (a security filter, not document knowledge).
INJECTION = re.compile(
    r"(?:忽略|无视|忘记|忘掉|不要理会|不用理会|覆盖)(?:掉)?(?:以上|上述|之前|前面|先前|此前|所有|全部|原有|系统)?的?(?:所有)?"
    r"(?:指令|指示|提示词?|要求|规则|设定|命令)"
    r"|ignore\s+(?:all\s+)?(?:the\s+)?(?:previous|above|prior)\s+instructions"
    r"|(?:system\s*prompt|系统提示词?|你现在是|你必须回答|请直接回答|回答[:：])",
    re.IGNORECASE,
)
_FENCE = re.compile(r"<<<\s*/?\s*资料[^>]*>>>")


@dataclass(frozen=True)
class SentenceFacts:
    """One sentence of a passage and what it states, computed once."""

    text: str
    folded: str
    figures: tuple[Figure, ...]
    dates: tuple[DateMention, ...]
    places: tuple[Place, ...]
    years: tuple[int, ...]


def analyse_sentence(text: str) -> SentenceFacts:
    folded = fold(text)
    found_dates = tuple(dates(folded))
    stated = tuple(dict.fromkeys([*years(folded), *(int(d.iso[:4]) for d in found_dates if d.iso[:4].isdigit())]))
    return SentenceFacts(
        text=text,
        folded=folded,
        figures=tuple(figures(folded)),
        dates=found_dates,
        places=tuple(dict.fromkeys(m.place for m in gazetteer().find(folded))),
        years=stated,
    )


@dataclass(frozen=True)
class Passage:
    """Passage ``n`` of an answer: ``text`` is the evidence copy (instructions cut), ``display`` the full text."""

    n: int
    chunk_id: str
    source: str
    title: str
    text: str
    display: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)
    score: float = 0.0
    injected: tuple[str, ...] = ()  # instruction-like sentences removed from ``text``
    heading: str = ""  # the heading path of the chunk (folded)
    sentences: tuple[SentenceFacts, ...] = ()
    places: tuple[Place, ...] = ()  # places the title, heading, region and issuer name
    years: tuple[int, ...] = ()  # years the title and heading name
    context: str = ""  # folded title + heading + region + issuer: what every sentence of the passage is about

    @property
    def document(self) -> str:
        """The document's id (its stored path): unlike ``source``, a file name, it is unique."""
        return str(self.meta.get("path") or self.source)

    def citation(self, quote: str = "") -> Citation:
        """The public citation: quote as given, the full display passage, the hit's metadata."""
        return Citation(
            n=self.n,
            chunk_id=self.chunk_id,
            source=self.source,
            title=self.title,
            quote=quote,
            passage=self.display or self.text,
            meta=dict(self.meta),
        )

    def evidence_citation(self, quote: str = "") -> Citation:
        """The citation verification checks against: the evidence copy, without injected sentences."""
        evidence = f"{self.title}\n{self.text}" if self.title else self.text
        return Citation(self.n, self.chunk_id, self.source, self.title, quote, passage=evidence, meta=dict(self.meta))


def strip_instructions(text: str) -> tuple[str, tuple[str, ...]]:
    """The text without instruction-like sentences, and the sentences removed."""
    kept: list[str] = []
    removed: list[str] = []
    pos = 0
    for sentence in split_sentences(text):
        if INJECTION.search(sentence.text) or is_instruction_like(sentence.text):
            kept.append(text[pos : sentence.start])
            removed.append(sentence.text)
            pos = sentence.end
    kept.append(text[pos:])
    return "".join(kept), tuple(removed)


def display_text(hit: Hit) -> str:
    """The passage as people read it (never the folded index copy, unless nothing else exists)."""
    value = hit.meta.get("display_text")
    return str(value) if value else hit.text


def make_passage(n: int, hit: Hit) -> Passage:
    """One hit as passage ``n``, analysed once."""
    display = display_text(hit)
    text, removed = strip_instructions(strip_pinyin(display))
    if removed:
        log.warning("资料 %s（%s）中有疑似指令的文字，已从证据中排除：%s", n, hit.meta.get("source"), removed)
    title = str(hit.meta.get("title", "") or "")
    heading = fold(str(hit.meta.get("heading_path") or ""))
    region = str(hit.meta.get("region") or "")
    issuer = str(hit.meta.get("issuer") or "")
    context = fold(f"{title} {heading} {region} {issuer}")
    sentences = tuple(analyse_sentence(s.text) for s in split_sentences(text))
    places = tuple(dict.fromkeys(m.place for m in gazetteer().find(context)))
    found_years = tuple(dict.fromkeys(years(context)))
    return Passage(
        n=n,
        chunk_id=hit.id,
        source=str(hit.meta.get("source", "")),
        title=title,
        text=text,
        display=display,
        meta=dict(hit.meta),
        score=hit.score,
        injected=removed,
        heading=heading,
        sentences=sentences,
        places=places,
        years=found_years,
        context=context,
    )


def from_hits(hits: Sequence[Hit], start: int = 1) -> list[Passage]:
    """Hits numbered ``start``.. in rank order, each analysed once."""
    return [make_passage(n, hit) for n, hit in enumerate(hits, start=start)]


def render_passages(passages: Sequence[Passage]) -> str:
    """The fenced passage block of the answer prompt; fence markers inside the text are neutralised."""
    return "\n\n".join(
        render("passage", n=p.n, title=p.title or "（无标题）", source=p.source, text=_FENCE.sub("", p.text).strip())
        for p in passages
    )
