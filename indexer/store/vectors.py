"""Chunk vectors in chroma: written by us (never chroma's own embedding function, which downloads)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from indexer.errors import IndexNotFoundError
from indexer.store.chroma_client import CHROMA_DIR as CHROMA_DIR  # where tools and tests look for them
from indexer.store.chroma_client import COLLECTION as COLLECTION
from indexer.store.chroma_client import ChromaHome, GuardedCollection

# Exact-enough kNN: with chroma's defaults (ef 100, 16 links) about 0.5% of the true top 30 went missing on the
# evaluation questions, and which ones depended on the build (chroma builds the graph on several threads). At
# ef_search 200 up to 2 of 4,620 still went missing on some builds of the bundled corpus, and none in 4 builds at
# 400. At 100k vectors, 400 costs 2.56 ms a query against 2.26 ms at 200 (p50). A store keeps the settings it was
# built with.
HNSW_CONFIG = {"space": "cosine", "ef_construction": 200, "ef_search": 400, "max_neighbors": 32}
WRITE_BATCH = 1000
DELETE_BATCH = 5000
READ_PAGE = 5000
FILTER_COLUMNS = ("committee", "committee_id", "council", "doc_type", "document_id")


class VectorIndex:
    """One chroma collection of chunk vectors, keyed by chunk id, with the metadata filters read.

    Embedded in the store folder, or on a `chroma run` server when ``server_url`` is given (see
    ``chroma_client``); either way with ``embedding_function=None`` and telemetry off.
    """

    def __init__(
        self,
        store_dir: Path,
        drop_old: bool = False,
        server_url: str | None = None,
        store_id: str = "",
        create: bool = True,
    ) -> None:
        self.home = ChromaHome(store_dir, server_url, store_id)
        self.path = self.home.path
        self._drop_old = drop_old  # an index of an older version: its collection goes too
        self._create = create  # a reader (the API) opens the collection but never makes one on a server
        self._collection: Any = None

    @property
    def collection(self) -> Any:
        """The chroma collection, opened on first use; its calls raise ``VectorStoreError`` on failure."""
        if self._collection is None:
            name = self.home.collection_name
            client = self.home.client()
            with self.home.reaching():
                names = {c.name for c in client.list_collections()}
                if self._drop_old and name in names:
                    client.delete_collection(name)
                    self._drop_old = False
                if name not in names and not self._create and self.home.server:
                    raise IndexNotFoundError(
                        f"{self.home.where} has no collection {name} for the index in {self.home.store_dir}: "
                        f"build it with `{self.home.build_command()}`"
                    )
                collection = client.get_or_create_collection(
                    name, embedding_function=None, configuration=cast(Any, {"hnsw": HNSW_CONFIG})
                )
            self._collection = GuardedCollection(collection, self.home)
        return self._collection

    def count(self) -> int:
        return int(self.collection.count())

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        """Write vectors under stable ids, so a repeat after a crash overwrites."""
        for start in range(0, len(ids), WRITE_BATCH):
            self.collection.upsert(
                ids=ids[start : start + WRITE_BATCH],
                embeddings=vectors[start : start + WRITE_BATCH],
                metadatas=metadatas[start : start + WRITE_BATCH],
            )

    def delete_documents(self, document_ids: Iterable[str]) -> None:
        for document_id in document_ids:
            self.collection.delete(where={"document_id": document_id})

    def delete_ids(self, ids: list[str]) -> None:
        for start in range(0, len(ids), DELETE_BATCH):
            self.collection.delete(ids=ids[start : start + DELETE_BATCH])

    def clear(self) -> None:
        self.delete_ids(self.collection.get(include=[])["ids"])

    def ids_of_document(self, document_id: str) -> list[str]:
        return list(self.collection.get(where={"document_id": document_id}, include=[])["ids"])

    def ids_and_documents(self) -> Iterator[tuple[str, str | None]]:
        """Every stored vector's id and the document its metadata names (None when it has none), read a
        page at a time so that memory does not grow with the collection."""
        for offset in range(0, self.count(), READ_PAGE):
            got = self.collection.get(include=["metadatas"], limit=READ_PAGE, offset=offset)
            for chunk_id, metadata in zip(got["ids"], got["metadatas"], strict=True):
                yield chunk_id, (metadata or {}).get("document_id")

    def nearest(self, vector: np.ndarray, k: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the k nearest vectors that pass ``where``, best first.

        Copies have identical vectors; ties are ordered by id so a ranking never depends on the graph's build.
        """
        count = self.count()
        if count == 0:
            return []
        result = self.collection.query(
            query_embeddings=[vector.tolist()], n_results=min(k, count), where=where, include=["distances"]
        )
        pairs = [
            (cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)
        ]
        pairs.sort(key=lambda pair: (-round(pair[1], 6), pair[0]))
        return pairs

    def nearest_among(self, vector: np.ndarray, k: int, ids: list[str]) -> list[tuple[str, float]]:
        """(chunk_id, cosine) of the k best of the given ids, scored exactly with numpy, ties by id."""
        if not ids:
            return []
        found_ids: list[str] = []
        blocks: list[np.ndarray] = []
        for start in range(0, len(ids), READ_PAGE):
            got = self.collection.get(ids=ids[start : start + READ_PAGE], include=["embeddings"])
            if got["ids"]:  # ids deleted meanwhile (by a re-index) are simply not there
                found_ids += got["ids"]
                blocks.append(as_matrix(got["embeddings"], len(got["ids"])))
        return top_k(found_ids, np.vstack(blocks), vector, k) if found_ids else []


def as_matrix(embeddings: Any, rows: int) -> np.ndarray:
    """Chroma's embeddings as a float32 matrix of ``rows`` rows (numpy cannot shape an empty one by -1)."""
    if rows == 0:
        return np.zeros((0, 0), dtype=np.float32)
    return np.asarray(embeddings, dtype=np.float32).reshape(rows, -1)


def top_k(ids: list[str], matrix: np.ndarray, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
    """The k rows of ``matrix`` most cosine-similar to ``vector``, best first, ties ordered by id."""
    if not ids:
        return []
    query = np.asarray(vector, dtype=np.float32)
    query = query / (np.linalg.norm(query) or 1.0)
    norms = np.linalg.norm(matrix, axis=1)
    scores = (matrix @ query) / np.where(norms == 0, 1, norms)
    return best_ids(ids, scores, min(k, len(ids)))


def best_ids(ids: Sequence[str], scores: np.ndarray, count: int) -> list[tuple[str, float]]:
    """The ``count`` best scores, ordered by score rounded to 6 places, then by id.

    Every row tied with the last one kept (after rounding) is a candidate, so which of two tied rows
    makes the cut is decided by id, as in a sort of the whole list, not by float noise.
    """
    if count <= 0:
        return []
    rounded = np.round(scores, 6)
    cut = np.partition(-rounded, count - 1)[count - 1]
    candidates = np.flatnonzero(-rounded <= cut)
    pairs = [(ids[int(i)], float(scores[i])) for i in candidates]
    pairs.sort(key=lambda pair: (-round(pair[1], 6), pair[0]))
    return pairs[:count]


class ExactVectors:
    """All vectors of a small collection in memory, scored exactly with numpy.

    Exact search gives the same ranking on every build (an HNSW graph built on several threads does not)
    and applies filters without chroma's scan. Reloaded when the registry says the chunks changed.
    """

    def __init__(self, index: VectorIndex) -> None:
        self.index = index
        self.key: object = None
        self.ids: list[str] = []
        self.matrix: np.ndarray = np.zeros((0, 0), dtype=np.float32)
        self.columns: dict[str, np.ndarray] = {}
        self.dates: np.ndarray = np.zeros(0, dtype=np.int64)

    def load(self, key: object) -> None:
        """(Re)read every vector when ``key`` (what the registry says of the chunks) has changed."""
        if key == self.key:
            return
        got = self.index.collection.get(include=["embeddings", "metadatas"])  # one call: ids, vectors agree
        order = np.argsort(np.asarray(got["ids"]), kind="stable")  # a fixed order, whatever chroma returns
        self.ids = [got["ids"][i] for i in order]
        matrix = as_matrix(got["embeddings"], len(self.ids))[order]
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.matrix = matrix / np.where(norms == 0, 1, norms)
        metadatas = [got["metadatas"][i] or {} for i in order]
        # The filter columns as arrays, so a filter is a few numpy comparisons, not a loop over rows.
        self.columns = {
            name: np.array([m.get(name) for m in metadatas], dtype=object) for name in FILTER_COLUMNS
        }
        self.dates = np.array([m.get("meeting_date_int") or 0 for m in metadatas], dtype=np.int64)
        self.key = key

    def mask(self, filters: dict[str, Any]) -> np.ndarray:
        """Which vectors pass the filters: the same rules as ``filters.row_matches``."""
        keep = np.ones(len(self.ids), dtype=bool)
        if filters.get("committee"):
            value = filters["committee"]
            keep &= (self.columns["committee"] == value) | (self.columns["committee_id"] == value)
        for name in ("council", "doc_type", "document_id"):
            if filters.get(name):
                keep &= self.columns[name] == filters[name]
        if filters.get("date_from"):
            keep &= (self.dates != 0) & (self.dates >= int(filters["date_from"]))
        if filters.get("date_to"):
            keep &= (self.dates != 0) & (self.dates <= int(filters["date_to"]))
        return keep

    def nearest(
        self, vector: np.ndarray, k: int, filters: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine) of the k best vectors that pass ``filters``, ties by id."""
        if not self.ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        query = query / (np.linalg.norm(query) or 1.0)
        scores = self.matrix @ query
        if filters:
            scores = np.where(self.mask(filters), scores, -np.inf)
        count = min(k, int(np.isfinite(scores).sum()))
        if count == 0:
            return []
        return best_ids(self.ids, scores, count)
