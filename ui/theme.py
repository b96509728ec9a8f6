"""Look of the app: a theme with local CJK fonts (no web fonts: the app must work offline) and CSS.

The CSS keeps everything inside a phone-width screen: long 文号 and passages wrap, wide
tables scroll inside their own box rather than widening the page.
"""

from __future__ import annotations

import gradio as gr

FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif")
MONO = ("Noto Sans Mono CJK SC", "ui-monospace", "monospace")


def theme() -> gr.themes.Base:
    return gr.themes.Soft(primary_hue="red", secondary_hue="orange", neutral_hue="slate", font=FONTS, font_mono=MONO)


CSS = """
.gradio-container { max-width: 1080px !important; margin: 0 auto !important; }
.app-header h1 { margin-bottom: 0.2em; }
.app-header p { color: var(--body-text-color-subdued); margin-top: 0; }
.sources { margin-top: 0.5em; }
.sources-title { font-weight: 600; margin: 0.3em 0; }
.cite-card, .hit {
  border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6em 0.8em;
  margin-bottom: 0.6em; background: var(--background-fill-secondary);
  overflow-wrap: anywhere; word-break: break-word;
}
.cite-head, .hit-head { display: flex; gap: 0.4em; align-items: baseline; flex-wrap: wrap; }
.cite-n, .hit-rank { font-weight: 700; color: var(--color-accent); }
.cite-title, .hit-title { font-weight: 600; }
.cite-meta { font-size: 0.85em; color: var(--body-text-color-subdued); margin: 0.25em 0; display: flex;
  flex-wrap: wrap; gap: 0.3em 0.9em; }
.meta-key { margin-right: 0.3em; opacity: 0.8; }
.meta-key::after { content: "："; }
.meta-source { font-family: var(--font-mono); }
.cite-passage, .hit-text { line-height: 1.7; }
mark.hl { background: #ffe58f; color: inherit; padding: 0 1px; border-radius: 2px; }
.ctx summary { cursor: pointer; color: var(--color-accent); margin-top: 0.3em; }
.ctx-body { margin-top: 0.4em; line-height: 1.7; max-height: 22em; overflow-y: auto; white-space: pre-wrap; }
.ctx-passage { background: rgba(255, 229, 143, 0.35); }
.hit-heading { font-size: 0.85em; opacity: 0.8; }
.badge { font-size: 0.75em; padding: 0 0.5em; border-radius: 999px; border: 1px solid currentColor; }
.badge-internal { color: #c2410c; }
.badge-public { color: #15803d; }
sup.cite-ref { color: var(--color-accent); font-weight: 600; }
.status { padding: 0.5em 0.8em; border-radius: 6px; margin: 0.3em 0; overflow-wrap: anywhere; }
.status-error { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; }
.status-ok { background: #f0fdf4; color: #166534; border: 1px solid #bbf7d0; }
.status-info, .status-empty { background: var(--background-fill-secondary); }
.fail-list { margin: 0.3em 0 0 1.2em; }
.fail-path { font-family: var(--font-mono); }
.table-wrap { overflow-x: auto; max-width: 100%; }
table.docs { border-collapse: collapse; font-size: 0.9em; min-width: 640px; }
table.docs th, table.docs td { border: 1px solid var(--border-color-primary); padding: 0.3em 0.5em; text-align: left; }
table.docs th, table.docs td { white-space: nowrap; }
table.docs td:nth-child(2), table.docs td:nth-child(4) { white-space: normal; min-width: 12em; }
.dropped-note { font-size: 0.85em; opacity: 0.75; }
.draft p { text-indent: 2em; line-height: 1.9; margin: 0.3em 0; }
@media (max-width: 640px) {
  .gradio-container { padding: 0 6px !important; }
  .ask-row, .feedback-row { flex-wrap: wrap; }
  .chatbot { height: 60vh !important; }
}
"""
