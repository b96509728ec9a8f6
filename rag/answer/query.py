"""Stages 1–2 of the answer pipeline: ``rewrite`` (history -> standalone question) and ``analyse``.

The question is analysed exactly once into a frozen ``Query``; every later stage (retrieve, gate,
select, metadata, verify) reads the fields it needs from it instead of looking at the text again.
All language knowledge comes from ``rag.lang`` (interrogatives, units, gazetteer, years, 文号):
this module only holds the mechanism that combines them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from index.textnorm import fold
from index.tokenizer import default_tokenizer
from rag.answer.asked import asked_years, figure_families, figure_subject, list_counter, quoted_phrases
from rag.answer.orgs import OrgName, organisations
from rag.answer.record import QUOTED, mentions_document_kind, of_record
from rag.lang import Place, doc_numbers, figures, gazetteer, vocab, years
from rag.lang.data import read_list
from rag.lang.markers import Ordinal, ordinals
from rag.prompts import render

log = logging.getLogger(__name__)

# Answer types (rag.lang interrogatives) asking for a field of the document's record; a date asked
# together with one of them is the document's own date (文号和成文日期, 哪天、以什么文号印发的).
METADATA_TYPES = frozenset({"doc_number", "issuer", "doc_type"})
DOC_DATE = "doc_date"
_OF_NAMED_DOC = {"organisation": "issuer", "date": DOC_DATE}
_SPLIT_PARTS = re.compile(r"(?<=[？?；;])")
_MIN_TERM = 2  # single characters carry no content on their own
FOCUS_GAP = 3  # characters (是/为/达到…) allowed between the asked-about word and the interrogative


@dataclass(frozen=True)
class Query:
    """A question as every later stage sees it; built by ``analyse`` only."""

    text: str  # normalised standalone question (folded: simplified, half width)
    answer_type: str = ""  # a rag.lang interrogative type: figure, date, list, reason, doc_number, ... or ""
    unit: str = ""  # the unit the asked figure is counted in (多少千米 -> 千米), if the question names one
    counter: str = ""  # the measure word a list question counts its members in (分成几类 -> 类)
    quoted: tuple[str, ...] = ()  # phrases the question quotes (“五公开”): stated as written or not at all
    terms: tuple[str, ...] = ()  # content words, for coverage scoring
    focus: tuple[str, ...] = ()  # the words next to the interrogative: what exactly is asked about
    places: tuple[Place, ...] = ()  # constraints: a passage must be about one of these (or inside it)
    place_names: tuple[str, ...] = ()  # the places as written in the question
    years: tuple[int, ...] = ()  # constraints: the question's years must appear in the evidence
    named_doc: str = ""  # a document the question names (《…》 or a 文号), folded
    fields: tuple[str, ...] = ()  # every metadata type asked (文号和成文日期 -> doc_number, doc_date)
    given: frozenset[tuple[float, str]] = frozenset()  # (value, family) of figures the question states
    # constraints the answer sentence must meet (rag.answer.constraints):
    asked_years: tuple[int, ...] = ()  # the years asked about, 上一年 of 2004 included (2004, 2003)
    figure_families: tuple[str, ...] = ()  # unit families the asked figure is counted in (件, money, percent)
    subject: tuple[str, ...] = ()  # what the asked figure is of (工业, 投资 in 工业投资增长多少)
    ordinals: tuple[Ordinal, ...] = ()  # series members asked about (十三届, 三次会议, 第三批, 第61号)
    organisations: tuple[OrgName, ...] = ()  # organisations the question names (卫生健康局)
    parts: tuple[Query, ...] = ()  # sub-questions of a compound question (empty for a simple one)

    @property
    def is_metadata(self) -> bool:
        """Asks for fields of a document's metadata card (文号, 发文机关, 成文日期, 文种)."""
        return bool(self.fields)

    @property
    def subqueries(self) -> tuple[Query, ...]:
        """The parts to answer one by one (the query itself when it is simple)."""
        return self.parts or (self,)


@lru_cache(maxsize=1)
def _interrogatives() -> tuple[tuple[str, str], ...]:
    """(folded word, answer type), longest first, so 哪几种 wins over 几."""
    pairs = {(fold(w), t) for w, t in vocab().interrogatives}
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _units() -> tuple[str, ...]:
    """Units and measure words, with any multiplier in front (亿元, 万人), longest first."""
    units = {fold(u) for u in vocab().units if u}
    units |= {fold(m) + u for m in vocab().multipliers for u in units}
    return tuple(sorted(units, key=len, reverse=True))


def normalise_question(question: str) -> str:
    """Traditional -> simplified, full -> half width, spaces trimmed; a trailing ？ kept as written."""
    return fold(question).strip().replace("?", "？")


@dataclass(frozen=True)
class Asked:
    """What the interrogatives of a question ask: see ``asked_type``."""

    kind: str = ""
    unit: str = ""
    spans: tuple[tuple[int, int], ...] = ()  # every interrogative word (not content)
    fields: tuple[str, ...] = ()  # metadata fields asked, in order
    main: tuple[int, int] | None = None  # the span of the interrogative that decides ``kind`` (plus its unit)


def asked_type(text: str) -> Asked:
    """The answer type the question asks for, the unit right after a figure interrogative, the
    spans of every interrogative word (so they are not mistaken for content) and the metadata
    fields asked, in order.

    Metadata types win over the rest (该文件的文号是什么 asks for a 文号, not for a "what"); among the
    others the earliest, then longest, interrogative decides."""
    candidates = [
        (m.start(), m.end(), kind) for word, kind in _interrogatives() for m in re.finditer(re.escape(word), text)
    ]
    # overlapping words: the longer wins, then the later one (在哪天 asks 哪天, not 在哪)
    candidates.sort(key=lambda c: (c[0] - c[1], -c[0]))
    spans: list[tuple[int, int]] = []
    found: list[tuple[int, int, str]] = []
    for start, end, kind in candidates:
        if any(start < e and s < end for s, e in spans):
            continue
        spans.append((start, end))
        found.append((start, end, kind))
    if not found:
        return Asked()
    meta = sorted((f for f in found if f[2] in METADATA_TYPES), key=lambda f: f[0])
    start, end, kind = min(meta or found, key=lambda f: (f[0], f[0] - f[1]))
    unit = ""
    if kind == "figure":
        tail = text[end : end + 8]
        unit = next((u for u in _units() if tail.startswith(u)), "")
    fields = [f[2] for f in meta]
    if fields and any(f[2] == "date" for f in found):
        fields.append(DOC_DATE)
    return Asked(kind, unit, tuple(spans), tuple(dict.fromkeys(fields)), (start, end + len(unit)))


def focus_terms(text: str, terms: Sequence[str], main: tuple[int, int] | None) -> tuple[str, ...]:
    """The content word next to the deciding interrogative: what is asked about (多少所初中 -> 初中,
    满意率是多少 -> 满意率, 为什么…拓宽). A sentence without it answers something else."""
    if main is None:
        return ()
    before: str = ""
    after: str = ""
    for term in terms:
        at = text.find(term)
        if at < 0:
            continue
        end = at + len(term)
        if main[0] - FOCUS_GAP <= end <= main[0] and len(term) > len(before):
            before = term
        if main[1] <= at <= main[1] + FOCUS_GAP and len(term) > len(after):
            after = term
    # the word counted right after 多少+unit (多少所初中) is what is asked; else the one before (满意率是多少)
    return (after,) if after else ((before,) if before else ())


@lru_cache(maxsize=1)
def frame_words() -> frozenset[str]:
    """Words that frame a question (开始, 一共, 打算…; rag/lang/data/question_frames.txt) or point at its
    place (全县, 我市; scope_words.txt, a place the gate checks): no content a sentence must repeat."""
    return frozenset(fold(w) for name in ("question_frames.txt", "scope_words.txt") for w in read_list(name))


def _tiling(word: str) -> list[str]:
    """The word and the search-mode pieces that tile it left to right (解决不了 -> 解决, 不了; 交通运输
    -> 交通, 运输): the overlapping pieces in between (决不, 通运) are artefacts of the segmenter."""
    pieces = set(default_tokenizer().tokenize(word)) - {word}
    out, pos = [word], 0
    while pos < len(word):
        best = max((p for p in pieces if word.startswith(p, pos)), key=len, default="")
        if best:
            out.append(best)
        pos += len(best) or 1
    return out


def content_terms(text: str, skip: Sequence[tuple[int, int]] = (), drop: Sequence[str] = ()) -> tuple[str, ...]:
    """Content words (index tokenizer, stopwords removed) outside the ``skip`` spans, without years
    or words in ``drop`` (the constraint places, which the gate checks on their own)."""
    kept = "".join(" " if any(s <= i < e for s, e in skip) else ch for i, ch in enumerate(text))
    out: list[str] = []
    tokenizer = default_tokenizer()
    allowed = {piece for word in tokenizer.words(kept) for piece in _tiling(word)}
    for tok in tokenizer.tokenize(kept):
        if tok not in allowed and not any(ch.isdigit() for ch in tok):
            continue  # a search-mode piece across the word's parts (决不 of 解决|不了) states nothing asked
        if len(tok) < _MIN_TERM or tok in out or (tok.isdigit() and len(tok) == 4):
            continue
        if years(tok) or tok in drop or tok in frame_words():
            continue
        out.append(tok)
    return tuple(out)


def _named_document(text: str) -> str:
    quoted = QUOTED.search(text)
    if quoted:
        return quoted.group(1)
    numbers = doc_numbers(text)
    return numbers[0].normalised if numbers else ""


def _places(text: str) -> tuple[tuple[Place, ...], tuple[str, ...], list[tuple[int, int]]]:
    """The places a passage must be about, as written, and every place span (not content words).
    Places along a route (五指山至保亭至海棠湾高速公路) name a road, not where the answer is: only
    the route's start is a constraint."""
    mentions = gazetteer().find(text)
    seps = tuple(vocab().range_separators)
    places: list[Place] = []
    names: list[str] = []
    for i, m in enumerate(mentions):
        on_route = i > 0 and text[mentions[i - 1].end : m.start].strip() in seps
        if m.place not in places and not on_route:
            places.append(m.place)
            names.append(m.surface)
    return tuple(places), tuple(names), [(m.start, m.end) for m in mentions]


def _asks_date(text: str) -> bool:
    return any(kind == "date" and word in text for word, kind in _interrogatives())


def _analyse_one(text: str) -> Query:
    asked = asked_type(text)
    places, names, place_spans = _places(text)
    named = _named_document(text)
    fields = asked.fields
    # 《…》 or a document named by its kind (…的批复，是哪天发的 / …实施方案，是哪个机关、哪天印发的), asked
    # how it was issued
    of_document = bool(named) or mentions_document_kind(text)
    if of_document and not fields and asked.kind in _OF_NAMED_DOC and of_record(text, asked.kind):
        fields = (_OF_NAMED_DOC[asked.kind],)  # 《…》是哪个机关发的 / 哪天印发的: the named document's own record
        if asked.kind == "organisation" and _asks_date(text):
            fields = (*fields, DOC_DATE)  # 是哪个单位、哪天印发的
    # places are constraints (checked by the gate), not words to cover
    terms = content_terms(text, [*asked.spans, *place_spans])
    # a phrase the question quotes (“五公开”, “市县同权”) is a name the answer states as written, and
    # what the question is about
    quoted = tuple(q for q in quoted_phrases(text) if q not in terms)
    terms = (*terms, *quoted)
    focus = (*focus_terms(text, terms, asked.main), *quoted)
    return Query(
        text=text,
        answer_type=asked.kind,
        unit=asked.unit,
        counter=list_counter(text, asked.kind, asked.main),
        quoted=quoted,
        terms=terms,
        focus=focus,
        places=places,
        place_names=names,
        years=tuple(dict.fromkeys(years(text))),
        named_doc=named,
        fields=fields,
        given=frozenset((f.value, f.family) for f in figures(text)),
        asked_years=asked_years(text),
        figure_families=figure_families(text, asked.kind, asked.unit, asked.main, focus),
        subject=figure_subject(text, terms, asked.kind, asked.main, FOCUS_GAP),
        ordinals=tuple(ordinals(text)),
        organisations=organisations(text),
    )


def _sibling_place(part: Query, before: Query) -> Query:
    """A part naming a county by its short name (璧山, 永川) next to a part naming its neighbour
    (铜梁区…？璧山…？) asks about that county: the neighbour is the context the short name needs."""
    parents = {p.parent for p in before.places if p.parent}
    for term in part.terms:
        found = [p for p in gazetteer().lookup(term) if term in p.short and p.parent in parents]
        if len(found) == 1:
            terms = tuple(t for t in part.terms if t != term)
            return replace(part, places=(found[0],), place_names=(term,), terms=terms)
    return part


def analyse(question: str) -> Query:
    """The question, analysed once: answer type, content words, constraints and sub-questions.

    A compound question (…是多少？…是多少？) is split at its question marks; a part that names no
    place, year or document inherits the whole question's, so "铜梁区…？工业投资呢？" keeps 铜梁区."""
    text = normalise_question(question)
    whole = _analyse_one(text)
    pieces = [p for p in (s.strip() for s in _SPLIT_PARTS.split(text)) if len(p) > 2]
    if len(pieces) < 2:
        return whole
    parts: list[Query] = []
    for piece in pieces:
        part = _analyse_one(piece)
        if not part.answer_type and not part.terms:
            continue
        if parts and parts[-1].answer_type == "list" and not part.terms:
            continue  # 有哪些？说几个。: a request for some of the list just asked, not a question of its own
        if parts:  # a part naming no place, year or document continues the one before it
            before = parts[-1]
            own_place = bool(part.places)  # a part naming its own place asks anew: no year carries over
            if not part.places:
                part = _sibling_place(part, before)
            part = replace(
                part,
                places=part.places or before.places,
                place_names=part.place_names or before.place_names,
                years=part.years or (() if own_place else before.years),
                named_doc=part.named_doc or before.named_doc,
                # 一共放几天？ names nothing of its own: it asks about what the part before it does
                terms=part.terms or before.terms,
                asked_years=part.asked_years or (() if own_place else before.asked_years),
                ordinals=part.ordinals or before.ordinals,
                organisations=part.organisations or before.organisations,
            )
        if parts and parts[-1].is_metadata and part.answer_type == "date" and of_record(piece, "date"):
            # …用哪个文号印发的？哪天印发的？ / …落款日期是哪天？: the same record's date, of the same document
            part = replace(part, fields=(DOC_DATE,), terms=tuple(dict.fromkeys((*parts[-1].terms, *part.terms))))
        parts.append(part)
    if len(parts) < 2:
        return whole
    return replace(whole, parts=tuple(parts))


# ------------------------------------------------------------------ rewrite


def _constraint_prefix(previous: Query, current: Query) -> str:
    prefix = ""
    if not current.places and previous.place_names:
        prefix += "".join(previous.place_names)
    if not current.years and previous.years:
        prefix += "".join(f"{y}年" for y in previous.years)
    if not current.named_doc and previous.named_doc and QUOTED.search(previous.text):
        prefix += f"《{previous.named_doc}》"
    return prefix


def rule_rewrite(question: str, previous: str) -> str:
    """A follow-up made standalone without a model: the previous question's place, year and named
    document are carried over when the follow-up has none of its own; a follow-up with no content
    words but a new year or place (2022年呢？) is the previous question with that constraint swapped."""
    current, before = _analyse_one(question), _analyse_one(previous)
    if not current.terms and not current.answer_type and (current.years or current.places):
        swapped = previous
        for old, new in zip(before.years, current.years, strict=False):
            swapped = swapped.replace(str(old), str(new))
        for old_name, new_name in zip(before.place_names, current.place_names, strict=False):
            swapped = swapped.replace(old_name, new_name)
        return swapped
    prefix = _constraint_prefix(before, current)
    if not current.terms:
        # nothing to search for of its own (它的文号呢？): the previous question's subject carries over
        return f"{prefix}{' '.join(before.terms)} {question}".strip()
    return prefix + question


def rewrite(
    question: str,
    history: Sequence[tuple[str, str]] = (),
    llm: Callable[[str], str | None] | None = None,
) -> str:
    """The standalone question. With history, an LLM (the backend's ``complete``) rewrites it from
    prompts/rewrite.txt when one is configured; otherwise, or when its output is unusable, the rules do."""
    q = normalise_question(question)
    if not history:
        return q
    previous = ""
    for user_turn, _ in history:
        turn = normalise_question(user_turn)
        previous = rule_rewrite(turn, previous) if previous else turn
    if llm is not None:
        lines = "\n".join(f"用户：{u}\n助手：{a}" for u, a in history)
        try:
            out = llm(render("rewrite", history=lines, question=q))
        except Exception as exc:  # a flaky endpoint must not stop the answer: fall back to rules
            log.warning("LLM 改写问题失败，改用规则改写：%s", exc)
            out = None
        if out and out.strip():
            candidate = normalise_question(out.strip().splitlines()[0])
            if 2 <= len(candidate) <= 200:
                return candidate
    return rule_rewrite(q, previous)
