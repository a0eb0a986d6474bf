"""Copies of a passage in other documents: minutes republished on their own, a presentation inside a pack.

Found once, when a document is registered, so a search only looks them up. Two passages are copies when most
of the shorter one's word trigrams appear in the other (``text/overlap.py``); candidates come from a lexical
probe of each passage's most distinctive words.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from indexer.text.overlap import overlap, shingles

DUPLICATE_OVERLAP = 0.6  # share of the shorter passage's word trigrams found in the other
PROBE_WORDS = 8
PROBE_CANDIDATES = 10

COPIES_SCHEMA = """
CREATE TABLE IF NOT EXISTS chunk_copies (
    chunk_id TEXT NOT NULL,
    copy_id TEXT NOT NULL,
    PRIMARY KEY (chunk_id, copy_id)
);
"""

_WORD = re.compile(r"[a-z0-9]+")


def probe(text: str) -> str:
    """The longest words of a passage: the most distinctive, and few enough to keep a lookup fast."""
    words = sorted(set(_WORD.findall(text.lower())), key=lambda w: (-len(w), w))
    return " ".join(words[:PROBE_WORDS])


def link_copies(
    db: sqlite3.Connection, document_id: str, search: Callable[[str, int], list[tuple[str, float]]]
) -> int:
    """Record, in both directions, each chunk of a document that has a copy in another document.

    ``search`` is the index's lexical search (query, k) -> [(chunk_id, score)]. Returns the pairs found.
    """
    own = db.execute("SELECT chunk_id, text FROM chunks WHERE document_id = ?", (document_id,)).fetchall()
    pairs: set[tuple[str, str]] = set()
    for chunk_id, text in own:
        candidates = [cid for cid, _ in search(probe(text), PROBE_CANDIDATES)]
        if not candidates:
            continue
        marks = ",".join("?" * len(candidates))
        rows = db.execute(
            f"SELECT chunk_id, text FROM chunks WHERE chunk_id IN ({marks}) AND document_id != ?",
            [*candidates, document_id],
        ).fetchall()
        mine = shingles(text)
        for other_id, other_text in rows:
            if overlap(mine, shingles(other_text)) >= DUPLICATE_OVERLAP:
                pairs.update({(chunk_id, other_id), (other_id, chunk_id)})
    db.executemany("INSERT OR IGNORE INTO chunk_copies VALUES (?, ?)", sorted(pairs))
    return len(pairs) // 2


def unlink_copies(db: sqlite3.Connection, document_id: str) -> None:
    """Forget the copy pairs of a document's chunks (before the chunks themselves go)."""
    own = "SELECT chunk_id FROM chunks WHERE document_id = ?"
    db.execute(
        f"DELETE FROM chunk_copies WHERE chunk_id IN ({own}) OR copy_id IN ({own})", (document_id,) * 2
    )


def copies_of(db: sqlite3.Connection, chunk_ids: list[str]) -> dict[str, list[str]]:
    """The recorded copies of each chunk, in id order."""
    found: dict[str, list[str]] = {chunk_id: [] for chunk_id in chunk_ids}
    if not chunk_ids:
        return found
    marks = ",".join("?" * len(chunk_ids))
    for chunk_id, copy_id in db.execute(
        f"SELECT chunk_id, copy_id FROM chunk_copies WHERE chunk_id IN ({marks}) ORDER BY chunk_id, copy_id",
        chunk_ids,
    ):
        found[chunk_id].append(copy_id)
    return found
