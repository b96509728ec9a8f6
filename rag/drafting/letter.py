"""The draft letter as a typed value: parts of cited statements, placeholders, sources; and its text.

Rendering is separate from assembly so the CLI, the staff tab, the .docx writer and the scorer
all read the same structure (statements with their citation numbers, placeholders, citations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rag.drafting.suggestion import Suggestion
from rag.drafting.template import ReplyTemplate, reply_template
from rag.models import Citation

_CHINESE_NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """一 … 十, then 十一 … 九十九 (a reply has far fewer parts)."""
    if n <= 10:
        return _CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else _CHINESE_NUMERALS[tens - 1]}十{_CHINESE_NUMERALS[ones - 1] if ones else ''}"


@dataclass(frozen=True)
class Statement:
    """One sentence of the draft, ending with its [n] markers; ``citations`` are those numbers."""

    text: str
    citations: tuple[int, ...]
    ask: str = ""
    origin: str = "pipeline"  # pipeline: an answer of the chain; prior_reply: quoted from the office's earlier reply

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations), "ask": self.ask, "origin": self.origin}


@dataclass(frozen=True)
class Part:
    """A numbered part of 办理情况: a heading (the ask it answers) and its statements, or a placeholder."""

    heading: str
    statements: tuple[Statement, ...] = ()
    placeholder: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "statements": [s.to_json() for s in self.statements],
            "placeholder": self.placeholder or None,
        }


@dataclass(frozen=True)
class ReplyDraft:
    """A 复函 draft: frame lines from the template, parts of verified statements, and their sources."""

    suggestion: Suggestion
    parts: tuple[Part, ...]
    next_steps: tuple[Statement, ...]
    citations: tuple[Citation, ...]
    dropped: tuple[str, ...] = ()  # sentences removed because their cited passage did not support them
    drafted_on: date = field(default_factory=date.today)

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for p in self.parts for s in p.statements) + self.next_steps

    @property
    def refused(self) -> bool:
        """Nothing in the documents: the body is only placeholders."""
        return not self.statements

    def placeholders(self, template: ReplyTemplate | None = None) -> list[str]:
        t = template or reply_template()
        found = [p.placeholder for p in self.parts if p.placeholder]
        if not self.next_steps:
            found.append(t.placeholder("next"))
        return found

    # -- the letter's lines --------------------------------------------------------------------

    def header(self, template: ReplyTemplate | None = None) -> dict[str, str]:
        """The frame lines: 文号, 签发人, title, 称谓, 收悉, closing, contact, 落款, date, 办复类别, 公开属性."""
        t = template or reply_template()
        s = self.suggestion
        office = s.office or t.frame["office"]
        number = s.number or t.frame["number"]
        noun, addressee = t.kind(s.title, s.session, s.number)
        deputy = s.deputy.removesuffix(addressee) if s.deputy else t.frame["deputy"]
        d = self.drafted_on
        return {
            "doc_number": t.frame["doc_number"],
            "signer": t.frame["signer"],
            "title": t.line("title", office=office, session=s.session or t.frame["session"], number=number, kind=noun),
            "salutation": t.line("salutation", deputy=deputy, addressee=addressee),
            "receipt": t.line("receipt", suggestion=s.title.strip("《》"), number=number),
            "handling_heading": t.frame["handling_heading"],
            "next_heading": t.frame["next_heading"],
            "closing": t.frame["closing"],
            "contact": t.frame["contact"],
            "office": office,
            "date": t.line("date", year=d.year, month=d.month, day=d.day),
            "category": t.frame["category"],
            "visibility": t.frame["visibility"],
            "sources_heading": t.frame["sources_heading"],
        }

    def body_lines(self, template: ReplyTemplate | None = None) -> list[tuple[str, str]]:
        """(kind, text) lines of the body: heading, part, paragraph, placeholder — for text and .docx alike."""
        t = template or reply_template()
        h = self.header(t)
        lines: list[tuple[str, str]] = [("heading", h["handling_heading"])]
        for i, part in enumerate(self.parts, 1):
            content = "".join(s.text for s in part.statements) or part.placeholder
            lines.append(("paragraph", f"（{numeral(i)}）{part.heading}。{content}"))
        lines.append(("heading", h["next_heading"]))
        if self.next_steps:
            lines.append(("paragraph", "".join(s.text for s in self.next_steps)))
        else:
            lines.append(("paragraph", t.placeholder("next")))
        return lines

    def source_lines(self) -> list[str]:
        out = []
        for c in self.citations:
            meta = c.meta or {}
            number = f"，{meta['doc_number']}" if meta.get("doc_number") else ""
            out.append(f"[{c.n}] {c.title or c.source}{number}（{c.source}）：“{c.quote}”")
        return out

    def text(self, template: ReplyTemplate | None = None) -> str:
        """The plain-text letter with [n] markers, then the sources list."""
        t = template or reply_template()
        h = self.header(t)
        lines = [f"{h['doc_number']}　　　　{h['signer']}", "", h["title"], "", h["salutation"], f"    {h['receipt']}"]
        lines += [f"    {text}" for _, text in self.body_lines(t)]
        lines += [f"    {h['closing']}", "", f"    {h['contact']}", "", h["office"], h["date"], "", h["category"]]
        lines.append(h["visibility"])
        if self.citations:
            lines += ["", h["sources_heading"], *self.source_lines()]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The --json form: frame, parts, statements, citations and placeholders."""
        return {
            "suggestion": self.suggestion.model_dump(),
            "frame": self.header(),
            "parts": [p.to_json() for p in self.parts],
            "next_steps": [s.to_json() for s in self.next_steps],
            "statements": [s.text for s in self.statements],  # each ends with its [n] markers
            "statement_details": [s.to_json() for s in self.statements],
            "answer": "".join(s.text for s in self.statements),
            "citations": [c.to_json() for c in self.citations],
            "placeholders": self.placeholders(),
            "dropped": list(self.dropped),
            "refused": self.refused,
            "text": self.text(),
        }
