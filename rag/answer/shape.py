"""The shape of a sentence, read from data: what kind of answer it can hold and what it only frames.

The selector (rag.answer.select) multiplies each sentence's coverage by how well its shape fits the
asked answer type. Three things decide a shape beyond figures and dates, all as word lists in
rag/lang/data so a new kind of document needs no code:

* cues (answer_cues.tsv): a reason states a cause (由于, 属于, 无法…), a measure an action (将, 纳入…),
  an asked date is a deadline, a start or a range (前, 起, 至…), not just any date;
* formulas (letter_formulas.txt): the greeting and the thanks of a reply (…收悉，现答复如下；感谢…关心
  和支持) restate the question or close the letter, they answer nothing;
* page dates (page_date_labels.txt): 发布时间：… is when the page went out, not a date the text is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import rjieba

from index.textnorm import fold
from rag.answer.passages import SentenceFacts
from rag.lang import month_days, split_clauses, vocab
from rag.lang.data import read_list, read_pairs
from rag.lang.numerals import alternation

HEADING_MAX = 24  # characters of a line that can be a heading of what follows (一、禁燃禁放时间)
TERMINAL = "。；;！？!?，,"
# typography of a numbered heading: 一、 （二） (3) 4. 第五条
_ORDINAL = re.compile(r"\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|第[一二三四五六七八九十百\d]+[条章节部分])")
_DATE_ONLY = re.compile(r"[\d年月日号\-./:：\s()（）星期一二三四五六日天时分]+")


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for word, kind in read_pairs("answer_cues.tsv"):
        out.setdefault(kind, []).append(fold(word))
    return {k: tuple(v) for k, v in out.items()}


def cues(kind: str) -> tuple[str, ...]:
    """The cue words of an answer type (empty for a type without cues)."""
    return _cues().get(kind, ())


@lru_cache(maxsize=1)
def formulas() -> tuple[str, ...]:
    return tuple(fold(w) for w in read_list("letter_formulas.txt"))


@lru_cache(maxsize=1)
def _page_date_label() -> re.Pattern[str]:
    labels = sorted((re.escape(fold(w)) for w in read_list("page_date_labels.txt")), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(labels)})\s*[:：]?\s*[\d〇○一二三四五六七八九十]")


def is_formula(clause: str) -> bool:
    """The clause holds a formula of a letter's opening or closing."""
    return any(f in clause for f in formulas())


def formula_prefix(text: str) -> int:
    """Characters at the start of ``text`` that are the letter's greeting: up to its last formula
    clause ending at a colon (…收悉，现答复如下：), with the formula clauses right after it (首先感谢…，)."""
    clauses = split_clauses(text)
    end, last = 0, -1
    for i, clause in enumerate(clauses):
        if is_formula(fold(clause.text)) and clause.text.rstrip().endswith((":", "：")):
            end, last = clause.end, i
    if last < 0:
        return 0
    for clause in clauses[last + 1 :]:
        if not is_formula(fold(clause.text)):
            break
        end = clause.end
    return end if text[end:].strip() else 0


def all_formula(text: str) -> bool:
    """Every clause of the sentence is formula (or an address line before one): it answers nothing."""
    clauses = [c.text for c in split_clauses(text) if c.text.strip()]
    return (
        bool(clauses)
        and any(is_formula(c) for c in clauses)
        and all(is_formula(c) or c.rstrip().endswith((":", "：")) for c in clauses)
    )


def formula_split(text: str) -> tuple[str, str]:
    """(the clauses of ``text`` that are no formula, the formula clauses): words in the second only
    restate the question."""
    body: list[str] = []
    frame: list[str] = []
    for clause in split_clauses(text):
        (frame if is_formula(fold(clause.text)) else body).append(clause.text)
    return "".join(body), "".join(frame)


def has_cue(kind: str, text: str) -> bool:
    return any(c in text for c in cues(kind))


def is_page_date(sentence: SentenceFacts) -> bool:
    """The sentence is a page's or record's own date: a labelled header date or a bare date line."""
    text = sentence.folded.strip()
    return bool(_page_date_label().search(text)) or bool(_DATE_ONLY.fullmatch(text.rstrip("。;；")))


def is_heading(sentence: SentenceFacts) -> bool:
    """A short line without closing punctuation (一、交通管制时间): it names what the next lines state."""
    text = sentence.folded.strip()
    return (
        0 < len(text) <= HEADING_MAX
        and not text.endswith(tuple(TERMINAL))
        and not sentence.dates
        and not month_days(text)
    )


# a numbered item's mark at the start of a line: 一是 / （一） / 1.; with the unnumbered marks and 一、:
# any item's (——权责一致。 / ·)
_NUMBERED = r"[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.、．]"
_NUMBERED_ITEM = re.compile(rf"^\s*(?:[一二三四五六七八九十]{{1,2}}是|{_NUMBERED})")
_ITEM_MARK = re.compile(rf"^\s*(?:——|－|·|•|●|{_NUMBERED}|[一二三四五六七八九十]{{1,2}}[是、])")


def starts_item(sentence: SentenceFacts) -> bool:
    """The sentence opens with an item's mark (——权责一致。, （一）…, 1.…)."""
    return bool(_ITEM_MARK.match(sentence.folded))


def starts_numbered_item(text: str) -> bool:
    """The text opens with a numbered item's mark (四是…, （四）…, 4.…)."""
    return bool(_NUMBERED_ITEM.match(text))


def is_section_heading(sentence: SentenceFacts) -> bool:
    """A numbered heading line (一、公示时间 / （二）… / 第三条): it names a section, it states nothing."""
    return is_heading(sentence) and bool(_ORDINAL.match(sentence.folded))


def date_fit(sentence: SentenceFacts) -> float:
    """1 for a deadline, start or range (…前, …起至…止), less for the page's own date, 0 without a date."""
    found = bool(sentence.dates) or bool(month_days(sentence.folded))
    if not found:
        return 0.4 if sentence.years else 0.0
    if is_page_date(sentence):
        return PAGE_DATE_FIT
    if has_cue("date", sentence.folded) or len(sentence.dates) + len(month_days(sentence.folded)) >= 2:
        return 1.0
    return PLAIN_DATE_FIT


PAGE_DATE_FIT = 0.5  # 发布时间：2018-11-12 / a signature date: the page's date, rarely what is asked
PLAIN_DATE_FIT = 0.85  # a date without a deadline or range word


_NAME = r"[\u4e00-\u9fff]{2,3}"  # a Chinese personal name: surname + one or two characters


@lru_cache(maxsize=1)
def person_roles() -> tuple[str, ...]:
    """Role words that name a person rather than an office (书记, 市长; not 局, 委)."""
    orgs = {fold(w) for w in vocab().org_suffixes}
    return tuple(sorted({fold(w) for w in vocab().role_words if w and fold(w) not in orgs}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _roles() -> str:
    """The person roles as one regex alternation, longest first."""
    return alternation(person_roles())


@lru_cache(maxsize=1)
def _name_line() -> re.Pattern[str]:
    """A byline: a person's role right next to a name (区委书记 某某 / 某某市长), nothing else after."""
    alt = _roles()
    return re.compile(rf"(?:(?:{alt})(?P<sep>[\s:：]*)(?P<after>{_NAME})|(?:^|[的\s])(?P<before>{_NAME})(?:{alt}))$")


@lru_cache(maxsize=4096)
def is_person_name(text: str) -> bool:
    """No ordinary word (例会, 各位, 负责): jieba tags it a name, or does not know it at all."""
    return rjieba.tag(text) == [(text, "nr")] or not rjieba.has_word(text)


# a labelled field of a page or letter (承办人:谢以凡, 签发人：马文忠, 牵头单位：区发改委): a short
# label, a colon, a short value on one line
# (a label may be spaced out by the page's layout: 承 办 人:韦立咏 18978293092; or bracketed: (联系人:夏五洲))
_FIELD = re.compile(
    r"^\s*[(（]?\s*(?P<label>[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,7})\s*[:：]\s*"
    r"(?P<value>[^\n:：。；;()（）]{1,30}?)\s*[)）]?\s*[。.]?\s*$"
)


def field_label(sentence: SentenceFacts) -> str:
    """The label of a one-line ``label：value`` field (spaces inside it removed), or ""."""
    found = _FIELD.match(sentence.folded)
    return re.sub(r"[ \u3000]", "", found.group("label")) if found else ""


_BARE_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")  # a byline that is a name alone (周生信)


def _bylines(sentence: SentenceFacts) -> Iterator[tuple[str, bool]]:
    """Per line that reads as a byline: its name, and whether the line surely is one (a separator
    after the role, a word jieba takes for a name, or a name alone under a speech's title: 周生信)."""
    for line in sentence.folded.splitlines():
        text = line.strip().rstrip(":：")
        found = _name_line().search(text) if 0 < len(text) <= HEADING_MAX else None
        if found:
            name = found.group("after") or found.group("before")
            yield name, bool(found.group("sep")) or is_person_name(name)
        elif _BARE_NAME.fullmatch(text) and rjieba.tag(text) == [(text, "nr")]:
            yield text, True


def line_names(sentence: SentenceFacts) -> tuple[str, ...]:
    """The personal names the sentence's bylines give (刘世群 of 刘世群代表:)."""
    return tuple(name for name, _ in _bylines(sentence))


@lru_cache(maxsize=1)
def _person_in_text() -> re.Pattern[str]:
    """A role right before a name (局长甘扬生, 科长王凡勇), or a name before 同志 (王凡勇同志)."""
    alt = _roles()
    return re.compile(rf"(?:{alt})(?P<after>{_NAME}?)(?=同志)|(?:{alt})(?P<plain>{_NAME})(?=[，,、。；;\s]|$)")


def people_named(sentence: SentenceFacts) -> tuple[str, ...]:
    """Personal names the sentence gives with a role (市卫生健康局局长甘扬生同志要求…)."""
    out = []
    for m in _person_in_text().finditer(sentence.folded):
        name = m.group("after") or m.group("plain")
        if name and is_person_name(name):
            out.append(name)
    return tuple(out)


def is_name_line(sentence: SentenceFacts) -> bool:
    """A short line ending in a role and a name (…代表联络室主任李文 / 市长:某某 / 尊敬的某某代表:):
    it says who speaks, signs or is addressed."""
    return any(sure for _, sure in _bylines(sentence))
