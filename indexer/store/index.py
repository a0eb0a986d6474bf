"""The index on disk: chromadb vectors, a SQLite registry of documents, pages and chunks, and FTS5 beside it.

SQLite is the source of truth. A document counts as indexed only once its registry transaction commits;
its vectors are written to chroma first, under ids derived from its content, so an interrupted run
leaves at most orphan vectors, which searches ignore and the next run overwrites or sweeps away. The
records drawn from a document (meetings, agenda items, decisions, commitments: see ``records``)
are committed and deleted in the same transaction as the document.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import numpy as np

from indexer.errors import IndexNotFoundError
from indexer.models import ParsedDocument
from indexer.reading.committees import canonical_committee
from indexer.store import registry, snapshot, strays
from indexer.store.chroma_client import STORE_ID_KEY, store_id
from indexer.store.copies import copies_of, link_copies, unlink_copies
from indexer.store.planner import SELECTIVE_MAX_CHUNKS
from indexer.store.record_reads import RecordQueries
from indexer.store.records import RecordSet, delete_records, document_commitment_ids, relink, write_records
from indexer.store.rows import ChunkColumns, ChunkRow, DocumentRow, PageRow
from indexer.store.schema import REGISTRY_FILE, SCHEMA, SCHEMA_VERSION, TABLES, check_schema
from indexer.store.search import ChunkSearch
from indexer.store.vectors import ExactVectors, VectorIndex
from indexer.units import Units

logger = logging.getLogger(__name__)
# Below this many chunks dense search scores every vector (about 1 ms for 2,000; 40 MB of memory at 25,000).
EXACT_MAX_CHUNKS = 25_000


class Store(ChunkSearch, RecordQueries):
    """Open (or create) an index directory; with ``chroma_url`` (CP_CHROMA_URL) its vectors live on that
    `chroma run` server instead of in the directory (the registry and FTS5 stay in the directory)."""

    def __init__(self, store_dir: Path, create: bool = False, chroma_url: str | None = None) -> None:
        self.store_dir = Path(store_dir)
        path = self.store_dir / REGISTRY_FILE
        if not create and not path.is_file():
            raise IndexNotFoundError(
                f"no index in {self.store_dir}: build one with `python -m indexer corpus --store {self.store_dir}`"
            )
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self._registry = path
        self._local = threading.local()  # one SQLite connection per thread: the API serves from a pool
        rebuilt = check_schema(self.db, self.store_dir, create)
        self.db.executescript(SCHEMA)
        self.db.executescript(registry.FILTER_INDEXES)
        self.db.executescript(snapshot.GENERATION_SCHEMA)
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        # An index of an older version loses its collection too: its ids would crowd out the new ones.
        self.vectors = VectorIndex(self.store_dir, rebuilt, chroma_url, store_id(self.db, create), create)
        self._exact = ExactVectors(self.vectors)
        self._exact_lock = threading.Lock()
        self.exact_max_chunks = EXACT_MAX_CHUNKS
        self.selective_max_chunks = SELECTIVE_MAX_CHUNKS
        self.last_plan = ""  # how the last planned (filtered, beyond exact) search ran
        self.snapshots = snapshot.Snapshots(self.store_dir)
        self.use_snapshot = True  # False: the live paths only (to compare them, as tests do)
        self._check_vectors(create)

    def _check_vectors(self, create: bool) -> None:
        """A registry whose chroma has no vectors at all (a new server, a deleted folder, vectors kept in
        the other place) is rebuilt by the indexer and refused by readers; it would search by words only."""
        chunks = self.stats()["chunks"]
        if not chunks or self.vectors.count():
            return
        problem = self.vectors.home.no_vectors(chunks)
        if not create:
            raise IndexNotFoundError(f"{problem}: rebuild it with `{self.vectors.home.build_command()}`")
        logger.warning("%s; rebuilding it", problem)
        self.reset()

    @property
    def db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._registry, isolation_level=None)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=10000")
            self._local.connection = connection
        return connection

    @property
    def collection(self) -> Any:
        """The chroma collection (for tests and tools that look at the vectors themselves)."""
        return self.vectors.collection

    def check_model(self, model_name: str, dimension: int) -> bool:
        """Record the embedding model; return False when the index was built with another one."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'model'").fetchone()
        current = f"{model_name}:{dimension}"
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('model', ?)", (current,))
            return True
        return bool(row["value"] == current)

    def model(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'model'").fetchone()
        return row["value"].rsplit(":", 1)[0] if row else None

    def reset(self) -> None:
        """Forget everything (used when the embedding model changes)."""
        with self.transaction():
            for table in TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute(
                "DELETE FROM meta WHERE key NOT IN ('schema', ?, ?)", (STORE_ID_KEY, snapshot.GENERATION_KEY)
            )
        self.vectors.clear()
        self.snapshots.forget(self.db)

    # ---- writing -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def write_vectors(self, document: ParsedDocument, vectors: np.ndarray) -> None:
        """Upsert a document's chunk vectors; ids are stable, so a repeat after a crash overwrites."""
        if not document.chunks:
            return
        committee_id, _ = canonical_committee(document.meta.committee, document.meta.council)
        ids = [c.chunk_id for c in document.chunks]
        strays.note_writing(self.db, document.document_id)  # before: a crash after leaves named strays
        self.vectors.upsert(ids, vectors, registry.vector_metadata(document, committee_id))

    def register_document(
        self,
        document: ParsedDocument,
        root: str,
        source: str,
        size: int,
        mtime_ns: int,
        records: RecordSet | None = None,
        units: Sequence[Units] | None = None,
    ) -> list[str]:
        """Commit a document with its pages, chunks (and their units), records and source in one
        transaction.

        Its commitments are linked to the evidence already in the index; commitments of other papers
        are relinked by ``relink_commitments`` once a run has registered everything.
        Returns ids of documents that no longer have any source (their vectors can be deleted).
        """
        committee_id, _ = canonical_committee(document.meta.committee, document.meta.council)
        with self.transaction() as db:
            registry.insert_document(db, document, committee_id, size)
            self._delete_document_rows(document.document_id, keep_document=True)
            registry.insert_pages_and_chunks(db, document, committee_id, units)
            link_copies(db, document.document_id, self.lexical_search)
            if records is not None:
                write_records(db, document, records)
            orphans = self._link_source(root, source, document.document_id, size, mtime_ns)
            # After the old version of a replaced file is gone, so its evidence cannot count.
            relink(db, document_commitment_ids(db, document.document_id))
            if records is not None and records.evidence:
                self._mark_links_stale()
            strays.clear_note(db, document.document_id)
            return orphans

    def relink_commitments(self) -> int:
        """Link every commitment to the later papers of its committee, if papers came or went since the
        last time; returns how many commitments changed status or evidence."""
        if not self.links_stale():
            return 0
        with self.transaction() as db:
            changed = relink(db)
            db.execute("DELETE FROM meta WHERE key = 'links_stale'")
        return changed

    def links_stale(self) -> bool:
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'links_stale'").fetchone() is not None

    def _mark_links_stale(self) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('links_stale', '1')")

    def link_source(self, root: str, source: str, document_id: str, size: int, mtime_ns: int) -> list[str]:
        """Point a file at an already indexed document (same content under another name)."""
        with self.transaction():
            return self._link_source(root, source, document_id, size, mtime_ns)

    def remove_sources(self, root: str, sources: Iterable[str]) -> list[str]:
        """Forget files that disappeared; returns ids of documents left with no source (now deleted)."""
        with self.transaction() as db:
            affected = []
            for source in sources:
                row = db.execute(
                    "SELECT document_id FROM sources WHERE root = ? AND source = ?", (root, source)
                ).fetchone()
                if row:
                    affected.append(row["document_id"])
                    db.execute("DELETE FROM sources WHERE root = ? AND source = ?", (root, source))
            return self._collect_orphans(affected)

    def delete_vectors(self, document_ids: Iterable[str]) -> None:
        self.vectors.delete_documents(document_ids)

    def sweep_vectors(self) -> int:
        """Delete vectors whose document is not registered (left by an interrupted run)."""
        return strays.sweep(self.db, self.vectors, self.stats()["chunks"])

    def _link_source(self, root: str, source: str, document_id: str, size: int, mtime_ns: int) -> list[str]:
        row = self.db.execute(
            "SELECT document_id FROM sources WHERE root = ? AND source = ?", (root, source)
        ).fetchone()
        self.db.execute(
            "INSERT OR REPLACE INTO sources (root, source, document_id, size_bytes, mtime_ns) VALUES (?,?,?,?,?)",
            (root, source, document_id, size, mtime_ns),
        )
        if row and row["document_id"] != document_id:
            return self._collect_orphans([row["document_id"]])
        return []

    def _collect_orphans(self, document_ids: Iterable[str]) -> list[str]:
        orphans = []
        for document_id in set(document_ids):
            if not self.db.execute("SELECT 1 FROM sources WHERE document_id = ?", (document_id,)).fetchone():
                self._delete_document_rows(document_id, keep_document=False)
                orphans.append(document_id)
        return orphans

    def _delete_document_rows(self, document_id: str, keep_document: bool) -> None:
        delete_records(self.db, document_id)  # relinks the commitments its evidence gave a status
        unlink_copies(self.db, document_id)
        registry.delete_pages_and_chunks(self.db, document_id)
        if not keep_document:
            self.db.execute("DELETE FROM documents WHERE document_id = ?", (document_id,))

    # ---- reading -------------------------------------------------------------------------------

    def source_of(self, root: str, source: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM sources WHERE root = ? AND source = ?", (root, source)
        ).fetchone()

    def has_document(self, document_id: str) -> bool:
        found = self.db.execute("SELECT 1 FROM documents WHERE document_id = ?", (document_id,)).fetchone()
        return found is not None

    def sources_under(self, root: str) -> list[str]:
        return [r["source"] for r in self.db.execute("SELECT source FROM sources WHERE root = ?", (root,))]

    def stats(self) -> dict[str, int]:
        count = {
            t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "chunks", "pages")
        }
        return {"documents": count["documents"], "chunks": count["chunks"], "pages": count["pages"]}

    def documents(self) -> list[DocumentRow]:
        rows = self.db.execute("SELECT * FROM documents ORDER BY meeting_date, title").fetchall()
        return [self._document_dict(r) for r in rows]

    def document(self, document_id: str) -> DocumentRow | None:
        row = self.db.execute("SELECT * FROM documents WHERE document_id = ?", (document_id,)).fetchone()
        return self._document_dict(row) if row else None

    def _document_dict(self, row: sqlite3.Row) -> DocumentRow:
        document = dict(row)
        document["structure"] = json.loads(document["structure"])
        sources = self.db.execute(
            "SELECT root, source FROM sources WHERE document_id = ? ORDER BY source", (row["document_id"],)
        ).fetchall()
        document["sources"] = [s["source"] for s in sources]
        document["source"] = document["sources"][0] if document["sources"] else None
        document["_paths"] = [str(Path(s["root"]) / s["source"]) for s in sources]
        return cast(DocumentRow, document)

    def file_path(self, document_id: str) -> Path | None:
        """The registered file of a document, if it still exists on disk."""
        for row in self.db.execute(
            "SELECT root, source FROM sources WHERE document_id = ? ORDER BY source", (document_id,)
        ):
            path = Path(row["root"]) / row["source"]
            if path.is_file():
                return path
        return None

    def pages(self, document_id: str) -> list[PageRow]:
        rows = self.db.execute(
            "SELECT * FROM pages WHERE document_id = ? ORDER BY page_index", (document_id,)
        )
        return [cast(PageRow, dict(r)) for r in rows]

    def chunks(self, chunk_ids: list[str]) -> dict[str, ChunkRow]:
        """Chunk rows by id, with their document's first source; unknown ids are left out."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self.db.execute(
            "SELECT c.*, d.title, d.kind AS document_kind, d.source_url, d.meeting_url, (SELECT source FROM"
            " sources s WHERE s.document_id = c.document_id ORDER BY source LIMIT 1) AS source FROM chunks c"
            f" JOIN documents d USING (document_id) WHERE c.chunk_id IN ({marks})",
            chunk_ids,
        )
        return {r["chunk_id"]: cast(ChunkRow, dict(r)) for r in rows}

    def copies(self, chunk_ids: list[str]) -> dict[str, list[ChunkRow]]:
        """Each chunk's copies in other documents (found at index time), as chunk rows."""
        found = copies_of(self.db, chunk_ids)
        rows = self.chunks(sorted({c for copies in found.values() for c in copies}))
        return {chunk_id: [rows[c] for c in copies if c in rows] for chunk_id, copies in found.items()}

    def document_chunks(self, document_id: str) -> list[ChunkColumns]:
        rows = self.db.execute("SELECT * FROM chunks WHERE document_id = ? ORDER BY position", (document_id,))
        return [cast(ChunkColumns, dict(r)) for r in rows]

    def close(self) -> None:
        self.db.close()
