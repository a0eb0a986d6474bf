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
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from indexer.models import Chunk, ParsedDocument, date_to_int
from indexer.reading.committees import canonical_committee
from indexer.records.linking import link_commitments
from indexer.records.models import Cited, Commitment, Decision, Evidence, Records
from indexer.text.spans import plain

RECORD_TABLES = ("agenda_items", "decisions", "commitments", "evidence")
RECORD_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meetings (
    meeting_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    committee_id TEXT NOT NULL,
    committee TEXT,
    meeting_date TEXT NOT NULL,
    meeting_date_int INTEGER NOT NULL,
    roles TEXT NOT NULL,
    PRIMARY KEY (meeting_id, document_id)
);
CREATE INDEX IF NOT EXISTS meetings_document ON meetings(document_id);
"""
    + "".join(
        f"""
CREATE TABLE IF NOT EXISTS {table} (
    rowid INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    meeting_id TEXT,
    committee TEXT,
    committee_id TEXT,
    meeting_date TEXT,
    meeting_date_int INTEGER,
    dedup_key TEXT NOT NULL,
    chunk_id TEXT,
    page_source TEXT,
    record TEXT NOT NULL{extra}
);
CREATE INDEX IF NOT EXISTS {table}_document ON {table}(document_id);
CREATE INDEX IF NOT EXISTS {table}_meeting ON {table}(meeting_id);
"""
        for table, extra in (
            ("agenda_items", ""),
            ("decisions", ",\n    kind TEXT NOT NULL,\n    vector BLOB"),
            (
                "commitments",
                ",\n    who TEXT,\n    status TEXT NOT NULL,\n    status_source TEXT NOT NULL,\n    status_note TEXT,"
                "\n    status_date TEXT,\n    evidence_ids TEXT NOT NULL DEFAULT '[]',\n    vector BLOB",
            ),
            ("evidence", ""),
        )
    )
    + """
CREATE VIRTUAL TABLE IF NOT EXISTS decisions_fts USING fts5(text, tokenize = 'porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS commitments_fts USING fts5(text, tokenize = 'porter unicode61');
"""
)
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
    for meeting_date, roles in _meeting_roles(document, records).items():
        meeting_id = meeting_id_for(committee_id, meeting_date)
        if meeting_id is None:
            continue
        db.execute(
            "INSERT INTO meetings VALUES (?,?,?,?,?,?,?)",
            (
                meeting_id,
                document.document_id,
                committee_id,
                document.meta.committee,
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


def _meeting_roles(document: ParsedDocument, records: Records) -> dict[str, set[str]]:
    """The meetings a document is part of, and how: its papers, its minutes, its agenda, its actions."""
    roles: dict[str, set[str]] = defaultdict(set)
    meta = document.meta
    if meta.pack_date or meta.meeting_date:
        roles[meta.pack_date or meta.meeting_date or ""].add("papers")
    if meta.doc_type == "minutes" and meta.meeting_date:
        roles[meta.meeting_date].add("minutes")
    for part in document.parts:
        if part.doc_type == "minutes" and part.meeting_date:
            roles[part.meeting_date].add("minutes")
    for item in records.agenda_items:
        if item.meeting_date:
            roles[item.meeting_date].add("agenda")
    for decision in records.decisions:
        if decision.meeting_date:
            roles[decision.meeting_date].add("minutes")
    for commitment in records.commitments:
        if commitment.meeting_date:
            roles[commitment.meeting_date].add("actions" if commitment.source == "tracker" else "minutes")
    return roles


# ---- reading ---------------------------------------------------------------------------------------


def record_rows(
    db: sqlite3.Connection, table: str, filters: dict[str, Any], where: str = "", params: Iterable[Any] = ()
) -> list[dict[str, Any]]:
    """Rows of a record table with their document's title, kind and first source, the record's fields
    merged in and its vector (if any) as an array; filtered by committee (printed name or id) and date."""
    clauses, values = _filter_clauses(filters)
    rows = db.execute(
        f"SELECT r.*, d.title AS document_title, d.kind AS document_kind, (SELECT source FROM sources s WHERE"
        f" s.document_id = r.document_id ORDER BY source LIMIT 1) AS source FROM {table} r"
        f" JOIN documents d USING (document_id) WHERE 1 {clauses} {where}"
        " ORDER BY r.meeting_date, r.document_id, r.position",
        [*values, *params],
    ).fetchall()
    return [_row_dict(row) for row in rows]


def record_lexical(db: sqlite3.Connection, table: str, match: str) -> dict[str, float]:
    """BM25 of every record matching an FTS5 expression, by record id; higher is better."""
    rows = db.execute(
        f"SELECT r.record_id, -bm25({table}_fts) AS score FROM {table}_fts JOIN {table} r"
        f" ON r.rowid = {table}_fts.rowid WHERE {table}_fts MATCH ?",
        (match,),
    ).fetchall()
    return {r["record_id"]: float(r["score"]) for r in rows}


def evidence_rows(db: sqlite3.Connection, evidence_ids: list[str]) -> list[dict[str, Any]]:
    """Evidence rows in the order given; ids whose document is gone are left out."""
    if not evidence_ids:
        return []
    marks = ",".join("?" * len(evidence_ids))
    rows = {
        r["record_id"]: r
        for r in record_rows(db, "evidence", {}, f"AND r.record_id IN ({marks})", evidence_ids)
    }
    return [rows[i] for i in evidence_ids if i in rows]


def meeting_rows(
    db: sqlite3.Connection, filters: dict[str, Any], meeting_id: str | None = None
) -> list[dict[str, Any]]:
    """Meetings with their documents (and each document's roles) and counts of their distinct records."""
    clauses, values = _filter_clauses(filters, alias="m")
    if meeting_id is not None:
        clauses += " AND m.meeting_id = ?"
        values.append(meeting_id)
    rows = db.execute(
        "SELECT m.*, d.title, d.kind AS document_kind, d.doc_type, (SELECT source FROM sources s WHERE"
        " s.document_id = m.document_id ORDER BY source LIMIT 1) AS source FROM meetings m"
        f" JOIN documents d USING (document_id) WHERE 1 {clauses}"
        " ORDER BY m.meeting_date, m.meeting_id, d.meeting_date, d.title",
        values,
    ).fetchall()
    counts = {
        table: {
            r["meeting_id"]: r["n"]
            for r in db.execute(
                f"SELECT meeting_id, COUNT(DISTINCT dedup_key) AS n FROM {table} WHERE meeting_id IS NOT NULL"
                " GROUP BY meeting_id"
            )
        }
        for table in ("agenda_items", "decisions", "commitments")
    }
    meetings: dict[str, dict[str, Any]] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        meeting = meetings.setdefault(
            row["meeting_id"],
            {
                "meeting_id": row["meeting_id"],
                "committee": None,
                "committee_id": row["committee_id"],
                "meeting_date": row["meeting_date"],
                "documents": [],
                "items": counts["agenda_items"].get(row["meeting_id"], 0),
                "decisions": counts["decisions"].get(row["meeting_id"], 0),
                "commitments": counts["commitments"].get(row["meeting_id"], 0),
            },
        )
        if row["committee"]:
            names[row["meeting_id"]][row["committee"]] += 1
        meeting["documents"].append(
            {
                "document_id": row["document_id"],
                "title": row["title"],
                "source": row["source"],
                "doc_type": row["doc_type"],
                "roles": row["roles"].split(","),
            }
        )
    for meeting_key, meeting in meetings.items():
        if names[meeting_key]:
            meeting["committee"] = names[meeting_key].most_common(1)[0][0]
    return list(meetings.values())


def _filter_clauses(filters: dict[str, Any], alias: str = "r") -> tuple[str, list[Any]]:
    clauses, values = [], []
    if filters.get("committee"):
        clauses.append(f"AND ({alias}.committee = ? OR {alias}.committee_id = ?)")
        values += [filters["committee"], filters["committee"]]
    if filters.get("date_from"):
        clauses.append(f"AND {alias}.meeting_date_int >= ?")
        values.append(filters["date_from"])
    if filters.get("date_to"):
        clauses.append(f"AND {alias}.meeting_date_int <= ?")
        values.append(filters["date_to"])
    if filters.get("document_id"):
        clauses.append(f"AND {alias}.document_id = ?")
        values.append(filters["document_id"])
    return " ".join(clauses), values


def _row_dict(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    record = json.loads(data.pop("record"))
    if "source" in record:  # a commitment's origin (minutes, tracker, answer), not the file it is in
        record["origin"] = record.pop("source")
    vector = data.pop("vector", None)
    merged = {**record, **{k: v for k, v in data.items() if v is not None or k not in record}}
    merged["vector"] = np.frombuffer(vector, dtype=np.float32) if vector else None
    if "evidence_ids" in merged:
        merged["evidence_ids"] = json.loads(merged["evidence_ids"])
    return merged


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
    return "\n".join(filter(None, [decision.item_title, plain(decision.quote)]))


def _commitment_text(commitment: Commitment) -> str:
    return "\n".join(
        filter(None, [commitment.item_title, plain(commitment.what), commitment.who, commitment.update])
    )
