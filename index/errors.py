"""Errors of the search library. The application wraps them in its own RagError messages."""

from __future__ import annotations


class SearchIndexError(Exception):
    """Base of index errors."""


class IncompatibleIndexError(SearchIndexError):
    """The saved index was built with another format, model or tokenizer: rebuild it."""


class CorruptIndexError(SearchIndexError):
    """A saved index file is missing or its checksum does not match."""


class EmbedderUnavailableError(SearchIndexError):
    """The embedding model cannot be loaded (not installed, path missing)."""
