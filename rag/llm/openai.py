"""Any OpenAI-compatible chat endpoint: vLLM, Ollama, Xinference, llama.cpp/xllamacpp, DeepSeek, DashScope.

Built on the ``openai`` SDK directly rather than through a LangChain wrapper, because the failure
modes are the point: every SDK exception is turned into an ``LLMError`` that names the endpoint
and says what to do (server down, HTTP 429/5xx, timeout, unknown model, a stream that is not JSON,
a stream with no content), so a broken model never reaches the user as a raw SDK message or,
worse, as a refusal. ``max_tokens`` is sent as such (what every compatible server understands).
Prompt trimming counts tokens with ``approx_tokens``: remote tokenizers are not reachable in a
portable way, and the approximation over-counts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from rag.errors import LLMError
from rag.llm.base import LLMBackend

log = logging.getLogger(__name__)


class OpenAIBackend(LLMBackend):
    """Chat completions, streamed, from ``base_url`` with model ``model``."""

    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        *,
        timeout_s: float = 60.0,
        temperature: float = 0.1,
        max_tokens: int = 256,
        context_tokens: int = 4096,
        max_sentences: int = 3,
        max_retries: int = 1,
    ) -> None:
        super().__init__(
            max_sentences=max_sentences,
            context_tokens=context_tokens,
            max_tokens=max_tokens,
            endpoint=f"接口 {base_url}（模型 {model}）",
        )
        import openai  # imported here: the default backend must not pay for it

        self.base_url = base_url
        self.model = model
        self.timeout_s = timeout_s
        self.temperature = temperature
        self.client = openai.OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=max_retries
        )

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        try:
            stream: Any = self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                stream=True,
                max_tokens=self.max_tokens,
                temperature=self.temperature,
            )
        except Exception as exc:
            raise self._translate(exc) from exc
        try:
            for chunk in stream:
                if getattr(chunk, "error", None):  # some servers send {"error": ...} as an SSE event
                    raise self.error(f"在回答途中报错：{chunk.error}", "http_5xx", "请查看模型服务的日志，")
                choices = getattr(chunk, "choices", None)
                if choices is None:
                    raise self.error("返回的流式数据不是 chat.completion.chunk", "malformed", _NOT_OPENAI)
                for choice in choices:
                    content = getattr(choice.delta, "content", None) if choice.delta is not None else None
                    if content:
                        yield content
        except LLMError:
            raise
        except Exception as exc:
            raise self._translate(exc, streaming=True) from exc
        finally:
            stream.close()

    def _translate(self, exc: Exception, *, streaming: bool = False) -> LLMError:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return self.error(
                f"在 {self.timeout_s:g} 秒内没有响应", "timeout", "请检查模型服务是否过载，或调大 RAG_LLM_TIMEOUT_S，"
            )
        if isinstance(exc, openai.APIConnectionError):
            return self.error(
                "无法连接（服务没有启动，或地址不对）",
                "down",
                "请启动模型服务并确认 RAG_LLM_BASE_URL 指向它的 /v1 地址，",
            )
        if isinstance(exc, openai.RateLimitError):
            return self.error(
                "拒绝了请求（HTTP 429：请求过多或额度用尽）", "http_429", "请稍后再试，或检查账户额度与并发限制，"
            )
        if isinstance(exc, openai.NotFoundError):
            return self.error(
                f"没有名为 {self.model} 的模型（HTTP 404）{self._known_models()}",
                "model_not_found",
                "请把 RAG_LLM_MODEL 改成该服务提供的模型名，",
            )
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return self.error(f"拒绝了 API key（HTTP {exc.status_code}）", "http_4xx", "请检查 RAG_LLM_API_KEY，")
        if isinstance(exc, openai.APIStatusError):
            kind = "http_5xx" if exc.status_code >= 500 else "http_4xx"
            detail = _short(exc.message)
            return self.error(f"返回 HTTP {exc.status_code}：{detail}", kind, "请查看模型服务的日志，")
        if streaming or isinstance(exc, json.JSONDecodeError | openai.APIResponseValidationError):
            return self.error(f"返回的流式数据无法解析（{_short(str(exc))}）", "malformed", _NOT_OPENAI)
        return self.error(f"调用失败：{type(exc).__name__}: {_short(str(exc))}", "unknown", "请查看模型服务的日志，")

    def _known_models(self) -> str:
        """'；可用模型：a、b' when the endpoint lists its models, else ''. A best effort, never raises."""
        try:
            names = [m.id for m in self.client.with_options(timeout=5.0, max_retries=0).models.list()]
        except Exception as exc:  # the listing is a hint only
            log.debug("listing models at %s failed: %s", self.base_url, exc)
            return ""
        return f"；该服务提供的模型：{'、'.join(names[:10])}" if names else ""


_NOT_OPENAI = "请确认 RAG_LLM_BASE_URL 是 OpenAI 兼容的 /v1 地址（vLLM、Ollama、Xinference、llama.cpp 等），"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
