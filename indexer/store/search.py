"""The chunk searches of a store, dense and lexical, and the snapshot they read past the exact size."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import numpy as np

from indexer.store import lexical, snapshot
from indexer.store.filters import row_matches
from indexer.store.planner import planned_search
from indexer.store.rows import ChunkRow
from indexer.store.snapshot_build import build_snapshot
from indexer.store.vectors import ExactVectors, VectorIndex


class ChunkSearch:
    """Mixed into ``Store``, which gives it the registry, the vectors and the settings below."""

    store_dir: Path
    vectors: VectorIndex
    snapshots: snapshot.Snapshots
    exact_max_chunks: int
    selective_max_chunks: int
    last_plan: str
    _exact: ExactVectors
    _exact_lock: threading.Lock

    @property
    def db(self) -> sqlite3.Connection:
        raise NotImplementedError  # the store's connection

    def chunks(self, chunk_ids: list[str]) -> dict[str, ChunkRow]:
        raise NotImplementedError

    def stats(self) -> dict[str, int]:
        raise NotImplementedError

    def refresh_snapshot(self) -> bool:
        """Build the search snapshot (``snapshot``) if the index is past the exact size and has changed
        since the last one; an index at or below it keeps none. True when one was built."""
        if self.stats()["chunks"] <= self.exact_max_chunks:
            self.snapshots.forget()
            return False
        if self.snapshots.current(self.db) is not None:
            return False
        build_snapshot(self.db, self.vectors, self.store_dir)
        return True

    def _snapshot(self) -> snapshot.Snapshot | None:
        found = self.snapshots.current(self.db)
        return found if found is not None and found.rows > self.exact_max_chunks else None

    def lexical_search(
        self, query: str, k: int, filters: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """BM25 over chunk text and context; higher score is better, ties by chunk id. FTS5 scores it,
        or past the exact size the snapshot, which gives the same scores and order (FTS5's own tokens
        and formula) without scoring every chunk that matches a word."""
        filters = {key: value for key, value in (filters or {}).items() if value}
        frozen = self._snapshot()
        phrases = lexical.phrase_tokens(query) if frozen is not None else None
        if frozen is None or phrases is None:
            return lexical.search_chunks(self.db, query, k, filters)
        pairs = frozen.lexical(phrases, k, filters)
        known = self.chunks([cid for cid, _ in pairs])  # a re-index may have committed since
        return [(cid, s) for cid, s in pairs if cid in known]

    def dense_search(
        self, vector: np.ndarray, k: int, filters: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Cosine kNN; returns (chunk_id, similarity). Chunks not in the registry are dropped.

        Up to ``exact_max_chunks`` chunks: numpy over every vector; beyond, chroma's HNSW, or with filters
        the snapshot's vectors in the filter (``snapshot``), or the ``planner`` (from the registry's count)
        when no snapshot is current or the filter matches too many: the exact filtered top k either way.
        """
        filters = {key: value for key, value in (filters or {}).items() if value}
        frozen = self._snapshot()
        pairs = frozen.dense(vector, k, filters) if frozen is not None and filters else None
        if pairs is not None:
            self.last_plan = "snapshot"
        elif frozen is not None:  # past the exact size: the count query (66 ms at 1M) is not needed
            pairs = self._planned(vector, k, filters, frozen.rows)
        else:
            count, last_rowid, indexed_at = self.db.execute(
                "SELECT COUNT(*), MAX(c.rowid), (SELECT MAX(indexed_at) FROM documents) FROM chunks c"
            ).fetchone()
            if count <= self.exact_max_chunks:
                with self._exact_lock:
                    self._exact.load((count, last_rowid, indexed_at))
                    pairs = self._exact.nearest(vector, k, filters)
            else:
                pairs = self._planned(vector, k, filters, count)
        known = self.chunks([cid for cid, _ in pairs])
        return [(cid, s) for cid, s in pairs if cid in known and row_matches(known[cid], filters)]

    def _planned(
        self, vector: np.ndarray, k: int, filters: dict[str, Any], count: int
    ) -> list[tuple[str, float]]:
        if not filters:
            return self.vectors.nearest(vector, k, None)
        pairs, self.last_plan = planned_search(
            self.db, self.vectors, self.chunks, vector, k, filters, count, self.selective_max_chunks
        )
        return pairs
