"""Which ranked sentences to quote: the best, the list it opens (…包括：（一）…；（二）…。), the
sentence its answer goes on in, or near-best others; in document order.

Split from rag.answer.select (which scores sentences); this module only picks among scored ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from index.textnorm import fold
from rag.answer.passages import Passage, SentenceFacts
from rag.answer.query import Query
from rag.answer.select import CUED_TYPES, LIST_TYPES, Scored, fit, is_lead_in, leads_items
from rag.answer.shape import is_section_heading, starts_item, starts_numbered_item
from rag.lang.data import read_list

LIST_ITEMS = 6  # sentences quoted after a list's lead
ITEM_SPAN = 3  # sentences an item and its explanation may take under a heading
CONTINUE_RATIO = 0.8  # a further sentence is quoted when it scores at least this share of the best
_ITEM_ENDS = ("；", ";")
# typography of a numbered first item right after a colon: （一） (1) 1. 1、 一、
_FIRST_ITEM = re.compile(
    r"[:：]\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、)"
)


def opens_list(sentence: SentenceFacts) -> bool:
    """The sentence leads a list: a lead-in, or a colon followed by its first numbered item (…包括：（一）…；)."""
    return is_lead_in(sentence) or bool(_FIRST_ITEM.search(sentence.folded))


@lru_cache(maxsize=1)
def _openers() -> tuple[str, ...]:
    return tuple(fold(w) for w in read_list("enumeration_openers.txt"))


def opens_enumeration(sentence: SentenceFacts) -> bool:
    """The sentence holds the first item of an enumeration (一是…；): enumeration_openers.txt."""
    return ends_item(sentence) and any(w in sentence.folded for w in _openers())


def ends_item(sentence: SentenceFacts) -> bool:
    """The sentence ends at a semicolon: an item (一是…；) whose list goes on in the next sentence."""
    return sentence.folded.rstrip().endswith(_ITEM_ENDS)


def next_passage(passage: Passage, pool: Sequence[Passage]) -> Passage | None:
    """The retrieved chunk that follows ``passage`` in its document (a list's lead can end a chunk)."""
    position = passage.meta.get("position")
    if not isinstance(position, int):
        return None
    doc = passage.meta.get("doc_id") or passage.source
    return next(
        (p for p in pool if (p.meta.get("doc_id") or p.source) == doc and p.meta.get("position") == position + 1),
        None,
    )


def _following(best: Scored, pool: Sequence[Passage]) -> list[tuple[Passage, int]]:
    """The sentences after the best one: the rest of its passage, then the next chunk's (after any overlap)."""
    out = [(best.passage, i) for i in range(best.index + 1, len(best.passage.sentences))]
    after = next_passage(best.passage, pool)
    if after is not None:
        texts = [s.folded for s in after.sentences]
        seen = {best.sentence.folded, *(best.passage.sentences[i].folded for _, i in out)}
        start = max((k + 1 for k, t in enumerate(texts) if t in seen), default=0)  # chunks overlap
        out += [(after, i) for i in range(start, len(texts))]
    return out


def _continuation(query: Query, best: Scored, limit: int, pool: Sequence[Passage] = ()) -> list[Scored]:
    """The items after a list's lead, or after an item ending at ；, up to the one that closes the
    list (。): a cause or measure given as 一是…；二是…。 is quoted whole, and a lead ending its chunk
    goes on in the next retrieved chunk of the same document."""
    if query.answer_type == "list" and not query.counter and leads_items(best.passage, best.index):
        # the marked lines up to the next section (each item's explanation in between left out)
        items: list[Scored] = []
        for passage, i in _following(best, pool)[: limit * ITEM_SPAN]:
            line = passage.sentences[i]
            if is_section_heading(line) or len(items) >= limit:
                break
            if starts_item(line):
                items.append(Scored(passage, i, best.score, best.coverage, best.fit, trim=best.trim))
        return items
    listing = query.answer_type in LIST_TYPES or opens_enumeration(best.sentence)
    if not listing or not (opens_list(best.sentence) or ends_item(best.sentence)):
        return []
    out: list[Scored] = []
    for passage, i in _following(best, pool)[:limit]:
        out.append(Scored(passage, i, best.score, best.coverage, best.fit, trim=best.trim))
        if not passage.sentences[i].folded.rstrip().endswith(_ITEM_ENDS):
            break
    return out


ITEM_HEAD_MAX = 30  # characters of an item's heading sentence (四是深入开展垃圾清运不及时专项治理。)


@lru_cache(maxsize=1)
def _continuations() -> tuple[str, ...]:
    return tuple(fold(w) for w in read_list("continuations.txt"))


def _answer_follows(query: Query, best: Scored) -> list[Scored]:
    """The next sentence when the answer goes on there: the best one restates the matter and the
    next gives the cause or measure asked (您反映的…道路遭破坏。我局已将该段道路上报为…项目), the
    best is an item's short heading (四是…专项治理。) and the next its detail, or the next adds to it
    (还在规划…, 同时…: continuations.txt)."""
    nxt = best.index + 1
    if query.answer_type not in LIST_TYPES or nxt >= len(best.passage.sentences):
        return []
    following = best.passage.sentences[nxt]
    text = best.sentence.folded.strip()
    heading = len(text) <= ITEM_HEAD_MAX and starts_numbered_item(text)
    adds = following.folded.lstrip().startswith(_continuations())
    restates = query.answer_type in CUED_TYPES and best.fit < 1.0 and fit(query, following) >= 1.0
    if not (heading or adds or restates) or (starts_numbered_item(following.folded) and not adds):
        return []
    return [Scored(best.passage, nxt, best.score, best.coverage, 1.0, trim=best.trim)]


def choose(query: Query, ranked: Sequence[Scored], max_sentences: int) -> list[Scored]:
    """The sentences to quote: the best and the list it opens, else the best and near-best others."""
    if not ranked:
        return []
    best = ranked[0]
    pool = list({id(s.passage): s.passage for s in ranked}.values())
    listed = _continuation(query, best, LIST_ITEMS, pool)
    if listed:
        return [best, *listed]
    picked = [best, *_answer_follows(query, best)]
    for other in ranked[1:]:
        if len(picked) >= max_sentences or other.score < CONTINUE_RATIO * best.score:
            break
        text = other.sentence.folded.strip()
        if any(text in p.sentence.folded or p.sentence.folded.strip() in text for p in picked):
            continue  # overlapping chunks repeat sentences; a line the card repeats adds nothing
        picked.append(other)
    # read in document order within a passage, passages in rank order
    order: dict[str, int] = {}
    for i, p in enumerate(picked):
        order.setdefault(p.passage.chunk_id, i)
    return sorted(picked, key=lambda s: (order[s.passage.chunk_id], s.index))
