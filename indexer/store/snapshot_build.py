"""Writing a search snapshot (see ``snapshot``): a new folder, then named in the registry's meta in one
write, so a reader never sees half of one; the folders it replaces are removed."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import time
from pathlib import Path

import numpy as np

from indexer.store.snapshot import CODED_COLUMNS, FOLDER_PREFIX, FORMAT_VERSION, POINTER_KEY, generation
from indexer.store.vectors import READ_PAGE, VectorIndex

logger = logging.getLogger(__name__)


def build_snapshot(db: sqlite3.Connection, vectors: VectorIndex, store_dir: Path) -> Path:
    """Write a snapshot of the registry as it is now and make it current; returns its folder.

    The rows, tokens and generation are read in one SQLite read transaction, so they agree even while an
    indexer writes; vectors are read from chroma by chunk id (ids derive from content, so a chunk's
    vector is the same whenever it is read).
    """
    started = time.perf_counter()
    db.execute("BEGIN")
    try:
        built_at = generation(db)
        rows = db.execute(
            "SELECT rowid, chunk_id, coalesce(meeting_date_int, 0) AS date, council, committee, committee_id,"
            " doc_type, document_id FROM chunks ORDER BY coalesce(meeting_date_int, 0), rowid"
        ).fetchall()
        fts_rows = int(db.execute("SELECT count(*) FROM chunks_fts").fetchone()[0])
        if fts_rows != len(rows):
            raise ValueError(f"chunks_fts has {fts_rows} rows for {len(rows)} chunks")
        rowids = np.array([r[0] for r in rows], dtype=np.int64)
        row_of = np.full(int(rowids.max()) + 1 if len(rowids) else 1, -1, dtype=np.int64)
        row_of[rowids] = np.arange(len(rowids))
        terms, offsets, posting_rows, posting_counts = _postings(db, row_of)
    finally:
        db.execute("COMMIT")
    folder = store_dir / f"{FOLDER_PREFIX}{built_at}-{os.getpid()}-{time.time_ns()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:  # a half-written folder is never left behind
        chunk_ids = [r[1] for r in rows]
        values: dict[str, list[str]] = {}
        for position, name in enumerate(CODED_COLUMNS, start=3):
            column = [r[position] for r in rows]
            values[name] = sorted({v for v in column if v is not None})
            code_of = {v: i for i, v in enumerate(values[name])}
            np.save(
                folder / f"code_{name}.npy", np.array([code_of.get(v, -1) for v in column], dtype=np.int32)
            )
        np.save(folder / "chunk_ids.npy", np.array(chunk_ids, dtype=str))
        np.save(folder / "dates.npy", np.array([r[2] for r in rows], dtype=np.int64))
        lengths = np.bincount(posting_rows, weights=posting_counts, minlength=len(rows)).astype(np.int64)
        np.save(folder / "lengths.npy", lengths)
        np.save(folder / "term_offsets.npy", offsets)
        np.save(folder / "posting_rows.npy", posting_rows)
        np.save(folder / "posting_counts.npy", posting_counts)
        (folder / "terms.json").write_text(json.dumps(terms))
        has_vector = _write_vectors(vectors, chunk_ids, folder / "vectors.npy")
        np.save(folder / "has_vector.npy", has_vector)
        meta = {
            "format": FORMAT_VERSION,
            "generation": built_at,
            "rows": len(rows),
            "total_tokens": int(lengths.sum()),
            "values": values,
            "build_s": round(time.perf_counter() - started, 1),
        }
        (folder / "meta.json").write_text(json.dumps(meta))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    pointer = json.dumps({"generation": built_at, "folder": folder.name})
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (POINTER_KEY, pointer))  # one atomic write
    for old in store_dir.glob(f"{FOLDER_PREFIX}*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)  # a reader holding its arrays keeps them until it lets go
    logger.info("snapshot of %d chunks in %.1f s", len(rows), meta["build_s"])
    return folder


def _postings(
    db: sqlite3.Connection, row_of: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Every FTS5 token's postings (snapshot rows ascending, with the token's count in each), from FTS5's
    own vocabulary: the terms in its order, offsets into the posting arrays, rows and counts."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snapshot_rows USING fts5vocab(main, 'chunks_fts', 'row')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snapshot_instances"
        " USING fts5vocab(main, 'chunks_fts', 'instance')"
    )
    vocabulary = db.execute("SELECT term, doc FROM temp.snapshot_rows").fetchall()
    terms = [term for term, _ in vocabulary]
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([docs for _, docs in vocabulary])
    posting_rows = np.empty(int(offsets[-1]), dtype=np.int32)
    posting_counts = np.empty(int(offsets[-1]), dtype=np.int32)
    index_of = {term: index for index, term in enumerate(terms)}
    # One row a term, its documents joined by SQLite (a row per occurrence, read into Python, was 3 times
    # slower); fts5vocab hands them over in term order, so the GROUP BY needs no sort.
    seen = 0
    for term, joined in db.execute(
        "SELECT term, group_concat(doc) FROM temp.snapshot_instances GROUP BY term"
    ):
        index = index_of.get(term)
        unique, counts = np.unique(np.fromstring(joined, dtype=np.int64, sep=","), return_counts=True)
        first, last = (int(offsets[index]), int(offsets[index + 1])) if index is not None else (0, -1)
        if last - first != len(unique):
            raise ValueError(f"FTS5 vocabulary changed while read (term {term!r})")
        rows = row_of[unique]
        order = np.argsort(rows, kind="stable")
        posting_rows[first:last] = rows[order]
        posting_counts[first:last] = counts[order]
        seen += 1
    if seen != len(terms):
        raise ValueError("FTS5 vocabulary changed while read")
    return terms, offsets, posting_rows, posting_counts


def _write_vectors(vectors: VectorIndex, chunk_ids: list[str], path: Path) -> np.ndarray:
    """Each row's normalised vector from chroma (zeros, and False in the returned mask, where chroma has
    none), written into a float32 ``.npy`` a page at a time."""
    dimension = 0
    matrix: np.memmap | None = None
    has_vector = np.zeros(len(chunk_ids), dtype=bool)
    for start in range(0, len(chunk_ids), READ_PAGE):
        page = chunk_ids[start : start + READ_PAGE]
        got = vectors.collection.get(ids=page, include=["embeddings"])
        if not got["ids"]:
            continue
        block = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1)
        if matrix is None:
            dimension = block.shape[1]
            matrix = np.lib.format.open_memmap(
                path, mode="w+", dtype=np.float32, shape=(len(chunk_ids), dimension)
            )
            matrix[:] = 0.0
        norms = np.linalg.norm(block, axis=1, keepdims=True)
        position = {cid: start + i for i, cid in enumerate(page)}
        rows = np.array([position[cid] for cid in got["ids"]], dtype=np.int64)
        matrix[rows] = block / np.where(norms == 0, 1, norms)
        has_vector[rows] = True
    if matrix is None:
        np.save(path, np.zeros((len(chunk_ids), dimension), dtype=np.float32))
    else:
        matrix.flush()
        del matrix
    return has_vector
