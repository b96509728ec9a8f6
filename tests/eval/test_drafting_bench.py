"""The drafting set and its scorer: cases reference corpus files by name; the scorer's checks can fail."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from eval.bench.drafting import DATASET, load_cases, render_md, summarise
from eval.drafting.cases import DraftCase
from eval.drafting.score import admitted, fact_present, score_draft, structure_missing
from rag.drafting import Part, ReplyDraft, Statement, Suggestion
from rag.lang import gazetteer
from rag.models import Citation

SHARED = Path("/work/shared/corpus-dev")


def test_cases_are_data_that_names_files_and_holds_half_out() -> None:
    cases = load_cases()
    assert len(cases) >= 20 and len({c.id for c in cases}) == len(cases)
    held_out = sum(c.held_out for c in cases)
    assert abs(held_out - (len(cases) - held_out)) <= 1
    raw = DATASET.read_text(encoding="utf-8")
    assert all(c.source.startswith("dev_") and c.title and c.region for c in cases)
    assert max(len(line) for line in raw.splitlines()) < 2000  # facts and names, not documents


@pytest.mark.skipif(not SHARED.exists(), reason="/work/shared/corpus-dev 不在本机：跳过与真实语料的核对")
def test_every_case_points_at_a_real_reply_whose_facts_it_states() -> None:
    truth = {json.loads(x)["source"]: json.loads(x) for x in (SHARED / "truth.jsonl").read_text().splitlines() if x}
    for case in load_cases():
        assert truth[case.source]["doc_type"] == "复函", case.id
        text = (SHARED / "docs" / case.source).read_text(encoding="utf-8", errors="replace")
        assert all(fact_present(f, text) for f in case.key_facts), case.id


def test_fact_presence_and_region_admission() -> None:
    assert fact_present("7695万元", "共投入资金7695万元。") and fact_present("1.5万户", "惠及15000户居民")
    assert not fact_present("7695万元", "共投入资金7600万元。")
    county = gazetteer().most_specific("上虞区")
    assert county is not None
    assert admitted(county, gazetteer().most_specific("浙江省")) and admitted(county, "全国")  # type: ignore[arg-type]
    assert not admitted(county, gazetteer().most_specific("越城区"))  # type: ignore[arg-type]


def _case(facts: list[str]) -> DraftCase:
    return DraftCase("d1", "own.txt", "关于公交的建议", "张三", "第1号", "", "上虞区交通局", "上虞区", facts, False)


def _draft(statement: str, passage: str, source: str = "own.txt") -> ReplyDraft:
    c = Citation(1, "c1", source, "t", passage, passage)
    return ReplyDraft(
        Suggestion(title="关于公交的建议", region="上虞区"),
        (Part("关于公交", (Statement(statement, (1,)),)),),
        (),
        (c,),
        drafted_on=date(2024, 1, 1),
    )


def test_scorer_counts_recall_violations_unsupported_figures_and_structure() -> None:
    truth = {"other.txt": {"region": "越城区"}, "own.txt": {"region": "上虞区"}}
    good = score_draft(_case(["120条", "30辆"]), _draft("线路达到120条[1]。", "线路达到120条。"), truth)
    assert good.recall == 0.5 and good.missing == ["30辆"] and good.placeholder_ok  # 下一步 placeholder shown
    assert not good.region_violations and not good.unsupported and not good.structure_missing
    bad = score_draft(_case(["120条"]), _draft("线路达到150条[1]。", "线路达到120条。", "other.txt"), truth)
    assert bad.region_violations and bad.unsupported and bad.recall == 0.0
    assert structure_missing("只有一句话。") == ["称谓", "收悉", "办理情况", "下一步", "联系人", "落款"]
    summary = summarise([good, bad], "none")
    assert summary["region_violations"] == 1 and summary["held_in"]["key_fact_recall"] == 0.25
    assert "key-fact recall" in render_md(summary)
