"""Remove ``<think>…</think>`` reasoning from a streamed answer, even when a tag is split across chunks.

Reasoning models (DeepSeek-R1, QwQ, Qwen3 in thinking mode) served by vLLM/Ollama without a
reasoning parser put their chain of thought in the content. It is not an answer: it restates the
passages, guesses, and would be verified and shown sentence by sentence. Only text outside the
blocks is passed on; an unclosed block at the end of the stream is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

OPEN, CLOSE = "<think>", "</think>"


class ThinkFilter:
    """Feed chunks in order; get back the visible text as soon as it is certain not to be a tag."""

    def __init__(self) -> None:
        self._buffer = ""
        self._inside = False

    def feed(self, chunk: str) -> str:
        self._buffer += chunk
        out: list[str] = []
        while True:
            tag = CLOSE if self._inside else OPEN
            at = self._buffer.find(tag)
            if at >= 0:
                if not self._inside:
                    out.append(self._buffer[:at])
                self._buffer = self._buffer[at + len(tag) :]
                self._inside = not self._inside
                continue
            keep = _partial_tag(self._buffer, tag)
            if not self._inside:
                out.append(self._buffer[: len(self._buffer) - keep])
            self._buffer = self._buffer[len(self._buffer) - keep :]
            if not self._inside and CLOSE in "".join(out):  # a stray closing tag (the template opened the block)
                text = "".join(out)
                out = [text[text.rfind(CLOSE) + len(CLOSE) :]]
            return "".join(out)

    def flush(self) -> str:
        """What is left at the end of the stream: held-back text that never became a tag."""
        rest, self._buffer = ("" if self._inside else self._buffer), ""
        return rest


def _partial_tag(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that is a start of ``tag`` (held back until the next chunk)."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:size]):
            return size
    return 0


def strip_think(chunks: Iterable[str]) -> Iterator[str]:
    """The visible pieces of a stream of chunks."""
    flt = ThinkFilter()
    for chunk in chunks:
        visible = flt.feed(chunk)
        if visible:
            yield visible
    rest = flt.flush()
    if rest:
        yield rest
