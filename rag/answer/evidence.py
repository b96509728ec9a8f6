"""How well passages cover a question: the signal behind every refusal.

The raw retrieval score says a passage is the *closest* one, not that it answers: a question about
北京市's storage subsidies retrieves Chongqing's storage plans with a fine score. So the evidence
score asks whether the question's key terms are actually there: its places and years (hard
constraints: missing means 0), its asked attribute (focus) and its other content words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from index.textnorm import fold
from rag.answer.listing import named_by_items
from rag.answer.passages import Passage
from rag.answer.query import QueryTerms, place_in

FOCUS_WEIGHT = 0.6
PERIOD_WORDS = frozenset(["一季度", "二季度", "三季度", "四季度", "上半年", "下半年"])


@dataclass(frozen=True)
class Evidence:
    """The best passage's coverage of the question, in [0, 1], and what is missing."""

    score: float
    best: int  # passage number n, 0 when there is none
    missing: tuple[str, ...] = ()


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def phrase_coverage(tokens: Sequence[str], text: str) -> float:
    """Share of a phrase found in ``text``: by whole tokens or by character bigrams, whichever is higher.

    Bigrams forgive paraphrase (规模以上工业总产值 vs 规上工业总产值) without accepting a single
    shared word (补贴标准 vs 高标准) as coverage.
    """
    if not tokens:
        return 1.0
    total = sum(len(t) for t in tokens)
    by_token = sum(len(t) for t in tokens if t in text) / total
    grams = bigrams("".join(tokens))
    by_bigram = len({g for g in grams if g in text}) / len(grams) if grams else by_token
    return max(by_token, by_bigram)


def term_coverage(terms: Iterable[tuple[str, float]], text: str) -> float:
    pairs = list(terms)
    total = sum(w for _, w in pairs)
    if total == 0:
        return 1.0
    return sum(w for t, w in pairs if t in text) / total


def context_of(passage: Passage) -> str:
    """What a passage says about itself: title, headings, region and date as well as its text (folded)."""
    meta = passage.meta
    parts = [passage.title, str(meta.get("heading_path") or ""), str(meta.get("region") or ""), passage.section]
    parts.append(passage.text)
    parts.append(str(meta.get("date") or ""))
    return fold(" ".join(parts))


def missing_constraints(terms: QueryTerms, context: str) -> tuple[str, ...]:
    """Places and years the question names that the passage does not."""
    missing = [p for p in terms.places if not place_in(p, context)]
    missing += [y for y in terms.years if y not in context]
    missing += [n for n in terms.numbers if n not in context]
    # 一季度/上半年 bound the period like a year: a passage of annual (全年) figures does not answer them
    if not any(p in context for p in PERIOD_WORDS) and "全年" in context:
        missing += [t for t, _ in terms.terms if t in PERIOD_WORDS]
    return tuple(missing)


def passage_score(terms: QueryTerms, passage: Passage) -> tuple[float, tuple[str, ...]]:
    context = context_of(passage)
    missing = missing_constraints(terms, context)
    if missing:
        return 0.0, missing
    content = term_coverage(terms.terms, context)
    text = fold(passage.text)
    asked = terms.focus
    if terms.category:  # 哪些城市 answered by "深圳、上海等地": the listed items name the asked kind
        asked = tuple(t for t in asked if not named_by_items(t, text, head=t == terms.category[-1]))
    if not asked:
        return (content, ()) if not terms.focus else ((1 - FOCUS_WEIGHT) * content + FOCUS_WEIGHT, ())
    focus = phrase_coverage(asked, text)
    return (1 - FOCUS_WEIGHT) * content + FOCUS_WEIGHT * focus, ()


def assess(terms: QueryTerms, passages: Sequence[Passage]) -> Evidence:
    """The best-covered passage; score 0 with the missing places/years when no passage names them."""
    best = Evidence(0.0, 0, ())
    all_missing: list[str] = []
    for passage in passages:
        score, missing = passage_score(terms, passage)
        all_missing.extend(m for m in missing if m not in all_missing)
        if score > best.score:
            best = Evidence(score, passage.n, ())
    if best.best == 0:
        return Evidence(0.0, 0, tuple(all_missing))
    return best
