"""Lexical search with SQLite FTS5 (BM25, Porter stemming) over chunks and over records."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from indexer.store.filters import sql_filters
from indexer.store.schema import CHUNK_TOKENIZER
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


def word_rarity(db: sqlite3.Connection, stems: Iterable[str]) -> dict[str, float]:
    """How rare each Porter-stemmed word is among the chunks, from FTS5's own vocabulary: 0 for a word every
    chunk uses, 1 for one that none uses (``log((n + 1) / (df + 1)) / log(n + 1)``), so that the scale is the
    same for an index of fifty chunks and one of a million."""
    wanted = list(dict.fromkeys(stems))
    total = int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
    if not wanted or total == 0:
        return dict.fromkeys(wanted, 1.0)
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab USING fts5vocab(main, 'chunks_fts', 'row')"
    )
    marks = ",".join("?" * len(wanted))
    counts = {
        row[0]: int(row[1])
        for row in db.execute(f"SELECT term, doc FROM temp.chunks_vocab WHERE term IN ({marks})", wanted)
    }
    return rarity(total, counts, wanted)


def rarity(total: int, counts: Mapping[str, int], stems: Iterable[str]) -> dict[str, float]:
    """``word_rarity``'s scale from chunk counts: ``log((n + 1) / (df + 1)) / log(n + 1)``."""
    scale = math.log(total + 1)
    return {s: math.log((total + 1) / (counts.get(s, 0) + 1)) / scale for s in stems}


_TOKENIZING = threading.local()


def phrase_tokens(query: str) -> list[str] | None:
    """The FTS5 token of each phrase of ``match_expression(query)``, in order, tokenized by FTS5 itself
    (an in-memory table with the chunks' tokenizer); None when a phrase is not exactly one token (its
    match would need positions, which only FTS5 has)."""
    words = list(dict.fromkeys(content_words(query)))
    if not words:
        return []
    db = getattr(_TOKENIZING, "db", None)
    if db is None:
        db = sqlite3.connect(":memory:")
        db.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize = '{CHUNK_TOKENIZER}')")
        db.execute("CREATE VIRTUAL TABLE words_tokens USING fts5vocab(words, 'instance')")
        _TOKENIZING.db = db
    db.execute("DELETE FROM words")
    db.executemany("INSERT INTO words (rowid, word) VALUES (?, ?)", enumerate(words))
    tokens: dict[int, list[str]] = {}
    for term, doc in db.execute("SELECT term, doc FROM words_tokens ORDER BY doc, offset"):
        tokens.setdefault(int(doc), []).append(str(term))
    found = [tokens.get(i, []) for i in range(len(words))]
    if any(len(t) != 1 for t in found):
        return None
    return [t[0] for t in found]
