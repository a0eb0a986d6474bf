"""Synthetic stores for the scale benchmark: real chunk texts and vectors, re-keyed across many councils.

Each copy of a real index's documents gets a new id, a council, a committee and a meeting date spread
like a multi-council deployment (by default 400 councils, 30 committees each, 20 years). Its vectors are
the real ones with a little seeded noise, so that copies do not tie and a ranking means something. Each
chunk keeps its source's sentence-window units (``indexer.units``), as searches read them.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from indexer.store.index import Store
from indexer.store.schema import CHUNK_COLUMNS

COUNCILS = 400
COMMITTEES_PER_COUNCIL = 30
YEARS = 20
FIRST_YEAR = 2006
NOISE = 0.02  # per-dimension standard deviation before renormalising: copies stay close to their source
WRITE_BATCH = 2000


def synthetic_committee(council: int, committee: int) -> str:
    return f"Committee {committee:02d} of Council {council:03d}"


def build_synthetic_store(source: Store, target_dir: Path, chunks: int, seed: int = 13) -> Store:
    """A store of ``chunks`` chunks (copies of the source's, re-keyed), built fresh in ``target_dir``."""
    rows = [dict(r) for r in source.db.execute("SELECT * FROM chunks ORDER BY document_id, position")]
    if not rows:
        raise ValueError(f"{source.store_dir} has no chunks to copy")
    got = source.collection.get(ids=[r["chunk_id"] for r in rows], include=["embeddings"])
    by_id = dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
    documents = {r["document_id"]: dict(r) for r in source.db.execute("SELECT * FROM documents")}
    units = {
        chunk_id: (spans, blob)
        for chunk_id, spans, blob in source.db.execute("SELECT chunk_id, spans, vectors FROM chunk_units")
    }
    rng = np.random.default_rng(seed)
    store = Store(target_dir, create=True)
    store.check_model(*source_model(source))
    pending_ids: list[str] = []
    pending_vectors: list[np.ndarray] = []
    pending_meta: list[dict] = []
    with store.transaction() as db:
        for copy in range(chunks // len(rows) + 1):
            council = copy % COUNCILS
            for document in documents.values():
                _insert_copy(
                    db,
                    document,
                    copy,
                    council,
                    rng,
                    rows,
                    by_id,
                    units,
                    chunks,
                    store,
                    pending_ids,
                    pending_vectors,
                    pending_meta,
                )
                if len(pending_ids) >= chunks:
                    break
            if len(pending_ids) >= chunks:
                break
    for start in range(0, len(pending_ids), WRITE_BATCH):
        end = start + WRITE_BATCH
        store.vectors.upsert(
            pending_ids[start:end], np.vstack(pending_vectors[start:end]), pending_meta[start:end]
        )
    store.refresh_snapshot()  # as an index run leaves it
    return store


def source_model(source: Store) -> tuple[str, int]:
    row = source.db.execute("SELECT value FROM meta WHERE key = 'model'").fetchone()
    name, dimension = row["value"].rsplit(":", 1)
    return name, int(dimension)


def _insert_copy(
    db: sqlite3.Connection,
    document: dict,
    copy: int,
    council: int,
    rng: np.random.Generator,
    rows: list[dict],
    by_id: dict[str, np.ndarray],
    units: dict[str, tuple[str, bytes]],
    limit: int,
    store: Store,
    ids: list[str],
    vectors: list[np.ndarray],
    metadatas: list[dict],
) -> None:
    """One re-keyed copy of a document: its row, a source, its chunks with FTS rows and units, and noisy
    vectors."""
    new_id = hashlib.sha256(f"{document['document_id']}:{copy}".encode()).hexdigest()[:16]
    committee_number = int(rng.integers(COMMITTEES_PER_COUNCIL))
    committee = synthetic_committee(council, committee_number)
    committee_id = f"c{council:03d}-{committee_number:02d}"
    year = FIRST_YEAR + int(rng.integers(YEARS))
    date = f"{year}-{1 + int(rng.integers(12)):02d}-{1 + int(rng.integers(28)):02d}"
    council_name = f"Council {council:03d}"
    values = dict(
        document,
        document_id=new_id,
        council=council_name,
        committee=committee,
        committee_id=committee_id,
        meeting_date=date,
        meeting_date_int=int(date.replace("-", "")),
    )
    columns = [c for c in values if c != "indexed_at"]
    db.execute(
        f"INSERT INTO documents ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [values[c] for c in columns],
    )
    db.execute(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
        ("synthetic", f"{new_id}.txt", new_id, values["bytes"], 0),
    )
    insert = f"INSERT INTO chunks ({', '.join(CHUNK_COLUMNS)}) VALUES ({', '.join('?' * len(CHUNK_COLUMNS))})"
    for row in (r for r in rows if r["document_id"] == document["document_id"]):
        if len(ids) >= limit:
            return
        chunk = dict(
            row,
            chunk_id=f"{new_id}-{row['position']:04d}",
            document_id=new_id,
            council=council_name,
            committee=committee,
            committee_id=committee_id,
            meeting_date=date,
            meeting_date_int=values["meeting_date_int"],
        )
        cursor = db.execute(insert, [chunk[c] for c in CHUNK_COLUMNS])
        db.execute(
            "INSERT INTO chunks_fts (rowid, embed_text) VALUES (?, ?)",
            (cursor.lastrowid, chunk["embed_text"]),
        )
        if row["chunk_id"] in units:
            db.execute(
                "INSERT INTO chunk_units VALUES (?, ?, ?)", (chunk["chunk_id"], *units[row["chunk_id"]])
            )
        vector = by_id[row["chunk_id"]] + rng.normal(0, NOISE, size=len(by_id[row["chunk_id"]])).astype(
            np.float32
        )
        ids.append(chunk["chunk_id"])
        vectors.append(vector / np.linalg.norm(vector))
        metadatas.append(
            {
                "document_id": new_id,
                "doc_type": chunk["doc_type"],
                "council": council_name,
                "committee": committee,
                "committee_id": committee_id,
                "meeting_date_int": values["meeting_date_int"],
            }
        )
