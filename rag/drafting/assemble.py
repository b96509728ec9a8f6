"""Assembling a 复函 draft from the answer pipeline: one reply template over the one pipeline.

Each ask of the suggestion (its topic, clauses and sentences, times the template's aspects) goes
through the facade's answerer with the staff audience and the region filter; the verified, cited
sentences that come back are renumbered into one sources list and grouped into numbered parts.
An ask nothing answers becomes a visible 【待补充】 placeholder, never a sentence.

When the office's own earlier reply to this very suggestion is among the documents in scope (the
suggestion's matter is quoted in it), its handling paragraphs are what a staff member would start
from: they are quoted sentence by sentence, each cited to its chunk (or, with an LLM backend,
rewritten by the reply-template chain restricted to that document). Every statement, from either
route, is checked once more before it is kept: its figures and dates must be stated by a passage
it cites, and its citations must point into the region scope.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from index.records import Filter, Hit
from index.textnorm import fold, to_simplified
from rag.drafting.letter import Part, ReplyDraft, Statement
from rag.drafting.scope import RegionScope, office_scope, scope_filter
from rag.drafting.suggestion import Suggestion
from rag.drafting.template import ReplyTemplate, reply_template
from rag.lang import dates, figures, split_sentences
from rag.models import Answer, Citation, DocumentRecord

log = logging.getLogger(__name__)

AskFn = Callable[[str, Filter | None], Answer]
_MARKERS = re.compile(r"\[(\d+)\]")
# a numbered heading of the earlier reply (一、… （二）… 3.…): the draft numbers its own parts
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])\s*([^。；;]{2,40})[。]?$"
)
_MIN_TOPIC_CHARS = 4
_MIN_STATEMENT_CHARS = 8
_PRIOR_CANDIDATES = 10
_LABEL_CHARS = 6  # 标题： 信息名称：
_OPENING_SPAN = 3  # sentences between 收悉 and 现答复如下


class DraftingFacade(Protocol):
    """What drafting needs of rag.assistant.Assistant (and nothing else)."""

    def docs(self) -> list[DocumentRecord]: ...

    def search(
        self, query: str, k: int | None = None, flt: Filter | None = None, audience: str = "staff"
    ) -> list[Hit]: ...

    def document_text(self, source: str) -> str: ...


def _display(hit: Hit) -> str:
    return str(hit.meta.get("display_text") or hit.text)


def _facts(text: str) -> set[object]:
    """Figures (by value and unit family) and dates (ISO) of a text, for the support check."""
    return {f.key for f in figures(text)} | {d.iso for d in dates(text)}


def supported(statement: str, passages: Sequence[str]) -> bool:
    """Every figure and date of the statement is stated by one of the passages it cites."""
    wanted = _facts(_MARKERS.sub("", statement))
    if not wanted:
        return True
    have: set[object] = set()
    for p in passages:
        have |= _facts(p)
    return wanted <= have


@dataclass
class _Sources:
    """One numbering of cited chunks across all the asks of a draft."""

    allowed: frozenset[str] | None  # sources in scope; None = no region given
    by_chunk: dict[str, Citation] = field(default_factory=dict)
    quotes: dict[str, list[str]] = field(default_factory=dict)

    def admits(self, source: str) -> bool:
        return self.allowed is None or source in self.allowed

    def number(self, c: Citation, quote: str) -> int:
        if c.chunk_id not in self.by_chunk:
            self.by_chunk[c.chunk_id] = Citation(
                n=len(self.by_chunk) + 1,
                chunk_id=c.chunk_id,
                source=c.source,
                title=c.title,
                quote="",
                passage=c.passage,
                meta=dict(c.meta),
            )
        q = self.quotes.setdefault(c.chunk_id, [])
        if quote and quote not in q:
            q.append(quote)
        return self.by_chunk[c.chunk_id].n

    def citations(self) -> tuple[Citation, ...]:
        out = []
        for chunk_id, c in self.by_chunk.items():
            quote = " …… ".join(self.quotes.get(chunk_id, ())) or c.quote
            out.append(Citation(c.n, c.chunk_id, c.source, c.title, quote, c.passage, c.meta))
        return tuple(sorted(out, key=lambda c: c.n))


@dataclass
class _Collector:
    """Statements kept so far (deduplicated) and those the support check removed."""

    sources: _Sources
    seen: set[str] = field(default_factory=set)
    dropped: list[str] = field(default_factory=list)

    def add_answer(self, answer: Answer, ask: str, template: ReplyTemplate, origin: str) -> list[Statement]:
        """The answer's cited sentences, renumbered; frame sentences of other letters are not 办理情况."""
        if answer.refused:
            return []
        local = {c.n: c for c in answer.citations}
        out: list[Statement] = []
        for sentence in _sentences(answer.answer):
            numbers = [int(n) for n in _MARKERS.findall(sentence)]
            cited = [local[n] for n in numbers if n in local]
            if not cited or template.is_frame(sentence):
                continue
            if not all(self.sources.admits(c.source) for c in cited):
                log.warning("丢弃引用了范围外文件的句子：%s", sentence)
                self.dropped.append(sentence)
                continue
            quote = _MARKERS.sub("", sentence).strip()
            out += self._keep(quote, cited, ask, origin, template)
        return out

    def add_quote(self, sentence: str, hit: Hit, ask: str, template: ReplyTemplate) -> list[Statement]:
        """A sentence quoted from a passage: kept only when the passage states it verbatim."""
        if fold(sentence) not in fold(_display(hit)) or not self.sources.admits(str(hit.meta.get("source", ""))):
            self.dropped.append(sentence)
            return []
        citation = Citation(
            n=0,
            chunk_id=hit.id,
            source=str(hit.meta.get("source", "")),
            title=str(hit.meta.get("title", "")),
            quote=sentence,
            passage=_display(hit),
            meta=dict(hit.meta),
        )
        return self._keep(sentence, [citation], ask, "prior_reply", template)

    def _keep(
        self, text: str, cited: Sequence[Citation], ask: str, origin: str, template: ReplyTemplate
    ) -> list[Statement]:
        text = to_simplified(text).strip().rstrip("；;，,、 ")
        key = fold(text)
        if len(key) < _MIN_STATEMENT_CHARS or key in self.seen or template.is_frame(text):
            return []
        if any(_names(key, c) for c in cited):
            return []  # "关于…的答复" / "标题：…" names the document, it states nothing
        if not supported(text, [c.passage for c in cited]):
            log.info("丢弃无依据的数字或日期：%s", text)
            self.dropped.append(text)
            return []
        self.seen.add(key)
        numbers = tuple(dict.fromkeys(self.sources.number(c, text) for c in cited))
        end = text[-1] if text[-1] in "。！？" else "。"
        body = text[:-1] if text[-1] in "。！？" else text
        marks = "".join(f"[{n}]" for n in numbers)
        return [Statement(f"{body}{marks}{end}", numbers, ask, origin)]


def _names(key: str, citation: Citation) -> bool:
    """The statement (folded) is just the cited document's title, perhaps behind a label (标题：…)."""
    title = fold(citation.title)
    label = max(key.find(":"), key.find("："))
    bare = key[label + 1 :] if 0 <= label < _LABEL_CHARS else key
    return bool(title) and (bare.rstrip("。") in title or (title in bare and len(bare) - len(title) <= _LABEL_CHARS))


def _sentences(text: str) -> list[str]:
    """Sentences of an answer; a run of bare [n] markers joins the sentence before it."""
    out: list[str] = []
    for s in split_sentences(text):
        piece = s.text.strip()
        if out and _MARKERS.sub("", piece).strip(" 。") == "":
            out[-1] += piece
        elif piece:
            out.append(piece)
    return out


def find_prior_reply(facade: DraftingFacade, suggestion: Suggestion, flt: Filter | None) -> str | None:
    """The source of an earlier reply to this suggestion in scope: a passage quoting its matter."""
    topic = fold(suggestion.topic())
    if len(topic) < _MIN_TOPIC_CHARS:
        return None
    for hit in facade.search(suggestion.title, _PRIOR_CANDIDATES, flt, "staff"):
        if topic in fold(_display(hit)) or topic in fold(str(hit.meta.get("title", ""))):
            return str(hit.meta.get("source", "")) or None
    return None


def _reply_body(text: str, template: ReplyTemplate) -> list[tuple[str, str]]:
    """The handling sentences of a reply, each with the heading it stands under ("" before any):
    after its opening (…现答复如下：), before its closing.

    The opening often runs on into the first handling sentence (…答复如下: 按照…), so what follows the
    last opening marker of that sentence is kept. Headings (一、… （二）…) become the draft's parts."""
    lines = [
        line.strip()
        for s in split_sentences(to_simplified(text))
        for line in s.text.split("\n")  # a heading line (一、…) ends where the line does
        if line.strip()
    ]
    opening = [
        i for i, s in enumerate(lines) if not _HEADING.match(s) and any(m in s for m in template.opening_markers)
    ]
    body: list[tuple[str, str]] = []
    if opening:
        # 收悉。感谢…。现答复如下： — the last opening marker close to the first one ends the opening
        first = max(i for i in opening if i - opening[0] <= _OPENING_SPAN)
        head = lines[first]
        cut = max(head.rfind(m) + len(m) for m in template.opening_markers if m in head)
        rest = head[cut:].lstrip(":：,， \n")
        if rest:
            body.append(("", rest))
        lines = lines[first + 1 :]
    heading = ""
    for line in lines:
        numbered = _HEADING.match(line)
        if numbered:
            heading = numbered.group(1).strip()
            continue
        if any(m in line for m in template.closing_markers):
            if any(not template.is_frame(b) for _, b in body):
                break
            continue  # thanks right after the receipt (收悉，非常感谢…) open the letter, they do not close it
        body.append((heading, line))
    return body


def _quote_prior(
    facade: DraftingFacade, source: str, topic: str, flt: Filter | None, collector: _Collector, template: ReplyTemplate
) -> list[Statement]:
    """The prior reply's handling sentences, each cited to the chunk of it that states it; a statement's
    ``ask`` is the heading it stood under in the reply (``topic`` before the first heading)."""
    only = (flt or Filter()).with_equals("source", [source])
    out: list[Statement] = []
    for heading, sentence in _reply_body(facade.document_text(source), template):
        if template.is_frame(sentence):
            continue
        hits = facade.search(sentence, 3, only, "staff")
        hit = next((h for h in hits if fold(sentence) in fold(_display(h))), None)
        if hit is None:
            continue
        out += collector.add_quote(sentence, hit, heading or topic, template)
    return out


def build_draft(
    facade: DraftingFacade,
    suggestion: Suggestion,
    ask: AskFn,
    *,
    rewrite_prior: bool = False,
    scoped: Callable[[RegionScope], Filter | None] | None = None,
) -> ReplyDraft:
    """The draft for ``suggestion``: ``ask`` is the facade's answerer (staff audience; the reply template
    with an LLM backend). ``rewrite_prior``: let ``ask`` rewrite an earlier reply instead of quoting it.
    ``scoped``: the office scope's search filter from an index of places (the assistant's registry), so a
    draft does not read every document; without it the scope is computed over ``facade.docs()``."""
    template = reply_template()
    scope = office_scope(suggestion.region)
    flt = scoped(scope) if scoped is not None else scope_filter(scope, facade.docs(), text_of=facade.document_text)
    allowed = frozenset(str(s) for s in flt.equals["source"]) if flt is not None and "source" in flt.equals else None
    collector = _Collector(_Sources(allowed))
    asks = suggestion.asks(template)
    # ordered sections: label -> statements; an earlier reply's own headings come first, then the asks
    sections: dict[str, list[Statement]] = {}

    prior = find_prior_reply(facade, suggestion, flt)
    if prior is not None:
        log.info("找到对该建议的既有答复：%s", prior)
        only = (flt or Filter()).with_equals("source", [prior])
        rewritten = []
        if rewrite_prior:
            rewritten = collector.add_answer(ask(suggestion.topic(), only), asks[0], template, "prior_reply")
        for st in rewritten or _quote_prior(facade, prior, asks[0], flt, collector, template):
            sections.setdefault(st.ask, []).append(st)

    for a in asks:
        for aspect in template.aspects:
            got = collector.add_answer(ask(aspect.format(ask=a), flt), a, template, "pipeline")
            sections.setdefault(a, []).extend(got)

    parts: list[Part] = []
    next_steps: list[Statement] = []
    for label, statements in sections.items():
        now = [st for st in statements if not template.is_next_step(st.text)]
        next_steps += [st for st in statements if template.is_next_step(st.text)]
        heading = f"关于{label}" if label in asks else label
        if now:
            parts.append(Part(heading, tuple(now)))
        elif prior is None or label == asks[0]:
            # an earlier reply answers the whole suggestion: its sub-asks need no placeholder of their own
            parts.append(Part(heading, (), template.placeholder("part", ask=label)))
    if not parts:  # cannot happen (the topic is always an ask), but an empty 办理情况 must still show a hole
        parts = [Part(f"关于{asks[0]}", (), template.placeholder("empty"))]
    return ReplyDraft(
        suggestion=suggestion,
        parts=tuple(parts),
        next_steps=tuple(next_steps),
        citations=collector.sources.citations(),
        dropped=tuple(collector.dropped),
    )
