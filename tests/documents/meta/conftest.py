"""Pages for the layout extractors: short invented texts in the shape of real government pages."""

from __future__ import annotations

from rag.documents.meta.page import Page, read_page


def page(text: str, head_titles: tuple[str, ...] = ()) -> Page:
    return read_page(text, head_titles)
