from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.base import IndexConfig
from index.hybrid import HybridIndex
from index.records import Hit, Record
from index.rerank import PhraseReranker, bigram_coverage, query_bigrams
from index.tokenizer import Tokenizer, default_tokenizer


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return default_tokenizer()


def test_query_bigrams_cut_at_stopwords_and_punctuation(tokenizer: Tokenizer) -> None:
    # 了 and 多少 are stopwords, ？ is punctuation: only 铜梁区工业投资增长 yields bigrams.
    expected = ["铜梁", "梁区", "区工", "工业", "业投", "投资", "资增", "增长"]
    assert query_bigrams("铜梁区工业投资增长了多少？", tokenizer) == expected
    # 是 breaks the run, so no bigram spans 业是.
    assert query_bigrams("规上工业是多少", tokenizer) == ["规上", "上工", "工业"]


def test_query_bigrams_are_distinct_folded_and_lowercased() -> None:
    tok = Tokenizer(userdict="", stopwords="的")
    assert query_bigrams("工业工业", tok) == ["工业", "业工"]
    assert query_bigrams("產業的GDP", tok) == ["产业", "gd", "dp"]
    assert query_bigrams("的？", tok) == []


def test_bigram_coverage_is_the_share_found() -> None:
    assert bigram_coverage(["工业", "业投", "投资"], "工业增加值,投资增长") == pytest.approx(2 / 3)
    assert bigram_coverage(["工业"], "农业") == 0.0
    assert bigram_coverage([], "工业") == 0.0


def _hit(rid: str, score: float, text: str) -> Hit:
    return Hit(id=rid, score=score, text=text, meta={})


def test_score_adds_weighted_coverage_within_depth(tokenizer: Tokenizer) -> None:
    hits = [_hit("a", 0.2, "工业和投资"), _hit("b", 0.1, "工业投资增长"), _hit("c", 0.05, "工业投资")]
    scores = PhraseReranker(tokenizer, weight=0.5, depth=2).score("工业投资", hits)
    # Bigrams 工业 业投 投资: a covers 2/3, b all 3; c is beyond depth and keeps its fused score.
    assert scores == pytest.approx([0.2 + 0.5 * 2 / 3, 0.1 + 0.5, 0.05])


def test_invalid_parameters_are_refused(tokenizer: Tokenizer) -> None:
    with pytest.raises(ValueError, match="weight"):
        PhraseReranker(tokenizer, weight=-0.1)
    with pytest.raises(ValueError, match="depth"):
        PhraseReranker(tokenizer, depth=0)


class _Fused:
    """Keeps the fused order: the hybrid without any reranking."""

    def score(self, query: str, hits: Sequence[Hit]) -> list[float]:
        return [h.score for h in hits]


RECORDS = [
    Record("spread", "工业增长，投资增长，工业用地，投资方向", {}),
    Record("phrase", "全年工业投资增长24.9%，项目建设提速，园区扩容", {}),
    Record("other", "农业生产平稳", {}),
]


def test_hybrid_reranks_by_phrase_by_default(tmp_path: Path) -> None:
    fused = HybridIndex(tmp_path / "fused", None, reranker=_Fused())
    fused.add(RECORDS)
    assert [h.id for h in fused.search("工业投资增长", 2)] == ["spread", "phrase"]  # BM25 prefers spread words

    idx = HybridIndex(tmp_path / "idx", None)
    assert isinstance(idx.reranker, PhraseReranker)
    idx.add(RECORDS)
    hits = idx.search("工业投资增长", 2)
    # Bigrams 工业 业投 投资 资增 增长: phrase has all 5 (fused 1/7), spread 4 of 5, no 业投 (fused 1/6).
    assert [h.id for h in hits] == ["phrase", "spread"]
    assert [h.score for h in hits] == pytest.approx([1 / 12 + 0.75, 1 / 11 + 0.75 * 4 / 5])


@dataclass(frozen=True)
class _NoPhraseConfig(IndexConfig):
    phrase_weight: float = 0.0


def test_phrase_weight_zero_switches_it_off(tmp_path: Path) -> None:
    idx = HybridIndex(tmp_path / "idx", None, _NoPhraseConfig())
    assert idx.reranker is None
    idx.add(RECORDS)
    assert [h.id for h in idx.search("工业投资增长", 2)] == ["spread", "phrase"]
