"""The input of a draft: the deputy's suggestion, and the asks derived from it.

A suggestion is answered point by point, so its title and text are split into asks with the one
sentence/clause splitter of rag.lang; the reply template supplies the frame words to strip.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from index.textnorm import fold, to_simplified
from rag.drafting.template import ReplyTemplate, reply_template
from rag.errors import RagError
from rag.lang import split_clauses, split_sentences

_MIN_ASK_CHARS = 4
_TRIM = "。；;，,、：:！!？? \n\t《》<>"


class Suggestion(BaseModel):
    """What staff know about the suggestion being answered; everything but the title is optional."""

    title: str = Field(description="建议标题，例如：关于加快全区工业经济发展的建议")
    text: str = Field(default="", description="建议正文（粘贴或从文件读入）")
    deputy: str = Field(default="", description="代表姓名")
    number: str = Field(default="", description="建议编号，例如：第61号")
    session: str = Field(default="", description="会议届次，例如：区十九届人大六次会议")
    office: str = Field(default="", description="承办单位")
    region: str = Field(default="", description="承办单位所在地区；起草只引用本地区、上级地区和中央文件")

    @field_validator("title")
    @classmethod
    def _title_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("建议标题不能为空")
        return value.strip()

    @field_validator("number")
    @classmethod
    def _number_form(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith("第"):
            value = f"第{value}"
        if value and not value.endswith("号"):
            value = f"{value}号"
        return value

    @classmethod
    def from_inputs(cls, title: str, text_file: Path | None = None, **fields: str) -> Suggestion:
        """Build from CLI/UI inputs; a text file is read as UTF-8 (GB18030 as a fallback)."""
        text = fields.pop("text", "")
        if text_file is not None:
            try:
                data = text_file.read_bytes()
            except OSError as exc:
                raise RagError(f"无法读取建议正文文件 {text_file}（{exc.strerror or exc}）：请检查路径。") from exc
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("gb18030", errors="replace")
        if not title.strip():
            raise RagError("请先填写代表建议的标题。")
        return cls(title=title, text=text, **{k: v.strip() for k, v in fields.items() if v})

    def topic(self, template: ReplyTemplate | None = None) -> str:
        """The matter itself: the title without 《关于 … 的建议》."""
        return strip_frame(self.title, template or reply_template())

    def asks(self, template: ReplyTemplate | None = None) -> list[str]:
        """The points to answer: the topic, its clauses, and the sentences of the text (at most ``max_asks``)."""
        t = template or reply_template()
        topic = self.topic(t)
        found: list[str] = [topic]
        pieces = [c.text for c in split_clauses(topic)]
        for sentence in split_sentences(to_simplified(self.text)):
            pieces.append(sentence.text)
        for piece in pieces:
            ask = strip_frame(piece, t)
            if len(ask) >= _MIN_ASK_CHARS and all(fold(ask) != fold(a) for a in found):
                found.append(ask)
        return found[: t.max_asks]


def strip_frame(text: str, template: ReplyTemplate) -> str:
    """Remove the frame words around a suggestion's matter, keeping the matter itself."""
    text = to_simplified(text).strip().strip(_TRIM)
    for prefix in template.prefixes:
        if text.startswith(prefix) and len(text) > len(prefix) + 2:
            text = text[len(prefix) :]
            break
    stripped = True
    while stripped:  # 的建议提案 -> 的建议 -> (matter)
        stripped = False
        for suffix in template.suffixes:
            if text.endswith(suffix) and len(text) > len(suffix) + 2:
                text, stripped = text[: -len(suffix)], True
                break
    return text.strip(_TRIM) or text
