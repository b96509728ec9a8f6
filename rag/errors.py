"""One error hierarchy for the whole application.

Every message says what went wrong, where (file or setting), and what to do, because
the people who read them are citizens, staff and operators, not the developers.
"""

from __future__ import annotations


class RagError(Exception):
    """Base of every error the assistant raises on purpose."""


class ConfigError(RagError):
    """A setting is missing or invalid."""


class DocumentError(RagError):
    """A file could not be turned into a document. Carries the path so batch summaries name it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


class UnsupportedFileError(DocumentError):
    """The file type is not one we read."""


class EmptyDocumentError(DocumentError):
    """The file holds no usable text after cleaning."""


class EncodingError(DocumentError):
    """The bytes are not text in any encoding we accept."""


class FileTooLargeError(DocumentError):
    """The file exceeds RAG_MAX_FILE_MB."""


class CorruptFileError(DocumentError):
    """A .docx/.pdf that its parser cannot open."""


class NoTextLayerError(DocumentError):
    """A scanned PDF: there is nothing to index until it is OCR'd."""


class ModelError(RagError):
    """An embedding model or LLM is missing or failed."""


class BackendError(RagError):
    """An LLM backend (OpenAI-compatible endpoint, GGUF) failed."""


class LLMError(BackendError):
    """A language model did not answer: endpoint down, HTTP error, timeout, unknown model, broken stream.

    Never a refusal: "the LLM failed" must not look like "the documents don't cover it". The message
    (for staff and logs) names the endpoint and what to do; ``public`` is all a citizen may see.
    """

    public = "抱歉，智能问答服务暂时不可用，请稍后再试。如需帮助，可拨打12345政务服务便民热线。"

    def __init__(self, message: str, *, endpoint: str, kind: str) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.kind = kind  # down, timeout, http_429, http_5xx, http_4xx, model_not_found, malformed, empty, load


class LockTimeoutError(RagError):
    """Another writer held RAG_HOME's write lock longer than RAG_LOCK_TIMEOUT_S."""


class LimitExceededError(DocumentError):
    """A file exceeds one of the ingest limits (zip size/entries, PDF pages, chunks per file)."""


class AmbiguousDocumentError(RagError):
    """A file name that several documents share: the user must say which one (by its path)."""

    def __init__(self, ref: str, candidates: list[str]) -> None:
        listing = "、".join(candidates)
        super().__init__(
            f"有 {len(candidates)} 个文档都叫 {ref}：{listing}。请改用完整路径（rag docs 中的 path）指明是哪一个。"
        )
        self.ref = ref
        self.candidates = candidates
