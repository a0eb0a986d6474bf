"""GET /meetings, /meetings/{id}, /decisions and /commitments: records drawn from the papers, each cited."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from api.errors import ApiError, NotFoundError
from api.record_schemas import (
    CommitmentsResponse,
    DecisionsResponse,
    MeetingDetail,
    MeetingsResponse,
)
from api.records import (
    RankedRecord,
    agenda_item_result,
    commitment_result,
    decision_result,
    distinct_rows,
    rank_records,
)
from api.schemas import ERROR_RESPONSES, MAX_QUERY_CHARS, NOT_FOUND, IsoDate
from api.services import Services, build_filters, services
from indexer import COMMITMENT_STATUSES

router = APIRouter(tags=["records"], responses=ERROR_RESPONSES)
MAX_RESULTS = 200
MeetingId = Annotated[
    str,
    Path(pattern=r"^[a-z0-9-]{1,200}$", description="Committee id and date, e.g. kent-cabinet-2025-01-30."),
]
Committee = Annotated[
    str | None, Query(max_length=200, description="Printed committee name or committee id.")
]
DateFrom = Annotated[IsoDate | None, Query(description="YYYY-MM-DD: meetings on or after.")]
DateTo = Annotated[IsoDate | None, Query(description="YYYY-MM-DD: meetings on or before.")]
Limit = Annotated[int, Query(ge=1, le=MAX_RESULTS, description="How many results.")]
Topic = Annotated[
    str | None,
    Query(max_length=MAX_QUERY_CHARS, description="What about (ranked by relevance); absent: newest first."),
]
# Any of the statuses, or empty for all of them.
STATUS_PATTERN = "^(|" + "|".join(re.escape(s) for s in COMMITMENT_STATUSES) + ")$"


def _query(q: str | None, svc: Services) -> str | None:
    """A blank query lists by date; a too long one is refused."""
    if q is None or not q.strip():
        return None
    if len(q) > svc.settings.api.max_query_chars:
        raise ApiError(f"the query is longer than {svc.settings.api.max_query_chars} characters", 422)
    return q.strip()


def _none_match(kind: str, query: str | None, results: list[Any]) -> str | None:
    """The plain answer when a topic finds nothing: no record is about it (given the filters)."""
    if query is None or results:
        return None
    return f"no {kind} in the index is about {query!r}"


def _given(**params: Any) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value}


@router.get("/meetings", response_model=MeetingsResponse)
def list_meetings(
    svc: Annotated[Services, Depends(services)],
    committee: Committee = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> dict[str, Any]:
    """Meetings the papers belong to or record (a committee on a date), oldest first, with record counts."""
    filters = build_filters(committee, None, date_from, date_to)
    meetings = svc.get_store().meetings(filters)
    return {"meetings": meetings, "count": len(meetings)}


@router.get("/meetings/{meeting_id}", response_model=MeetingDetail, responses=NOT_FOUND)
def get_meeting(svc: Annotated[Services, Depends(services)], meeting_id: MeetingId) -> dict[str, Any]:
    """A meeting with its agenda items, the decisions its minutes record and the commitments made at it."""
    store = svc.get_store()
    meeting = store.meeting(meeting_id)
    if meeting is None:
        raise NotFoundError(f"no meeting {meeting_id} in the index (see GET /meetings)")
    items = distinct_rows(store.records("agenda_items", meeting_id=meeting_id))
    decisions = distinct_rows(store.records("decisions", meeting_id=meeting_id))
    commitments = distinct_rows(store.records("commitments", meeting_id=meeting_id))
    return {
        **{
            key: meeting[key]
            for key in ("meeting_id", "committee", "committee_id", "meeting_date", "documents")
        },
        "agenda_items": [agenda_item_result(row) for row in items],
        "decisions": [decision_result(RankedRecord(row)) for row in decisions],
        "commitments": [commitment_result(store, RankedRecord(row)) for row in commitments],
    }


@router.get("/decisions", response_model=DecisionsResponse)
def list_decisions(
    svc: Annotated[Services, Depends(services)],
    q: Topic = None,
    committee: Committee = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    k: Limit = 50,
) -> dict[str, Any]:
    """Decisions recorded in minutes, ranked by relevance to q (words and meaning), else newest first."""
    query = _query(q, svc)
    filters = build_filters(committee, None, date_from, date_to)
    store = svc.get_store()
    ranked = rank_records(store, svc.get_embedder() if query else None, "decisions", query, filters, k)
    results = [decision_result(r) for r in ranked]
    return {
        "query": query,
        "message": _none_match("decision", query, results),
        "results": results,
        "count": len(results),
        "filters": _given(committee=committee, date_from=date_from, date_to=date_to),
    }


@router.get("/commitments", response_model=CommitmentsResponse)
def list_commitments(
    svc: Annotated[Services, Depends(services)],
    q: Topic = None,
    committee: Committee = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    status: Annotated[
        str | None, Query(pattern=STATUS_PATTERN, description=f"One of: {', '.join(COMMITMENT_STATUSES)}.")
    ] = None,
    owner: Annotated[str | None, Query(max_length=200, description="Part of who it is for.")] = None,
    k: Limit = 50,
) -> dict[str, Any]:
    """Undertakings, requests and tracked actions with what later papers say of them."""
    query = _query(q, svc)
    filters = build_filters(committee, None, date_from, date_to)
    store = svc.get_store()
    embedder = svc.get_embedder() if query else None
    owner = (owner or "").strip()
    ranked = rank_records(store, embedder, "commitments", query, filters, k, status=status, owner=owner)
    results = [commitment_result(store, r) for r in ranked]
    return {
        "query": query,
        "message": _none_match("commitment", query, results),
        "results": results,
        "count": len(results),
        "filters": _given(
            committee=committee, date_from=date_from, date_to=date_to, status=status, owner=owner
        ),
    }
