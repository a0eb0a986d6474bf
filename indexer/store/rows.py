"""The shapes of the rows the store reads back: typed dicts, so the API and the evaluation keep the plain
dicts they always had (nothing changes at run time or on the wire) and a type checker knows their keys.

Each mirrors a table of ``schema`` and the keys added as rows are read (``index.Store``).
"""

from __future__ import annotations

from typing import Any, TypedDict


class ChunkColumns(TypedDict):
    """A row of the ``chunks`` table (``Store.document_chunks``)."""

    rowid: int
    chunk_id: str
    document_id: str
    position: int
    text: str
    embed_text: str
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


class ChunkRow(ChunkColumns):
    """A chunk with its document's title, kind, links and first source (``Store.chunks``, ``copies``)."""

    title: str
    document_kind: str
    source_url: str | None
    meeting_url: str | None
    source: str | None


class DocumentRow(TypedDict):
    """A row of the ``documents`` table with its structure parsed and its sources (``Store.documents``)."""

    document_id: str
    content_sha256: str
    kind: str
    title: str
    council: str | None
    committee: str | None
    committee_id: str | None
    doc_type: str
    meeting_date: str | None
    meeting_date_int: int | None
    pack_date: str | None
    source_note: str | None
    source_url: str | None
    meeting_url: str | None
    item_number: str | None
    item_title: str | None
    page_count: int
    chunk_count: int
    bytes: int
    structure: dict[
        str, list[dict[str, Any]]
    ]  # {"parts": [...], "sections": [...]}, as ``registry`` wrote it
    indexed_at: str
    sources: list[str]  # the files it was read from, by name under their root
    source: str | None  # the first of them
    _paths: list[str]  # their full paths


class PageRow(TypedDict):
    """A row of the ``pages`` table (``Store.pages``)."""

    document_id: str
    page_index: int
    page_number: int | None
    page_label: str | None
    page_source: str | None
    line_start: int | None
    char_start: int
    text: str
