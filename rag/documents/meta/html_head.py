"""An HTML page's declared titles: <title>, og:title, <meta name="ArticleTitle">, site suffix removed.

"…的意见_政府信息公开专栏", "…公报 | 中国宜春", "…-××网" keep only the document's part; a head title
that, so cleaned, names no document (the site's own name, a column) is not used.
"""

from __future__ import annotations

from rag.documents.meta.labels import Found
from rag.documents.meta.page import Page, make_line
from rag.documents.meta.titles import MIN_TITLE_CHARS, clean_title, complete, title_like

RULE = "html_head"


def head_title(page: Page) -> Found | None:
    """The first declared title that still reads as a title once its site suffix is gone."""
    for raw in page.head_titles:
        cleaned = clean_title(raw)
        line = make_line(0, cleaned)
        if len(cleaned) >= MIN_TITLE_CHARS and complete(cleaned) and title_like(line):
            return Found("title", cleaned, RULE)
    return None
