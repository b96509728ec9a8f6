"""Drafting a 复函 (reply to an NPC deputy's suggestion) whose every statement is traced to a source.

The body is the verified answer of the chain (each sentence carries its [n] citation, unsupported
figures already dropped); this module only adds the letter's fixed frame (salutation, opening,
closing) and the list of sources, and writes it as .docx for staff to edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from index.records import Filter, Hit
from index.textnorm import fold, to_simplified
from rag.answer.citations import extract, split_sentences, verify
from rag.answer.passages import strip_instructions
from rag.answer.refusal import refusal_text
from rag.lang.tokens import tokenizer as lang_tokenizer
from rag.models import Answer, Citation

SearchFn = Callable[[str, int, Filter | None, str], Sequence[Hit]]

# Sentences of other letters that say nothing about the matter itself.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")
_LETTER_FORMULA = re.compile(r"收悉|来信|感谢|关心和支持|函复如下|答复如下|代表[:：]|联系人|联系电话|此件|抄送|特此")
_MIN_COVERAGE = 0.34
_MIN_CHARS, _MAX_CHARS = 12, 220

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
    """The verified answer's sentences that carry a citation (each keeps its [n])."""
    return tuple(s for s in split_sentences(answer_text) if _CITE.search(s))


def _terms(text: str) -> set[str]:
    return {t for t in lang_tokenizer().tokenize(fold(text)) if len(t) > 1}


def draft_answer(
    search: SearchFn, topic: str, max_statements: int = 6, k: int = 8, flt: Filter | None = None
) -> Answer:
    """The body of a reply, extractively: the sentences of the top passages that speak to the topic,
    preferring concrete ones (figures), at most two per passage, each cited; verified like any answer.

    A reply covers a matter, not one question, so it gathers several passages instead of the one best
    sentence the question answerer picks.
    """
    topic_terms = _terms(topic)
    hits = list(search(topic, k, flt, "staff"))
    scored: list[tuple[float, int, str, Hit]] = []
    for rank, hit in enumerate(hits):
        passage, _ = strip_instructions(str(hit.meta.get("display_text") or hit.text))
        for sentence in split_sentences(passage):
            if not _MIN_CHARS <= len(sentence) <= _MAX_CHARS or _LETTER_FORMULA.search(sentence):
                continue
            if _HEADING.match(sentence) and len(sentence) < 40:  # a section title, not a statement
                continue
            coverage = len(topic_terms & _terms(sentence)) / max(1, len(topic_terms))
            if coverage < _MIN_COVERAGE:
                continue
            score = coverage + (0.25 if extract(sentence) else 0.0) - 0.03 * rank
            scored.append((score, rank, sentence, hit))
    scored.sort(key=lambda item: -item[0])
    chosen: list[tuple[int, str, Hit]] = []
    per_hit: dict[str, int] = {}
    for _, rank, sentence, hit in scored:
        if per_hit.get(hit.id, 0) >= 2 or any(sentence == c[1] for c in chosen):
            continue
        per_hit[hit.id] = per_hit.get(hit.id, 0) + 1
        chosen.append((rank, sentence, hit))
        if len(chosen) >= max_statements:
            break
    if not chosen:
        return Answer(answer=refusal_text(), refused=True, question=topic, standalone_question=topic)
    chosen.sort(key=lambda c: (c[0], str(c[2].meta.get("position", 0))))
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    statements: list[str] = []
    for _, sentence, hit in chosen:
        if hit.id not in numbers:
            numbers[hit.id] = len(numbers) + 1
            citations.append(
                Citation(
                    n=numbers[hit.id],
                    chunk_id=hit.id,
                    source=str(hit.meta.get("source", "")),
                    title=str(hit.meta.get("title", "")),
                    quote=sentence,
                    passage=str(hit.meta.get("display_text") or hit.text),
                    meta=dict(hit.meta),
                )
            )
        body = to_simplified(sentence).rstrip("；;，, ")
        if not body.endswith(("。", "！", "？")):
            body += "。"
        statements.append(f"{body[:-1]}[{numbers[hit.id]}]{body[-1]}")
    checked = verify("".join(statements), citations)
    quotes: dict[int, list[str]] = {}
    for _, sentence, hit in chosen:
        quotes.setdefault(numbers[hit.id], []).append(sentence)
    final = tuple(replace(c, quote=" …… ".join(quotes[c.n])) for c in citations)
    return Answer(
        answer=checked.text,
        refused=not checked.text.strip(),
        citations=final,
        dropped=tuple(d.sentence for d in checked.dropped),
        question=topic,
        standalone_question=topic,
    )


def _clean_topic(topic: str) -> str:
    """ "关于加快工业发展的建议" and "加快工业发展" both become "加快工业发展" for the letter's frame."""
    topic = topic.strip().rstrip("。？?！!")
    topic = re.sub(r"^《?\s*关于", "", topic)
    topic = re.sub(r"的?(建议|提案|意见)\s*》?$", "", topic)
    return topic.strip() or "有关事项"


def make_draft(topic: str, answer: Answer, deputy: str = "XX代表", issuer: str = "（承办单位）") -> ReplyDraft:
    """Frame a verified answer as a letter; blank names get visible placeholders so staff see what to fill in."""
    return ReplyDraft(
        topic=_clean_topic(topic),
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
