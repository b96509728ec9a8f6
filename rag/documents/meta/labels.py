"""Field labels of page headers ("索 引 号:", "发布机构 |", "【发布文号】") found in a line.

A label counts where a header cell starts (line start, after a gap, a "|" or a bracket) and where
one ends (a colon, a bracket, a "|", a space or the line end), so "时间" inside a sentence is not a
label. Spaces inside a label are allowed ("文  号").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.documents.meta.page import Line
from rag.documents.page_vocab import FIELDS, page_vocab


@dataclass(frozen=True)
class Found:
    """One value an extractor read, and where: extractors return these, combine.py chooses."""

    field: str  # title, doc_number, issuer, date, publish_date, source
    value: str
    rule: str  # the extractor that read it, for logs and tests
    line: int = 0
    precision: str | None = None  # of a date: day, month, year


@dataclass(frozen=True)
class LabelHit:
    field: str
    label: str
    start: int  # in line.key
    end: int  # after the label and its separator


def _spaced(label: str) -> str:
    return r"\s*".join(map(re.escape, label))


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    vocab = page_vocab()
    labels = sorted({lb for name in FIELDS for lb in vocab.labels[name]}, key=len, reverse=True)
    alternatives = "|".join(_spaced(lb) for lb in labels)
    return re.compile(
        r"(?:^|(?<=[\s|｜】\]:：;；]))[【\[]?(" + alternatives + r")(?:\s*[】\]]|(?=[\s:：|｜]|$))\s*[:：]?\s*[|｜]?"
    )


def label_hits(line: Line) -> list[LabelHit]:
    vocab = page_vocab()
    hits = []
    for m in _label_pattern().finditer(line.key):
        label = re.sub(r"\s", "", m.group(1))
        hits.append(LabelHit(vocab.field_of(label), label, m.start(), m.end()))
    return hits


def cells(line: Line) -> list[tuple[LabelHit, str]]:
    """(label, value as written) for each label in the line; a value runs to the next label."""
    hits = label_hits(line)
    out = []
    for i, hit in enumerate(hits):
        end = hits[i + 1].start if i + 1 < len(hits) else len(line.key)
        value = line.span(hit.end, end).strip(" |｜:：【】[]")
        out.append((hit, value))
    return out


def is_label_only(line: Line) -> LabelHit | None:
    """A line holding just a label ("索引号", "- 发文机构", "文件名称:"): its value is on the next line."""
    hits = label_hits(line)
    if len(hits) == 1 and not line.span(hits[0].end, len(line.key)).strip(" |｜:："):
        return hits[0] if hits[0].start == 0 else None
    return None


def starts_with_label(line: Line, fields: tuple[str, ...] | None = None) -> bool:
    hits = label_hits(line)
    return bool(hits) and hits[0].start == 0 and (fields is None or hits[0].field in fields)
