"""Vectors left by an interrupted run: noted in the registry before they are written, swept by the next run.

Vectors go to chroma before their document's registry transaction commits, so a crash in between leaves
vectors of an unregistered document. The note names those documents, so the sweep costs nothing when no
run was interrupted; only when the counts still disagree (an index from before the notes) are all vector
ids read, a page at a time.
"""

from __future__ import annotations

import sqlite3

from indexer.store.vectors import VectorIndex

WRITING = "writing:"  # meta key prefix: a document whose vectors are written but not yet committed


def note_writing(db: sqlite3.Connection, document_id: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, '')", (WRITING + document_id,))


def clear_note(db: sqlite3.Connection, document_id: str) -> None:
    """Inside the document's registry transaction: once it commits, its vectors are no strays."""
    db.execute("DELETE FROM meta WHERE key = ?", (WRITING + document_id,))


def sweep(db: sqlite3.Connection, vectors: VectorIndex, registered_chunks: int) -> int:
    """Delete the vectors of documents that are not registered; returns how many went."""
    swept = 0
    for (key,) in db.execute("SELECT key FROM meta WHERE key LIKE ?", (WRITING + "%",)).fetchall():
        document_id = key[len(WRITING) :]
        if not db.execute("SELECT 1 FROM documents WHERE document_id = ?", (document_id,)).fetchone():
            ids = vectors.ids_of_document(document_id)
            vectors.delete_ids(ids)
            swept += len(ids)
        db.execute("DELETE FROM meta WHERE key = ?", (key,))
    if vectors.collection.count() == registered_chunks:
        return swept
    known = {row[0] for row in db.execute("SELECT document_id FROM documents")}
    stray = [chunk_id for chunk_id, document_id in vectors.ids_and_documents() if document_id not in known]
    vectors.delete_ids(stray)
    return swept + len(stray)
