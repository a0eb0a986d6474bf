"""GET /search and POST /ask."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.ask import answer_question
from api.errors import ApiError
from api.results import result_of
from api.retrieval import Retriever, date_hint
from api.schemas import (
    ERROR_RESPONSES,
    MAX_QUERY_CHARS,
    QUERY_PATTERN,
    AskRequest,
    AskResponse,
    DocType,
    IsoDate,
    SearchResponse,
)
from api.services import Services, build_filters, services

router = APIRouter(tags=["search"], responses=ERROR_RESPONSES)
DateBound = Annotated[IsoDate | None, Query(description="YYYY-MM-DD")]


def check_query(text: str, svc: Services) -> str:
    if not text.strip():
        raise ApiError("the query is empty", 422)
    if len(text) > svc.settings.api.max_query_chars:
        raise ApiError(f"the query is longer than {svc.settings.api.max_query_chars} characters", 422)
    return text.strip()


@router.get("/search", response_model=SearchResponse)
def search(
    svc: Annotated[Services, Depends(services)],
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=MAX_QUERY_CHARS, pattern=QUERY_PATTERN, description="What to look for."
        ),
    ],
    k: Annotated[int, Query(ge=1, le=100, description="How many results.")] = 10,
    committee: Annotated[str | None, Query(max_length=200)] = None,
    doc_type: DocType | None = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
) -> SearchResponse:
    """Hybrid search; filters narrow by committee, document type and meeting date."""
    query = check_query(q, svc)
    filters = build_filters(committee, doc_type, date_from, date_to)
    hits = Retriever(svc.get_store(), svc.get_embedder()).search(query, k=k, filters=filters)
    hint = date_hint(query)
    given = {"committee": committee, "doc_type": doc_type, "date_from": date_from, "date_to": date_to}
    given = {key: str(value) if isinstance(value, date) else value for key, value in given.items()}
    return SearchResponse(
        query=query,
        results=[result_of(h) for h in hits],
        count=len(hits),
        filters={key: value for key, value in given.items() if value},
        date_hint={"from": str(hint[0]), "to": str(hint[1])} if hint else None,
    )


@router.post("/ask", response_model=AskResponse)
def ask(svc: Annotated[Services, Depends(services)], request: AskRequest) -> AskResponse:
    """Answer from the papers, citing a page for every sentence, or say plainly that they do not answer."""
    question = check_query(request.question, svc)
    filters = build_filters(request.committee, request.doc_type, request.date_from, request.date_to)
    return answer_question(
        svc.get_store(), svc.get_embedder(), svc.settings, question, k=request.k, filters=filters
    )
