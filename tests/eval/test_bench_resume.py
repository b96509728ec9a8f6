"""The real-text benchmark resumes: finished steps are kept, selected ones are redone, builds need their home."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from eval.bench import hnsw, real


def _args(**kw: object) -> argparse.Namespace:
    base = {"sizes": [0, 10_000], "real_size": 200, "steps": list(real.STEPS), "modes": None}
    return argparse.Namespace(**{**base, **kw})


def test_plan_selects_steps_and_modes() -> None:
    steps = real.plan(_args(sizes=[46_304], steps=["build", "serve"], modes=["bm25", "random"]), news=46_304)
    assert steps == [
        ("build", "bm25", 46_304),
        ("serve", "bm25", 46_304),
        ("build", "random", 46_304),
        ("serve", "random", 46_304),
    ]
    everything = real.plan(_args(), news=46_304)
    assert ("baseline", "langchain_ensemble", 200) in everything and ("build", "bm25", 200) in everything
    assert everything.index(("build", "bm25", 200)) < everything.index(("baseline", "langchain_ensemble", 200))
    assert len(everything) == len(set(everything))


def test_done_keeps_measured_steps_but_not_failed_ones_or_lost_homes(tmp_path: Path) -> None:
    results = {
        "rows": [
            {"step": "serve", "mode": "bm25", "size": 0},
            {"step": "serve", "mode": "random", "size": 0, "error": "boom"},
            {"step": "build", "mode": "bm25", "size": 0},
        ]
    }
    assert real._done(results, "serve", "bm25", 0, tmp_path)
    assert not real._done(results, "serve", "random", 0, tmp_path)
    assert not real._done(results, "build", "bm25", 0, tmp_path)  # its home is gone: build again
    (tmp_path / "homes" / "bm25-0").mkdir(parents=True)
    (tmp_path / "homes" / "bm25-0" / "build.json").write_text("{}", encoding="utf-8")
    assert real._done(results, "build", "bm25", 0, tmp_path)


def test_redo_and_store_replace_rows_by_step_mode_size() -> None:
    results = {"rows": [{"step": "serve", "mode": m, "size": s} for m in ("bm25", "random") for s in (0, 46_304)]}
    real._redo(results, ["serve:random:46304"])
    assert ("serve", "random", 46_304) not in [real._key(r) for r in results["rows"]]
    real._redo(results, ["serve:bm25"])
    assert [real._key(r) for r in results["rows"]] == [("serve", "random", 0)]
    real._store(results, {"step": "serve", "mode": "random", "size": 0, "new": True})
    assert results["rows"] == [{"step": "serve", "mode": "random", "size": 0, "new": True}]


def test_hnsw_results_merge_with_a_second_writer(tmp_path: Path) -> None:
    path = tmp_path / "hnsw.json"
    first, second = hnsw.Results(path), hnsw.Results(path)
    first.put("embed", {"embedded": 10})
    second.put("random_flat@100", {"vectors": 100})  # opened before the first wrote: must not drop "embed"
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {"embed", "random_flat@100"}


def test_recall_counts_shared_neighbours() -> None:
    assert hnsw.recall_at([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1]]) == 1.0
    assert hnsw.recall_at([list(range(10))], [list(range(5, 15))]) == 0.5
    assert hnsw.nested_sizes(7_958) == [1_000, 2_000, 5_000, 7_958]
    vecs = hnsw.random_unit(3, seed=0)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0)
