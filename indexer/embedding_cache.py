"""A vector cache on disk: a text that was embedded once by the same model is never embedded again.

Re-indexing after a chunking change, indexing the same corpus into a second store, or building the
evaluation indexes for several chunkers embeds only the texts that are new. The cache is one SQLite
file keyed by the model's identity and the text's SHA-256, so several processes can share it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from indexer.embedding import Embedder

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
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
