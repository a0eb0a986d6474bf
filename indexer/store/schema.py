"""The registry's tables: documents, sources, pages, chunks and their FTS5 index, copies and records."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from indexer.errors import IndexNotFoundError
from indexer.store.chroma_client import STORE_ID_KEY
from indexer.store.copies import COPIES_SCHEMA

logger = logging.getLogger(__name__)

RECORD_TABLES = ("agenda_items", "decisions", "commitments", "evidence")
RECORD_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meetings (
    meeting_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    committee_id TEXT NOT NULL,
    committee TEXT,
    meeting_date TEXT NOT NULL,
    meeting_date_int INTEGER NOT NULL,
    roles TEXT NOT NULL,
    PRIMARY KEY (meeting_id, document_id)
);
CREATE INDEX IF NOT EXISTS meetings_document ON meetings(document_id);
"""
    + "".join(
        f"""
CREATE TABLE IF NOT EXISTS {table} (
    rowid INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    meeting_id TEXT,
    committee TEXT,
    committee_id TEXT,
    meeting_date TEXT,
    meeting_date_int INTEGER,
    dedup_key TEXT NOT NULL,
    chunk_id TEXT,
    page_source TEXT,
    record TEXT NOT NULL{extra}
);
CREATE INDEX IF NOT EXISTS {table}_document ON {table}(document_id);
CREATE INDEX IF NOT EXISTS {table}_meeting ON {table}(meeting_id);
"""
        for table, extra in (
            ("agenda_items", ""),
            ("decisions", ",\n    kind TEXT NOT NULL,\n    vector BLOB"),
            (
                "commitments",
                ",\n    who TEXT,\n    status TEXT NOT NULL,\n    status_source TEXT NOT NULL,\n    status_note TEXT,"
                "\n    status_date TEXT,\n    evidence_ids TEXT NOT NULL DEFAULT '[]',\n    vector BLOB",
            ),
            ("evidence", ""),
        )
    )
    + """
CREATE VIRTUAL TABLE IF NOT EXISTS decisions_fts USING fts5(text, tokenize = 'porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS commitments_fts USING fts5(text, tokenize = 'porter unicode61');
"""
)

REGISTRY_FILE = "registry.sqlite3"
# 2: records, committee ids, chunk page sources; 3: HNSW settings, chunk_copies; 4: provenance from a site
SCHEMA_VERSION = "5"  # 5: chunk_units
# How FTS5 splits and stems chunk text (the snapshot tokenizes a query's words the same way)
CHUNK_TOKENIZER = "porter unicode61"

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    content_sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    council TEXT,
    committee TEXT,
    committee_id TEXT,
    doc_type TEXT NOT NULL,
    meeting_date TEXT,
    meeting_date_int INTEGER,
    pack_date TEXT,
    source_note TEXT,
    source_url TEXT,
    meeting_url TEXT,
    item_number TEXT,
    item_title TEXT,
    page_count INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    structure TEXT NOT NULL,
    indexed_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS sources (
    root TEXT NOT NULL,
    source TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(document_id),
    size_bytes INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    PRIMARY KEY (root, source)
);
CREATE INDEX IF NOT EXISTS sources_document ON sources(document_id);
CREATE TABLE IF NOT EXISTS pages (
    document_id TEXT NOT NULL,
    page_index INTEGER NOT NULL,
    page_number INTEGER,
    page_label TEXT,
    page_source TEXT,
    line_start INTEGER,
    char_start INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (document_id, page_index)
);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    embed_text TEXT NOT NULL,
    kind TEXT NOT NULL,
    section TEXT,
    section_number TEXT,
    part_title TEXT,
    doc_type TEXT NOT NULL,
    committee TEXT,
    committee_id TEXT,
    council TEXT,
    meeting_date TEXT,
    meeting_date_int INTEGER,
    page_start INTEGER,
    page_end INTEGER,
    page_source TEXT,
    page_label_start TEXT,
    page_label_end TEXT,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    line_start INTEGER,
    line_end INTEGER,
    token_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);
CREATE TABLE IF NOT EXISTS chunk_units (
    chunk_id TEXT PRIMARY KEY,
    spans TEXT NOT NULL,
    vectors BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(embed_text, tokenize = '"""
    + CHUNK_TOKENIZER
    + """');
"""
    + COPIES_SCHEMA
    + RECORD_SCHEMA
)
TABLES = (
    "documents",
    "sources",
    "pages",
    "chunks",
    "chunks_fts",
    "chunk_units",
    "chunk_copies",
    "meetings",
    *RECORD_TABLES,
    "decisions_fts",
    "commitments_fts",
)

CHUNK_COLUMNS = [
    "chunk_id",
    "document_id",
    "position",
    "text",
    "embed_text",
    "kind",
    "section",
    "section_number",
    "part_title",
    "doc_type",
    "committee",
    "committee_id",
    "council",
    "meeting_date",
    "meeting_date_int",
    "page_start",
    "page_end",
    "page_source",
    "page_label_start",
    "page_label_end",
    "char_start",
    "char_end",
    "line_start",
    "line_end",
    "token_count",
]


def check_schema(db: sqlite3.Connection, store_dir: Path, create: bool) -> bool:
    """An index from an older version is rebuilt by the indexer (True); the API asks for that rebuild.

    The store's id is kept, so on a chroma server the rebuild drops and refills the same collection.
    """
    has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() if has_meta else None
    if not has_meta or (row is not None and row[0] == SCHEMA_VERSION):
        return False
    if not create:
        raise IndexNotFoundError(
            f"the index in {store_dir} was built by an older version: rebuild it with "
            f"`python -m indexer corpus --store {store_dir}`"
        )
    logger.warning("the index in %s was built by an older version; rebuilding it", store_dir)
    for table in TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table}")
    db.execute("DELETE FROM meta WHERE key != ?", (STORE_ID_KEY,))
    return True
