"""Request and response models of the REST API; they are what /docs (OpenAPI) shows."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Audience = Literal["citizen", "staff"]
FiltersField = dict[str, str | list[str]] | None

FILTERS_DOC = (
    "按元数据过滤：issuer, doc_number, region, doc_type, visibility, source, title（字符串或字符串列表），"
    "date_from / date_to（YYYY-MM-DD）。"
)


class Message(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str


class AskRequest(BaseModel):
    question: str = Field(description="问题（中文）。", examples=["铜梁区2023年规上工业总产值是多少？"])
    history: list[tuple[str, str] | Message] = Field(
        default_factory=list, description="此前的对话：[问题, 回答] 对，或 {role, content} 消息。用于改写追问。"
    )
    filters: FiltersField = Field(default=None, description=FILTERS_DOC)
    audience: Audience = Field(default="citizen", description="staff 需要 Authorization: Bearer <RAG_API_TOKEN>。")
    id: Any = Field(default=None, description="原样返回，便于批量调用时对应。")

    def history_pairs(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        pending: str | None = None
        for item in self.history:
            if isinstance(item, tuple):
                pairs.append(item)
            elif item.role == "user":
                pending = item.content
            elif item.role == "assistant" and pending is not None:
                pairs.append((pending, item.content))
                pending = None
        return pairs


class CitationOut(BaseModel):
    n: int
    chunk_id: str
    source: str
    title: str
    quote: str


class AnswerOut(BaseModel):
    id: Any = None
    answer: str
    refused: bool
    citations: list[CitationOut]


class SearchRequest(BaseModel):
    question: str = Field(description="检索词或问题。", examples=["新型储能"])
    k: int | None = Field(default=None, ge=1, le=100, description="返回条数（默认 RAG_TOP_K）。")
    filters: FiltersField = Field(default=None, description=FILTERS_DOC)
    audience: Audience = Field(default="citizen", description="staff（含内部文件）需要凭据。")


class HitOut(BaseModel):
    rank: int
    chunk_id: str
    source: str | None
    title: str | None
    text: str
    score: float
    meta: dict[str, Any]


class SearchOut(BaseModel):
    hits: list[HitOut]


class DocsOut(BaseModel):
    total: int = Field(description="可见文档总数（无凭据时只含公开文档）。")
    offset: int
    limit: int
    documents: list[dict[str, Any]] = Field(description="与 `rag docs --json` 的元素相同。")


class RemoveRequest(BaseModel):
    sources: list[str] = Field(min_length=1, examples=[["000_d5e02e9cc017770c.txt"]])


class RemoveOut(BaseModel):
    removed: list[str]
    missing: list[str]


class VisibilityRequest(BaseModel):
    source: str
    visibility: Literal["public", "internal"]


class DraftRequest(BaseModel):
    topic: str = Field(examples=["关于加快全区工业经济发展的建议"])
    deputy: str = ""
    issuer: str = ""
    region: str = ""


class DraftOut(AnswerOut):
    text: str
    statements: list[str]
