"""Chinese tokenizer for BM25: jieba search-mode segmentation with a government-terms dictionary.

Index and query go through the same ``Tokenizer`` so they agree on every token; its
``version`` (code revision + hash of the dictionary and stopword files) is written to the
index manifest, and an index built with another version must be rebuilt.

Pipeline: fold (traditional -> simplified, pinyin annotations stripped, full width -> half
width), lower-case, then protected spans (文号, ISO dates, numbers with units) are emitted
whole *and* segmented, the way jieba's search mode emits both 总产值 and 总产/产值. Stopwords
and punctuation are dropped.

Which spans are protected can be injected (``protect``): the application passes its one
extractor of 文号/dates/figures (index/ imports nothing of the application, so the default
is the small set of patterns below). The injected extractor's ``protect_version`` joins the
tokenizer version, so an index built with other spans is recognised and rebuilt.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from importlib import resources

import rjieba

from index.textnorm import fold

TOKENIZER_REVISION = "gov-jieba-1"

# Finds the spans of a (folded, lower-cased) text that must stay whole tokens: (start, end), or
# (start, end, token) when the finder knows the span's one spelling (a damaged 文号's normal form).
Protect = Callable[[str], Sequence[tuple[int, int] | tuple[int, int, str]]]

# 文号: issuer abbreviation + year in brackets + serial, e.g. 铜经信函〔2024〕54号 / 渝府发[2023]3号.
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,8})[〔\[【(（［]\s*((?:19|20)\d{2})\s*[〕\]】)）］]\s*第?(\d{1,5})\s*号")
# Words that precede a 文号 in running text but are not part of the issuer abbreviation.
_LEAD_IN = re.compile(r"^.*(?:根据|按照|依据|印发|关于|转发|参照|详见|见|及|和|与|的|是|了|对|按|以)")
ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?!\d)")
_UNITS = (
    "万亿元|亿元|万元|千元|元|万亿|亿|万|%|‰|个百分点|百分点|倍|平方公里|平方米|万平方米|公里|千米|米|"
    "万千瓦|千瓦时|千瓦|兆瓦|吉瓦|万吨|吨|亩|万亩|万人|人次|人|户|家|个|项|条|座|辆|台|套|件|款|所|批|"
    "年度|年|月|日|天|小时|分钟"
)
NUMBER_WITH_UNIT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:" + _UNITS + r")")
# Anything of letters/digits/CJK counts as content; pure punctuation and whitespace tokens are dropped.
_CONTENT = re.compile(r"[0-9a-z\u3400-\u9fff]")
_KEEP_CACHE = 100_000  # distinct tokens _keep remembers (~10 MB at most)


def _data_text(name: str) -> str:
    return resources.files("index").joinpath("data", name).read_text(encoding="utf-8")


def canonical_doc_number(text: str) -> str:
    """One spelling per 文号 so 铜经信函[2024]54号 and 铜经信函〔2024〕54号 are the same token.

    Lead-in words swallowed by the match (根据渝府发…) are dropped from the issuer prefix.
    """
    m = DOC_NUMBER.fullmatch(re.sub(r"\s+", "", text))
    if m is None:
        return text
    prefix = _LEAD_IN.sub("", m.group(1)) or m.group(1)
    return f"{prefix}〔{m.group(2)}〕{m.group(3)}号"


def _doc_number_core(whole: str) -> str:
    """〔2024〕54号 without the issuer: matches a 文号 whose prefix was mangled or omitted."""
    return whole[whole.index("〔") :]


class Tokenizer:
    """jieba (via rjieba) search-mode tokens plus whole 文号 / numbers-with-units, stopwords removed."""

    def __init__(
        self,
        userdict: str | None = None,
        stopwords: str | None = None,
        protect: Protect | None = None,
        protect_version: str = "",
    ) -> None:
        dict_text = _data_text("userdict.txt") if userdict is None else userdict
        stop_text = _data_text("stopwords.txt") if stopwords is None else stopwords
        self._jieba = rjieba.Jieba()
        for line in dict_text.splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[2] if len(parts) > 2 else None
            self._jieba.add_word(fold(parts[0]).lower(), freq, tag)
        self.stopwords = frozenset(fold(w).lower() for w in stop_text.split())
        digest = hashlib.sha256((dict_text + "\0" + stop_text).encode("utf-8")).hexdigest()[:12]
        self.version = f"{TOKENIZER_REVISION}+{digest}"
        if protect is not None:
            self.version += f"+protect-{protect_version or getattr(protect, '__qualname__', 'custom')}"
        self._protect = protect
        self._kept: dict[str, bool] = {}  # token -> kept?; tokens repeat, the stopword/content test need not

    def normalize(self, text: str) -> str:
        """The folded text the tokens come from (also what the evidence matcher compares)."""
        return fold(text).lower()

    def tokenize(self, text: str) -> list[str]:
        """Tokens of ``text`` for BM25; identical for index and query."""
        kept = self._kept
        out: list[str] = []
        for tok in self._raw_tokens(self.normalize(text)):
            keep = kept.get(tok)  # inlined cache hit of _keep: this loop runs once per token of the corpus
            if keep or (keep is None and self._keep(tok)):
                out.append(tok)
        return out

    def _keep(self, token: str) -> bool:
        kept = self._kept.get(token)
        if kept is None:
            kept = token not in self.stopwords and _CONTENT.search(token) is not None
            if len(self._kept) < _KEEP_CACHE:
                self._kept[token] = kept
        return kept

    def _raw_tokens(self, text: str) -> Iterator[str]:
        pos = 0
        spans = _protected_spans(text) if self._protect is None else _injected_spans(text, self._protect(text))
        for start, end, whole in spans:
            if start > pos:
                yield from self._segment(text[pos:start])
            yield whole
            if whole.endswith("号") and "〔" in whole:
                yield _doc_number_core(whole)
            yield from (tok for tok in self._segment(text[start:end]) if tok != whole)
            pos = end
        if pos < len(text):
            yield from self._segment(text[pos:])

    def _segment(self, text: str) -> list[str]:
        return [s for t in self._jieba.cut_for_search(text) if (s := t.strip())]


def _protected_spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping spans to keep whole, leftmost first; a 文号 wins over the numbers inside it."""
    spans: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (DOC_NUMBER, ISO_DATE, NUMBER_WITH_UNIT):
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            whole = canonical_doc_number(m.group(0)) if pattern is DOC_NUMBER else m.group(0)
            spans.append((m.start(), m.end(), re.sub(r"\s+", "", whole)))
            taken.append((m.start(), m.end()))
    return sorted(spans)


def _injected_spans(text: str, spans: Sequence[tuple[int, int] | tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The injected extractor's spans as (start, end, token); 文号 in bracket forms get one spelling."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for span in sorted(spans):
        start, end = span[0], span[1]
        if start < pos or end <= start:
            continue  # overlapping or empty spans from a careless extractor are skipped, not fatal
        whole = span[2] if len(span) > 2 else re.sub(r"\s+", "", text[start:end])
        out.append((start, end, canonical_doc_number(whole) if DOC_NUMBER.fullmatch(whole) else whole))
        pos = end
    return out


@lru_cache(maxsize=1)
def default_tokenizer() -> Tokenizer:
    """The shared tokenizer; building it loads jieba's dictionary (~0.3 s), so do it once."""
    return Tokenizer()
