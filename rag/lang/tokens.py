"""The index tokenizer as the application builds it: jieba plus this package's protected spans.

index/ must not import rag, so its Tokenizer takes the span finder as an argument; this is the
one place that joins them. The version of the data files that decide the spans goes into the
tokenizer version (and so into the index manifest): editing units.tsv asks for a rebuild.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from index.tokenizer import Tokenizer
from rag.lang.data import read_text
from rag.lang.extract import protected_tokens

# The data files whose content changes which spans protected_spans() returns.
_SPAN_DATA = (
    "units.tsv",
    "multipliers.tsv",
    "unit_prefixes.tsv",
    "approximators.tsv",
    "range_separators.txt",
    "doc_number_suffixes.txt",
    "doc_number_order_suffixes.txt",
    "doc_number_lead_ins.txt",
)
SPAN_REVISION = "lang-2"  # bump when the grammars in rag/lang change the spans they find


def spans_version() -> str:
    """Revision of the span grammars plus a hash of the data files they read."""
    digest = hashlib.sha256("\0".join(read_text(name) for name in _SPAN_DATA).encode("utf-8")).hexdigest()[:10]
    return f"{SPAN_REVISION}.{digest}"


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """The shared tokenizer for index and query (jieba's dictionary loads once, ~0.3 s)."""
    return Tokenizer(protect=protected_tokens, protect_version=spans_version())
