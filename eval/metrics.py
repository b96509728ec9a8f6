"""Pure metric functions: retrieval quality without an LLM, answer, citation and refusal quality.

Every function takes plain values (strings, booleans, lists) and returns a number, so each one is
tested on small hand-computed examples and the runner only collects inputs.

Matching rule for evidence and answers (contract): ignore whitespace, pinyin annotations and
traditional/simplified differences. Both sides go through ``index.textnorm.fold_for_match``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy as np

from index.textnorm import fold_for_match

# ---------------------------------------------------------------- matching


def contains(passage: str, needle: str) -> bool:
    """True if ``needle`` occurs in ``passage`` after folding both (empty needles never match)."""
    folded = fold_for_match(needle)
    return bool(folded) and folded in fold_for_match(passage)


def evidence_matches(evidence: Sequence[str], passages: Sequence[str]) -> list[frozenset[int]]:
    """For each passage (in rank order), the indexes of the evidence strings it contains."""
    folded_evidence = [fold_for_match(e) for e in evidence]
    out: list[frozenset[int]] = []
    for passage in passages:
        p = fold_for_match(passage)
        out.append(frozenset(i for i, e in enumerate(folded_evidence) if e and e in p))
    return out


def novel_relevance(matches: Sequence[frozenset[int]]) -> list[bool]:
    """A passage is relevant if it brings an evidence string no higher-ranked passage brought.

    Overlapping chunks often repeat the same sentence; counting each evidence string once keeps
    nDCG within [0, 1] and makes recall@k the share of evidence found.
    """
    seen: set[int] = set()
    rel: list[bool] = []
    for m in matches:
        new = m - seen
        rel.append(bool(new))
        seen |= m
    return rel


def doc_relevance(sources: Sequence[str], gold_docs: Iterable[str]) -> list[bool]:
    """Whether each hit comes from a gold document (by source file name)."""
    gold = set(gold_docs)
    return [s in gold for s in sources]


# ---------------------------------------------------------------- retrieval metrics


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    """1.0 if any of the first k results is relevant."""
    return 1.0 if any(relevant[:k]) else 0.0


def reciprocal_rank(relevant: Sequence[bool], k: int | None = None) -> float:
    """1 / rank of the first relevant result (within the first k), 0.0 if none."""
    limit = relevant if k is None else relevant[:k]
    for rank, rel in enumerate(limit, start=1):
        if rel:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(relevant: Sequence[bool], k: int, n_relevant: int) -> float:
    """Binary-gain nDCG@k; the ideal ranking puts min(n_relevant, k) relevant results first."""
    ideal_count = min(n_relevant, k)
    if ideal_count <= 0:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, rel in enumerate(relevant[:k], start=1) if rel)
    idcg = sum(1.0 / math.log2(rank + 1) for rank in range(1, ideal_count + 1))
    return dcg / idcg


def recall_at_k(matches: Sequence[frozenset[int]], n_evidence: int, k: int) -> float:
    """Share of the evidence strings found in the first k passages."""
    if n_evidence <= 0:
        return 0.0
    found: set[int] = set()
    for m in matches[:k]:
        found |= m
    return len(found) / n_evidence


# ---------------------------------------------------------------- answer metrics


_YMD = re.compile(r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
_YM = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月|[-/](\d{1,2}))(?![\d日号/-])")


def normalise_dates(text: str) -> str:
    """Write dates one way (2024年6月4日, 2024/6/4 -> 2024-06-04; 2024年5月 -> 2024-05).

    Gold answers give dates as ISO or as written; a correct answer may use either form.
    """
    text = _YMD.sub(lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", text)
    return _YM.sub(lambda m: f"{m.group(1)}-{int(m.group(2) or m.group(3)):02d}", text)


def answer_correct(answer: str, answers: Sequence[str]) -> bool:
    """All gold strings occur in the answer (folded, dates in one format). No gold strings: never 'correct'."""
    if not answers:
        return False
    text = normalise_dates(fold_for_match(answer))
    return all((g := normalise_dates(fold_for_match(a))) and g in text for a in answers)


def citation_precision(cited_passages: Sequence[str], evidence: Sequence[str]) -> float | None:
    """Share of cited passages that contain at least one evidence string; None without citations."""
    if not cited_passages or not evidence:
        return None
    matches = evidence_matches(evidence, cited_passages)
    return sum(1 for m in matches if m) / len(cited_passages)


def citation_recall(cited_passages: Sequence[str], evidence: Sequence[str]) -> float | None:
    """Share of evidence strings contained in some cited passage; None if the item has no evidence."""
    if not evidence:
        return None
    found: set[int] = set()
    for m in evidence_matches(evidence, cited_passages):
        found |= m
    return len(found) / len(evidence)


# ---------------------------------------------------------------- aggregation


def mean(values: Iterable[float | None]) -> float | None:
    """Mean over the values that apply (None = metric not applicable to that item)."""
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def rate(flags: Iterable[bool | None]) -> float | None:
    """Share of True among the flags that apply."""
    present = [bool(f) for f in flags if f is not None]
    return sum(present) / len(present) if present else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolation percentile (numpy's default), None for no values."""
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=float), q))
