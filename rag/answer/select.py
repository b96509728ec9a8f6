"""The general answer selector: every sentence of the passages scored against the analysed question.

score = coverage · (FIT_FLOOR + (1 − FIT_FLOOR) · fit) · penalties, where

* coverage is the IDF-weighted share of the question's content words the sentence states (a word
  found only in the passage's title or heading counts half: "closeness to the heading"), with IDF
  over the sentences of the retrieved pool, so words every passage repeats weigh little;
* fit says whether the sentence holds the kind of thing asked: a figure (in the asked unit) for
  多少, a date for 何时, an organisation or person for 谁/哪个单位, an enumeration for 哪些.

No sentence, phrase or document is special-cased: the same two numbers rank every sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from index.textnorm import fold
from rag.answer.passages import Passage, SentenceFacts
from rag.answer.query import Query
from rag.lang import split_clauses, vocab

FIT_FLOOR = 0.4  # a sentence of the wrong shape keeps this share of its coverage
HEADING_CREDIT = 0.5  # a word in the title/heading only: the sentence is under it, not stating it
PARTIAL_CREDIT = 0.6  # a long word whose character pairs the sentence mostly repeats (规上工业 / 规模以上工业)
BARE_FIT = 0.2  # a figure question answered only by numbers without a unit
OTHER_UNIT_FIT = 0.5  # figures, none in the asked unit
NEUTRAL_FIT = 0.5  # types with no detectable shape (what, reason, measure, yes/no)
RANK_PRIOR = 0.02
FOCUS_PENALTY = 0.6  # the sentence lacks the word the interrogative asks about
YEAR_PENALTY = 0.5  # the sentence names years, none of them asked  # ties go to better-ranked passages
YEAR_ABSENT = 0.5  # neither the sentence nor its passage states the asked year: it may report another one
TITLE_SLACK = 8  # characters a title line may add to the title (标题：, 《》, punctuation)
LIST_ITEMS = 6  # sentences quoted after a list's lead
CONTINUE_RATIO = 0.8  # a further sentence is quoted when it scores at least this share of the best
_LIST_TYPES = frozenset({"list", "measure", "reason"})
_ENUM_MARKS = "、；;"
_LEAD_ENDS = ("：", ":")
_ITEM_ENDS = ("；", ";")
# typography of a numbered first item right after a colon: （一） (1) 1. 1、 一、
_FIRST_ITEM = re.compile(
    r"[:：]\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、)"
)


@dataclass(frozen=True)
class Scored:
    """One sentence of one passage with its score."""

    passage: Passage
    index: int  # position of the sentence in ``passage.sentences``
    score: float
    coverage: float
    fit: float

    @property
    def sentence(self) -> SentenceFacts:
        return self.passage.sentences[self.index]


def _bigrams(text: str) -> set[str]:
    return {a + b for a, b in pairwise(text)}


def idf(terms: Sequence[str], passages: Sequence[Passage]) -> dict[str, float]:
    """Sentence-level IDF of each term over the pool; a term no sentence states weighs the most."""
    texts = [s.folded for p in passages for s in p.sentences]
    n = len(texts)
    return {t: math.log(1 + (n + 1) / (sum(1 for x in texts if t in x) + 0.5)) for t in terms}


def _match(term: str, sentence: str, context: str) -> float:
    if term in sentence:
        return 1.0
    if term in context:
        return HEADING_CREDIT
    if len(term) >= 3:
        grams = _bigrams(term)
        share = len(grams & _bigrams(sentence)) / len(grams)
        if share >= 0.5:
            return PARTIAL_CREDIT * share
    return 0.0


def coverage(query: Query, weights: dict[str, float], sentence: SentenceFacts, context: str) -> float:
    total = sum(weights.get(t, 0.0) for t in query.terms)
    if total <= 0:
        return 0.0
    got = sum(weights.get(t, 0.0) * _match(t, sentence.folded, context) for t in query.terms)
    return got / total


@lru_cache(maxsize=256)
def unit_family(unit: str) -> str:
    """The family of an asked unit (千米 -> length), its multiplier (亿, 万) stripped."""
    units = vocab().units
    for mult in sorted(vocab().multipliers, key=len, reverse=True):
        if unit.startswith(mult) and unit[len(mult) :] in units:
            return units[unit[len(mult) :]]
    return units.get(unit, unit)


@lru_cache(maxsize=1)
def _role_words() -> tuple[str, ...]:
    return tuple({fold(w) for w in vocab().role_words if w})


@lru_cache(maxsize=1)
def _org_words() -> tuple[str, ...]:
    return tuple({fold(w) for w in vocab().org_suffixes if w})


def _is_enumeration(sentence: SentenceFacts) -> bool:
    text = sentence.folded
    return sum(text.count(m) for m in _ENUM_MARKS) >= 2 or len(split_clauses(text)) >= 3 or text.endswith(_LEAD_ENDS)


def fit(query: Query, sentence: SentenceFacts) -> float:
    """How well the sentence's shape matches the asked answer type (0..1)."""
    kind = query.answer_type
    if kind == "figure":
        # a figure the question itself states (十三届, 323线) names what is asked about, it answers nothing
        found = [f for f in sentence.figures if (f.value, f.family) not in query.given]
        if not found:
            return 0.0
        if query.unit and not any(f.family == unit_family(query.unit) for f in found):
            return OTHER_UNIT_FIT
        if not query.unit and not any(f.unit for f in found):
            return BARE_FIT  # only bare numbers (list marks, phone numbers): no quantity of anything
        return 1.0
    if kind == "date":
        return 1.0 if sentence.dates else (0.4 if sentence.years else 0.0)
    if kind == "person":
        return 1.0 if any(w in sentence.folded for w in _role_words()) else 0.2
    if kind in ("organisation", "issuer"):
        return 1.0 if any(w in sentence.folded for w in _org_words()) else 0.2
    if kind == "list":
        return 1.0 if _is_enumeration(sentence) else 0.3
    return NEUTRAL_FIT


def is_title_line(sentence: SentenceFacts, passage: Passage) -> bool:
    """The sentence only restates the document's title: it names the document, it answers nothing."""
    title = fold(passage.title)
    return bool(title) and title in sentence.folded and len(sentence.folded) <= len(title) + TITLE_SLACK


def _passage_years(passage: Passage) -> frozenset[int]:
    return frozenset(passage.years).union(*(s.years for s in passage.sentences))


def _penalty(query: Query, sentence: SentenceFacts, passage: Passage) -> float:
    """Less for a sentence that misses what exactly is asked, or that speaks of another year.

    The asked year must be stated next to the figure: by the sentence, or at least by its passage
    (a document reporting 2017 and planning 2018 mentions 2018 without giving its figure)."""
    factor = 1.0
    if query.focus and not query.is_metadata and not any(_match(t, sentence.folded, "") > 0 for t in query.focus):
        factor *= FOCUS_PENALTY
    if query.years and sentence.years and not set(query.years) & set(sentence.years):
        factor *= YEAR_PENALTY
    if query.years and not set(query.years) & _passage_years(passage):
        factor *= YEAR_ABSENT
    return factor


def rank_sentences(query: Query, passages: Sequence[Passage]) -> list[Scored]:
    """Every sentence of ``passages`` scored for ``query``, best first (title lines left out)."""
    weights = idf(query.terms, passages)
    scored: list[Scored] = []
    for rank, passage in enumerate(passages):
        prior = RANK_PRIOR / (rank + 1)
        for i, sentence in enumerate(passage.sentences):
            if is_title_line(sentence, passage) or (is_lead_in(sentence) and query.answer_type not in _LIST_TYPES):
                continue  # a title names the document and a lead-in (…代表：) states nothing on its own
            cov = coverage(query, weights, sentence, passage.context)
            shape = fit(query, sentence)
            score = cov * (FIT_FLOOR + (1 - FIT_FLOOR) * shape) * _penalty(query, sentence, passage) + prior
            scored.append(Scored(passage, i, score, cov, shape))
    scored.sort(key=lambda s: -s.score)
    return scored


def is_lead_in(sentence: SentenceFacts) -> bool:
    """The sentence ends at a colon (…如下：, ××代表：): it introduces what follows."""
    return sentence.folded.rstrip().endswith(_LEAD_ENDS)


def opens_list(sentence: SentenceFacts) -> bool:
    """The sentence leads a list: a lead-in, or a colon followed by its first numbered item (…包括：（一）…；)."""
    return is_lead_in(sentence) or bool(_FIRST_ITEM.search(sentence.folded))


def _continuation(query: Query, best: Scored, limit: int) -> list[Scored]:
    """The items after a list's lead, in the same passage, up to the one that closes the list (。)."""
    if query.answer_type not in _LIST_TYPES or not opens_list(best.sentence):
        return []
    out: list[Scored] = []
    for i in range(best.index + 1, min(best.index + 1 + limit, len(best.passage.sentences))):
        out.append(Scored(best.passage, i, best.score, best.coverage, best.fit))
        if not best.passage.sentences[i].folded.rstrip().endswith(_ITEM_ENDS):
            break
    return out


def choose(query: Query, ranked: Sequence[Scored], max_sentences: int) -> list[Scored]:
    """The sentences to quote: the best and the list it opens, else the best and near-best others."""
    if not ranked:
        return []
    best = ranked[0]
    listed = _continuation(query, best, LIST_ITEMS)
    if listed:
        return [best, *listed]
    picked = [best]
    for other in ranked[1:]:
        if len(picked) >= max_sentences or other.score < CONTINUE_RATIO * best.score:
            break
        if any(other.sentence.folded == p.sentence.folded for p in picked):
            continue  # overlapping chunks repeat sentences
        picked.append(other)
    # read in document order within a passage, passages in rank order
    order: dict[str, int] = {}
    for i, p in enumerate(picked):
        order.setdefault(p.passage.chunk_id, i)
    return sorted(picked, key=lambda s: (order[s.passage.chunk_id], s.index))
