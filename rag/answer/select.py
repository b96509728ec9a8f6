"""The general answer selector: every sentence of the passages scored against the analysed question.

score = coverage · (FIT_FLOOR + (1 − FIT_FLOOR) · fit) · penalties, where

* coverage is the IDF-weighted share of the question's content words the sentence states (a word
  found only in the passage's title or heading counts half: "closeness to the heading"), with IDF
  over the sentences of the retrieved pool, so words every passage repeats weigh little;
* fit says whether the sentence holds the kind of thing asked: a figure (in the asked unit) for
  多少, a deadline or date range for 何时/到哪天, an organisation or person for 谁/哪个单位, an
  enumeration for 哪些, a cause for 为什么, an action for 怎么办 (rag.answer.shape, cues as data);
* a letter's greeting or thanks (…收悉，现答复如下) only restates the question: its words count like
  a heading's, and a sentence that is all formula keeps little of its score; the short heading line
  right above a sentence (一、禁燃禁放时间) is what the sentence states, so its words count nearly fully.

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
from rag.answer.asked import unit_families
from rag.answer.document import asks_organisations, document_text, document_topics, is_org_line, text_coverage
from rag.answer.orgs import organisations
from rag.answer.passages import Passage, SentenceFacts
from rag.answer.query import Query
from rag.answer.shape import (
    TERMINAL,
    all_formula,
    cues,
    date_fit,
    field_label,
    formula_prefix,
    formula_split,
    has_cue,
    is_heading,
    is_name_line,
    is_section_heading,
    line_names,
    people_named,
    person_roles,
    starts_item,
)
from rag.lang import gazetteer, split_clauses, vocab
from rag.lang.data import read_list
from rag.lang.markers import stated_years

FIT_FLOOR = 0.4  # a sentence of the wrong shape keeps this share of its coverage
HEADING_CREDIT = 0.5  # a word in the title/heading only: the sentence is under it, not stating it
PARTIAL_CREDIT = 0.6  # a long word whose character pairs the sentence mostly repeats (规上工业 / 规模以上工业)
BARE_FIT = 0.2  # a figure question answered only by numbers without a unit
OTHER_UNIT_FIT = 0.5  # figures, none in the asked unit
NEUTRAL_FIT = 0.5  # types with no detectable shape (what, yes/no), or a reason/measure without a cue
LOCAL_HEADING_CREDIT = 0.8  # a word in the heading line right above the sentence
FORMULA_PENALTY = 0.3  # the sentence is all greeting or thanks
SECTION_PENALTY = 0.5  # a numbered heading line (一、公示时间) names a section, it answers nothing
# a sentence of the wrong shape keeps less for a type whose answer always has that shape: a date
# question answered by a sentence without a date is no answer, however many of its words it repeats
TYPE_FLOOR = {"date": 0.15}
ADDRESSEE_TYPES = frozenset({"person"})  # a letter's greeting may name the person asked, not an office
CUED_TYPES = frozenset({"reason", "measure"})  # types whose fit is a cue word (rag/lang/data/answer_cues.tsv)
HEADING_BACK = 3  # sentences back to look for the heading line a sentence stands under
RANK_PRIOR = 0.02
# 谁: a byline (区委书记 某某) names a person; a line with only a role word (…书记例会) names none
ROLE_ONLY_FIT = 0.4
NAMED_OTHER_FIT = 0.7  # a byline of another place or organisation than the one asked about
FIELD_VALUE_TYPES = frozenset({"person", "organisation"})  # a field's value is a name: it answers 谁 whole
GIVEN_NAME_FIT = 0.2  # a byline naming only the person the question names
ORG_LINE_FIT = 0.8  # a signature line naming one organisation, for 哪些单位 (the others sign below)
UNCOUNTED_LIST_FIT = 0.7  # 几类 asked: an enumeration without the count in that measure word
FOCUS_PENALTY = 0.6  # the sentence lacks the word the interrogative asks about
YEAR_PENALTY = 0.5  # the sentence names years, none of them asked  # ties go to better-ranked passages
PART_PLACE_PENALTY = 0.5  # a figure from the page of a place inside the asked one (a county's for its city)
YEAR_ABSENT = 0.5  # neither the sentence nor its passage states the asked year: it may report another one
TITLE_SLACK = 8  # characters a title line may add to the title (标题：, 《》, punctuation)
LIST_TYPES = frozenset({"list", "measure", "reason"})
_ENUM_MARKS = "、；;"
_LEAD_ENDS = ("：", ":")


@dataclass(frozen=True)
class Scored:
    """One sentence of one passage with its score."""

    passage: Passage
    index: int  # position of the sentence in ``passage.sentences``
    score: float
    coverage: float
    fit: float
    trim: bool = False  # quote without the letter's greeting (never for 谁/哪个单位: it names the addressee)

    @property
    def sentence(self) -> SentenceFacts:
        return self.passage.sentences[self.index]

    @property
    def text(self) -> str:
        """The sentence as quoted: without the letter's greeting before the answer (…现答复如下：)."""
        text = self.sentence.text
        return text[formula_prefix(text) :].lstrip() if self.trim else text


def _bigrams(text: str) -> set[str]:
    return {a + b for a, b in pairwise(text)}


def idf(terms: Sequence[str], passages: Sequence[Passage]) -> dict[str, float]:
    """Sentence-level IDF of each term over the pool; a term no sentence states weighs the most."""
    texts = [s.folded for p in passages for s in p.sentences]
    n = len(texts)
    return {t: math.log(1 + (n + 1) / (sum(1 for x in texts if t in x) + 0.5)) for t in terms}


def _match(term: str, sentence: str, context: str, local: str = "") -> float:
    if term in sentence:
        return 1.0
    if local and term in local:
        return LOCAL_HEADING_CREDIT
    if term in context:
        return HEADING_CREDIT
    if len(term) >= 3:
        grams = _bigrams(term)
        share = len(grams & _bigrams(sentence)) / len(grams)
        if share >= 0.5:
            return PARTIAL_CREDIT * share
    return 0.0


@lru_cache(maxsize=4096)
def _body(folded: str) -> tuple[str, str]:
    """(the sentence without its greeting and formula clauses, those clauses): only the first answers."""
    cut = formula_prefix(folded)
    body, frame = formula_split(folded[cut:])
    return body, folded[:cut] + frame


def formula_aware(query: Query) -> bool:
    """Greetings answer nothing, except who wrote or received the letter (its address line names them)."""
    return query.answer_type not in ADDRESSEE_TYPES


def coverage(query: Query, weights: dict[str, float], sentence: SentenceFacts, context: str, local: str = "") -> float:
    """IDF-weighted share of the question's words the sentence states (its greeting counts as context)."""
    total = sum(weights.get(t, 0.0) for t in query.terms)
    if total <= 0:
        return 0.0
    body, frame = _body(sentence.folded) if formula_aware(query) else (sentence.folded, "")
    context = f"{frame} {context}" if frame else context
    dated = query.answer_type == "date" and has_cue("date", body)
    got = sum(
        weights.get(t, 0.0) * (1.0 if dated and t in cues("date_asked") else _match(t, body, context, local))
        for t in query.terms
    )
    return got / total


@lru_cache(maxsize=1)
def _back_references() -> tuple[str, ...]:
    return tuple(fold(w) for w in read_list("back_references.txt"))


def goes_on(sentence: SentenceFacts) -> bool:
    """The sentence opens with a word going on from the one before (其中, 分别是: back_references.txt)."""
    return sentence.folded.lstrip().startswith(_back_references())


def local_heading(passage: Passage, index: int) -> str:
    """The heading line the sentence stands under within its passage (一、交通管制时间), or ""."""
    for j in range(index - 1, max(index - 1 - HEADING_BACK, -1), -1):
        if is_heading(passage.sentences[j]):
            return passage.sentences[j].folded
    return ""


@lru_cache(maxsize=1)
def _org_words() -> tuple[str, ...]:
    return tuple({fold(w) for w in vocab().org_suffixes if w})


def _is_enumeration(sentence: SentenceFacts) -> bool:
    text = sentence.folded
    return sum(text.count(m) for m in _ENUM_MARKS) >= 2 or len(split_clauses(text)) >= 3 or text.endswith(_LEAD_ENDS)


def _names_asked(query: Query, sentence: SentenceFacts) -> bool:
    """The sentence names the place or organisation asked about (or the question names none)."""
    asked = [fold(n) for n in query.place_names] + [fold(o.core) for o in query.organisations]
    return not asked or any(a in sentence.folded for a in asked)


def fit(query: Query, sentence: SentenceFacts) -> float:
    """How well the sentence's shape matches the asked answer type (0..1)."""
    kind = query.answer_type
    if kind == "figure":
        # a figure the question itself states (十三届, 323线) names what is asked about, it answers nothing
        found = [f for f in sentence.figures if (f.value, f.family) not in query.given]
        if not found:
            return 0.0
        if query.unit and not any(f.family in unit_families(query.unit) for f in found):
            return OTHER_UNIT_FIT
        if not query.unit and not any(f.unit for f in found):
            return BARE_FIT  # only bare numbers (list marks, phone numbers): no quantity of anything
        return 1.0
    if kind == "date":
        return date_fit(sentence)
    if kind in ("reason", "measure"):
        return 1.0 if has_cue(kind, _body(sentence.folded)[0]) else NEUTRAL_FIT
    if kind == "person":
        if is_name_line(sentence):
            names = line_names(sentence)
            if names and all(name in query.text for name in names):
                return GIVEN_NAME_FIT  # 刘世群代表: names whom the question names, not whom it asks
            return 1.0 if _names_asked(query, sentence) else NAMED_OTHER_FIT
        if any(name not in query.text for name in people_named(sentence)):
            return 1.0  # 局长甘扬生同志要求…: a role and a name the question does not give
        return ROLE_ONLY_FIT if any(w in sentence.folded for w in person_roles()) else 0.2
    if kind in ("organisation", "issuer"):
        return 1.0 if any(w in sentence.folded for w in _org_words()) else 0.2
    if kind == "list" and asks_organisations(query):  # 哪些单位联合发布的: a line of several names
        named = len(organisations(sentence.folded))
        return 1.0 if named >= 2 else (ORG_LINE_FIT if named and is_org_line(sentence) else 0.3)
    if kind == "list":
        if query.counter:  # 分成几类: the sentence stating 五类 is the answer, an enumeration of the members next
            if re.search(rf"[一二两三四五六七八九十\d]+{re.escape(query.counter)}", sentence.folded):
                return 1.0
            return UNCOUNTED_LIST_FIT if _is_enumeration(sentence) else 0.3
        return 1.0 if _is_enumeration(sentence) else 0.3
    return NEUTRAL_FIT


def is_title_line(sentence: SentenceFacts, passage: Passage) -> bool:
    """The sentence only restates the document's title: it names the document, it answers nothing."""
    title = fold(passage.title)
    return bool(title) and title in sentence.folded and len(sentence.folded) <= len(title) + TITLE_SLACK


@lru_cache(maxsize=4096)
def _years_about(folded: str) -> frozenset[int]:
    return frozenset(stated_years(folded))


def _about_years(sentence: SentenceFacts) -> frozenset[int]:
    return _years_about(sentence.folded) if sentence.years else frozenset()


def _passage_years(passage: Passage) -> frozenset[int]:
    return frozenset(passage.years).union(*(s.years for s in passage.sentences))


def _penalty(query: Query, sentence: SentenceFacts, passage: Passage, local: str = "") -> float:
    """Less for a sentence that misses what exactly is asked, or that speaks of another year.

    The asked year must be stated next to the figure: by the sentence, or at least by its passage
    (a document reporting 2017 and planning 2018 mentions 2018 without giving its figure)."""
    factor = 1.0
    if (
        query.focus
        and not query.is_metadata
        # 发言/讲话 is the act, the byline its author
        and not (query.answer_type == "person" and is_name_line(sentence))
        and not any(
            (t in sentence.folded or t in local) if t in query.quoted else _match(t, sentence.folded, "", local) > 0
            for t in query.focus
        )
    ):
        factor *= FOCUS_PENALTY
    if formula_aware(query) and all_formula(sentence.folded):
        factor *= FORMULA_PENALTY
    if query.answer_type not in LIST_TYPES and is_section_heading(sentence):
        factor *= SECTION_PENALTY
    about = _about_years(sentence) if query.years else frozenset()
    if about and not set(query.years) & about:
        factor *= YEAR_PENALTY  # a comparison base (相比2021年末) is no year the sentence is about
    if query.years and not set(query.years) & _passage_years(passage):
        factor *= YEAR_ABSENT
    if query.answer_type == "figure" and of_a_part(query, sentence, passage):
        factor *= PART_PLACE_PENALTY
    return factor


def of_a_part(query: Query, sentence: SentenceFacts, passage: Passage) -> bool:
    """The page is about a place inside the asked one (a 万载县 bulletin for 宜春市多少): what it states
    is the part's, unless the sentence names the asked place itself."""
    if not query.places or not passage.places or set(query.places) & set(passage.places):
        return False
    gaz = gazetteer()
    inside = all(any(a in gaz.ancestors(p) for a in query.places) for p in passage.places)
    return inside and not set(query.places) & set(sentence.places)


def _signed(query: Query, weights: dict[str, float], passage: Passage, index: int) -> float:
    """A byline signs the title lines right above it (关于…的报告 / ——在…会议上 / 某某): it
    answers 谁作的 as well as they state what was made. Only the unbroken block of lines without
    closing punctuation counts: a sentence ending in 。 is text, not the title."""
    best = 0.0
    for j in range(index - 1, max(index - 1 - HEADING_BACK, -1), -1):
        line = passage.sentences[j]
        text = line.folded.strip()
        if not text or "\n" in text or text.endswith(tuple(TERMINAL)) or is_name_line(line):
            break
        best = max(best, coverage(query, weights, line, passage.context))
    return best


def _doc(passage: Passage) -> str:
    return str(passage.meta.get("doc_id") or passage.source)


def letter_matters(passages: Sequence[Passage]) -> dict[str, str]:
    """Per document, the greetings of its reply (您提出的“关于…的建议”收悉，现答复如下): the matter the
    whole letter answers, so every sentence of the letter stands under it like under a heading."""
    out: dict[str, list[str]] = {}
    for passage in passages:
        for sentence in passage.sentences:
            frame = formula_split(sentence.folded)[1]
            if frame:  # the formula clauses only (…的建议收悉): the rest of the sentence is the letter's own
                out.setdefault(_doc(passage), []).append(frame)
    return {doc: " ".join(dict.fromkeys(texts)) for doc, texts in out.items()}


def leads_items(passage: Passage, index: int) -> bool:
    """The sentence is a heading line and the next line opens with an item's mark."""
    nxt = index + 1
    return nxt < len(passage.sentences) and is_heading(passage.sentences[index]) and starts_item(passage.sentences[nxt])


def _asked_field(query: Query, sentence: SentenceFacts) -> bool:
    """The sentence is a ``label：value`` field whose label is the word the question asks about."""
    label = field_label(sentence) if query.focus else ""
    return bool(label) and any(f in label or label in f for f in query.focus)


def rank_sentences(query: Query, passages: Sequence[Passage]) -> list[Scored]:
    """Every sentence of ``passages`` scored for ``query``, best first (title lines left out)."""
    weights = idf(query.terms, passages)
    matters = letter_matters(passages) if formula_aware(query) else {}
    topics = document_topics(query, passages)
    whole: dict[str, float] = {}  # per document, the share of the question its retrieved passages state
    scored: list[Scored] = []
    for rank, passage in enumerate(passages):
        context = f"{passage.context} {matters.get(_doc(passage), '')} {topics.get(passage.document, '')}"
        prior = RANK_PRIOR / (rank + 1)
        for i, sentence in enumerate(passage.sentences):
            if is_title_line(sentence, passage) or (is_lead_in(sentence) and query.answer_type not in LIST_TYPES):
                continue  # a title names the document and a lead-in (…代表：) states nothing on its own
            local = local_heading(passage, i)
            if i > 0 and goes_on(sentence):  # 其中，…: about what the sentence before names
                local = f"{local} {passage.sentences[i - 1].folded}"
            cov = coverage(query, weights, sentence, context, local)
            if query.answer_type == "person" and is_name_line(sentence):
                cov = max(cov, _signed(query, weights, passage, i))
                if (query.place_names or query.organisations) and _names_asked(query, sentence):
                    cov = (1 + cov) / 2  # the byline of the asked place: the one word that decides 谁
            shape = fit(query, sentence)
            if query.answer_type == "list" and not query.counter and leads_items(passage, i):
                shape = 1.0  # 二、基本原则 over ——权责一致。——减少层级。: the heading of the asked list
            field = _asked_field(query, sentence)
            if field or (asks_organisations(query) and is_org_line(sentence)):
                # a field (承办人:谢以凡 for 承办人是谁) or a signature line is about what its whole
                # document is about, whose matter an earlier chunk may state
                if passage.document not in whole:
                    whole[passage.document] = text_coverage(query, weights, document_text(passages, passage.document))
                cov = max(cov, whole[passage.document])
            if field and query.answer_type in FIELD_VALUE_TYPES:
                shape = 1.0  # the field's value is the name asked
            floor = TYPE_FLOOR.get(query.answer_type, FIT_FLOOR)
            score = cov * (floor + (1 - floor) * shape) * _penalty(query, sentence, passage, local) + prior
            scored.append(Scored(passage, i, score, cov, shape, trim=formula_aware(query)))
    scored.sort(key=lambda s: -s.score)
    return scored


def is_lead_in(sentence: SentenceFacts) -> bool:
    """The sentence ends at a colon (…如下：, ××代表：): it introduces what follows."""
    return sentence.folded.rstrip().endswith(_LEAD_ENDS)
