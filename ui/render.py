"""HTML for what the chain and the facade return: citation cards, answers, hits, documents, reports.

Pure functions from records to escaped HTML strings, so they are unit-tested without a
browser and the Gradio modules only wire them to components. Every piece of document
text goes through ``html.escape``: documents are data, never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from rag.assistant import Hit
from rag.models import Citation, DocumentRecord

VISIBILITY_LABELS: dict[str, str] = {"public": "公开", "internal": "内部"}
CONTEXT_RADIUS = 300
SNIPPET_CHARS = 260

_META_LABELS = (
    ("doc_number", "文号"),
    ("issuer", "发文机关"),
    ("date", "日期"),
    ("region", "地区"),
    ("doc_type", "类型"),
)
_CITE_MARK = re.compile(r"\[(\d{1,3})\]")


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def visibility_label(visibility: str | None) -> str:
    return VISIBILITY_LABELS.get(visibility or "", visibility or "未知")


def find_span(text: str, needle: str) -> tuple[int, int] | None:
    """Locate ``needle`` in ``text`` ignoring whitespace differences.

    The chain quotes sentences as written, but cleaning may have joined broken lines, so an
    exact ``find`` is tried first and a whitespace-tolerant pattern second.
    """
    needle = needle.strip()
    if not needle or not text:
        return None
    start = text.find(needle)
    if start >= 0:
        return start, start + len(needle)
    chars = [re.escape(ch) for ch in needle if not ch.isspace()]
    if not chars:
        return None
    match = re.search(r"\s*".join(chars), text)
    return (match.start(), match.end()) if match else None


def highlight(text: str, needle: str, css_class: str = "hl") -> str:
    """Escaped ``text`` with the first occurrence of ``needle`` wrapped in ``<mark>``."""
    span = find_span(text, needle)
    if span is None:
        return esc(text)
    a, b = span
    return f'{esc(text[:a])}<mark class="{css_class}">{esc(text[a:b])}</mark>{esc(text[b:])}'


def answer_markdown(text: str) -> str:
    """Answer text for the chat bubble, with [n] markers as superscripts that match the source cards."""
    return _CITE_MARK.sub(r'<sup class="cite-ref">[\1]</sup>', text)


def meta_line(meta: Mapping[str, Any]) -> str:
    """文号 · 发文机关 · 日期 (· 地区 · 类型), skipping what the document does not have."""
    parts: list[str] = []
    for key, label in _META_LABELS:
        value = meta.get(key)
        if value:
            parts.append(f'<span class="meta-item"><span class="meta-key">{label}</span>{esc(value)}</span>')
    return " ".join(parts)


def context_html(document_text: str, passage: str, quote: str, radius: int = CONTEXT_RADIUS) -> str | None:
    """The passage inside its surrounding document text, passage shaded and quote marked.

    Returns None when the passage cannot be found in the document (e.g. the document changed
    since the answer was made), so the card simply omits the context view.
    """
    span = find_span(document_text, passage)
    if span is None:
        return None
    a, b = span
    lo, hi = max(0, a - radius), min(len(document_text), b + radius)
    before = ("…" if lo > 0 else "") + document_text[lo:a]
    after = document_text[b:hi] + ("…" if hi < len(document_text) else "")
    inner = highlight(document_text[a:b], quote)
    return f'{esc(before)}<span class="ctx-passage">{inner}</span>{esc(after)}'


def citation_card(citation: Citation, context: str | None = None) -> str:
    """One source card: [n] title, metadata, the passage with the quoted words marked, and a context view."""
    meta = citation.meta or {}
    passage = citation.passage or citation.quote
    body = highlight(passage, citation.quote) if citation.quote else esc(passage)
    title = citation.title or meta.get("title") or citation.source
    ctx = ""
    if context:
        ctx = f'<details class="ctx"><summary>查看原文上下文</summary><div class="ctx-body">{context}</div></details>'
    return (
        f'<div class="cite-card" id="cite-{citation.n}" data-source="{esc(citation.source)}">'
        f'<div class="cite-head"><span class="cite-n">[{citation.n}]</span>'
        f'<span class="cite-title">{esc(title)}</span></div>'
        f'<div class="cite-meta">{meta_line(meta)}'
        f'<span class="meta-item meta-source">{esc(citation.source)}</span></div>'
        f'<div class="cite-passage">{body}</div>{ctx}</div>'
    )


def sources_panel(citations: Sequence[Citation], contexts: Mapping[str, str] | None = None) -> str:
    """All cards of one answer; ``contexts`` maps chunk_id to context HTML from :func:`context_html`."""
    if not citations:
        return ""
    contexts = contexts or {}
    cards = "".join(citation_card(c, contexts.get(c.chunk_id)) for c in sorted(citations, key=lambda c: c.n))
    return f'<div class="sources"><div class="sources-title">参考来源</div>{cards}</div>'


def refusal_markdown(text: str, suggestion: str = "") -> str:
    """A refusal shown plainly, with the suggestion on its own line when the chain did not already give one."""
    body = text.strip() or "抱歉，现有文件中没有找到能回答这个问题的依据。"
    if suggestion and suggestion not in body:
        body = f"{body}\n\n{suggestion}"
    return body


def status_html(message: str, kind: str = "info") -> str:
    return f'<div class="status status-{esc(kind)}">{esc(message)}</div>'


def _snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _heading(value: object) -> str:
    """Heading path as "a › b"; the index stores it joined with " > ", older records as a list."""
    if not value:
        return ""
    parts = value.split(" > ") if isinstance(value, str) else [str(v) for v in value]  # type: ignore[attr-defined]
    return " › ".join(p for p in parts if p)


def hits_html(hits: Sequence[Hit]) -> str:
    """Staff search results: rank, title, full metadata, visibility badge, score and a snippet."""
    if not hits:
        return status_html("没有找到匹配的文件。请换个关键词，或放宽筛选条件。", "empty")
    rows: list[str] = []
    for rank, hit in enumerate(hits, start=1):
        meta = hit.meta
        visibility = str(meta.get("visibility") or "")
        heading = _heading(meta.get("heading_path"))
        text = str(meta.get("display_text") or hit.text)
        rows.append(
            f'<div class="hit" data-source="{esc(meta.get("source"))}">'
            f'<div class="hit-head"><span class="hit-rank">{rank}</span>'
            f'<span class="hit-title">{esc(meta.get("title") or meta.get("source"))}</span>'
            f'<span class="badge badge-{esc(visibility)}">{esc(visibility_label(visibility))}</span></div>'
            f'<div class="cite-meta">{meta_line(meta)}'
            f'<span class="meta-item meta-source">{esc(meta.get("source"))}</span>'
            f'<span class="meta-item"><span class="meta-key">得分</span>{hit.score:.3f}</span></div>'
            + (f'<div class="hit-heading">{esc(heading)}</div>' if heading else "")
            + f'<div class="hit-text">{esc(_snippet(text))}</div></div>'
        )
    return f'<div class="hits">{"".join(rows)}</div>'


def docs_table_html(docs: Sequence[DocumentRecord], total: int | None = None, offset: int = 0) -> str:
    """The document list with metadata and chunk counts; scrolls sideways inside its box on a phone.

    ``docs`` may be one page of ``total`` documents starting at ``offset``; the caption says which."""
    if not docs:
        return status_html("还没有导入任何文件。", "empty")
    total = len(docs) if total is None else total
    caption = f"共 {total} 个文件" + (f"，本页第 {offset + 1}–{offset + len(docs)} 个" if len(docs) < total else "")
    head = "".join(
        f"<th>{h}</th>" for h in ("文件", "标题", "文号", "发文机关", "日期", "地区", "类型", "可见范围", "片段数")
    )
    rows = []
    for d in sorted(docs, key=lambda d: d.source):
        m = d.meta
        cells = (
            d.source,
            m.title,
            m.doc_number or "—",
            m.issuer or "—",
            m.date or "—",
            m.region or "—",
            m.doc_type,
            visibility_label(d.visibility),
            len(d.chunk_ids),
        )
        rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    return (
        f'<div class="table-wrap"><div class="table-caption">{esc(caption)}</div>'
        f'<table class="docs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def ingest_report_html(report: Mapping[str, Any]) -> str:
    """Summary of one upload (``IngestReport.to_json()``), with every failed file and its reason listed."""
    failed = list(report.get("failed") or [])
    summary = (
        f"新增 {report.get('added', 0)} 个，更新 {report.get('updated', 0)} 个，"
        f"未变化 {report.get('unchanged', 0)} 个，共 {report.get('chunks', 0)} 个片段；失败 {len(failed)} 个。"
    )
    kind = "error" if failed else "ok"
    items = ""
    if failed:
        lis = [
            f'<li><span class="fail-path">{esc(PurePath(str(item.get("path", ""))).name)}</span>：'
            f"{esc(item.get('error', ''))}</li>"
            for item in failed
        ]
        items = f'<ul class="fail-list">{"".join(lis)}</ul>'
    return f'<div class="status status-{kind}">{esc(summary)}{items}</div>'


def answer_html(text: str) -> str:
    """Escaped multi-line answer (e.g. a 复函 draft) with [n] markers as superscripts and line breaks kept."""
    escaped = answer_markdown(esc(text))  # escaping leaves "[n]" as it is
    paragraphs = [p for p in escaped.split("\n") if p.strip()]
    return '<div class="draft">' + "".join(f"<p>{p.strip()}</p>" for p in paragraphs) + "</div>"
