"""Reading records back: meetings with their documents, decisions, commitments and evidence rows."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, Literal, cast, overload

import numpy as np

from indexer.store import lexical
from indexer.store.filters import sql_filters
from indexer.store.rows import (
    AgendaItemRow,
    CommitmentRow,
    DecisionRow,
    EvidenceRow,
    MeetingDocumentRow,
    MeetingRow,
    RecordTable,
    SearchableRecordTable,
)


def record_rows(
    db: sqlite3.Connection, table: str, filters: dict[str, Any], where: str = "", params: Iterable[Any] = ()
) -> list[dict[str, Any]]:
    """Rows of a record table with their document's title, kind and first source, the record's fields
    merged in and its vector (if any) as an array; filtered by committee (printed name or id) and date."""
    clauses, values = sql_filters(filters, alias="r", document_alias="d")
    rows = db.execute(
        f"SELECT r.*, d.title AS document_title, d.kind AS document_kind, d.source_url, d.meeting_url,"
        " (SELECT source FROM sources s WHERE"
        f" s.document_id = r.document_id ORDER BY source LIMIT 1) AS source FROM {table} r"
        f" JOIN documents d USING (document_id) WHERE 1 {clauses} {where}"
        " ORDER BY r.meeting_date, r.document_id, r.position",
        [*values, *params],
    ).fetchall()
    return [_row_dict(row) for row in rows]


def evidence_rows(db: sqlite3.Connection, evidence_ids: list[str]) -> list[EvidenceRow]:
    """Evidence rows in the order given; ids whose document is gone are left out."""
    if not evidence_ids:
        return []
    marks = ",".join("?" * len(evidence_ids))
    rows = {
        r["record_id"]: r
        for r in record_rows(db, "evidence", {}, f"AND r.record_id IN ({marks})", evidence_ids)
    }
    return [cast(EvidenceRow, rows[i]) for i in evidence_ids if i in rows]


def meeting_rows(
    db: sqlite3.Connection, filters: dict[str, Any], meeting_id: str | None = None
) -> list[MeetingRow]:
    """Meetings with their documents (and each document's roles) and counts of their distinct records."""
    clauses, values = sql_filters(filters, alias="m", document_alias="d")
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
    meetings: dict[str, MeetingRow] = {}
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
        document: MeetingDocumentRow = {
            "document_id": row["document_id"],
            "title": row["title"],
            "source": row["source"],
            "doc_type": row["doc_type"],
            "roles": row["roles"].split(","),
        }
        meeting["documents"].append(document)
    for meeting_key, meeting in meetings.items():
        if names[meeting_key]:
            meeting["committee"] = names[meeting_key].most_common(1)[0][0]
    return list(meetings.values())


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


class RecordQueries:
    """The record reads of a store: meetings, decisions, commitments and evidence (mixed into ``Store``)."""

    @property
    def db(self) -> sqlite3.Connection:
        raise NotImplementedError  # the store's connection

    def meetings(self, filters: dict[str, Any] | None = None) -> list[MeetingRow]:
        """Meetings (a committee on a date) that papers in the index belong to or record."""
        return meeting_rows(self.db, filters or {})

    def meeting(self, meeting_id: str) -> MeetingRow | None:
        found = meeting_rows(self.db, {}, meeting_id)
        return found[0] if found else None

    # Each table its own row type; all three take the same arguments.
    @overload
    def records(
        self,
        table: Literal["agenda_items"],
        filters: dict[str, Any] | None = None,
        meeting_id: str | None = None,
        status: str | None = None,
        owner: str | None = None,
    ) -> list[AgendaItemRow]: ...
    @overload
    def records(
        self,
        table: Literal["decisions"],
        filters: dict[str, Any] | None = None,
        meeting_id: str | None = None,
        status: str | None = None,
        owner: str | None = None,
    ) -> list[DecisionRow]: ...
    @overload
    def records(
        self,
        table: Literal["commitments"],
        filters: dict[str, Any] | None = None,
        meeting_id: str | None = None,
        status: str | None = None,
        owner: str | None = None,
    ) -> list[CommitmentRow]: ...
    def records(
        self,
        table: RecordTable,
        filters: dict[str, Any] | None = None,
        meeting_id: str | None = None,
        status: str | None = None,
        owner: str | None = None,
    ) -> list[AgendaItemRow] | list[DecisionRow] | list[CommitmentRow]:
        """Rows of ``agenda_items``, ``decisions`` or ``commitments`` (filters as for search; commitments
        also by status and by owner, a case-insensitive part of who)."""
        if table not in ("agenda_items", "decisions", "commitments"):
            raise ValueError(f"no record table {table!r}")
        where, params = [], []
        if meeting_id is not None:
            where.append("AND r.meeting_id = ?")
            params.append(meeting_id)
        if status:
            where.append("AND r.status = ?")
            params.append(status)
        if owner:
            where.append("AND instr(lower(r.who), ?) > 0")
            params.append(owner.lower())
        rows = record_rows(self.db, table, filters or {}, " ".join(where), params)
        return cast("list[AgendaItemRow] | list[DecisionRow] | list[CommitmentRow]", rows)

    def record_lexical_search(self, table: SearchableRecordTable, query: str) -> dict[str, float]:
        """BM25 of the decisions or commitments matching a query's words, by record id."""
        if table not in ("decisions", "commitments"):
            raise ValueError(f"no searchable record table {table!r}")
        return lexical.search_records(self.db, table, query)

    def evidence(self, evidence_ids: list[str]) -> list[EvidenceRow]:
        return evidence_rows(self.db, evidence_ids)
