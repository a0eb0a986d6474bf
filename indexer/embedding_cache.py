"""A vector cache on disk: a text that was embedded once by the same model is never embedded again.

Re-indexing after a chunking change, indexing the same corpus into a second store, or building the
evaluation indexes for several chunkers embeds only the texts that are new. The cache is one SQLite
file keyed by the model's identity and the text's SHA-256, so several processes can share it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from indexer.embedding import Embedder
from indexer.units import UNIT_VERSION, Units

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
_UNITS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS units (key BLOB PRIMARY KEY, spans TEXT NOT NULL, vectors BLOB NOT NULL)"
)
_LOOKUP_BATCH = 500  # keys per SELECT, below SQLite's variable limit


class CachedEmbedder:
    """Wraps an embedder; ``encode`` reads known texts from the cache and embeds only the rest."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.max_tokens = inner.max_tokens
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The model's identity: its name and, for a local model, where it was loaded from.
        identity = f"{getattr(inner, 'source', inner.name)}\0{inner.dimension}"
        self._prefix = identity.encode("utf-8") + b"\0"
        self.hits = 0
        self.misses = 0
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            connection.execute(_UNITS_SCHEMA)

    def __getattr__(self, name: str) -> Any:
        """Anything else the wrapped embedder offers (its tokenizer's counter, say) is the embedder's own."""
        if name == "inner":  # not set yet (during unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=60.0)
        try:
            with connection:  # commits, or rolls back on error
                yield connection
        finally:
            connection.close()

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(self._prefix + text.encode("utf-8")).digest()

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        keys = [self._key(text) for text in texts]
        known = self._read(sorted(set(keys)))
        missing = [i for i, key in enumerate(keys) if key not in known]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if progress and len(texts) > len(missing):
            progress(len(texts) - len(missing))
        if missing:
            fresh = np.asarray(
                self.inner.encode([texts[i] for i in missing], batch_size=batch_size, progress=progress),
                dtype=np.float32,
            )
            rows = {keys[i]: fresh[n] for n, i in enumerate(missing)}
            self._write(rows)
            known.update(rows)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([known[key] for key in keys]).astype(np.float32)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def encode_units(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> tuple[np.ndarray, list[Units]]:
        """``encode`` and the texts' units (``indexer.units``), each read from the cache when both are
        there; the rest are embedded by the wrapped embedder in one pass."""
        keys = [self._key(text) for text in texts]
        unit_keys = [self._unit_key(text, text_spans) for text, text_spans in zip(texts, spans, strict=True)]
        known = self._read(sorted(set(keys)))
        known_units = self._read_units(sorted(set(unit_keys)))
        missing = [i for i in range(len(texts)) if keys[i] not in known or unit_keys[i] not in known_units]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh, fresh_units = self.inner.encode_units(  # type: ignore[attr-defined]
                [texts[i] for i in missing], [spans[i] for i in missing], batch_size=batch_size
            )
            rows = {keys[i]: np.asarray(fresh[n], dtype=np.float32) for n, i in enumerate(missing)}
            unit_rows = {unit_keys[i]: fresh_units[n] for n, i in enumerate(missing)}
            self._write(rows)
            self._write_units(unit_rows)
            known.update(rows)
            known_units.update(unit_rows)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32), []
        vectors = np.vstack([known[key] for key in keys]).astype(np.float32)
        return vectors, [known_units[key] for key in unit_keys]

    def _unit_key(self, text: str, spans: Sequence[tuple[int, int]]) -> bytes:
        where = json.dumps([list(span) for span in spans])
        return hashlib.sha256(
            self._prefix + f"units {UNIT_VERSION}\0{where}\0".encode() + text.encode("utf-8")
        ).digest()

    def _read_units(self, keys: list[bytes]) -> dict[bytes, Units]:
        found: dict[bytes, Units] = {}
        with self._connect() as connection:
            for start in range(0, len(keys), _LOOKUP_BATCH):
                batch = keys[start : start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(batch))
                query = f"SELECT key, spans, vectors FROM units WHERE key IN ({marks})"
                for key, spans, blob in connection.execute(query, batch):
                    kept = [(int(a), int(b)) for a, b in json.loads(spans)]
                    vectors = np.frombuffer(blob, dtype=np.float32)
                    if kept and vectors.size == len(kept) * self.dimension:
                        found[key] = Units(kept, vectors.reshape(len(kept), self.dimension))
        return found

    def _write_units(self, rows: dict[bytes, Units]) -> None:
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO units (key, spans, vectors) VALUES (?, ?, ?)",
                [
                    (
                        key,
                        json.dumps([list(span) for span in units.spans]),
                        np.ascontiguousarray(units.vectors, dtype=np.float32).tobytes(),
                    )
                    for key, units in rows.items()
                ],
            )

    def _read(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        with self._connect() as connection:
            for start in range(0, len(keys), _LOOKUP_BATCH):
                batch = keys[start : start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(batch))
                rows = connection.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch)
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape == (self.dimension,):
                        found[key] = vector
        return found

    def _write(self, rows: dict[bytes, np.ndarray]) -> None:
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [
                    (key, np.ascontiguousarray(vector, dtype=np.float32).tobytes())
                    for key, vector in rows.items()
                ],
            )
