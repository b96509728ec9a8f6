"""doc_type from the title's closing words (vocab().doc_types), else from the text's own formulas.

A 通知 that issues a plan stays 通知: only the closing words count. A strong news dateline opening
the text ("据新华社北京12月25日电") makes a page a news report whatever its title quotes; a weak one
(a lead opening "4月26日上午," or citing a 记者) or a publication line only when the title names no
type and is no official one (关于/印发/转发).
Untitled texts are read by their formulas: 特此通告 / 现答复如下 / 作出如下决定 / 本预案…; an
adoption note, a report to an assembly, a greeting to an audience. The formulas are data.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.documents.meta.body_title import is_page_meta
from rag.documents.meta.page import Page
from rag.documents.meta.titles import closing_type, closing_words
from rag.documents.page_vocab import page_vocab


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    cfg = page_vocab().doc_type
    words = "|".join(re.escape(w) for w, _ in closing_words())
    out: dict[str, list[re.Pattern[str]]] = {}
    for name in ("formulas", "transmittal", "adoption", "report", "speech", "news_strong", "news_weak"):
        raw = cfg.get(name, [])
        assert isinstance(raw, list)
        out[name] = [re.compile(str(p).replace("{type}", f"(?P<type>{words})")) for p in raw]
    return out


def _type_of_word(word: str) -> str | None:
    return dict(closing_words()).get(word)


def _lead_text(page: Page) -> str:
    """The first paragraph of running text (a news report's lead)."""
    start = page.body_start
    return page.lines[start].key if start < len(page.lines) else ""


def _any(name: str, text: str) -> bool:
    return any(p.search(text) for p in _patterns()[name])


def find_doc_type(title: str | None, page: Page) -> str:
    cfg = page_vocab().doc_type
    lead = _lead_text(page)
    if lead and _any("news_strong", lead):
        return str(cfg["news_type"])
    if title:
        official = any(w in title for w in page_vocab().subject_openings)
        weak_news = bool(lead) and _any("news_weak", lead[:80])
        typed = closing_type(title)
        if typed:
            return typed
        if not official and (weak_news or _has_page_meta(page)):
            return str(cfg["news_type"])
    return _from_formulas(page, lead)


def _has_page_meta(page: Page) -> bool:
    """A publication line ("发布时间: … 来源: …") above the body: the page is an article."""
    return any(is_page_meta(ln) for ln in page.lines[: page.body_start])


def _from_formulas(page: Page, lead: str) -> str:
    cfg = page_vocab().doc_type
    head = "\n".join(ln.key for ln in page.lines[:6])
    if _any("adoption", head):
        return str(cfg["adoption_type"])
    body = "\n".join(ln.key for ln in page.lines[:80])
    if _any("report", body):
        return str(cfg["report_type"])
    for p in _patterns()["formulas"]:
        m = p.search(body)
        if m and _type_of_word(m.group("type")):
            return _type_of_word(m.group("type")) or str(cfg["fallback_type"])
    if _any("transmittal", body):
        return str(cfg["transmittal_type"])
    if any(p.search(ln.key) for ln in page.lines[:3] for p in _patterns()["speech"]):
        return str(cfg["speech_type"])
    if lead and (_any("news_weak", lead[:80]) or _any("news_strong", lead)):
        return str(cfg["news_type"])
    return str(cfg["fallback_type"])
