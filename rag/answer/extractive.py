"""The default backend: answers by quoting sentences of the retrieved passages, no model needed.

It picks the sentences that answer the question (the asked attribute is there, a figure is there
when the question asks 多少/几/比例, the year and place match), quotes them with their [n], and
yields nothing when no sentence qualifies, which the chain turns into a refusal. Its output goes
through the same citation verification as an LLM's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from index.textnorm import fold
from rag.answer.citations import extract
from rag.answer.evidence import context_of, missing_constraints, phrase_coverage, term_coverage
from rag.answer.passages import Passage
from rag.answer.query import QueryTerms, key_terms

MIN_FOCUS = 0.6  # share of the asked attribute a quoted sentence must contain
MIN_CONTENT = 0.5  # without a clear attribute: share of the question's content words
LONG_SENTENCE = 60  # longer sentences are trimmed to the clauses that answer
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_CLAUSE = re.compile(r"[^,，；;：:]+[,，；;：:]?")
_END = "。！？!?；;,，：: \n"


@dataclass(frozen=True)
class Pick:
    """A quoted span of passage ``n`` and why it was chosen."""

    n: int
    quote: str
    score: float


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip().strip(_END)) >= 6]


def _trim(sentence: str, terms: QueryTerms) -> str:
    """The clauses of a long sentence that answer, as one contiguous span (so the quote stays verbatim)."""
    if len(sentence) <= LONG_SENTENCE:
        return sentence
    clauses = _CLAUSE.findall(sentence)
    if len(clauses) < 2:
        return sentence
    folded = [fold(c) for c in clauses]

    def clause_score(i: int) -> float:
        has_fig = bool(extract(clauses[i]))
        return (
            phrase_coverage(terms.focus, folded[i]) * 2
            + term_coverage(terms.terms, folded[i])
            + (0.5 if terms.wants_figure and has_fig else 0.0)
        )

    best = max(range(len(clauses)), key=clause_score)
    start, end = best, best + 1
    if terms.wants_figure and not extract(clauses[best]):
        while end < len(clauses) and end - best < 3 and not extract(clauses[end - 1]):
            end += 1
    # Keep a short leading clause that sets the time or place (2023年,…) when it is close by.
    if (
        best == 1
        and len(clauses[0]) <= 16
        and (any(y in folded[0] for y in terms.years) or re.search(r"\d{4}年|年以来|一季度|全年", folded[0]))
    ):
        start = 0
    return "".join(clauses[start:end]).strip()


def _sentence_score(terms: QueryTerms, sentence: str, rank: int) -> float | None:
    """None if the sentence cannot answer; otherwise higher is better."""
    folded = fold(sentence)
    has_figure = bool(extract(sentence))
    if terms.wants_figure and not has_figure:
        return None
    focus = phrase_coverage(terms.focus, folded) if terms.focus else 0.0
    content = term_coverage(terms.terms, folded)
    if terms.focus and (focus < MIN_FOCUS or phrase_coverage(terms.focus[-1:], folded) < 0.5):
        return None  # the head of the attribute (补贴 in 新型储能补贴) must be there, not just its modifiers
    if content < MIN_CONTENT:
        return None
    stated_years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?=年)", folded))
    if terms.years and stated_years and not stated_years & set(terms.years):
        return None  # the sentence is about another year (2023年 data for a 2024 question)
    score = 1.5 * focus + content + 0.1 / rank
    score += 0.3 * sum(1 for y in terms.years if y in folded)
    return score


def select(question: str, passages: Sequence[Passage], max_sentences: int = 3) -> list[Pick]:
    """The best-answering sentences across passages, best first, at most one per passage.

    Only passages that name the question's places and years qualify. Sentences scoring well
    below the best are left out: a short exact answer beats three loosely related quotes.
    """
    terms = key_terms(question)
    candidates: list[Pick] = []
    for rank, passage in enumerate(passages, start=1):
        if missing_constraints(terms, context_of(passage)):
            continue
        best: Pick | None = None
        for sentence in _sentences(passage.text):
            score = _sentence_score(terms, sentence, rank)
            if score is not None and (best is None or score > best.score):
                best = Pick(passage.n, sentence, score)
        if best is not None:
            candidates.append(best)
    candidates.sort(key=lambda p: -p.score)
    if not candidates:
        return []
    top = candidates[0].score
    chosen: list[Pick] = []
    seen: set[str] = set()
    for pick in candidates:
        quote = _trim(pick.quote, terms)
        key = fold(quote)
        if pick.score < 0.85 * top or key in seen:
            continue
        seen.add(key)
        chosen.append(Pick(pick.n, quote, pick.score))
        if len(chosen) >= max_sentences:
            break
    return chosen


def sub_questions(question: str) -> list[str]:
    """Parts of a compound question split at ？/；, each completed with the place and year of the first part."""
    parts = [p.strip() for p in re.split(r"[？?；;]", question) if len(p.strip()) >= 4]
    if len(parts) < 2:
        return [question]
    first = key_terms(parts[0])
    out = [parts[0] + "？"]
    for part in parts[1:]:
        terms = key_terms(part)
        prefix = "" if terms.places else "".join(first.places)
        prefix += "" if terms.years else "".join(f"{y}年" for y in first.years)
        out.append(prefix + part + "？")
    return out


def format_pick(pick: Pick) -> str:
    """``quote[n]。``: the mark before the end punctuation, as the LLM prompt asks too."""
    return f"{pick.quote.rstrip(_END)}[{pick.n}]。"


class ExtractiveBackend:
    """Quotes passage sentences with their [n]; needs no model, the default."""

    name = "extractive"

    def __init__(self, max_sentences: int = 3) -> None:
        self.max_sentences = max_sentences

    def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]:
        parts = sub_questions(question)
        if len(parts) == 1:
            for pick in select(question, passages, self.max_sentences):
                yield format_pick(pick)
            return
        # A compound question (…是多少？…是多少？): one answer per part, or none at all.
        per_part = [select(part, passages, 1) for part in parts]
        if not all(per_part):
            return
        seen: set[str] = set()
        for picks in per_part:
            if picks[0].quote not in seen:
                seen.add(picks[0].quote)
                yield format_pick(picks[0])

    def complete(self, prompt: str) -> str | None:
        """No model: query rewriting falls back to rules."""
        return None
