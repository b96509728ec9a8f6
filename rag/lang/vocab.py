"""Chinese-language vocabulary as one typed value: units, multipliers, document types, question words.

Everything here is read from rag/lang/data/ (see rag.lang.data); the algorithms that use it
(figures, answer types, doc_type, issuer) hold no word lists of their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

from index.textnorm import fold
from rag.lang.data import read_list, read_pairs, read_table

_TRAILING_REMARK = re.compile(r"(?:\s*[(（〔\[【][^()（）〔〕\[\]【】]{0,30}[)）〕\]】])+\s*$")
_TITLE_CLOSERS = "".join(("》", "」", "』", "”", '"', "'", "）", ")"))


@dataclass(frozen=True)
class Vocab:
    """The word lists and tables of rag/lang/data/, loaded once."""

    units: Mapping[str, str]  # unit/measure word -> family (公里 -> length, 千米 -> length, 元 -> money)
    multipliers: Mapping[str, float]  # 万 -> 1e4, 亿 -> 1e8, 千 -> 1e3
    doc_types: tuple[tuple[str, str], ...]  # (title ending, doc_type), longest ending first
    doc_type_values: tuple[str, ...]  # every doc_type value (复函 方案 汇报 讲话 通知 新闻 其他 + GB/T types)
    interrogatives: tuple[tuple[str, str], ...]  # (question word, answer type), longest first
    role_words: tuple[str, ...]  # 代表 委员 局 委 办 …
    org_suffixes: tuple[str, ...]  # endings of organisation names, longest first
    # Added beyond the first API (all from data):
    unit_canonical: Mapping[str, tuple[str, Decimal]]  # unit -> (canonical unit, factor): 千米 -> (公里, 1)
    unit_prefixes: Mapping[str, str]  # 百分之 -> %
    approximators: Mapping[str, str]  # 约 -> prefix, 余 -> infix, 左右 -> suffix
    range_separators: tuple[str, ...]  # - ~ — 至 到
    doc_number_suffixes: tuple[str, ...]  # 机关代字 endings (发 函 字 办 令 …)
    doc_number_order_suffixes: tuple[str, ...]  # 令: numbered without a year (渝府令第121号)
    doc_number_lead_ins: tuple[str, ...]  # words before a 文号 that are not its agency (根据 按照 …)
    national_terms: tuple[str, ...]  # 全国 国务院 …: central level, not a place

    def doc_type(self, title: str) -> str:
        """The doc_type a title's closing words give (…的答复 -> 复函), else 其他.

        Traditional script and pinyin are folded first, and trailing bracketed remarks are not the
        closing words: …发展规划(2021—2025年) -> 方案, …的通知（征求意见稿） -> 通知.
        """
        stripped = _TRAILING_REMARK.sub("", fold(title).strip()).rstrip(_TITLE_CLOSERS)
        for ending, doc_type in self.doc_types:
            if stripped.endswith(ending):
                return doc_type
        return "其他"

    def answer_type(self, question: str) -> str | None:
        """The answer type of the longest question word in ``question`` (多少 -> figure), or None."""
        best: tuple[int, str] | None = None
        for word, kind in self.interrogatives:
            if word in question and (best is None or len(word) > best[0]):
                best = (len(word), kind)
        return best[1] if best else None

    def interrogative_words(self, question: str) -> list[tuple[str, str]]:
        """Every (question word, answer type) in ``question``, longest first, no word inside a longer one."""
        found: list[tuple[int, int, str, str]] = []
        for word, kind in self.interrogatives:
            start = question.find(word)
            while start >= 0:
                end = start + len(word)
                if not any(s <= start and end <= e for s, e, _, _ in found):
                    found.append((start, end, word, kind))
                start = question.find(word, start + 1)
        return [(w, k) for _, _, w, k in sorted(found, key=lambda f: (f[0] - f[1], f[0]))]


def _longest_first(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The shared vocabulary (cached: the files are read once per process)."""
    unit_rows = read_table("units.tsv", 4)
    return Vocab(
        units=MappingProxyType({u: fam for u, fam, _, _ in unit_rows}),
        multipliers=MappingProxyType({w: float(v) for w, v in read_pairs("multipliers.tsv")}),
        doc_types=_longest_first(read_pairs("doc_types.tsv")),
        doc_type_values=tuple(read_list("doc_type_values.txt")),
        interrogatives=_longest_first(read_pairs("interrogatives.tsv")),
        role_words=tuple(read_list("role_words.txt")),
        org_suffixes=tuple(sorted(read_list("org_suffixes.txt"), key=len, reverse=True)),
        unit_canonical=MappingProxyType({u: (c or u, Decimal(f or "1")) for u, _, c, f in unit_rows}),
        unit_prefixes=MappingProxyType(dict(read_pairs("unit_prefixes.tsv"))),
        approximators=MappingProxyType(dict(read_pairs("approximators.tsv"))),
        range_separators=tuple(read_list("range_separators.txt")),
        doc_number_suffixes=tuple(read_list("doc_number_suffixes.txt")),
        doc_number_order_suffixes=tuple(read_list("doc_number_order_suffixes.txt")),
        doc_number_lead_ins=tuple(sorted(read_list("doc_number_lead_ins.txt"), key=len, reverse=True)),
        national_terms=tuple(read_list("national_terms.txt")),
    )
