"""Where a store's vectors live: chroma embedded in the store folder, or a `chroma run` server (CP_CHROMA_URL).

Embedded, the folder holds one collection, ``chunks``. On a server, which many stores may share, a store's
collection is named after the random id its registry keeps (``chunks-<store id>``): two stores never meet,
and a store rebuilt from scratch (a new registry) starts with a fresh collection. Failures to reach chroma
become ``VectorStoreError``, which names the server or folder, so the API answers 503, never 500.
"""

from __future__ import annotations

import functools
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indexer.errors import IndexNotFoundError, VectorStoreError

CHROMA_DIR = "chroma"
COLLECTION = "chunks"
ATTEMPTS = 3  # tries of a chroma call that fails with an internal error (see GuardedCollection)
RETRY_PAUSE_S = 0.05
STORE_ID_KEY = "store_id"  # meta key of the registry: the id that names the store's collection on a server


@dataclass(frozen=True)
class ChromaServer:
    """The address of a `chroma run` server, from a URL such as ``http://127.0.0.1:8001``."""

    url: str
    host: str
    port: int
    ssl: bool

    @classmethod
    def from_url(cls, url: str) -> ChromaServer:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"a chroma server URL looks like http://host:port; got {url!r}")
        ssl = parts.scheme == "https"
        port = parts.port or (443 if ssl else 8000)
        return cls(url=f"{parts.scheme}://{parts.hostname}:{port}", host=parts.hostname, port=port, ssl=ssl)


def store_id(db: sqlite3.Connection, create: bool) -> str:
    """The registry's id for its collection on a server; made on first use by the indexer ("" for a reader
    of a registry that has none: such a store has never been built against a server)."""
    if create:
        db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (STORE_ID_KEY, uuid.uuid4().hex))
    row = db.execute("SELECT value FROM meta WHERE key = ?", (STORE_ID_KEY,)).fetchone()
    return str(row[0]) if row else ""


class ChromaHome:
    """How to open one store's chroma collection, embedded or on a server, and what to call it in errors."""

    def __init__(self, store_dir: Path, server_url: str | None = None, store_id: str = "") -> None:
        self.store_dir = Path(store_dir)
        self.server = ChromaServer.from_url(server_url) if server_url else None
        self.store_id = store_id
        self.path = self.store_dir / CHROMA_DIR
        self.where = (
            f"the chroma server at {self.server.url}" if self.server else f"the chroma in {self.path}"
        )

    @property
    def collection_name(self) -> str:
        if self.server is None:
            return COLLECTION
        if not self.store_id:
            raise IndexNotFoundError(
                f"the index in {self.store_dir} was not built with a chroma server: build it with "
                f"`{self.build_command()}`"
            )
        return f"{COLLECTION}-{self.store_id}"

    def no_vectors(self, chunks: int) -> str:
        """What is wrong when the registry has chunks and this chroma has no vectors at all."""
        other = "without" if self.server else "with"
        return (
            f"{self.where} has none of the vectors of the {chunks} chunks in {self.store_dir} "
            f"(was it built {other} CP_CHROMA_URL?)"
        )

    def build_command(self) -> str:
        """The command that (re)builds this store's vectors where they are looked for."""
        server = f"CP_CHROMA_URL={self.server.url} " if self.server else ""
        return f"{server}python -m indexer corpus --store {self.store_dir}"

    def client(self) -> Any:
        """A chroma client with telemetry off: persistent in the store folder, or over HTTP."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        if self.server is None:
            return chromadb.PersistentClient(
                path=str(self.path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True)
            )
        with self.reaching():
            try:
                return chromadb.HttpClient(
                    host=self.server.host,
                    port=self.server.port,
                    ssl=self.server.ssl,
                    settings=ChromaSettings(anonymized_telemetry=False),
                )
            except ValueError as exc:  # chromadb 1.5 turns a refused connection into a ValueError
                raise self.unreachable(exc) from exc

    def unreachable(self, exc: BaseException) -> VectorStoreError:
        assert self.server is not None
        return VectorStoreError(
            f"cannot reach {self.where} ({exc}): start it with `chroma run --path DIR --host "
            f"{self.server.host} --port {self.server.port}`, or unset CP_CHROMA_URL to use the store's own folder"
        )

    @contextmanager
    def reaching(self) -> Iterator[None]:
        """Turn chroma's failures into one error that says where the vectors were and what to do."""
        import httpx
        from chromadb.errors import InternalError, NotFoundError

        try:
            yield
        except httpx.TransportError as exc:
            raise self.unreachable(exc) from exc
        except NotFoundError as exc:  # the collection went: another process rebuilt the index from scratch
            raise VectorStoreError(
                f"{self.where} no longer has the collection of the index in {self.store_dir} ({exc}): the "
                f"index was rebuilt or deleted; restart this process, or rebuild with `{self.build_command()}`"
            ) from exc
        except InternalError as exc:
            hint = (
                "an embedded chroma changed by another process (an indexer) must be reopened: restart this "
                "one, or keep the vectors on a server (CP_CHROMA_URL) to index while serving"
                if self.server is None
                else "see the server's log"
            )
            raise VectorStoreError(f"{self.where} failed ({exc}): {hint}") from exc


class GuardedCollection:
    """A chroma collection whose every call goes through ``ChromaHome.reaching``, tried again on an
    internal error.

    Works around chromadb 1.5.9's server: a read that races a delete (a re-index) now and then fails
    with "Error finding id" or "Error getting embedding", and the same read a moment later succeeds
    (measured: 23 of about 3,000 reads under constant deletes failed once, none twice). Every call here
    can be repeated: reads, upserts under stable ids, deletes.
    """

    def __init__(self, collection: Any, home: ChromaHome) -> None:
        self._collection = collection
        self._home = home

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._collection, name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            from chromadb.errors import InternalError

            with self._home.reaching():
                for attempt in range(ATTEMPTS):
                    try:
                        return value(*args, **kwargs)
                    except InternalError:
                        if attempt == ATTEMPTS - 1:
                            raise
                        time.sleep(RETRY_PAUSE_S * (attempt + 1))
            raise AssertionError("unreachable")

        return guarded
