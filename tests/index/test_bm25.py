from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi

from index.metafilter import MetaMasker
from index.sparse import SparseIndex
from index.tokenizer import default_tokenizer

CORPUS = [
    "2023年全年规上工业总产值实现757.2亿元",
    "工业增加值增长3.3%，工业投资增长24.9%",
    "市级专精特新企业136家，国家级小巨人11家",
    "新型储能产业产值力争突破30亿元",
    "合川区智能网联新能源汽车零部件产业集群",
    "两江新区战略性新兴产业产值增长18.4%",
    "科技型企业总量达到1284家，高新技术企业累计",
    "川渝特高压交流工程项目加快推进",
]


def test_scores_match_rank_bm25_okapi() -> None:
    """bm25s' Robertson variant omits BM25Okapi's constant (k1 + 1) numerator factor: same ranking, scaled."""
    tok = default_tokenizer()
    docs = [tok.tokenize(t) for t in CORPUS]
    reference = BM25Okapi(docs, k1=1.2, b=0.75)
    ours = SparseIndex(k1=1.2, b=0.75, method="robertson")
    for d in docs:
        ours.append(ours.encode(d))
    for query in ["规上工业总产值", "产业产值增长", "小巨人企业", "特高压工程"]:
        q = tok.tokenize(query)
        expected = reference.get_scores(q)
        assert np.allclose(ours.scores(q) * (1.2 + 1), expected, rtol=1e-5, atol=1e-5), query
        assert list(np.argsort(-ours.scores(q), kind="stable")) == list(np.argsort(-expected, kind="stable"))
        assert expected.max() > 0


def test_top_respects_mask_before_top_k() -> None:
    tok = default_tokenizer()
    index = SparseIndex()
    for t in CORPUS:
        index.append(index.encode(tok.tokenize(t)))
    masker = MetaMasker()
    masker.reset([{"n": i} for i in range(len(CORPUS))])
    everything = index.top(tok.tokenize("产业产值"), 1, masker.live)
    assert everything[0][0] != 5
    only = np.zeros(len(CORPUS), dtype=bool)
    only[5] = True
    assert [slot for slot, _ in index.top(tok.tokenize("产业产值"), 1, only)] == [5]


def test_vectorised_lucene_matrix_equals_bm25s() -> None:
    """index.sparse builds bm25s' lucene matrix with numpy; scores must equal bm25s' own build."""
    import bm25s
    import numpy as np

    from index.sparse import lucene_matrix

    rng = np.random.default_rng(3)
    docs = [rng.integers(0, 40, size=int(rng.integers(1, 30))).astype(np.int32) for _ in range(200)]
    model = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    model.scores = model.build_index_from_ids(
        unique_token_ids=list(range(40)), corpus_token_ids=[d.tolist() for d in docs], show_progress=False
    )
    ours = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    ours.scores = lucene_matrix(docs, 40, 1.2, 0.75)
    ours.nonoccurrence_array = None
    for query in ([0], [3, 7, 7], list(range(40)), [39, 1]):
        np.testing.assert_allclose(ours.get_scores_from_ids(query), model.get_scores_from_ids(query), rtol=1e-5)
