"""Citations: where a quoted passage or record is, in the one shape every route emits, with its link."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indexer import ChunkRow, PageRange, Store


def document_link(document_id: str, document_kind: str | None, chunk_id: str | None, page: int | None) -> str:
    """Where a citation opens: the PDF at its page, the text viewer scrolled to the passage, or the file."""
    if document_kind == "pdf":
        return f"/documents/{document_id}/file#page={page}" if page else f"/documents/{document_id}/file"
    if chunk_id:
        return f"/view.html?document={document_id}&chunk={chunk_id}"
    return f"/documents/{document_id}/file"


def citation_url(row: ChunkRow) -> str:
    """The link of a chunk row: its PDF page or its passage in the text viewer."""
    return document_link(
        row["document_id"], row.get("document_kind"), row["chunk_id"], PageRange.of_chunk(row).first
    )


def citation(
    row: Mapping[str, Any],
    pages: PageRange,
    quote: str,
    *,
    title: str | None,
    section: str | None,
    link_page: int | None,
    **extra: Any,
) -> dict[str, Any]:
    """A citation of ``quote`` on ``pages`` of the row's document (``page_label`` is the first page's);
    ``link_page`` is the page its link opens (None: the passage or the file). ``extra`` adds the fields
    of one kind of citation (an answer's marker, a record's page source)."""
    return {
        "document_id": row["document_id"],
        "chunk_id": row.get("chunk_id"),
        "source": row.get("source"),
        "title": title,
        "committee": row.get("committee"),
        "section": section,
        "page_start": pages.first,
        "page_end": pages.last,
        "page_label": pages.first_label,
        "quote": quote,
        "url": document_link(row["document_id"], row.get("document_kind"), row.get("chunk_id"), link_page),
        "source_url": row.get("source_url"),
        "meeting_url": row.get("meeting_url"),
        **extra,
    }


def quote_pages(store: Store, row: ChunkRow, start: int, end: int) -> PageRange:
    """The page(s) a quote sits on, from its offsets in the document (a chunk may span pages)."""
    absolute_start = row["char_start"] + start
    absolute_end = row["char_start"] + end - 1
    first = last = None
    for page in store.pages(row["document_id"]):
        if page["char_start"] <= absolute_start:
            first = page
        if page["char_start"] <= absolute_end:
            last = page
    if first is None or last is None:
        return PageRange.of_chunk(row)
    return PageRange(first["page_number"], last["page_number"], first["page_label"], last["page_label"])
