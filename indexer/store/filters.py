"""Search filters, said three ways: SQL over the registry, a chroma ``where``, and a check of one row.

Filters are committee (a printed name or a committee id), council, doc_type, document_id, and date_from
and date_to (YYYYMMDD integers); absent keys do not filter. Two array forms follow the same rules for
speed, ``vectors.ExactVectors.mask`` and ``snapshot.Snapshot.selection``; their tests compare their results
with ``row_matches`` on every row.
"""

from __future__ import annotations

from typing import Any

from indexer.store.rows import ChunkRow


def sql_filters(
    filters: dict[str, Any], alias: str = "c", document_alias: str | None = None
) -> tuple[str, list[Any]]:
    """AND clauses over a table with the filter columns (chunks ``c``, records ``r``, meetings ``m``).

    A table without the document's own columns (council, doc_type), such as a record table, names the
    joined documents table as ``document_alias``.
    """
    clauses, params = [], []
    if filters.get("committee"):
        clauses.append(f"AND ({alias}.committee = ? OR {alias}.committee_id = ?)")
        params += [filters["committee"], filters["committee"]]
    for key in ("council", "doc_type", "document_id"):
        if filters.get(key):
            table = document_alias if document_alias and key != "document_id" else alias
            clauses.append(f"AND {table}.{key} = ?")
            params.append(filters[key])
    if filters.get("date_from"):
        clauses.append(f"AND {alias}.meeting_date_int >= ?")
        params.append(filters["date_from"])
    if filters.get("date_to"):
        clauses.append(f"AND {alias}.meeting_date_int <= ?")
        params.append(filters["date_to"])
    return " ".join(clauses), params


def chroma_filters(filters: dict[str, Any]) -> dict[str, Any] | None:
    """The same filters as a chroma ``where`` (None when nothing filters)."""
    clauses: list[dict[str, Any]] = []
    if filters.get("committee"):
        clauses.append({"$or": [{"committee": filters["committee"]}, {"committee_id": filters["committee"]}]})
    for key in ("council", "doc_type", "document_id"):
        if filters.get(key):
            clauses.append({key: filters[key]})
    if filters.get("date_from"):
        clauses.append({"meeting_date_int": {"$gte": int(filters["date_from"])}})
    if filters.get("date_to"):
        clauses.append({"meeting_date_int": {"$lte": int(filters["date_to"])}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def row_matches(row: ChunkRow, filters: dict[str, Any]) -> bool:
    """The same filters checked on a registry row, so a filter can never let anything through."""
    committee = filters.get("committee")
    if committee and committee not in (row.get("committee"), row.get("committee_id")):
        return False
    for key in ("council", "doc_type", "document_id"):
        if filters.get(key) and row.get(key) != filters[key]:
            return False
    date_int = row.get("meeting_date_int")
    if filters.get("date_from") and (date_int is None or date_int < filters["date_from"]):
        return False
    return not (filters.get("date_to") and (date_int is None or date_int > filters["date_to"]))
