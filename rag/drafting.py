"""Drafting a 复函 (reply to an NPC deputy's suggestion) whose every statement is traced to a source.

The body is the verified answer of the chain (each sentence carries its [n] citation, unsupported
figures already dropped); this module only adds the letter's fixed frame (salutation, opening,
closing) and the list of sources, and writes it as .docx for staff to edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rag.models import Answer

_CITE = re.compile(r"(\[\d+\])+")


@dataclass(frozen=True)
class ReplyDraft:
    """A draft letter: the framed text plus the answer it was built from."""

    topic: str
    deputy: str
    issuer: str
    body: tuple[str, ...]  # statements, each ending with its [n] citations
    answer: Answer

    @property
    def refused(self) -> bool:
        return self.answer.refused

    def text(self) -> str:
        """Plain-text letter, for display and for tests."""
        lines = [f"{self.deputy}：", f"    您提出的关于{self.topic}的建议收悉。经认真研究，现将有关情况答复如下："]
        if self.refused:
            lines.append("    【待补充：现有文件中没有找到与该建议直接相关的内容，请承办人员补充办理情况。】")
        else:
            lines.extend(f"    {i}. {s}" for i, s in enumerate(self.body, 1))
        lines.append("    衷心感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见和建议。")
        lines.append(f"{self.issuer}")
        lines.append(_today())
        if self.answer.citations:
            lines.append("")
            lines.append("依据：")
            for c in self.answer.citations:
                meta = c.meta or {}
                number = f"，{meta['doc_number']}" if meta.get("doc_number") else ""
                lines.append(f"[{c.n}] {c.title}{number}（{c.source}）：“{c.quote}”")
        return "\n".join(lines)


def _today() -> str:
    d = date.today()
    return f"{d.year}年{d.month}月{d.day}日"


def split_statements(answer_text: str) -> tuple[str, ...]:
    """Split the verified answer into statements at sentence ends that follow a citation."""
    parts = re.split(r"(?<=\])\s*(?=[^\[])", answer_text.strip())
    return tuple(p.strip() for p in parts if p.strip() and _CITE.search(p))


def make_draft(topic: str, answer: Answer, deputy: str = "XX代表", issuer: str = "（承办单位）") -> ReplyDraft:
    return ReplyDraft(
        topic=topic.strip().rstrip("。？?"),
        deputy=deputy.strip() or "XX代表",
        issuer=issuer.strip() or "（承办单位）",
        body=() if answer.refused else split_statements(answer.answer),
        answer=answer,
    )


def export_docx(draft: ReplyDraft, path: Path) -> Path:
    """Write the draft as .docx: letter text, then the sources with their quoted passages."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(14)
    doc.add_heading(f"关于{draft.topic}的建议的答复（草稿）", level=1)
    for line in draft.text().split("\n"):
        if line == "依据：":
            doc.add_heading("依据（每条表述对应的原文）", level=2)
            continue
        doc.add_paragraph(line.strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
