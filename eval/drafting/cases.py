"""Draft cases from the real replies of /work/shared/corpus-dev: what staff would type, what the reply said.

A case is the suggestion as the reply quotes it (title, deputy, number, session), the office and its
region (truth.jsonl), and the key facts of the real reply's handling paragraphs: its figures, dates
and quoted names of measures. Cases reference documents by file name only; the documents stay in
/work/shared. Every other case holds its reply out of the corpus (``held_out``), so those drafts
must come from the other documents.

    python -m eval.drafting.cases /work/shared/corpus-dev eval/datasets/drafting.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from index.textnorm import to_simplified
from rag.lang import dates, figures, split_sentences

_QUOTED_TITLE = re.compile(r"《([^《》]{4,80})》")
_RECEIPT = re.compile(
    r"提出的?(?:关于)?[“\"《]?([^。：:]{4,80}?)[”\"》]?(?:的\s*)?(?:建议|提案)?(?:\(第[^)]*\)|（第[^）]*）)?\s*已?收悉"
)
_DEPUTY = re.compile(r"(?:^|\n)\s*([\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4})*)(?:等\d*位)?(?:代表|委员)\s*[:：]")
_NUMBER = re.compile(r"第\s*([0-9A-Za-z()（）]+)\s*号")
_SESSION = re.compile(
    r"(?:关于对?|对|局|府|队)?((?:[省市区县州]|[\u4e00-\u9fff]{2,8}?[省市区县州])?(?:第?[一二三四五六七八九十]+届)?(?:人大|政协|人民代表大会)[\u4e00-\u9fff]{0,12}?会议)"
)
_NAMED = re.compile(r"“([^“”]{2,20})”")
_TITLE_SUFFIX = re.compile(r"(?:建议|提案)?的?(?:答复函?|复函)$")
# Independent of rag.drafting on purpose: the facts to find must not be defined by the code that finds them.
_OPENING = re.compile(r"收悉|答复如下|函复如下|现答复|现回复")
_CLOSING = re.compile(
    r"感谢您|感谢你|非常感谢|衷心感谢|再次感谢|关心和支持|关心与支持|联系人|承办人|经办人|联系电话|特此|征询意见"
)
_MIN_BODY_CHARS = 60
_FRAME = re.compile(r"提出的|代表[:：]|委员[:：]|收悉")


def handling_sentences(text: str) -> list[str]:
    """The reply's own handling text: from its 收悉/答复如下 to its closing courtesy or contact line."""
    m = _OPENING.search(text)
    rest = text[m.end() :] if m else text
    # thanks that open the letter (收悉，非常感谢您…) are not its closing: look past the first line
    end = next((e for e in _CLOSING.finditer(rest) if e.start() > _MIN_BODY_CHARS), None)
    body = rest[: end.start()] if end else rest
    return [s.text for s in split_sentences(body) if not _FRAME.search(s.text)]


@dataclass(frozen=True)
class DraftCase:
    """One drafting case; ``key_facts`` are strings of the real reply's handling paragraphs."""

    id: str
    source: str  # the real reply in corpus-dev/docs
    title: str
    deputy: str
    number: str
    session: str
    office: str
    region: str
    key_facts: list[str]
    held_out: bool


def suggestion_title(text: str, doc_title: str | None) -> str | None:
    """The suggestion's own title: 《…》 in the reply, else a document title that is the suggestion's."""
    for match in _QUOTED_TITLE.finditer(text[:1500]):
        inner = match.group(1)
        if re.search("建议|提案|关于", inner) and not re.search(r"第.{1,8}号", inner):
            return inner
    receipt = _RECEIPT.search(text[:2500])
    if receipt:
        inner = re.sub(r"^关于|[“”\"《》]|的?(?:建议|提案)$", "", receipt.group(1).strip()).strip()
        if len(inner) >= 4:
            return f"关于{inner}的建议"
    if doc_title and not _NUMBER.search(doc_title) and re.search("建议|提案", doc_title):
        return _TITLE_SUFFIX.sub("", doc_title.strip()) or None
    return None


def key_facts(text: str, given: str = "", signed: str | None = None) -> list[str]:
    """Figures, dates and quoted names of the handling sentences (frame sentences excluded); bare digit
    runs (telephone numbers, list numbers) and what the suggestion's title already says are not facts."""
    facts: list[str] = []
    for sentence in handling_sentences(text):
        found = [f.raw for f in figures(sentence)] + [d.raw for d in dates(sentence) if d.iso != signed]
        found += [m.group(1) for m in _NAMED.finditer(sentence)]
        for fact in found:
            if fact.isdigit() or fact in given or re.fullmatch(r"[一二三四五六七八九十]+[次届]", fact):
                continue
            if fact not in facts and len(fact) >= 2:
                facts.append(fact)
    return facts


def build(corpus: Path) -> list[DraftCase]:
    rows = [json.loads(line) for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]
    cases: list[DraftCase] = []
    for row in rows:
        if row.get("doc_type") != "复函" or not row.get("region"):
            continue
        path = corpus / "docs" / row["source"]
        text = to_simplified(path.read_text(encoding="utf-8", errors="replace"))
        title = suggestion_title(text, to_simplified(row.get("title") or ""))
        if title is None:
            continue

        deputy = _DEPUTY.search(text)
        number = _NUMBER.search(to_simplified(row.get("title") or ""))
        session = _SESSION.search(to_simplified(row.get("title") or ""))
        cases.append(
            DraftCase(
                id=f"draft_{len(cases) + 1:03d}",
                source=row["source"],
                title=title,
                deputy=deputy.group(1) if deputy else "",
                number=f"第{number.group(1)}号" if number else "",
                session=session.group(1) if session else "",
                office=to_simplified(row.get("issuer") or ""),
                region=to_simplified(row["region"]),
                key_facts=key_facts(text, title + (row.get("title") or ""), row.get("date")),
                held_out=len(cases) % 2 == 1,
            )
        )

    return cases


def main(argv: list[str]) -> int:
    corpus, out = Path(argv[0]), Path(argv[1])
    cases = build(corpus)
    out.write_text("".join(json.dumps(asdict(c), ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    print(f"{len(cases)} cases -> {out}")  # noqa: T201 - a command-line tool
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
