"""The one loader of rag/data/page_vocab.toml: the words of government pages (field labels, site and
navigation words, footer cues) that metadata extraction and cleaning recognise.

Keeping them in one data file means a new site's wording is a data change a reviewer can read, and
the rules in code stay about layouts.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FIELDS = ("title", "doc_number", "issuer", "date", "publish_date", "source", "other")


@dataclass(frozen=True)
class PageVocab:
    labels: dict[str, tuple[str, ...]]  # field -> labels (simplified), longest first
    page_meta_labels: tuple[str, ...]
    site_words: tuple[str, ...]
    official_markers: tuple[str, ...]
    subject_openings: tuple[str, ...]
    reply_openings: tuple[str, ...]
    breadcrumb_cues: tuple[str, ...]
    breadcrumb_separators: tuple[str, ...]
    nav_words: frozenset[str]
    file_suffixes: tuple[str, ...]
    widget_cues: tuple[str, ...]
    chrome_labels: frozenset[str]
    not_issuers: frozenset[str]
    site_suffixes: tuple[str, ...]
    site_owner_labels: tuple[str, ...]
    sub_county_units: tuple[str, ...]
    not_document_date: tuple[str, ...]
    footer_cues: tuple[str, ...]
    doc_type: dict[str, object]  # formulas of untitled documents and news datelines (see the data file)

    def field_of(self, label: str) -> str:
        """The field a (space-free, folded) label fills; "other" for labels metadata does not keep."""
        for name in FIELDS:
            if label in self.labels[name]:
                return name
        return "other"


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def page_vocab() -> PageVocab:
    raw = tomllib.loads(resources.files("rag").joinpath("data/page_vocab.toml").read_text(encoding="utf-8"))
    labels = {name: _longest_first(raw["labels"].get(name, [])) for name in FIELDS}
    return PageVocab(
        labels=labels,
        page_meta_labels=_longest_first(raw["labels"]["page_meta"]),
        site_words=_longest_first(raw["title"]["site_words"]),
        official_markers=_longest_first(raw["title"]["official_markers"]),
        subject_openings=tuple(raw["title"]["subject_openings"]),
        reply_openings=tuple(raw["title"]["reply_openings"]),
        breadcrumb_cues=_longest_first(raw["title"]["breadcrumb_cues"]),
        breadcrumb_separators=tuple(raw["title"]["breadcrumb_separators"]),
        nav_words=frozenset(raw["title"]["nav_words"]),
        file_suffixes=tuple(raw["title"]["file_suffixes"]),
        widget_cues=tuple(raw["title"]["widget_cues"]),
        chrome_labels=frozenset(raw["title"]["chrome_labels"]),
        not_issuers=frozenset(raw["issuer"]["not_issuers"]),
        site_suffixes=_longest_first(raw["issuer"]["site_suffixes"]),
        site_owner_labels=_longest_first(raw["issuer"]["site_owner_labels"]),
        sub_county_units=_longest_first(raw["issuer"]["sub_county_units"]),
        not_document_date=tuple(raw["date"]["not_document_date"]),
        footer_cues=tuple(raw["footer"]["cues"]),
        doc_type=dict(raw["doc_type"]),
    )
