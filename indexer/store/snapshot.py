"""A frozen copy of a large index for filtered search: vectors, filter columns and BM25 postings on disk.

Past the exact size, FTS5 scores every chunk that matches any of a query's words before it keeps the top k
(1.1 s at a million chunks), and a filter only narrows the join afterwards; the dense planner reads the
matched vectors back from chroma by id. The snapshot holds, memory-mapped, what both legs need:

- the chunks in meeting-date order, so a date range is a slice and every other filter a mask over it;
- each chunk's normalised vector (from chroma, by id), so a filtered dense search is one matrix product;
- FTS5's own tokens of every chunk (read from its ``instance`` vocabulary, so the stemming is FTS5's)
  as postings in the same order, scored with FTS5's own BM25 (same formula, same statistics, the same
  floating-point operations in the same order), so the lexical top k equals FTS5's, ties by chunk id.

It is valid only while the registry's chunk generation (bumped by a trigger on every chunk written or
deleted) equals the one it was built at; otherwise searches take the live paths (FTS5, the planner).
The indexer rebuilds it at the end of a run over more than ``EXACT_MAX_CHUNKS`` chunks (``snapshot_build``).
"""

from __future__ import annotations

import json
import logging
import math
import mmap
import shutil
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indexer.store.vectors import best_ids

logger = logging.getLogger(__name__)

GENERATION_KEY = "chunks_generation"
POINTER_KEY = "snapshot"  # in the registry's meta: the current folder and the generation it was built at
FOLDER_PREFIX = "snapshot-"
FORMAT_VERSION = 1
# A filtered dense search scores at most this many snapshot vectors exactly (about 300 MB of float32);
# a filter matching more goes to the planner's over-fetch from HNSW.
DENSE_EXACT_MAX_ROWS = 200_000
CODED_COLUMNS = ("council", "committee", "committee_id", "doc_type", "document_id")
# FTS5's bm25() constants (fts5_aux.c)
BM25_K1 = 1.2
BM25_B = 0.75

# Every chunk written or deleted moves the generation on; it starts at a random number, so an index
# rebuilt from nothing never meets an old snapshot's generation again.
GENERATION_SCHEMA = f"""
INSERT OR IGNORE INTO meta VALUES ('{GENERATION_KEY}', CAST(abs(random() % 1000000000000) AS TEXT));
CREATE TRIGGER IF NOT EXISTS chunks_generation_insert AFTER INSERT ON chunks BEGIN
  UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = '{GENERATION_KEY}';
END;
CREATE TRIGGER IF NOT EXISTS chunks_generation_delete AFTER DELETE ON chunks BEGIN
  UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = '{GENERATION_KEY}';
END;
"""


def generation(db: sqlite3.Connection) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,)).fetchone()
    return str(row[0]) if row else ""


def state(db: sqlite3.Connection) -> tuple[str, dict[str, str] | None]:
    """The registry's chunk generation and the current snapshot's pointer (None: there is none), in one
    query: every search asks."""
    values = dict(
        db.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (GENERATION_KEY, POINTER_KEY)
        ).fetchall()
    )
    pointer = values.get(POINTER_KEY)
    return str(values.get(GENERATION_KEY, "")), json.loads(pointer) if pointer else None


class _Ids(Sequence[str]):
    """Chunk ids of snapshot rows, read from the memory-mapped id array only where asked."""

    def __init__(self, ids: np.ndarray, rows: np.ndarray | None, start: int) -> None:
        self._ids, self._rows, self._start = ids, rows, start

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self._ids) - self._start

    def __getitem__(self, i: Any) -> Any:
        row = self._rows[i] if self._rows is not None else self._start + i
        return str(self._ids[row])


class Snapshot:
    """One built snapshot folder, opened read-only with its arrays memory-mapped."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        meta = json.loads((folder / "meta.json").read_text())
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{folder}: snapshot format {meta.get('format')}, expected {FORMAT_VERSION}")
        self.generation: str = meta["generation"]
        self.rows: int = meta["rows"]
        self.total_tokens: int = meta["total_tokens"]
        self.build_s: float = meta["build_s"]
        self.values: dict[str, list[str]] = meta["values"]
        self._code_of = {name: {v: i for i, v in enumerate(vs)} for name, vs in self.values.items()}

        def load(name: str) -> np.ndarray:
            return mapped(folder / f"{name}.npy")

        self.chunk_ids = load("chunk_ids")
        self.dates = load("dates")
        self.codes = {name: load(f"code_{name}") for name in CODED_COLUMNS}
        self.vectors = load("vectors")
        self.has_vector = load("has_vector")
        self.term_offsets = load("term_offsets")
        self.posting_rows = load("posting_rows")
        self.posting_counts = load("posting_counts")
        terms = json.loads((folder / "terms.json").read_text())
        self.terms: dict[str, int] = {t: i for i, t in enumerate(terms)}
        # FTS5's length term per row, k1 * (1 - b + b * D / avgdl), in its own order of operations.
        lengths = np.asarray(load("lengths"), dtype=np.float64)
        average = float(self.total_tokens) / float(self.rows) if self.rows else 1.0
        self._length_term = BM25_K1 * ((1 - BM25_B) + (BM25_B * lengths) / average)
        self._first_dated = int(np.searchsorted(self.dates, 1, side="left"))

    # ---- filters -------------------------------------------------------------------------------

    def selection(self, filters: dict[str, Any]) -> tuple[int, int, np.ndarray | None] | None:
        """The rows a filter matches, as a date slice [start, stop) and a mask over it (None: all of
        it); None when nothing can match. The same rules as ``filters.row_matches``."""
        start, stop = 0, self.rows
        if filters.get("date_from") or filters.get("date_to"):
            start = self._first_dated  # an undated chunk never passes a date filter
        if filters.get("date_from"):
            start = max(start, int(np.searchsorted(self.dates, int(filters["date_from"]), side="left")))
        if filters.get("date_to"):
            stop = int(np.searchsorted(self.dates, int(filters["date_to"]), side="right"))
        if stop <= start:
            return None
        mask: np.ndarray | None = None
        wanted: list[np.ndarray] = []
        if filters.get("committee"):
            value = filters["committee"]
            either = np.zeros(stop - start, dtype=bool)
            for name in ("committee", "committee_id"):
                code = self._code_of[name].get(value)
                if code is not None:
                    either |= self.codes[name][start:stop] == code
            wanted.append(either)
        for name in ("council", "doc_type", "document_id"):
            if filters.get(name):
                code = self._code_of[name].get(filters[name])
                if code is None:
                    return None
                wanted.append(self.codes[name][start:stop] == code)
        for condition in wanted:
            mask = condition if mask is None else mask & condition
        if mask is not None and not mask.any():
            return None
        return start, stop, mask

    # ---- dense ---------------------------------------------------------------------------------

    def dense(self, vector: np.ndarray, k: int, filters: dict[str, Any]) -> list[tuple[str, float]] | None:
        """The exact filtered top k (chunk_id, cosine), ties by id; None when the filter matches more
        than ``DENSE_EXACT_MAX_ROWS`` (the planner's over-fetch is cheaper then)."""
        selected = self.selection(filters)
        if selected is None:
            return []
        start, stop, mask = selected
        keep = self.has_vector[start:stop] if mask is None else mask & self.has_vector[start:stop]
        rows = None if bool(keep.all()) else np.flatnonzero(keep) + start
        matched = (stop - start) if rows is None else len(rows)
        if matched > DENSE_EXACT_MAX_ROWS:
            return None
        if matched == 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        query = query / (np.linalg.norm(query) or 1.0)
        block = self.vectors[start:stop] if rows is None else self.vectors[rows]
        scores = block @ query
        return best_ids(_Ids(self.chunk_ids, rows, start), scores, min(k, matched))

    # ---- lexical -------------------------------------------------------------------------------

    def chunk_counts(self, terms: list[str]) -> dict[str, int]:
        """How many chunks use each FTS5 token (its postings are one per chunk); 0 for an unknown one."""
        counts = {}
        for term in terms:
            index = self.terms.get(term)
            counts[term] = (
                0 if index is None else int(self.term_offsets[index + 1] - self.term_offsets[index])
            )
        return counts

    def lexical(self, phrases: list[str], k: int, filters: dict[str, Any]) -> list[tuple[str, float]]:
        """FTS5's ``bm25()`` top k of the rows matching any of ``phrases`` (one FTS5 token each, in the
        order of the MATCH expression), within the filter; (chunk_id, score), higher better, ties by id."""
        selected = self.selection(filters)
        if selected is None or not phrases:
            return []
        start, stop, mask = selected
        scores = np.zeros(stop - start, dtype=np.float64)
        matched = np.zeros(stop - start, dtype=bool)
        for term in phrases:
            index = self.terms.get(term)
            if index is None:
                continue  # no chunk has it: FTS5 adds idf * 0 to every row
            first, last = int(self.term_offsets[index]), int(self.term_offsets[index + 1])
            hits = last - first
            idf = math.log((self.rows - hits + 0.5) / (hits + 0.5))
            if idf <= 0.0:
                idf = 1e-6
            rows = self.posting_rows[first:last]
            lo, hi = np.searchsorted(rows, [start, stop])
            rows = np.asarray(rows[lo:hi])
            counts = np.asarray(self.posting_counts[first + lo : first + hi], dtype=np.float64)
            if mask is not None:
                passing = mask[rows - start]
                rows, counts = rows[passing], counts[passing]
            scores[rows - start] += idf * ((counts * (BM25_K1 + 1.0)) / (counts + self._length_term[rows]))
            matched[rows - start] = True
        found = np.flatnonzero(matched)
        if len(found) == 0:
            return []
        found_scores = scores[found]
        count = min(k, len(found))
        cut = -np.partition(-found_scores, count - 1)[count - 1]  # the k-th best score
        above = found[found_scores > cut]
        # Rows tied with the k-th are decided by chunk id, as FTS5's ORDER BY is (copies of one text tie
        # by the thousand in a large index, so they are sorted by numpy, not one by one).
        tied = found[found_scores == cut]
        tied = tied[np.argsort(self.chunk_ids[start + tied], kind="stable")[: count - len(above)]]
        pairs = [(str(self.chunk_ids[start + i]), float(scores[i])) for i in np.concatenate([above, tied])]
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
        return pairs


def mapped(path: Path) -> np.ndarray:
    """A read-only ``.npy`` array mapped from the page cache with every page mapped in up front
    (``MAP_POPULATE``): a filter touches rows all over the file, and faulting them in one at a time cost
    10 ms of a 14 ms council search at a million chunks. Worker processes share the pages."""
    with path.open("rb") as handle:
        version = np.lib.format.read_magic(handle)
        if version not in ((1, 0), (2, 0)) or not hasattr(mmap, "MAP_SHARED"):  # or not POSIX
            return np.load(path, mmap_mode="r")
        read_header = (
            np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        )
        shape, fortran, dtype = read_header(handle)
        offset = handle.tell()
        count = math.prod(shape)
        if count == 0 or fortran or dtype.hasobject:
            return np.load(path)
        flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
        memory = mmap.mmap(handle.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
    return np.frombuffer(memory, dtype=dtype, count=count, offset=offset).reshape(shape)


class Snapshots:
    """The store's current snapshot, if any is valid for the registry's generation; thread-safe."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = store_dir
        self._lock = threading.Lock()
        self._open: Snapshot | None = None

    def current(self, db: sqlite3.Connection) -> Snapshot | None:
        now, pointer = state(db)
        with self._lock:
            if self._open is not None and self._open.generation == now:
                return self._open
            self._open = None
            if pointer is None or pointer.get("generation") != now:
                return None
            try:
                self._open = Snapshot(self.store_dir / pointer["folder"])
            except (OSError, ValueError, KeyError) as exc:  # replaced while being opened, or unreadable
                logger.warning("snapshot in %s not usable: %s", self.store_dir, exc)
                return None
            return self._open if self._open.generation == now else None

    def forget(self, db: sqlite3.Connection) -> None:
        """Remove every snapshot (the index was reset, or is empty)."""
        with self._lock:
            self._open = None
            db.execute("DELETE FROM meta WHERE key = ?", (POINTER_KEY,))
            for folder in self.store_dir.glob(f"{FOLDER_PREFIX}*"):
                shutil.rmtree(folder, ignore_errors=True)
