"""BM25 over a sparse matrix (bm25s), with incremental add/delete.

Tokens are kept per slot as integer ids in our own growing vocabulary, so adding or deleting
records never re-tokenises the others: the bm25s score matrix (whose idf and average length
depend on the whole corpus) is rebuilt from the stored ids, lazily, on the next query or save
(~3 s at 100k chunks). A query then costs a few sparse column sums (~1 ms at 100k).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt

from index.metafilter import BoolMask

log = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int32]
_BLOCK = 1 << 20  # (term, doc) pairs scored at a time by lucene_matrix


def lucene_matrix(docs: Sequence[IntArray], n_vocab: int, k1: float, b: float) -> dict[str, Any]:
    """bm25s' score matrix for method="lucene" (term-major CSC: data, indices = doc rows, indptr per term),
    computed with whole-array numpy instead of bm25s' per-document Python loop.

    Same numbers (a test compares them with bm25s'). Memory: one int64 key per token (term * n_docs
    + doc), sorted in place, and arrays per distinct (term, doc) pair; no further per-token copies
    (np.unique's sorted copy, an int64 doc column and their products took ~1 GB at 160k real chunks)."""
    n_docs = len(docs)
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n_docs)
    total = int(lengths.sum())
    width = max(n_docs, 1)
    key = np.empty(total, dtype=np.int64)
    if n_docs:
        np.concatenate(list(docs), out=key, casting="safe")
    key *= width
    key += np.repeat(np.arange(n_docs, dtype=np.int32), lengths)
    key.sort()  # by term, then doc
    first = np.ones(total, dtype=bool)  # where a new (term, doc) pair starts
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    del first
    pairs = key[starts]
    del key
    tf = np.empty(len(starts), dtype=np.float32)  # run lengths of equal keys (exact in float32)
    if len(starts):
        np.subtract(starts[1:], starts[:-1], out=tf[:-1], casting="unsafe")
        tf[-1] = total - starts[-1]
    del starts
    term = (pairs // width).astype(np.int32)
    doc = (pairs % width).astype(np.int32)
    del pairs
    df = np.bincount(term, minlength=n_vocab)
    idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
    avgdl = float(lengths.mean()) if n_docs else 1.0
    data = np.empty(len(tf), dtype=np.float32)
    for lo in range(0, len(tf), _BLOCK):  # elementwise, in blocks: float64 temporaries stay small
        hi = lo + _BLOCK
        tfb = tf[lo:hi]
        tfc = tfb / (k1 * ((1 - b) + b * lengths[doc[lo:hi]] / avgdl) + tfb)
        data[lo:hi] = idf[term[lo:hi]] * tfc
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {"data": data, "indices": doc, "indptr": indptr, "num_docs": n_docs}


def _load_vocab(folder: Path) -> list[str]:
    """Tokens in id order; reads the UTF-8 blob, or the fixed-width array older indexes wrote."""
    if (folder / "vocab_utf8.npy").exists():
        blob = np.load(folder / "vocab_utf8.npy", allow_pickle=False).tobytes()
        offsets = np.load(folder / "vocab_offsets.npy", allow_pickle=False).tolist()
        return [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets)]
    return [str(t) for t in np.load(folder / "vocab.npy", allow_pickle=False).tolist()]


class SparseIndex:
    """BM25 scores for slots; ``None`` in ``docs`` marks a deleted slot."""

    def __init__(self, k1: float = 1.2, b: float = 0.75, method: str = "lucene") -> None:
        self.k1 = k1
        self.b = b
        self.method = method
        self.vocab: dict[str, int] = {}
        self.docs: list[IntArray | None] = []
        self._model: bm25s.BM25 | None = None
        self._rows: IntArray = np.zeros(0, dtype=np.int32)  # matrix row -> slot
        self._dirty = True

    # -- building -------------------------------------------------------------------------------
    def encode(self, tokens: Sequence[str]) -> IntArray:
        """Token ids, growing the vocabulary; the only place strings become ids."""
        vocab = self.vocab
        return np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32, count=len(tokens))

    def append(self, token_ids: IntArray | None) -> None:
        self.docs.append(token_ids)
        self._dirty = True

    def remove(self, slot: int) -> None:
        self.docs[slot] = None
        self._dirty = True

    def reorder(self, slots: Sequence[int]) -> None:
        """Keep only ``slots``, renumbered 0..n-1 in that order (compaction)."""
        self.docs = [self.docs[s] for s in slots]
        self._dirty = True

    def ensure_built(self) -> None:
        if not self._dirty:
            return
        rows = [slot for slot, doc in enumerate(self.docs) if doc is not None]
        self._rows = np.asarray(rows, dtype=np.int32)
        if not rows or not self.vocab:
            self._model = None
        else:
            model = bm25s.BM25(k1=self.k1, b=self.b, method=self.method)
            docs = [self.docs[s] for s in rows]
            if self.method == "lucene":
                model.scores = lucene_matrix(docs, len(self.vocab), self.k1, self.b)  # type: ignore[arg-type]
                model.nonoccurrence_array = None
            else:
                corpus = [d.tolist() for d in docs]  # type: ignore[union-attr]
                model.scores = model.build_index_from_ids(
                    unique_token_ids=list(range(len(self.vocab))), corpus_token_ids=corpus, show_progress=False
                )
            model.vocab_dict = {}  # we map tokens ourselves; bm25s only sees ids
            self._model = model
        self._dirty = False
        log.debug("BM25 matrix rebuilt over %d records, %d terms", len(rows), len(self.vocab))

    # -- querying -------------------------------------------------------------------------------
    def query_ids(self, tokens: Sequence[str]) -> list[int]:
        return [self.vocab[t] for t in tokens if t in self.vocab]

    def scores(self, tokens: Sequence[str]) -> npt.NDArray[np.float32]:
        """BM25 score of every slot (0 for deleted slots and slots sharing no term)."""
        self.ensure_built()
        out = np.zeros(len(self.docs), dtype=np.float32)
        ids = self.query_ids(tokens)
        if self._model is None or not ids:
            return out
        out[self._rows] = self._model.get_scores_from_ids(ids)
        return out

    def top(self, tokens: Sequence[str], k: int, mask: BoolMask) -> list[tuple[int, float]]:
        """Best ``k`` (slot, score) among slots allowed by ``mask``; slots sharing no term are not returned."""
        self.ensure_built()
        ids = self.query_ids(tokens)
        if self._model is None or not ids or k <= 0:
            return []
        row_scores = self._model.get_scores_from_ids(ids)
        row_scores = np.where(mask[self._rows], row_scores, 0.0)
        candidates = np.flatnonzero(row_scores > 0)
        if candidates.size > k:
            part = np.argpartition(-row_scores[candidates], k - 1)[:k]
            candidates = candidates[part]
        order = candidates[np.lexsort((self._rows[candidates], -row_scores[candidates]))]
        return [(int(self._rows[r]), float(row_scores[r])) for r in order]

    # -- persistence ----------------------------------------------------------------------------
    def save(self, folder: Path) -> list[str]:
        """Write token ids, vocabulary and the score matrix; returns the file names written."""
        self.ensure_built()
        lengths = np.asarray([-1 if d is None else len(d) for d in self.docs], dtype=np.int64)
        flat = np.concatenate([d for d in self.docs if d is not None] or [np.zeros(0, np.int32)]).astype(np.int32)
        arrays: dict[str, npt.NDArray[np.generic]] = {"tokens.npy": flat, "token_lengths.npy": lengths}
        # The vocabulary as one UTF-8 blob + offsets: a fixed-width numpy string array is as wide as the
        # longest token (one 283-character token made it 428 MB at 160k real chunks; this is ~4 MB).
        encoded = [t.encode("utf-8") for t in sorted(self.vocab, key=self.vocab.__getitem__)]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        arrays["vocab_utf8.npy"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        arrays["vocab_offsets.npy"] = offsets
        if self._model is not None:
            arrays["bm25_data.npy"] = np.asarray(self._model.scores["data"])
            arrays["bm25_indices.npy"] = np.asarray(self._model.scores["indices"])
            arrays["bm25_indptr.npy"] = np.asarray(self._model.scores["indptr"])
            arrays["bm25_rows.npy"] = self._rows
        for name, arr in arrays.items():
            np.save(folder / name, arr, allow_pickle=False)
        return sorted(arrays)

    @classmethod
    def load(cls, folder: Path, k1: float, b: float, method: str, reuse_matrix: bool) -> SparseIndex:
        """Load; the saved matrix is reused only when it was built with the same BM25 parameters."""
        index = cls(k1=k1, b=b, method=method)
        index.vocab = {t: i for i, t in enumerate(_load_vocab(folder))}
        flat = np.load(folder / "tokens.npy", allow_pickle=False)
        lengths = np.load(folder / "token_lengths.npy", allow_pickle=False)
        pos = 0
        for length in lengths.tolist():
            if length < 0:
                index.docs.append(None)
            else:
                index.docs.append(flat[pos : pos + length])
                pos += length
        # BM25L/BM25+ also need a non-occurrence array that we do not store: rebuild those from ids.
        if reuse_matrix and method not in {"bm25l", "bm25+"} and (folder / "bm25_data.npy").exists():
            model = bm25s.BM25(k1=k1, b=b, method=method)
            index._rows = np.load(folder / "bm25_rows.npy", allow_pickle=False)
            model.scores = {
                "data": np.load(folder / "bm25_data.npy", allow_pickle=False),
                "indices": np.load(folder / "bm25_indices.npy", allow_pickle=False),
                "indptr": np.load(folder / "bm25_indptr.npy", allow_pickle=False),
                "num_docs": len(index._rows),
            }
            model.vocab_dict = {}
            model.nonoccurrence_array = None
            index._model = model
            index._dirty = False
        return index
