"""Metadata of a document (title, 文号, issuer, date, region, doc_type) by readable layout rules.

Each layout family is a named extractor in rag/documents/meta/ (header tables and key-value blocks,
label-free value lists, HTML head titles, the body's title line, the 落款, source lines, the
opening authority, the 文号 line, date notes); rag/documents/meta/combine.py chooses each field
from what they read in one documented precedence. Chinese-language knowledge (places, dates, 文号,
document types, organisation suffixes) comes from rag.lang; page wording (labels, site and
navigation words) from rag/data/page_vocab.toml.
"""

from __future__ import annotations

from rag.documents.meta.combine import extract
from rag.models import CleanText, DocMeta, LoadedFile


def extract_meta(loaded: LoadedFile, cleaned: CleanText) -> DocMeta:
    """DocMeta for one document; a field no rule finds is None (the title falls back to the file name)."""
    return extract(loaded, cleaned)
