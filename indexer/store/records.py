"""Records in the registry: meetings, agenda items, decisions, commitments and the evidence linking them.

They are written in their document's transaction and deleted with it, so a replaced, removed or
half-indexed paper never leaves records behind. Each record is kept whole as JSON beside the columns
used to filter, rank and join. A commitment is stored as its own paper states it; its status from later
papers (``link_commitments``) is kept in columns and recomputed when evidence comes or goes.
"""

from __future__ import annotations

import bisect
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from indexer.models import Chunk, ParsedDocument, date_to_int
from indexer.reading.committees import canonical_committee
from indexer.records.linking import link_commitments
from indexer.records.models import Cited, Commitment, Decision, Evidence, Records
from indexer.store.schema import RECORD_TABLES
from indexer.text.spans import plain

_COMMON = [
    "record_id",
    "document_id",
    "position",
    "meeting_id",
    "committee",
    "committee_id",
    "meeting_date",
    "meeting_date_int",
    "dedup_key",
    "chunk_id",
    "page_source",
    "record",
]
_LINK_COLUMNS = ("status", "status_source", "status_note", "status_date")


@dataclass
class RecordSet:
    """What one document adds to the index besides its chunks.

    ``records`` are as extracted with ``link=False`` (commitments as their own paper states them);
    ``evidence`` is what the paper says about earlier commitments; the vectors (one per decision and per
    commitment, from ``record_texts``) let records be ranked by meaning as well as by words.
    """

    records: Records
    evidence: list[Evidence]
    decision_vectors: np.ndarray | None = None
    commitment_vectors: np.ndarray | None = None


def record_texts(records: Records) -> tuple[list[str], list[str]]:
    """The text of each decision and of each commitment that is matched and embedded: its item and words."""
    decisions = [_decision_text(d) for d in records.decisions]
    commitments = [_commitment_text(c) for c in records.commitments]
    return decisions, commitments


def meeting_id_for(committee_id: str | None, meeting_date: str | None) -> str | None:
    """'birmingham-education-os-2022-03-30': readable, and the same whichever paper a record came from."""
    return f"{committee_id}-{meeting_date}" if committee_id and meeting_date else None


# ---- writing ---------------------------------------------------------------------------------------


def write_records(db: sqlite3.Connection, document: ParsedDocument, record_set: RecordSet) -> None:
    """Insert a document's meetings, records and evidence (inside the caller's transaction)."""
    records = record_set.records
    committee_id, _ = canonical_committee(document.meta.committee, document.meta.council)
    locate = _Locator(document)
    for (body_id, body, meeting_date), roles in _meeting_roles(document, records).items():
        meeting_id = meeting_id_for(body_id or committee_id, meeting_date)
        if meeting_id is None:
            continue
        db.execute(
            "INSERT INTO meetings VALUES (?,?,?,?,?,?,?)",
            (
                meeting_id,
                document.document_id,
                body_id or committee_id,
                body or document.meta.committee,
                meeting_date,
                date_to_int(meeting_date),
                ",".join(sorted(roles)),
            ),
        )
    for position, item in enumerate(records.agenda_items):
        key = f"{item.item_number or ''}|{_key(item.title)}"
        _insert(db, "agenda_items", item.item_id, position, item, key, locate, committee_id)
    decision_texts, commitment_texts = record_texts(records)
    for position, decision in enumerate(records.decisions):
        rowid = _insert(
            db,
            "decisions",
            decision.decision_id,
            position,
            decision,
            _key(decision.quote),
            locate,
            committee_id,
            kind=decision.kind,
            vector=_blob(record_set.decision_vectors, position),
        )
        db.execute("INSERT INTO decisions_fts (rowid, text) VALUES (?, ?)", (rowid, decision_texts[position]))
    for position, commitment in enumerate(records.commitments):
        rowid = _insert(
            db,
            "commitments",
            commitment.commitment_id,
            position,
            commitment,
            _key(commitment.what),
            locate,
            committee_id,
            who=commitment.who,
            vector=_blob(record_set.commitment_vectors, position),
            **{name: getattr(commitment, name) for name in _LINK_COLUMNS},
        )
        db.execute(
            "INSERT INTO commitments_fts (rowid, text) VALUES (?, ?)", (rowid, commitment_texts[position])
        )
    for position, evidence in enumerate(record_set.evidence):
        evidence_id = f"{document.document_id}:evidence:{position}"
        _insert(db, "evidence", evidence_id, position, evidence, _key(evidence.text), locate, committee_id)


def delete_records(db: sqlite3.Connection, document_id: str) -> list[str]:
    """Delete a document's meetings, records and evidence; relink the other commitments its evidence
    had given a status. Returns the ids of those commitments."""
    affected = [
        r["record_id"]
        for r in db.execute(
            "SELECT record_id FROM commitments WHERE document_id != ? AND evidence_ids LIKE ?",
            (document_id, f'%"{document_id}:%'),
        )
    ]
    for table in ("decisions", "commitments"):
        db.execute(
            f"DELETE FROM {table}_fts WHERE rowid IN (SELECT rowid FROM {table} WHERE document_id = ?)",
            (document_id,),
        )
    for table in ("meetings", *RECORD_TABLES):
        db.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
    if affected:
        relink(db, affected)
    return affected


def relink(db: sqlite3.Connection, commitment_ids: Iterable[str] | None = None) -> int:
    """Give commitments the status later papers of their committee show (see ``link_commitments``).

    All commitments when ``commitment_ids`` is None. Returns how many changed.
    """
    wanted = None if commitment_ids is None else set(commitment_ids)
    pools: dict[str | None, list[tuple[str, Evidence]]] = defaultdict(list)
    for row in db.execute("SELECT record_id, committee_id, record FROM evidence ORDER BY rowid"):
        pools[row["committee_id"]].append((row["record_id"], _load(Evidence, row["record"])))
    changed = 0
    rows = db.execute(
        "SELECT record_id, committee_id, record, status, status_source, status_note, status_date, evidence_ids"
        " FROM commitments ORDER BY rowid"
    ).fetchall()
    for row in rows:
        if wanted is not None and row["record_id"] not in wanted:
            continue
        pool = pools.get(row["committee_id"], [])
        ids_of = {id(evidence): evidence_id for evidence_id, evidence in pool}
        (linked,) = link_commitments([_load(Commitment, row["record"])], [e for _, e in pool])
        state = [getattr(linked, name) for name in _LINK_COLUMNS]
        evidence_ids = json.dumps([ids_of[id(e)] for e in linked.evidence])
        if state == [row[name] for name in _LINK_COLUMNS] and evidence_ids == row["evidence_ids"]:
            continue
        db.execute(
            "UPDATE commitments SET status = ?, status_source = ?, status_note = ?, status_date = ?,"
            " evidence_ids = ? WHERE record_id = ?",
            (*state, evidence_ids, row["record_id"]),
        )
        changed += 1
    return changed


def document_commitment_ids(db: sqlite3.Connection, document_id: str) -> list[str]:
    return [
        r["record_id"]
        for r in db.execute("SELECT record_id FROM commitments WHERE document_id = ?", (document_id,))
    ]


def _insert(
    db: sqlite3.Connection,
    table: str,
    record_id: str,
    position: int,
    record: Cited,
    dedup_key: str,
    locate: _Locator,
    committee_id: str | None,
    **extra: Any,
) -> int:
    meeting_date = getattr(record, "meeting_date", None)
    committee_id = getattr(record, "committee_id", None) or committee_id  # another body's minutes: its own
    values = {
        "record_id": record_id,
        "document_id": record.document_id,
        "position": position,
        "meeting_id": meeting_id_for(committee_id, meeting_date) if table != "evidence" else None,
        "committee": getattr(record, "committee", None),
        "committee_id": committee_id,
        "meeting_date": meeting_date,
        "meeting_date_int": date_to_int(meeting_date),
        "dedup_key": dedup_key,
        "chunk_id": locate.chunk_id(record.char_start, record.char_end),
        "page_source": locate.page_source(record),
        "record": json.dumps(asdict(record)),
        **extra,
    }
    columns = list(values)
    cursor = db.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [values[c] for c in columns],
    )
    return int(cursor.lastrowid or 0)


class _Locator:
    """The chunk a record's text is in and how its page is known."""

    def __init__(self, document: ParsedDocument) -> None:
        self.chunks: list[Chunk] = document.chunks
        self.pages = document.pages
        self._starts = [p.char_start for p in document.pages]

    def chunk_id(self, start: int, end: int) -> str | None:
        """The chunk holding the whole span, else the one it starts in (where a reader should open)."""
        holding = [c for c in self.chunks if c.char_start <= start and end <= c.char_end]
        starting = [c for c in self.chunks if c.char_start <= start < c.char_end]
        after = [c for c in self.chunks if c.char_start >= start and c.char_start < end]
        found = holding or starting or after
        return found[0].chunk_id if found else None

    def page_source(self, record: Cited) -> str | None:
        if record.page_number is not None and self.pages:
            index = max(0, bisect.bisect_right(self._starts, record.char_start) - 1)
            return self.pages[index].page_source
        return "agenda" if record.pack_pages else None


def _meeting_roles(
    document: ParsedDocument, records: Records
) -> dict[tuple[str | None, str | None, str], set[str]]:
    """The meetings a document is part of, and how: its papers, its minutes, its agenda, its actions.
    Keys are (committee id, committee, date); None for the document's own committee."""
    roles: dict[tuple[str | None, str | None, str], set[str]] = defaultdict(set)
    own_id, _ = canonical_committee(document.meta.committee, document.meta.council)

    def key(record: Any, date: str) -> tuple[str | None, str | None, str]:
        body_id = getattr(record, "committee_id", None)
        return (None, None, date) if body_id in (None, own_id) else (body_id, record.committee, date)

    meta = document.meta
    if meta.pack_date or meta.meeting_date:
        roles[(None, None, meta.pack_date or meta.meeting_date or "")].add("papers")
    if meta.doc_type == "minutes" and meta.meeting_date:
        roles[(None, None, meta.meeting_date)].add("minutes")
    for part in document.parts:
        if part.doc_type != "minutes" or not part.meeting_date:
            continue
        bodies = {
            key(d, part.meeting_date)[0] for d in records.decisions if d.meeting_date == part.meeting_date
        }
        if not bodies or None in bodies:  # minutes all of another body's are that body's meeting only
            roles[(None, None, part.meeting_date)].add("minutes")
    for item in records.agenda_items:
        if item.meeting_date:
            roles[key(item, item.meeting_date)].add("agenda")
    for decision in records.decisions:
        if decision.meeting_date:
            roles[key(decision, decision.meeting_date)].add("minutes")
    for commitment in records.commitments:
        if commitment.meeting_date:
            roles[key(commitment, commitment.meeting_date)].add(
                "actions" if commitment.source == "tracker" else "minutes"
            )
    return roles


def _load(cls: type, text: str) -> Any:
    """A record from its JSON (tuples come back as lists; nested evidence as dicts)."""
    data = json.loads(text)
    names = {f.name for f in fields(cls)}
    data = {k: v for k, v in data.items() if k in names}
    if data.get("pack_pages") is not None:
        data["pack_pages"] = tuple(data["pack_pages"])
    if "evidence" in data:
        data["evidence"] = [_load(Evidence, json.dumps(e)) for e in data["evidence"]]
    return cls(**data)


def _blob(vectors: np.ndarray | None, position: int) -> bytes | None:
    if vectors is None or position >= len(vectors):
        return None
    return np.asarray(vectors[position], dtype=np.float32).tobytes()


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", plain(text).lower()).strip()


def _decision_text(decision: Decision) -> str:
    return "\n".join(filter(None, [decision.item_title, decision.text or plain(decision.quote)]))


def _commitment_text(commitment: Commitment) -> str:
    return "\n".join(
        filter(None, [commitment.item_title, plain(commitment.what), commitment.who, commitment.update])
    )
