"""Response shapes of the document routes: documents, their pages and passages (add fields, never rename)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class DocumentSummary(BaseModel):
    """A registered document: what it is, which meeting it belongs to and where its file is."""

    document_id: str = Field(description="First 16 hex characters of the file's sha256.")
    content_sha256: str
    kind: str = Field(description="pdf or text")
    title: str
    council: str | None
    committee: str | None
    committee_id: str | None = Field(description="The committee's lineage: one id across renamings.")
    doc_type: str
    meeting_date: str | None
    meeting_date_int: int | None
    pack_date: str | None
    source_note: str | None
    source_url: str | None = Field(default=None, description="The council's own URL of the file, if known.")
    meeting_url: str | None = Field(default=None, description="The council's page of the meeting, if known.")
    item_number: str | None = None
    item_title: str | None = None
    page_count: int
    chunk_count: int
    bytes: int
    indexed_at: str
    sources: list[str] = Field(description="Every file (relative to its folder) with this content.")
    source: str | None = Field(description="The first of ``sources``.")


class DocumentsResponse(BaseModel):
    documents: list[DocumentSummary]
    count: int


class PageSummary(BaseModel):
    page_index: int = Field(description="0-based position of the page in the document.")
    page_number: int | None = Field(description="1-based PDF page number; null where the text says none.")
    page_label: str | None = Field(description="The number printed on the page, where there is one.")
    page_source: str | None
    line_start: int | None
    chars: int


class DocumentDetail(DocumentSummary):
    pages: list[PageSummary]
    sections: list[dict[str, Any]]
    parts: list[dict[str, Any]]
    file_url: str


class PageText(BaseModel):
    document_id: str
    page_index: int
    page_number: int | None
    page_label: str | None
    page_source: str | None
    line_start: int | None
    char_start: int
    text: str


class ChunkContext(BaseModel):
    """A passage with the text around it, and where in that text to highlight it."""

    rowid: int
    chunk_id: str
    document_id: str
    position: int
    text: str
    kind: str
    section: str | None
    section_number: str | None
    part_title: str | None
    doc_type: str
    committee: str | None
    committee_id: str | None
    council: str | None
    meeting_date: str | None
    meeting_date_int: int | None
    page_start: int | None
    page_end: int | None
    page_source: str | None
    page_label_start: str | None
    page_label_end: str | None
    char_start: int
    char_end: int
    line_start: int | None
    line_end: int | None
    token_count: int
    title: str | None
    document_kind: str | None
    source: str | None
    url: str
    context: str
    highlight_start: int
    highlight_end: int
