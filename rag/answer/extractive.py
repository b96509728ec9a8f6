"""The default backend: answers by quoting sentences of the retrieved passages, no model needed.

It picks the sentences that answer the question (the asked attribute is there, a figure is there
when the question asks 多少/几/比例, the year and place match), quotes them with their [n], and
yields nothing when no sentence qualifies, which the chain turns into a refusal. Its output goes
through the same citation verification as an LLM's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from index.textnorm import fold
from rag.answer.citations import extract
from rag.answer.evidence import context_of, missing_constraints, phrase_coverage, term_coverage
from rag.answer.listing import enumerates, heads_list, named_by_items
from rag.answer.passages import Passage
from rag.answer.query import RELATION_WORDS, QueryTerms, key_terms
from rag.answer.subject import about_local_subject, about_place, about_years

MIN_FOCUS = 0.6  # share of the asked attribute a quoted sentence must contain
MIN_CONTENT = 0.5  # without a clear attribute: share of the question's content words
LONG_SENTENCE = 60  # longer sentences are trimmed to the clauses that answer
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_CLAUSE = re.compile(r"[^,，；;：:]+[,，；;：:]?")
_END = "。！？!?；;,，：: \n"


@dataclass(frozen=True)
class Pick:
    """A quoted span of passage ``n`` and why it was chosen."""

    n: int
    quote: str
    score: float


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip().strip(_END)) >= 6]


_MONEY = frozenset(["亿元", "万元", "元"])


def has_unit(unit: str, folded: str) -> bool:
    """Whether a (folded) text states a figure counted in ``unit``; money in any of 元/万元/亿元."""
    if unit in _MONEY:
        pattern = r"\d(?:[\d.,]*)\s*(?:余|多)?\s*(?:万亿|千亿|百亿|亿|千万|百万|万|千)?\s*元"
    else:
        pattern = r"\d(?:[\d.,]*)\s*(?:余|多)?\s*(?:万|亿)?\s*" + re.escape(unit)
    return re.search(pattern, folded) is not None


_ORDINAL = re.compile(r"第[一二三四五六七八九十百零两]+[位名]")
_PERCENT_HEADS = frozenset(["比重", "占比", "比例", "百分比", "份额", "增速", "增幅", "增长率"])
# Documents state a rate as 增长8.6%: the question's 增速 is then named by 增长 with a percentage.
_RATE_WORDS = frozenset(["增速", "增幅", "增长率"])


def counts(noun: str, unit: str, folded: str) -> bool:
    """Whether a (folded) text gives a count of ``noun`` in ``unit`` (200余个企业 for 多少个企业)."""
    pattern = r"\d[\d.,]*\s*(?:余|多)?\s*(?:万|亿)?\s*" + re.escape(unit) + r"\s*" + re.escape(noun)
    return re.search(pattern, folded) is not None


def _heading_words(focus: tuple[str, ...], folded: str, heading: str, keep_head: bool) -> tuple[str, ...]:
    """The asked words the span itself must name: a word its section heading names may be left out.

    A sentence under "二、打通国有资产确权难点堵点" reporting 推进办证117宗 answers 推进国有资产办证多少宗:
    the section is about 国有资产. The head of the attribute (办证) must still be in the span itself,
    unless ``keep_head`` is False (a list right under its heading: the heading names the category).
    """
    if not heading:
        return focus
    head = focus[-1] if focus else ""
    return tuple(
        t for t in focus if (keep_head and t == head) or len(t) < 2 or all(ch in folded for ch in t) or t not in heading
    )


def _has_head(head: str, clause: str, folded: str) -> bool:
    """Whether a clause names the asked attribute's head; 比重/占比 are named by a percentage (占全市42.3%)."""
    if len(head) < 2:
        return False
    return head in folded or (head in _PERCENT_HEADS and any(f.kind == "percent" for f in extract(clause)))


def _trim(sentence: str, terms: QueryTerms) -> str:
    """The clauses of a long sentence that answer, as one contiguous span (so the quote stays verbatim)."""
    if len(sentence) <= LONG_SENTENCE:
        return sentence
    clauses = _CLAUSE.findall(sentence)
    if len(clauses) < 2:
        return sentence
    folded = [fold(c) for c in clauses]

    head = terms.focus[-1] if terms.focus else ""

    def clause_score(i: int) -> float:
        has_fig = bool(extract(clauses[i]))
        return (
            (1.0 if _has_head(head, clauses[i], folded[i]) else 0.0)  # 研发强度 is not answered by 研发投入
            + phrase_coverage(terms.focus, folded[i]) * 2
            + term_coverage(terms.terms, folded[i])
            + (0.5 if terms.wants_figure and has_fig else 0.0)
            + (1.0 if terms.wants_list and enumerates(folded[i]) else 0.0)
        )

    best = max(range(len(clauses)), key=clause_score)
    start, end = best, best + 1
    if terms.wants_figure and not extract(clauses[best]):
        while end < len(clauses) and end - best < 3 and not extract(clauses[end - 1]):
            end += 1
    if terms.wants_list and clauses[best].rstrip().endswith((":", "：")):
        end = len(clauses)  # "三大园区组团：南溪组团，草街组团，…": the items follow the colon
    # Keep a short leading clause that sets the time or place (2023年,…) when it is close by.
    if (
        best == 1
        and len(clauses[0]) <= 16
        and (any(y in folded[0] for y in terms.years) or re.search(r"\d{4}年|年以来|一季度|全年", folded[0]))
    ):
        start = 0
    return "".join(clauses[start:end]).strip()


def _headings(passage: Passage) -> str:
    """The passage's section headings (folded): what its section is about."""
    return fold(str(passage.meta.get("heading_path") or ""))


def _first_under_heading(passage: Passage) -> str:
    """The first sentence of the passage's section body (the line after its heading line), folded; "" if unseen.

    Only that sentence may take a list's category from the heading: "(四)引进培育“新星”产业集群。" then
    "聚焦…引进培育卫星互联网、智能家居…"; a list further down the section may be of something else.
    """
    path = str(passage.meta.get("heading_path") or "")
    deepest = fold(path.split(" > ")[-1]).strip()[:8]
    if not deepest:
        return ""
    lines = [ln.strip() for ln in passage.text.split("\n") if ln.strip()]
    for i, line in enumerate(lines[:-1]):
        if fold(line).startswith(deepest):
            first = _sentences(lines[i + 1])
            return fold(first[0]) if first else ""
    return ""


def _header(passage: Passage) -> str:
    """Words a passage says about itself (title, headings, section lead): they count for content, not focus."""
    return fold(f"{passage.title} {passage.meta.get('heading_path') or ''} {passage.section}")


def _sentence_score(
    terms: QueryTerms, sentence: str, rank: int, header: str = "", heading: str = "", under_heading: bool = False
) -> float | None:
    """None if the sentence cannot answer; otherwise higher is better."""
    folded = fold(sentence)
    figs = extract(sentence)
    if terms.wants_figure and not figs and not _ORDINAL.search(folded):
        return None  # a rank written in words (排名全国第八位) answers 第几位 as a figure does
    if terms.unit and not has_unit(terms.unit, folded):
        return None  # 软件业务收入是多少亿元 is not answered by 软件业务收入增长8.9%
    if terms.wants_list and not enumerates(folded):
        return None  # 有哪些 is answered by a sentence listing items, not by one that names the category
    if terms.category and terms.category[-1] in folded and not heads_list(terms.category[-1], folded):
        return None  # the category is one of the listed items, not what they are
    focus_terms = tuple(t for t in terms.focus if t not in RELATION_WORDS)  # 超过多少 is answered by 超40%
    has_percent = any(f.kind == "percent" for f in figs)
    if focus_terms and focus_terms[-1] in _PERCENT_HEADS and has_percent:
        focus_terms = focus_terms[:-1]  # 占全市比重多少 is answered by "占全市42.3%"
    if has_percent and "增长" in folded:
        focus_terms = tuple("增长" if t in _RATE_WORDS else t for t in focus_terms)  # 增速 -> 增长8.6%
    if terms.counted and counts(terms.counted, terms.unit, folded):
        focus_terms = (terms.counted,)  # 为多少个企业提供服务 is answered by "对200余个企业…服务"
    focus_terms = _heading_words(focus_terms, folded, heading, keep_head=not (terms.category and under_heading))
    if (
        terms.category
    ):  # 展会活动 / 城市 asked, "西洽会、智博会等活动" / "深圳、上海等地" written: the items show the kind
        head = terms.category[-1]
        focus_terms = tuple(t for t in focus_terms if not named_by_items(t, folded, head=t == head))
    focus = phrase_coverage(focus_terms, folded) if focus_terms else 0.0
    own = term_coverage(terms.terms, folded)
    content = max(own, term_coverage(terms.terms, folded + " " + header)) if header else own
    if any(not all(ch in folded for ch in t.lstrip("区县市省")) for t in focus_terms if len(t) >= 2):
        return None  # 氢能产业产值 is not answered by 新型储能产业产值: every asked word's characters must be there
    if focus_terms and (focus < MIN_FOCUS or phrase_coverage(focus_terms[-1:], folded) < 0.5):
        return None  # the head of the attribute (补贴 in 新型储能补贴) must be there, not just its modifiers
    listed_under_heading = bool(terms.category) and under_heading  # the heading names what the items are
    if content < MIN_CONTENT or (not focus_terms and own < MIN_CONTENT / 2 and not listed_under_heading):
        return None
    stated_years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?=年)", folded))
    if terms.years and stated_years and not stated_years & set(terms.years):
        return None  # the sentence is about another year (2023年 data for a 2024 question)
    score = 2.5 * focus + content + 0.5 * own + 0.1 / rank
    score += 0.3 * sum(1 for y in terms.years if y in folded)
    return score


def _states_asked_figure(terms: QueryTerms, quote: str) -> bool:
    """The quoted clause itself holds the figure asked for (in the asked unit): "2023年…总产值757.2亿元,…
    新型储能产业集群…上榜" does not say what 新型储能产业产值 is, though the sentence has a 亿元 figure."""
    folded = fold(quote)
    stated = [f for f in extract(quote) if terms.wants_date or f.kind != "date"]  # 2023年 answers no 多少
    if terms.wants_figure and not stated and not _ORDINAL.search(folded):
        return False
    return not terms.unit or has_unit(terms.unit, folded)


def _answers(terms: QueryTerms, passage: Passage, rank: int) -> Pick | None:
    """The passage's best span that answers and is about the asked place and year."""
    header = _header(passage)
    heading = _headings(passage)
    lead = _first_under_heading(passage) if terms.wants_list else ""
    scored: list[tuple[float, str]] = []
    for sentence in _sentences(passage.text):
        score = _sentence_score(terms, sentence, rank, header, heading, bool(lead) and fold(sentence) == lead)
        if score is not None:
            scored.append((score, sentence))
    scored.sort(key=lambda item: -item[0])
    for score, sentence in scored:
        quote = _trim(sentence, terms)
        if terms.wants_list and not enumerates(fold(quote)):
            quote = sentence  # the trimmed clause lost the items
        if not _states_asked_figure(terms, quote):
            continue  # the clause about the asked attribute gives no figure: the sentence's figure is another's
        if not about_place(terms.places, quote, passage.section, passage.document, sentence):
            continue
        if not about_local_subject(terms.places, quote, passage.text):
            continue
        if not about_years(terms.years, quote, passage.text, passage.title):
            continue
        return Pick(passage.n, quote, score)
    return None


@dataclass(frozen=True)
class _Subject:
    """What a quote says of the question's subject: the asked words it spells out and phrases it keeps."""

    words: frozenset[str]  # question words whose every character the quote has (储能, 工业企业)
    phrases: frozenset[str]  # adjacent question words the quote has verbatim (新型储能, 工业投资)

    def covers(self, other: _Subject) -> bool:
        return self.words >= other.words and self.phrases >= other.phrases


def _subject(terms: QueryTerms, quote: str) -> _Subject:
    folded = fold(quote)
    words = frozenset(t for t, _ in terms.terms if len(t) >= 2 and all(ch in folded for ch in t))
    return _Subject(words, frozenset(p for p in terms.phrases if p in folded))


def _figures(quote: str) -> frozenset[tuple[object, ...]]:
    """The quote's figures other than dates: a shared 2027年 is the asked time, not new information."""
    return frozenset(f.key for f in extract(quote) if f.kind != "date")


def _lead(terms: QueryTerms, picks: Sequence[Pick]) -> Pick:
    """The best pick, unless another one names strictly more of the asked subject (草街组团主要布局…
    over a sentence that only lists 草街组团): that one answers what was asked, the other only touches it."""
    lead = picks[0]
    for pick in picks[1:]:
        mine, theirs = _subject(terms, lead.quote), _subject(terms, pick.quote)
        if theirs.covers(mine) and theirs != mine:
            lead = pick
    return lead


def select(question: str, passages: Sequence[Passage], max_sentences: int = 3) -> list[Pick]:
    """The best-answering spans across passages, best first, at most one per passage.

    Only passages that name the question's places and years qualify, and only spans about them
    (``rag.answer.subject``). Spans scoring well below the best are left out: a short exact answer
    beats three loosely related quotes. A span after the first must name at least the part of the
    asked subject the first names (a 新型材料 sentence does not follow a 新型储能 answer, however alike
    their wording) and must add a figure not yet quoted: a citizen reads every sentence as an answer.
    """
    terms = key_terms(question)
    candidates: list[Pick] = []
    for rank, passage in enumerate(passages, start=1):
        if missing_constraints(terms, context_of(passage)):
            continue
        pick = _answers(terms, passage, rank)
        if pick is not None:
            candidates.append(pick)
    candidates.sort(key=lambda p: -p.score)
    if not candidates:
        return []
    top = candidates[0].score
    close: list[Pick] = []
    seen: set[str] = set()
    for pick in candidates:
        key = fold(pick.quote)
        if pick.score < 0.85 * top or key in seen:
            continue
        seen.add(key)
        close.append(pick)
    lead = _lead(terms, close)
    asked = _subject(terms, lead.quote)
    chosen = [lead]
    quoted = set(_figures(lead.quote))
    for pick in close:
        if len(chosen) >= max_sentences:
            break
        if pick is lead or not _subject(terms, pick.quote).covers(asked):
            continue
        figures = _figures(pick.quote)
        if figures and figures <= quoted:
            continue  # the same figure again (for another subject, or the same sentence under a title)
        quoted |= figures
        chosen.append(pick)
    return chosen


_ASK = re.compile(r"多少|几|什么|哪|谁|是否|何时|如何")
_TAIL = re.compile(r"(?:分别)?(?:是|有|为|达到|达|增长了?|提高到|提升了?)?(?:多少|几|什么|哪|谁)[^，,。？?；;]*$")


_BARE_WORDS = frozenset(["提升", "增长", "提高", "下降", "百分点", "个百分点", "比重", "占比", "比例"])
# Words that set a figure against a frame (占全市比重, 排名全国第几位, 高于全国几个百分点) without naming
# what is measured: a part made only of them and _BARE_WORDS is about the previous part's subject.
_FRAME_WORDS = frozenset(
    ["全市", "全国", "全省", "全区", "全县", "排名", "排在", "位居", "位列", "居", "高于", "低于", "同比", "第", "位"]
)
# A part naming its own document or body is about that, not about the first part's place (cross questions).
_OWN_SUBJECT = re.compile(r"汇报|方案|复函|新闻|报道|例会|会议|发言|通知|示范区|文件|规划|意见")


def _context_prefix(first: QueryTerms, part: str) -> str:
    if _OWN_SUBJECT.search(part):
        return ""
    terms = key_terms(part)
    if terms.places and set(terms.places) != set(first.places):
        return ""  # another subject: the first part's year bound the first subject, not this one
    prefix = "" if terms.places else "".join(first.places)
    prefix += "" if terms.years else "".join(f"{y}年" for y in first.years)
    return prefix


# "…B的目标是什么" / "…B的增速是多少": a short attribute after 的 that the conjuncts share.
_SHARED_ATTRIBUTE = re.compile(r"的[\u4e00-\u9fff]{1,4}?(?:分别)?(?:是|为|有)?(?:多少|什么|几)[\u4e00-\u9fff]{0,3}$")


def _split_conjunction(question: str) -> list[str]:
    """ "A和B分别是多少" / "有多少家A和B" -> one question per conjunct, sharing the interrogative."""
    q = question.rstrip("？?。 ")
    if not _ASK.search(q):
        return [question]
    m = re.search(r"(?<=[\u4e00-\u9fff\w”])(?:和|及|与|以及)(?=[\u4e00-\u9fff“])", q)
    if m is None:
        return [question]
    left, right = q[: m.start()], q[m.end() :]
    shared = _SHARED_ATTRIBUTE.search(right)
    if "分别" not in q and not _ASK.search(left) and shared is None:
        return [question]
    tail = _TAIL.search(right)
    if "分别" not in q and not _ASK.search(left) and shared is not None:
        # 研发投入和投入强度的目标是什么: the attribute after 的 belongs to both conjuncts
        first = left + shared.group(0)
        second = right
    elif tail is not None and not _ASK.search(left):
        # 铜梁区经营性资产总规模和可盘活资产分别是多少
        ending = re.sub(r"^分别", "", tail.group(0))
        first = left + ending
        second = right[: tail.start()] + ending
    elif _ASK.search(left):
        # 铜梁区有多少家市级专精特新企业和国家级小巨人企业
        ask = _ASK.search(left)
        assert ask is not None
        stem = left[: ask.start()]
        ask_phrase = re.match(r"[^\u4e00-\u9fff]*(?:多少|几|什么|哪|谁)[个家项户人亩名]?", left[ask.start() :])
        first = left + right[len(right.rstrip("的")) :]
        second = stem + (ask_phrase.group(0) if ask_phrase else "") + right
    else:
        return [question]
    if len(key_terms(second).terms) < 1 or len(key_terms(first).terms) < 1:
        return [question]
    head = key_terms(first)
    return [first + "？", _context_prefix(head, second) + second + "？"]


def sub_questions(question: str) -> list[str]:
    """Parts of a compound question, each completed with the place, year and topic of the first part.

    Splits at ？/；, at ，when both sides ask something (投资转化率是多少，提升了几个百分点), and at
    和/及 in "A和B分别是多少" / "有多少家A和B".
    """
    pieces = [p.strip() for p in re.split(r"[？?；;]", question) if len(p.strip()) >= 4]
    parts: list[str] = []
    for piece in pieces or [question]:
        clauses = [c.strip() for c in re.split(r"[，,]", piece) if c.strip()]
        if len(clauses) > 1 and all(_ASK.search(c) for c in clauses):
            parts.extend(clauses)
        else:
            parts.append(piece)
    expanded: list[str] = []
    for part in parts:
        expanded.extend(p.rstrip("？?") for p in _split_conjunction(part))
    if len(expanded) < 2:
        return [question]
    first = key_terms(expanded[0])
    topic = re.split(r"(?:是|有|为)?(?:多少|几|什么|哪|谁)", expanded[0])[0]
    topic = re.sub(r"(?:增长|提高|提升|下降|达到|达|为|了)+$", "", topic)  # the subject, not the verb asked
    out = [expanded[0] + "？"]
    for part in expanded[1:]:
        terms = key_terms(part)
        if sum(1 for t, _ in terms.terms if len(t) >= 2 and t not in _BARE_WORDS and t not in _FRAME_WORDS) == 0:
            out.append(topic + part + "？")  # 提升了几个百分点 -> 投资转化率提升了几个百分点
        else:
            out.append(_context_prefix(first, part) + part + "？")
    return out


def merge_picks(picks: Sequence[Pick], passages: Sequence[Passage]) -> list[Pick]:
    """Picks quoting nearby spans of one passage become one verbatim span (30.8%、提升6.7个百分点)."""
    text_of = {p.n: p.text for p in passages}
    out: list[Pick] = []
    for pick in picks:
        if any(fold(pick.quote) in fold(o.quote) for o in out if o.n == pick.n):
            continue
        merged = False
        for i, other in enumerate(out):
            text = text_of.get(pick.n, "")
            if other.n != pick.n or not text:
                continue
            a, b = text.find(other.quote), text.find(pick.quote)
            if a < 0 or b < 0:
                continue
            start, end = min(a, b), max(a + len(other.quote), b + len(pick.quote))
            span = text[start:end]
            if end - start <= len(other.quote) + len(pick.quote) + 20 and "\n" not in span.strip():
                out[i] = Pick(pick.n, span.strip(), max(pick.score, other.score))
                merged = True
                break
        if not merged:
            out.append(pick)
    return out


def format_pick(pick: Pick) -> str:
    """``quote[n]。``: the mark before the end punctuation, as the LLM prompt asks too."""
    return f"{pick.quote.rstrip(_END)}[{pick.n}]。"


class ExtractiveBackend:
    """Quotes passage sentences with their [n]; needs no model, the default."""

    name = "extractive"

    def __init__(self, max_sentences: int = 3) -> None:
        self.max_sentences = max_sentences

    def generate(self, question: str, passages: Sequence[Passage]) -> Iterator[str]:
        parts = sub_questions(question)
        if len(parts) == 1:
            for pick in select(question, passages, self.max_sentences):
                yield format_pick(pick)
            return
        # A compound question (…是多少？…是多少？): one answer per part, or none at all.
        per_part = [select(part, passages, 1) for part in parts]
        if not all(per_part):
            return
        for pick in merge_picks([picks[0] for picks in per_part], passages):
            yield format_pick(pick)

    def complete(self, prompt: str) -> str | None:
        """No model: query rewriting falls back to rules."""
        return None
