"""The shared injection paraphrases (they live in eval so the reliability report uses the same ones)."""

from __future__ import annotations

from eval.bench.injection import GOVERNMENT, INSTRUCTIONS

__all__ = ["GOVERNMENT", "INSTRUCTIONS"]
