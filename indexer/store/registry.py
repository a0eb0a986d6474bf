"""Writing a document into the registry: its row, pages, chunks and their lexical index, and deleting them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np

from indexer.models import ParsedDocument, date_to_int
from indexer.store.filters import sql_filters
from indexer.store.schema import CHUNK_COLUMNS
from indexer.units import Units

_DOCUMENT_COLUMNS = (
    "document_id, content_sha256, kind, title, council, committee, committee_id, doc_type, meeting_date,"
    " meeting_date_int, pack_date, source_note, source_url, meeting_url, item_number, item_title, page_count,"
    " chunk_count, bytes, structure"
)


def insert_document(
    db: sqlite3.Connection, document: ParsedDocument, committee_id: str | None, size: int
) -> None:
    """The document's row (replacing an older one of the same id), inside the caller's transaction."""
    meta = document.meta
    structure = {
        "parts": [asdict(p) for p in document.parts],
        "sections": [asdict(s) for s in document.sections],
    }
    values = (
        document.document_id,
        document.content_sha256,
        document.kind,
        meta.title,
        meta.council,
        meta.committee,
        committee_id,
        meta.doc_type,
        meta.meeting_date,
        date_to_int(meta.meeting_date),
        meta.pack_date,
        meta.source_note,
        meta.source_url,
        meta.meeting_url,
        meta.item_number,
        meta.item_title,
        len(document.pages),
        len(document.chunks),
        size,
        json.dumps(structure),
    )
    marks = ",".join("?" * len(values))
    db.execute(f"INSERT OR REPLACE INTO documents ({_DOCUMENT_COLUMNS}) VALUES ({marks})", values)


def insert_pages_and_chunks(
    db: sqlite3.Connection,
    document: ParsedDocument,
    committee_id: str | None,
    units: Sequence[Units] | None = None,
) -> None:
    """Pages, chunks, the chunks' FTS5 rows and their units (``indexer.units``; one per chunk, in order)
    of a document whose old rows are gone."""
    db.executemany(
        "INSERT INTO pages VALUES (?,?,?,?,?,?,?,?)",
        [
            (
                document.document_id,
                p.page_index,
                p.page_number,
                p.page_label,
                p.page_source,
                p.line_start,
                p.char_start,
                p.text,
            )
            for p in document.pages
        ],
    )
    meta = document.meta
    insert = f"INSERT INTO chunks ({', '.join(CHUNK_COLUMNS)}) VALUES ({', '.join('?' * len(CHUNK_COLUMNS))})"
    for chunk in document.chunks:
        row: dict[str, Any] = chunk.to_dict()
        row.update(
            committee=meta.committee,
            committee_id=committee_id,
            council=meta.council,
            meeting_date_int=date_to_int(chunk.meeting_date),
        )
        cursor = db.execute(insert, [row[c] for c in CHUNK_COLUMNS])
        db.execute(
            "INSERT INTO chunks_fts (rowid, embed_text) VALUES (?, ?)", (cursor.lastrowid, chunk.embed_text)
        )
    if units is not None:
        db.executemany(
            "INSERT INTO chunk_units (chunk_id, spans, vectors) VALUES (?, ?, ?)",
            [
                (chunk.chunk_id, json.dumps([list(span) for span in u.spans]), unit_blob(u.vectors))
                for chunk, u in zip(document.chunks, units, strict=True)
            ],
        )


def unit_blob(vectors: np.ndarray) -> bytes:
    """Unit vectors as stored: float16, which halves the table and moves a cosine by under 0.001."""
    return np.ascontiguousarray(vectors, dtype=np.float16).tobytes()


def delete_pages_and_chunks(db: sqlite3.Connection, document_id: str) -> None:
    db.execute(
        "DELETE FROM chunk_units WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE document_id = ?)",
        (document_id,),
    )
    db.execute(
        "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE document_id = ?)",
        (document_id,),
    )
    db.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
    db.execute("DELETE FROM pages WHERE document_id = ?", (document_id,))


def vector_metadata(document: ParsedDocument, committee_id: str | None) -> list[dict[str, Any]]:
    """What each chunk's vector carries for filtering: its document, type, council, committee and date."""
    metadatas = []
    for chunk in document.chunks:
        metadata: dict[str, Any] = {"document_id": document.document_id, "doc_type": chunk.doc_type}
        if document.meta.committee:
            metadata["committee"] = document.meta.committee
        if document.meta.council:
            metadata["council"] = document.meta.council
        if committee_id:
            metadata["committee_id"] = committee_id
        date_int = date_to_int(chunk.meeting_date)
        if date_int:
            metadata["meeting_date_int"] = date_int
        metadatas.append(metadata)
    return metadatas


def count_matching(db: sqlite3.Connection, filters: dict[str, Any]) -> int:
    """How many chunks a filter matches (what the query planner decides by)."""
    where, params = sql_filters(filters)
    return int(db.execute(f"SELECT COUNT(*) FROM chunks c WHERE 1 {where}", params).fetchone()[0])


def matching_chunk_ids(db: sqlite3.Connection, filters: dict[str, Any]) -> list[str]:
    where, params = sql_filters(filters)
    return [r[0] for r in db.execute(f"SELECT c.chunk_id FROM chunks c WHERE 1 {where}", params)]


# What the planner's counts need at scale: each filter column looked up by an index, not a scan.
FILTER_INDEXES = """
CREATE INDEX IF NOT EXISTS chunks_council ON chunks(council, meeting_date_int);
CREATE INDEX IF NOT EXISTS chunks_committee ON chunks(committee, meeting_date_int);
CREATE INDEX IF NOT EXISTS chunks_committee_id ON chunks(committee_id, meeting_date_int);
CREATE INDEX IF NOT EXISTS chunks_date ON chunks(meeting_date_int);
CREATE INDEX IF NOT EXISTS chunks_doc_type ON chunks(doc_type);
"""
