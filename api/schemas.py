"""Request and response shapes of the API (the names are a contract: add fields, never rename)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator

DOC_TYPES = ("agenda", "minutes", "report", "appendix", "presentation", "pack")


class Alternate(BaseModel):
    chunk_id: str
    document_id: str
    source: str | None
    title: str | None
    page_start: int | None
    page_end: int | None
    url: str


class SearchResult(BaseModel):
    chunk_id: str
    text: str
    score: float
    document_id: str
    source: str | None
    title: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    doc_type: str
    section: str | None
    page_start: int | None
    page_end: int | None
    page_label: str | None
    url: str
    part_title: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    alternates: list[Alternate] = Field(default_factory=list)


class SearchResponse(BaseModel):
    query: str
    results: list[SearchResult]
    count: int
    filters: dict[str, Any] = Field(default_factory=dict)
    date_hint: dict[str, str] | None = None


class AskRequest(BaseModel):
    question: str = Field(description="The question, in plain words.")
    k: int = Field(default=5, ge=1, le=50, description="Passages to consider.")
    committee: str | None = None
    doc_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question must not be empty")
        return value


class Citation(BaseModel):
    marker: int
    chunk_id: str
    document_id: str
    source: str | None
    title: str | None = None
    meeting_date: str | None = None
    page_start: int | None
    page_end: int | None
    page_label: str | None
    quote: str
    url: str


class AskResponse(BaseModel):
    question: str
    answered: bool
    answer: str
    citations: list[Citation]
    passages: list[SearchResult]
    searched: str = Field(description="What was searched, in words.")
    mode: str = Field(default="extractive", description="extractive or generative")


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    model: str | None = None
