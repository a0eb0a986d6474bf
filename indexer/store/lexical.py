"""Lexical search with SQLite FTS5 (BM25, Porter stemming) over chunks and over records."""

from __future__ import annotations

import sqlite3
from typing import Any

from indexer.store.filters import sql_filters
from indexer.text.words import content_words


def match_expression(query: str) -> str | None:
    """An FTS5 query matching any of the query's content words (None when it has none)."""
    terms = content_words(query)
    return " OR ".join(f'"{t}"' for t in dict.fromkeys(terms)) if terms else None


def search_chunks(
    db: sqlite3.Connection, query: str, k: int, filters: dict[str, Any] | None = None
) -> list[tuple[str, float]]:
    """BM25 over chunk text and context; higher score is better, ties in chunk-id order."""
    match = match_expression(query)
    if match is None:
        return []
    where, params = sql_filters(filters or {})
    rows = db.execute(
        "SELECT c.chunk_id, -bm25(chunks_fts) AS score FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid"
        f" WHERE chunks_fts MATCH ? {where} ORDER BY bm25(chunks_fts), c.chunk_id LIMIT ?",
        [match, *params, k],
    ).fetchall()
    return [(r["chunk_id"], float(r["score"])) for r in rows]


def search_records(db: sqlite3.Connection, table: str, query: str) -> dict[str, float]:
    """BM25 of every decision or commitment matching a query's words, by record id; higher is better."""
    match = match_expression(query)
    if match is None:
        return {}
    rows = db.execute(
        f"SELECT r.record_id, -bm25({table}_fts) AS score FROM {table}_fts JOIN {table} r"
        f" ON r.rowid = {table}_fts.rowid WHERE {table}_fts MATCH ?",
        (match,),
    ).fetchall()
    return {r["record_id"]: float(r["score"]) for r in rows}
