"""The query planner for filtered dense search beyond the exact size: the registry's count decides.

A filter that matches few chunks scores exactly those vectors; chroma's own filtered search scans the
metadata of everything that matches (48-294 ms at 100k vectors here), so it is never asked. A filter that
matches many over-fetches from the unfiltered HNSW graph and keeps what passes; if too few pass it falls
back to the exact path. If the k-th chunk kept scores above the last one fetched, every better chunk that
passes was fetched too, so the result is the exact filtered top k whenever HNSW's own top is exact.
Candidates are rescored with numpy, so ties are broken exactly as the exact path breaks them.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from typing import Any

import numpy as np

from indexer.store import registry
from indexer.store.filters import row_matches
from indexer.store.rows import ChunkRow
from indexer.store.vectors import VectorIndex

# A filter matching at most this many chunks scores them exactly (about 30 MB of vectors at 20,000).
SELECTIVE_MAX_CHUNKS = 20_000
OVERFETCH_MIN = 100
SCORE_TOLERANCE = 1e-5  # chroma's cosine and numpy's differ in the last float32 digits


def planned_search(
    db: sqlite3.Connection,
    vectors: VectorIndex,
    chunk_rows: Callable[[list[str]], dict[str, ChunkRow]],
    vector: np.ndarray,
    k: int,
    filters: dict[str, Any],
    count: int,
    selective_max_chunks: int = SELECTIVE_MAX_CHUNKS,
) -> tuple[list[tuple[str, float]], str]:
    """The exact filtered top k of registered chunks, and the plan used ("exact-matched", "overfetch",
    "overfetch-then-exact")."""
    matched = registry.count_matching(db, filters)
    if matched == 0:
        return [], "exact-matched"
    if matched <= selective_max_chunks:
        return vectors.nearest_among(vector, k, registry.matching_chunk_ids(db, filters)), "exact-matched"
    # Enough candidates that k pass if the filter's chunks are spread like the rest, twice over.
    fetch = min(count, max(OVERFETCH_MIN, math.ceil(2 * k * count / matched)))
    pairs = vectors.nearest(vector, fetch, None)
    known = chunk_rows([cid for cid, _ in pairs])
    passing = [cid for cid, _ in pairs if cid in known and row_matches(known[cid], filters)]
    # Rescored exactly, as the exact path scores. Every chunk scoring above the last one fetched was
    # fetched, so if the k-th passing chunk is above it (by more than the two scorings can differ), no
    # better chunk that passes was left out.
    best = vectors.nearest_among(vector, k, passing)
    edge = pairs[-1][1] if pairs and fetch < count else -np.inf
    if len(best) >= k and best[-1][1] > edge + SCORE_TOLERANCE:
        return best, "overfetch"
    ids = registry.matching_chunk_ids(db, filters)
    return vectors.nearest_among(vector, k, ids), "overfetch-then-exact"
