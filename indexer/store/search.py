"""The chunk searches of a store, dense and lexical, and the snapshot they read past the exact size."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, cast

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
    use_snapshot: bool
    _exact: ExactVectors
    _exact_lock: threading.Lock

    @property
    def db(self) -> sqlite3.Connection:
        raise NotImplementedError  # the store's connection

    def chunks(self, chunk_ids: list[str]) -> dict[str, ChunkRow]:
        raise NotImplementedError

    def stats(self) -> dict[str, int]:
        raise NotImplementedError

    def _registered(self, chunk_ids: list[str]) -> dict[str, ChunkRow]:
        """The filter columns of the chunks still in the registry, by id: what a search checks its results
        against (a third of the cost of reading whole rows, texts and all)."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self.db.execute(
            "SELECT chunk_id, committee, committee_id, council, doc_type, document_id, meeting_date_int"
            f" FROM chunks WHERE chunk_id IN ({marks})",
            chunk_ids,
        )
        return {r[0]: cast(ChunkRow, dict(r)) for r in rows}

    def unit_scores(
        self, query_vector: np.ndarray, chunk_ids: list[str]
    ) -> dict[str, list[tuple[float, tuple[int, int]]]]:
        """For each chunk that has units (``indexer.units``), every unit's cosine to the query and its span
        in the chunk's text, in the text's order."""
        found: dict[str, list[tuple[float, tuple[int, int]]]] = {}
        query = np.asarray(query_vector, dtype=np.float32)
        for start in range(0, len(chunk_ids), 500):  # below SQLite's variable limit
            batch = chunk_ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows = self.db.execute(
                f"SELECT chunk_id, spans, vectors FROM chunk_units WHERE chunk_id IN ({marks})", batch
            )
            for chunk_id, spans, blob in rows:
                vectors = np.frombuffer(blob, dtype=np.float16).reshape(-1, len(query))
                similarities = vectors.astype(np.float32) @ query
                found[chunk_id] = [
                    (float(similarity), (int(a), int(b)))
                    for similarity, (a, b) in zip(similarities, json.loads(spans), strict=True)
                ]
        return found

    def refresh_snapshot(self) -> bool:
        """Build the search snapshot (``snapshot``) if the chunks changed since the last one (an empty
        index keeps none); True when one was built."""
        if self.stats()["chunks"] == 0:
            self.snapshots.forget(self.db)
            return False
        if self.snapshots.current(self.db) is not None:
            return False
        build_snapshot(self.db, self.vectors, self.store_dir)
        return True

    def snapshot_is_current(self) -> bool:
        """Whether searches read a snapshot now (not while an indexer writes, nor when none was written)."""
        return self._snapshot() is not None

    def _snapshot(self) -> snapshot.Snapshot | None:
        return self.snapshots.current(self.db) if self.use_snapshot else None

    def word_rarity(self, stems: list[str]) -> dict[str, float]:
        """``lexical.word_rarity`` (0 for a word every chunk uses, 1 for one none uses), from the snapshot's
        postings when one is current: FTS5's vocabulary table took 16 ms a query at a million chunks."""
        frozen = self._snapshot()
        wanted = list(dict.fromkeys(stems))
        if frozen is None or not wanted:
            return lexical.word_rarity(self.db, wanted)
        return lexical.rarity(frozen.rows, frozen.chunk_counts(wanted), wanted)

    def lexical_search(
        self, query: str, k: int, filters: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """BM25 over chunk text and context; higher score is better, ties by chunk id. The snapshot scores
        it when one is current, with FTS5's own tokens and formula, so the scores and order are FTS5's,
        without scoring every chunk that matches a word (1.1 s at a million chunks); otherwise FTS5."""
        filters = {key: value for key, value in (filters or {}).items() if value}
        frozen = self._snapshot()
        phrases = lexical.phrase_tokens(query) if frozen is not None else None
        if frozen is None or phrases is None:
            return lexical.search_chunks(self.db, query, k, filters)
        pairs = frozen.lexical(phrases, k, filters)
        known = self._registered([cid for cid, _ in pairs])  # a re-index may have committed since
        return [(cid, s) for cid, s in pairs if cid in known]

    def dense_search(
        self, vector: np.ndarray, k: int, filters: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Cosine kNN; returns (chunk_id, similarity). Chunks not in the registry are dropped.

        From the snapshot (``snapshot``) when one is current: exact over every vector up to
        ``exact_max_chunks`` chunks, or over the vectors a filter lets through; past that size an
        unfiltered search asks chroma's HNSW, and a filter matching very many goes to the ``planner``.
        With no current snapshot (an indexer is writing), the live paths: every vector read from chroma
        into memory up to ``exact_max_chunks``, beyond it HNSW or the planner (from the registry's count).
        The exact top k (filtered) either way, ties by chunk id.
        """
        filters = {key: value for key, value in (filters or {}).items() if value}
        frozen = self._snapshot()
        exact = frozen is not None and (bool(filters) or frozen.rows <= self.exact_max_chunks)
        pairs = frozen.dense(vector, k, filters) if frozen is not None and exact else None
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
                self.last_plan = "exact"
            else:
                pairs = self._planned(vector, k, filters, count)
        known = self._registered([cid for cid, _ in pairs])
        return [(cid, s) for cid, s in pairs if cid in known and row_matches(known[cid], filters)]

    def _planned(
        self, vector: np.ndarray, k: int, filters: dict[str, Any], count: int
    ) -> list[tuple[str, float]]:
        if not filters:
            return self.vectors.nearest(vector, k, None)
        pairs, self.last_plan = planned_search(
            self.db, self.vectors, self._registered, vector, k, filters, count, self.selective_max_chunks
        )
        return pairs
