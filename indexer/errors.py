"""Domain errors of the indexer, each naming the file or id that failed."""

from __future__ import annotations

from pathlib import Path


class IndexerError(Exception):
    """Base class of expected indexer failures (reported in one line, never as a traceback)."""


class UnreadableFileError(IndexerError):
    """A file that cannot be indexed: corrupt, encrypted, empty, scanned or of an unsupported type."""

    def __init__(self, path: Path | str, reason: str, kind: str) -> None:
        self.path = str(path)
        self.reason = reason
        self.kind = kind  # corrupt, encrypted, empty, no_text, unsupported
        super().__init__(f"{self.path}: {reason}")


class StoreError(IndexerError):
    """The index directory is missing, from another model, or otherwise unusable."""


class IndexNotFoundError(StoreError):
    """No index has been built in the store directory yet."""


class VectorStoreError(StoreError):
    """The store's chroma cannot be used right now: its server is down, or it failed; the message says
    which server or folder, and what to do."""
