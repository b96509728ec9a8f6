"""Retrieved text is data: recognise sentences that talk to the assistant, and defuse citation markers.

``is_instruction_like`` is a small classifier, not a list of phrases: it combines kinds of words
(override verbs, an assistant's "rules", names of an assistant, second person, imperatives,
verbs of answering, "when asked ... say ...", role-play openers) from
``rag/data/instruction_words.txt``, after folding traditional script, full width and case. No kind
alone is enough, so government prose full of 请/要/必须 and 您 (复函 address their deputies so)
stays quotable. The answer pipeline filters these sentences out of the evidence it may quote.

``escape_citation_markers`` turns a literal "[1]" inside a document into "［1］" at ingest, so the
only [n] an answer contains are the answerer's own citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index.textnorm import fold

_KINDS = (
    "override",
    "meta",
    "negation",
    "ai",
    "address_before",
    "you",
    "imperative",
    "respond",
    "condition",
    "ask",
    "say",
    "role",
    "directive",
)
_OVERRIDE_REACH = 16  # characters after an override verb in which its object ("以上指令") must appear
_CONDITION_REACH = (24, 40)  # condition ... ask ... say, within these gaps
_CITATION = re.compile(r"\[(\s*\d{1,3}(?:\s*[,，、\-–]\s*\d{1,3})*\s*)\]")


@dataclass(frozen=True)
class _Vocabulary:
    words: dict[str, re.Pattern[str]]
    address_ai: re.Pattern[str]
    condition: re.Pattern[str]
    lead: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    parts = []
    for w in ordered:
        escaped = re.escape(w)
        # English words match whole words only ("ai" must not match "said")
        parts.append(rf"(?<![a-z]){escaped}(?![a-z])" if w.isascii() else escaped)
    return "|".join(parts)


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    raw = resources.files("rag").joinpath("data/instruction_words.txt").read_text(encoding="utf-8")
    lists: dict[str, list[str]] = {k: [] for k in _KINDS}
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, word = line.partition("\t")
        if kind not in lists or not word.strip():
            raise ValueError(f"rag/data/instruction_words.txt: bad line {line!r}")
        lists[kind].append(fold(word.strip()).lower())
    alt = {k: _alternation(v) for k, v in lists.items()}
    words = {k: re.compile(a) for k, a in alt.items()}
    you = rf"(?:{alt['you']})(?!们)"
    words["you"] = re.compile(you)
    address_ai = re.compile(
        rf"(?:(?:{alt['address_before']}).{{0,4}}(?:{alt['ai']}))|(?:(?:{alt['ai']})[\s,，:：、]*(?:{alt['imperative']}|{you}))"
    )
    gap1, gap2 = _CONDITION_REACH
    condition = re.compile(
        rf"(?:{alt['condition']}).{{0,{gap1}}}(?:{alt['ask']}).{{0,{gap2}}}(?:{alt['directive']})(?:{alt['say']})"
    )
    # a clause that opens with "answer: ..." / "respond only with ..." (what is left when a splitter cuts
    # "You are now ...; respond only with ..." at the semicolon)
    lead = re.compile(
        rf"^\s*(?:(?:{alt['imperative']})\s*)*(?:{alt['respond']})\s*(?:only(?![a-z])|with(?![a-z])|that(?![a-z])|[:：“\"「'])"
    )
    return _Vocabulary(words=words, address_ai=address_ai, condition=condition, lead=lead)


def _overrides(text: str, v: _Vocabulary) -> bool:
    for m in v.words["override"].finditer(text):
        before = text[max(0, m.start() - 4) : m.start()]
        if any(before.endswith(n.group(0)) for n in v.words["negation"].finditer(before)):
            continue
        if v.words["meta"].search(text, m.end(), m.end() + _OVERRIDE_REACH):
            return True
    return False


def is_instruction_like(sentence: str) -> bool:
    """Whether a sentence reads as an instruction to an assistant rather than as document content."""
    text = fold(sentence).lower()
    if not text.strip():
        return False
    v = _vocabulary()
    w = v.words
    if _overrides(text, v):
        return True
    if w["role"].search(text) or v.lead.search(text):
        return True
    responds = w["respond"].search(text) is not None
    if responds and v.address_ai.search(text):
        return True
    if responds and w["you"].search(text) and w["imperative"].search(text):
        return True
    return v.condition.search(text) is not None


def escape_citation_markers(text: str) -> str:
    """ "[1]" / "[2, 3]" in a document's own text become "［1］" / "［2, 3］": only answers make citations."""
    return _CITATION.sub(lambda m: f"［{m.group(1)}］", text)
