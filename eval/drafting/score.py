"""Scoring a draft against its case: key-fact recall, region of every citation, structure, placeholders,
and figures the cited passages do not state. Pure functions over the draft's typed structure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from eval.drafting.cases import DraftCase
from index.textnorm import fold, to_simplified
from rag.drafting import ReplyDraft
from rag.drafting.template import reply_template
from rag.lang import Place, dates, figures, gazetteer

_DATE_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_SALUTATION = re.compile(r"(?m)^[^\n]{1,40}(?:代表|委员)：$")
STRUCTURE = ("称谓", "收悉", "办理情况", "下一步", "联系人", "落款")


@dataclass(frozen=True)
class CaseScore:
    id: str
    held_out: bool
    facts: int
    found: int
    missing: list[str]
    statements: int
    region_violations: list[str]  # "source (region)" of citations outside the case's region and parents
    unknown_region: list[str]  # cited sources whose region the truth file does not give
    structure_missing: list[str]
    placeholders: int
    placeholder_ok: bool  # facts are missing -> the draft shows at least one 【待补充】
    unsupported: list[str]  # statements with a figure/date none of their cited passages states
    error: str = ""

    @property
    def recall(self) -> float | None:
        return self.found / self.facts if self.facts else None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "recall": self.recall}


def _fact_keys(text: str) -> set[object]:
    return {f.key for f in figures(text)} | {d.iso for d in dates(text)}


def fact_present(fact: str, text: str) -> bool:
    """The fact's words, or its figure/date by value, appear in the text."""
    if fold(to_simplified(fact)) in fold(text):
        return True
    keys = _fact_keys(fact)
    return bool(keys) and keys <= _fact_keys(text)


def truth_place(row: Mapping[str, Any] | None) -> Place | str | None:
    if not row or not row.get("region"):
        return None
    region = to_simplified(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)", "", str(row["region"])))
    if gazetteer().is_national(region):
        return "全国"
    return gazetteer().most_specific(region) or gazetteer().most_specific(str(row.get("issuer") or ""))


def admitted(case_place: Place, cited: Place | str) -> bool:
    if cited == "全国":
        return True
    if not isinstance(cited, Place):
        return False
    return cited.code == case_place.code or cited.code in {p.code for p in gazetteer().ancestors(case_place)}


def structure_missing(text: str) -> list[str]:
    t = reply_template()
    frame = t.frame
    checks = {
        "称谓": bool(_SALUTATION.search(text)),
        "收悉": "收悉" in text and "答复如下" in text,
        "办理情况": frame["handling_heading"] in text,
        "下一步": frame["next_heading"] in text,
        "联系人": "联系人" in text and "联系电话" in text,
        "落款": bool(_DATE_LINE.search(text.split("联系电话", 1)[-1])),
    }
    return [k for k in STRUCTURE if not checks[k]]


def score_draft(case: DraftCase, draft: ReplyDraft, truth: Mapping[str, Mapping[str, Any]]) -> CaseScore:
    body = "".join(s.text for s in draft.statements)
    missing = [f for f in case.key_facts if not fact_present(f, body)]
    case_place = gazetteer().most_specific(case.region)
    violations: list[str] = []
    unknown: list[str] = []
    by_n = {c.n: c for c in draft.citations}
    for c in draft.citations:
        if c.source == case.source:
            continue  # the office's own reply to this suggestion is of its region by definition
        where = truth_place(truth.get(c.source))
        if where is None:
            unknown.append(c.source)
        elif case_place is not None and not admitted(case_place, where):
            violations.append(f"{c.source}（{truth[c.source].get('region')}）")
    unsupported = []
    for s in draft.statements:
        have: set[object] = set()
        for n in s.citations:
            have |= _fact_keys(by_n[n].passage)
        if not _fact_keys(re.sub(r"\[\d+\]", "", s.text)) <= have:
            unsupported.append(s.text)
    text = draft.text()
    holes = len(draft.placeholders())
    return CaseScore(
        id=case.id,
        held_out=case.held_out,
        facts=len(case.key_facts),
        found=len(case.key_facts) - len(missing),
        missing=missing,
        statements=len(draft.statements),
        region_violations=violations,
        unknown_region=sorted(set(unknown)),
        structure_missing=structure_missing(text),
        placeholders=holes,
        placeholder_ok=not missing or holes > 0,
        unsupported=unsupported,
    )
