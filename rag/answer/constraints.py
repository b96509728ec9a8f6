"""What the question pins down, checked against what a quoted sentence states (feeds the gate).

Unanswerable questions near a real sentence share nearly all its words and differ in one thing
the question fixes. Each rule compares one such thing, taken from the analysed Query, with the
sentence and, where the sentence is silent, the passage it stands in (title, heading, then text):

* ``no_figure``: a figure question needs a figure the question does not state itself, in the asked
  unit's family (件 for 多少件; money for 多少钱/投资; a percentage for 满意率是多少);
* ``other_subject``: the sentence up to the figure must name what the figure is asked of (the words
  right before the interrogative: 一季度工业投资 for 一季度工业投资增长多少);
* ``other_year``: the asked year must be the year the sentence is about: the years it names (a
  comparison base such as 比2021年 is not one; 今年 is its document's year), else its passage's title
  or heading; a silent sentence goes on with the year of the one or two before it (2023年，… 其中…);
  a passage silent on years leaves the document-level check of the gate;
* ``other_ordinal``: the asked member of a series (十三届, 三次会议, 第三批, 第61号) must be the one the
  sentence, else its title/heading, else its passage names, when they name one of that series;
* ``other_period``: the asked part of the year (一季度, 1—5月) must be the one the sentence reports
  for, when it names one (全年 does not answer 一季度);
* ``other_event``: a date asked of an event (the verb the interrogative asks about: 施行, 开通) must be
  stated with that event by the sentence, the heading above it or the sentence before;
* ``other_area``: what the page of a place inside the asked one states (a 万载县 bulletin for 宜春市多少,
  a 庆城县 plan for 庆阳市) is the part's, unless the sentence names the asked place; and a figure sentence
  about a named zone (…示范区, …高新区) that does not name the asked
  place before the zone speaks of the zone, not of the place (unless the question asks about a zone);
* ``other_organisation``: an organisation the question names must not be replaced by another of the
  same kind in the sentence (卫生健康局 asked, 教育局 stated) unless the passage also names the asked
  one; names compare abbreviation-aware (rag.answer.orgs).

The gate keeps the ranked sentences that pass every rule, so the answer may come from the next
best sentence when the best one speaks of something else; when none passes, it refuses with the
rule the best sentence broke.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import pairwise

import rjieba

from rag.answer.asked import ANY_CHANGE, ANY_RANK, ANY_SIZE, all_tagged
from rag.answer.orgs import organisations, same_organisation
from rag.answer.passages import Passage, SentenceFacts
from rag.answer.query import Query
from rag.answer.record import document_kinds
from rag.answer.refusal import (
    NO_FIGURE,
    OTHER_AREA,
    OTHER_EVENT,
    OTHER_ORDINAL,
    OTHER_ORGANISATION,
    OTHER_PERIOD,
    OTHER_SUBJECT,
    OTHER_YEAR,
)
from rag.answer.select import Scored, idf, local_heading, of_a_part
from rag.lang import Figure, gazetteer, split_clauses
from rag.lang.data import read_list
from rag.lang.markers import areas, change_words, ordinals, periods, stated_years

# answers that hold for one year (a figure, a date): a silent sentence takes its title's or heading's
# year; a person or a measure is not dated by the heading it stands under (2022年工作回顾 in a 2023 report)
_YEAR_BOUND = frozenset({"figure", "date"})
SUBJECT_ALL = 2  # up to this many subject words, the figure's sentence must state all of them
SUBJECT_SHARE = 0.5  # of more, this share of their weight (rare words weigh more)
PARTIAL_MIN, PARTIAL_SHARE = 3, 0.5  # a long word counts when the text repeats half its character pairs
_RATES = frozenset({"percent", "points", "tenths", "ratio", "permille"})  # families a change is given in
ANY_COUNT = "count"  # 多少个: any counted thing answers it (个 stands for 项, 家, 所 … as well)


def document_year(passage: Passage) -> int | None:
    """The year the passage's document was written (its record's date), against which 今年 is read."""
    date = str(passage.meta.get("date") or "")
    return int(date[:4]) if date[:4].isdigit() else None


def answering_figures(query: Query, sentence: SentenceFacts) -> list[Figure]:
    """The sentence's figures that may answer: not stated by the question, in the asked family when
    the question fixes one (any counted thing for 多少个, any figure for a change)."""
    families = query.figure_families
    found = [f for f in sentence.figures if (f.value, f.family) not in query.given]
    if ANY_COUNT in families:
        return [f for f in found if f.unit]
    if ANY_CHANGE in families:  # a change is a rate (6.8%, 2.7个百分点, 1倍) or stated with a change word
        return [f for f in found if f.family in _RATES or change_words(_clause_of(sentence.folded, f))]
    if not families or ANY_SIZE in families:
        return found
    return [f for f in found if f.family in families]


def _clause_of(text: str, figure: Figure) -> str:
    """The clause a figure stands in (split at ，、：)."""
    return next((c.text for c in split_clauses(text) if c.start <= figure.start < c.end), text)


def figure_ok(query: Query, sentence: SentenceFacts) -> bool:
    """A figure the question does not state, in the asked family when the question fixes one."""
    return ANY_RANK in query.figure_families or bool(answering_figures(query, sentence))


def _states(term: str, text: str) -> bool:
    """The text states the term, or most of a long term's character pairs (规上工业 / 规模以上工业)."""
    if term in text:
        return True
    if len(term) < PARTIAL_MIN:
        return False
    grams = {a + b for a, b in pairwise(term)}
    return len(grams & {a + b for a, b in pairwise(text)}) / len(grams) >= PARTIAL_SHARE


def subject_ok(query: Query, scored: Scored, weights: Mapping[str, float] | None = None) -> bool:
    """Some figure of the sentence is stated of the asked thing: the sentence to the end of its clause, with
    the sentence before it and the passage's title and heading (which introduce what it goes on
    about), names the question's subject words: all of one or two, of more most of their weight,
    a word weighing by how rare it is in the retrieved passages (``weights``, IDF; equal without).
    A figure of 固定资产投资 does not answer 一季度GDP增长多少; 产业产值 does not answer 氢能产业产值."""
    subject = query.subject
    if query.answer_type != "figure" or not subject or ANY_RANK in query.figure_families:
        return True
    sentence, passage = scored.sentence, scored.passage
    weight = {t: (weights or {}).get(t, 1.0) if len(subject) > SUBJECT_ALL else 1.0 for t in subject}
    total = sum(weight.values()) or 1.0
    found = answering_figures(query, sentence)
    text = sentence.folded.lower()
    previous = passage.sentences[scored.index - 1].folded if scored.index > 0 else ""
    around = f"{passage.context} {previous}".lower()
    clause_ends = [c.end for c in split_clauses(text)]

    def upto(figure_end: int) -> str:  # the sentence to the end of the figure's clause (打造300亿级…产业集群)
        return text[: next((e for e in clause_ends if e >= figure_end), len(text))]

    def share(figure_end: int) -> float:
        head = upto(figure_end)
        return sum(w for t, w in weight.items() if _states(t, head) or _states(t, around)) / total

    need = SUBJECT_SHARE if len(subject) > SUBJECT_ALL else 1.0
    return not found or any(share(f.end) >= need - 1e-9 for f in found)


YEAR_LEAD = 10  # characters at a sentence's start where the year it sets for what follows stands
YEAR_BACK = 2  # sentences back a silent sentence takes its year from (据了解，2023年… 其中…2件)


def year_ok(query: Query, sentence: SentenceFacts, passage: Passage, index: int = -1) -> bool:
    """The sentence is about an asked year, when it says which year; a silent one takes the year of
    the sentence it goes on from (its ``index`` in the passage: 2023年，共承办… 其中建议2件), else of
    its title/heading."""
    if not query.asked_years:
        return True
    asked = set(query.asked_years)
    written = document_year(passage)
    stated = stated_years(sentence.folded, written)
    if not stated and query.answer_type in _YEAR_BOUND:
        for j in range(index - 1, max(index - 1 - YEAR_BACK, -1), -1):
            # only a year the sentence opens with sets what follows (据了解，2023年，…); one inside it
            # dates its own clause (…2019年10月底前建成…)
            stated = stated_years(passage.sentences[j].folded[:YEAR_LEAD], written)
            if stated:
                break
        stated = stated or stated_years(passage.context)
    return not stated or bool(stated & asked)


def period_ok(query: Query, sentence: SentenceFacts) -> bool:
    """The sentence reports for an asked part of the year, when it says which. Its title is no guide:
    a report on 二季度 work opens with what 一季度 achieved."""
    asked = periods(query.text)
    stated = periods(sentence.folded)
    return not asked or not stated or bool(stated & asked)


def area_ok(query: Query, sentence: SentenceFacts) -> bool:
    """A figure stated of a zone or park is the zone's: a sentence naming one before its figures and
    before it names the asked place (重庆…示范区是…, 包括涪陵、大足…) speaks of the zone; one naming
    the place first (大足高新区, 永川区建设…示范区) speaks of the place."""
    if query.answer_type != "figure" or not query.places or areas(query.text):
        return True
    text = sentence.folded
    first = min((f.start for f in sentence.figures if (f.value, f.family) not in query.given), default=len(text))
    named = [at for at in (text.find(word) for word in areas(text)) if at < first]  # what the figures are of
    if not named:
        return True
    gaz = gazetteer()
    asked = [m.start for m in gaz.find(text) if any(m.place == a or a in gaz.ancestors(m.place) for a in query.places)]
    return bool(asked) and min(asked) < min(named)


def ordinal_ok(query: Query, sentence: SentenceFacts, passage: Passage) -> bool:
    """Each asked series member matches the nearest statement naming that series."""
    if not query.ordinals:
        return True
    levels = (sentence.folded, passage.context, " ".join(s.folded for s in passage.sentences))
    found = [ordinals(text) for text in levels]
    for asked in query.ordinals:
        for level in found:
            values = {o.value for o in level if o.family == asked.family}
            if values:
                if asked.value not in values:
                    return False
                break
    return True


def document_ordinals_ok(query: Query, document_text: str) -> bool:
    """The document is the asked member of each series it names (十九届三次会议 asked of a page that
    names only 第二次会议 is another session's): for a question about a page's own record."""
    found = ordinals(document_text)
    for asked in query.ordinals:
        values = {o.value for o in found if o.family == asked.family}
        if values and asked.value not in values:
            return False
    return True


def organisation_ok(query: Query, sentence: SentenceFacts, passage: Passage) -> bool:
    """No other organisation of the asked kind stands where the asked one should, unless the passage names it."""
    if not query.organisations:
        return True
    stated = organisations(sentence.folded)
    for asked in query.organisations:
        rivals = [o for o in stated if o.suffix == asked.suffix]
        if not rivals or asked.core in sentence.folded or any(same_organisation(asked, o) for o in stated):
            continue
        around = (passage.context, *(s.folded for s in passage.sentences))
        if not any(same_organisation(asked, o) for text in around for o in organisations(text)):
            return False
    return True


EVENT_TAGS = frozenset({"v", "vn", "vd"})  # jieba tags of words naming what happens (施行, 开通, 公示)


def _is_event(word: str) -> bool:
    return all_tagged(word, EVENT_TAGS)


def event_ok(query: Query, scored: Scored) -> bool:
    """A date asked of an event (施行, 开通) is that event's: the sentence, the heading above it or the
    sentence before states the event's word. A 征求意见 deadline is no 施行 date."""
    if query.answer_type != "date":
        return True
    events = [t for t in query.focus if t not in query.named_doc and _is_event(t)]
    if not events:
        return True
    passage, i = scored.passage, scored.index
    near = [scored.sentence.folded, local_heading(passage, i)]
    if i > 0:
        near.append(passage.sentences[i - 1].folded)
    return any(_states(t, text) for t in events for text in near)


@lru_cache(maxsize=1)
def _marks() -> frozenset[str]:
    return frozenset(read_list("sibling_marks.txt"))


@lru_cache(maxsize=1024)
def _gapped_pairs(text: str, terms: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(word, mark, word) runs of the question (西站 北 片区): the mark (sibling_marks.txt) tells one
    member of a family of names from its siblings (西站南片区, 西站西片区)."""
    out: list[tuple[str, str, str]] = []
    for a in terms:
        for at in (m.end() for m in re.finditer(re.escape(a), text)):
            gap = text[at : at + 1]
            if gap in _marks():
                out.extend((a, gap, b) for b in terms if text.startswith(b, at + 1))
    return tuple(out)


def sibling_ok(query: Query, sentence: SentenceFacts) -> bool:
    """The sentence names the asked member (西站北片区), not only a sibling (西站南片区) of it."""
    text = sentence.folded
    for a, gap, b in _gapped_pairs(query.text, query.terms):
        if a + gap + b in text:
            continue
        if any(a + mark + b in text for mark in _marks() if mark != gap):
            return False
    return True


ABBREVIATION_GAP = ".{0,3}"  # characters a full name may hold between an abbreviation's
KEY_TERM_MIN = 3  # characters of a question word that names a thing of its own (劳动节, 常住人口)
_THING_TAGS = frozenset({"n", "nz", "nt", "ns", "t"})  # not abbreviations (j: 发改委, 人代会), not phrases


@lru_cache(maxsize=4096)
def _is_thing(word: str) -> bool:
    """One jieba word, a noun or a named time (劳动节, 中秋节; 常住人口 is two): segmenter pieces across
    words (房和公) are none."""
    tags = rjieba.tag(word)
    return len(tags) == 1 and tags[0][1] in _THING_TAGS


def missing_thing(query: Query, document_text: str) -> str:
    """A long name of a thing the question asks about that its document never states, even in part
    (劳动节 of a page about 清明节 holidays): the document is about something else. "" when none."""
    compact = re.sub(r"\s+", "", document_text)  # 承 办 人: a page's spacing is no word break
    for term in query.terms:
        if len(term) < KEY_TERM_MIN or term in query.named_doc or not _is_thing(term) or _states(term, compact):
            continue
        if term in document_kinds():
            continue  # 实施方案 names what kind of document, not a thing it must state
        # an abbreviation keeps its full name's characters in order (人代会 / 人民代表大会)
        if not re.search(ABBREVIATION_GAP.join(re.escape(ch) for ch in term), compact):
            return term
    return ""


NARROW_MIN = 4  # characters of a subject word that can name a narrower thing (高速铁路 within 铁路)


def narrower_ok(query: Query, scored: Scored) -> bool:
    """The sentence does not state only the broader thing of an asked narrower one: 铁路营业里程 does
    not answer 高速铁路营业里程 (the asked word absent, even in part, a shorter asked word it ends with
    present)."""
    if query.answer_type != "figure":
        return True
    text = scored.sentence.folded
    around = f"{scored.passage.context} {text}"
    for term in query.subject or query.terms:
        if len(term) < NARROW_MIN or _states(term, around):
            continue
        if any(len(t) >= 2 and t != term and term.endswith(t) and t in text for t in query.terms):
            return False
    return True


def violation(query: Query, scored: Scored, weights: Mapping[str, float] | None = None) -> str | None:
    """The first rule the sentence breaks for this question, or None (``weights``: see subject_ok)."""
    sentence, passage = scored.sentence, scored.passage
    if query.answer_type == "figure" and not figure_ok(query, sentence):
        return NO_FIGURE
    if not subject_ok(query, scored, weights) or not sibling_ok(query, sentence) or not narrower_ok(query, scored):
        return OTHER_SUBJECT
    if not year_ok(query, sentence, passage, scored.index):
        return OTHER_YEAR
    if not period_ok(query, sentence):
        return OTHER_PERIOD
    if not event_ok(query, scored):
        return OTHER_EVENT
    if not area_ok(query, sentence) or of_a_part(query, sentence, passage):
        return OTHER_AREA
    if not ordinal_ok(query, sentence, passage):
        return OTHER_ORDINAL
    if not organisation_ok(query, sentence, passage):
        return OTHER_ORGANISATION
    return None


def screen(query: Query, ranked: Sequence[Scored], depth: int) -> tuple[tuple[Scored, ...], str | None]:
    """The ``depth`` best sentences meeting every rule (best first), and the rule the best one broke.

    Metadata questions are answered from the document's record and pass unchecked."""
    if query.is_metadata or not ranked:
        return tuple(ranked), None
    pool = tuple({s.passage.chunk_id: s.passage for s in ranked}.values())
    weights = idf(query.subject, pool)
    kept = tuple(s for s in ranked[:depth] if violation(query, s, weights) is None)
    return kept, violation(query, ranked[0], weights)
