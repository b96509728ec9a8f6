"""A local GGUF model run in-process by llama.cpp through ``xllamacpp`` (a prebuilt CPU wheel).

``xllamacpp.Server`` loads the model once and serves chat completions to Python callbacks; it
also always opens an HTTP listener, which we bind to 127.0.0.1 on a free port and use only for
``/tokenize`` (the model's own tokenizer, for prompt trimming). The chat template is the one
stored in the GGUF file (``use_jinja``). On a machine with two cores or fewer one thread is the
default: measured here, one thread generated 3–7x faster than two on a loaded 2-core box.

The model file may be checked against a SHA-256 before it is loaded (``RAG_GGUF_SHA256``), so a
truncated or swapped file is an error, not a model that talks nonsense.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.storage import sha256_file
from rag.errors import BackendError, ConfigError
from rag.llm.base import LLMBackend

log = logging.getLogger(__name__)

XLLAMACPP_MISSING = (
    "本地 GGUF 模型需要 xllamacpp（llama.cpp 的预编译 CPU 版）：请运行 pip install 'gov-rag[gguf]'"
    "（或 make models，同时装好测试用的小模型），并设置 RAG_GGUF_PATH 指向 .gguf 文件。"
)
_DONE = object()
PREFILL_FACTOR = 10


def default_threads(cpus: int | None = None) -> int:
    """One thread on machines with two cores or fewer (faster there, see module doc), else cores - 1 up to 8."""
    cpus = cpus or os.cpu_count() or 1
    return 1 if cpus <= 2 else min(cpus - 1, 8)


class GgufBackend(LLMBackend):
    """The model at ``path``, loaded on first use and kept for the life of the process."""

    name = "gguf"

    def __init__(
        self,
        path: Path,
        *,
        context_tokens: int = 4096,
        threads: int = 0,
        max_tokens: int = 256,
        temperature: float = 0.1,
        max_sentences: int = 3,
        sha256: str = "",
        timeout_s: float = 600.0,
    ) -> None:
        super().__init__(
            max_sentences=max_sentences,
            context_tokens=context_tokens,
            max_tokens=max_tokens,
            endpoint=f"本地模型 {path}",
        )
        self.path = path
        self.threads = threads or default_threads()
        self.temperature = temperature
        self.sha256 = sha256.lower()
        self.timeout_s = timeout_s
        self._server: Any = None
        self._lock = threading.Lock()

    # -- loading ------------------------------------------------------------------------------

    def server(self) -> Any:
        """The loaded ``xllamacpp.Server`` (loads the model the first time)."""
        with self._lock:
            if self._server is None:
                self._server = self._load()
            return self._server

    def _load(self) -> Any:
        if not self.path.is_file():
            raise ConfigError(
                f"RAG_GGUF_PATH 指向的文件不存在：{self.path}。"
                "请设置为 .gguf 模型文件的路径（make models 会装好一个测试用的小模型）。"
            )
        if self.sha256:
            actual = sha256_file(self.path)
            if actual != self.sha256:
                raise ConfigError(
                    f"模型文件 {self.path} 的 SHA-256 是 {actual}，与 RAG_GGUF_SHA256 不符："
                    "文件不完整或被替换，请重新组装（make models）。"
                )
        try:
            import xllamacpp as xlc  # optional extra: imported only for this backend
        except ImportError as exc:
            raise BackendError(XLLAMACPP_MISSING) from exc
        params = xlc.CommonParams()
        params.model.path = str(self.path)
        params.n_ctx = self.context_tokens
        params.n_predict = self.max_tokens
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.n_parallel = 1
        params.use_jinja = True  # the chat template stored in the GGUF file
        params.warmup = False
        params.hostnames = ["127.0.0.1"]  # the listener it always opens stays on loopback
        params.port = 0
        params.model_alias = [self.path.stem]
        # llama.cpp's own log (hundreds of lines per load) only when debugging; failures reach us as errors
        params.verbosity = 3 if log.isEnabledFor(logging.DEBUG) else -1
        log.info("加载本地模型 %s（上下文 %d，线程 %d）", self.path, self.context_tokens, self.threads)
        try:
            return xlc.Server(params)
        except Exception as exc:
            raise self.error(
                f"无法加载：{exc}", "load", "请确认这是完整的 .gguf 文件（make models 会校验 SHA-256），"
            ) from exc

    @property
    def address(self) -> str:
        """The loopback HTTP address of the loaded model (OpenAI-compatible under /v1)."""
        return str(self.server().listening_address)

    # -- LLMBackend ---------------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        """Tokens by the model's own tokenizer (llama.cpp ``/tokenize`` on loopback)."""
        body = json.dumps({"content": text}).encode("utf-8")
        request = urllib.request.Request(f"{self.address}/tokenize", body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return len(json.loads(response.read())["tokens"])
        except (OSError, ValueError, KeyError) as exc:
            log.warning("本地模型分词失败，改用近似计数：%s", exc)
            return super().count_tokens(text)

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Content deltas from llama.cpp, produced on a worker thread; closing the iterator stops generation."""
        server = self.server()
        request = {
            "messages": messages,
            "stream": True,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
        }
        pieces: queue.Queue[Any] = queue.Queue()
        stop = threading.Event()

        def on_chunk(chunk: Any) -> bool:
            pieces.put(chunk)
            return stop.is_set()  # True tells llama.cpp to stop generating

        def run() -> None:
            try:
                server.handle_chat_completions(request, on_chunk)
            except Exception as exc:  # reported to the consumer, never lost in the thread
                pieces.put(exc)
            finally:
                pieces.put(_DONE)

        worker = threading.Thread(target=run, name="gguf-generate", daemon=True)
        worker.start()
        first = True  # until the first text the prompt is being prefilled: minutes on a busy CPU, so 10x the wait
        try:
            while True:
                try:
                    item = pieces.get(timeout=self.timeout_s * (PREFILL_FACTOR if first else 1))
                except queue.Empty:
                    raise self.error(
                        f"在 {self.timeout_s:g} 秒内没有输出", "timeout", "请减少 RAG_TOP_K 或换更小的模型，"
                    ) from None
                if item is _DONE:
                    return
                if isinstance(item, Exception):
                    raise self.error(f"生成失败：{item}", "unknown", "请查看日志，")
                contents = list(self._content(item))
                first = first and not contents
                yield from contents
        finally:
            stop.set()  # llama.cpp stops at its next token; wait for it, so no thread is left inside llama.cpp
            worker.join(self.timeout_s)

    def _content(self, chunk: Any) -> Iterator[str]:
        if isinstance(chunk, str):
            try:
                chunk = json.loads(chunk)
            except ValueError:
                raise self.error(f"返回了无法解析的数据：{chunk[:120]}", "malformed", "请查看日志，") from None
        if not isinstance(chunk, dict):
            raise self.error(f"返回了无法解析的数据：{str(chunk)[:120]}", "malformed", "请查看日志，")
        if "error" in chunk:
            error = chunk["error"]
            detail = error.get("message", error) if isinstance(error, dict) else error
            raise self.error(
                f"生成失败：{detail}", "http_5xx", "提示词过长时请减少 RAG_TOP_K 或调大 RAG_LLM_CONTEXT_TOKENS，"
            )
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") or choice.get("message") or {}
            content = delta.get("content")
            if content:
                yield str(content)
