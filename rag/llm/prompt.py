"""The answer prompt for small contexts: fenced numbered passages, trimmed to a token budget.

A 0.5B–1.5B model with a 2–4k context cannot take five 400-character passages plus rules and still
leave room to answer, and it reads the start of a passage best. So each passage is cut into
sentences, the sentences are ranked by how much of the question they share, and the budget is
filled round-robin over the passages in retrieval order, best sentences first: every passage
keeps its most relevant sentence before any passage gets its second. Tokens are counted with the
backend's own tokenizer (llama.cpp's for GGUF; an approximation for remote endpoints).

Retrieved text is data: it only enters the prompt inside the ``<<<资料n>>> … <<<资料n结束>>>`` fence,
and any run of angle brackets inside it is escaped first, so a passage can neither close its fence
nor open another one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from index.textnorm import fold
from rag.answer.citations import split_sentences
from rag.prompts import render

TokenCounter = Callable[[str], int]
_BRACKETS = re.compile(r"[<＜〈《]{2,}|[>＞〉》]{2,}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_ENDS = "。！？!?；;】」』”）)]"
PROMPT_MARGIN_TOKENS = 48  # chat-template tokens around the messages (role markers, BOS/EOS)


class PassageLike(Protocol):
    """What the prompt needs from a passage (rag.answer.passages.Passage has more)."""

    @property
    def n(self) -> int: ...

    @property
    def source(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Messages:
    """The chat messages of one request, as plain role/content pairs."""

    system: str
    user: str

    def as_dicts(self) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]


def approx_tokens(text: str) -> int:
    """Token count without a tokenizer: one per CJK character, one per three other characters.

    Qwen, DeepSeek and Llama-3 BPE vocabularies give about 0.6–1 token per Chinese character and
    about 4 characters per token for ASCII, so this over-counts: a trimmed prompt may be shorter
    than it could be, never longer than the context.
    """
    cjk = len(_CJK.findall(text))
    return cjk + -(-(len(text) - cjk) // 3)


def escape_fence(text: str) -> str:
    """Passage text that cannot close or open a fence: runs of angle brackets become single ones."""
    return _BRACKETS.sub(lambda m: "‹" if m.group(0)[0] in "<＜〈《" else "›", text)


def _bigrams(text: str) -> set[str]:
    folded = re.sub(r"\s+", "", fold(text))
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


def ranked_sentences(question: str, text: str) -> list[str]:
    """The passage's sentences, most question-like first (shared bigrams; ties keep document order)."""
    wanted = _bigrams(question)
    sentences = split_sentences(text)
    order = sorted(range(len(sentences)), key=lambda i: (-len(wanted & _bigrams(sentences[i])), i))
    return [sentences[i] for i in order]


def render_passage(p: PassageLike, text: str) -> str:
    return render(
        "passage", n=p.n, title=escape_fence(p.title or "（无标题）"), source=p.source, text=escape_fence(text)
    )


def fit_passages(question: str, passages: Sequence[PassageLike], budget: int, count: TokenCounter) -> list[str]:
    """Rendered passages whose total token count stays within ``budget``, best sentences first.

    A passage none of whose sentences fits is left out (its number is still valid for the chain,
    the model just never sees it); the first passage always keeps at least its best sentence.
    """
    ranked = [ranked_sentences(question, p.text) or [p.text.strip()] for p in passages]
    overhead = [count(render_passage(p, "")) + 1 for p in passages]
    chosen: list[list[str]] = [[] for _ in passages]
    used = 0
    for depth in range(max((len(r) for r in ranked), default=0)):
        for i, sentences in enumerate(ranked):
            if depth >= len(sentences):
                continue
            cost = count(sentences[depth]) + (overhead[i] if not chosen[i] else 0)
            if used + cost > budget and any(chosen):
                continue
            chosen[i].append(sentences[depth])
            used += cost
    return [render_passage(p, join_sentences(kept)) for p, kept in zip(passages, chosen, strict=True) if kept]


def join_sentences(sentences: Sequence[str]) -> str:
    """Sentences back into text; a line without end punctuation stays a line (no "日期到2027年" run-ons)."""
    out = ""
    for sentence in sentences:
        if out and out[-1] not in _ENDS:
            out += "\n"
        out += sentence
    return out


def answer_messages(
    question: str,
    passages: Sequence[PassageLike],
    *,
    max_sentences: int,
    context_tokens: int,
    max_tokens: int,
    count: TokenCounter = approx_tokens,
) -> Messages:
    """System rules, then the fenced passages trimmed to what the context leaves, then the question."""
    system = render("answer_system", max_sentences=max_sentences)
    return _fenced(system, "answer", question, passages, context_tokens - max_tokens, count, question=question)


def reply_messages(
    topic: str,
    passages: Sequence[PassageLike],
    *,
    max_sentences: int,
    context_tokens: int,
    max_tokens: int,
    count: TokenCounter = approx_tokens,
) -> Messages:
    """The 复函 drafting prompt (prompts/reply.txt) under the same system rules; names are left to staff."""
    system = render("answer_system", max_sentences=max(max_sentences, 6))
    fields = dict(deputy="XX代表", suggestion_title=topic, suggestion_number="（待填）", issuer="（承办单位）")
    return _fenced(system, "reply", topic, passages, context_tokens - max_tokens, count, **fields)


def _fenced(
    system: str,
    template: str,
    query: str,
    passages: Sequence[PassageLike],
    room: int,
    count: TokenCounter,
    **fields: str,
) -> Messages:
    """``template`` with the passages that fit in ``room`` tokens besides the system rules and the template."""
    empty = render(template, passages="", **fields)
    budget = room - count(system) - count(empty) - PROMPT_MARGIN_TOKENS
    blocks = fit_passages(query, passages, max(budget, 0), count)
    return Messages(system, render(template, passages="\n\n".join(blocks), **fields))
