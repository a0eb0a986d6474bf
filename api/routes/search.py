"""GET /search and POST /ask."""

from __future__ import annotations

from typing import Annotated, Any

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
    Filters,
    SearchResponse,
)
from api.services import Services, build_filters, services

router = APIRouter(tags=["search"], responses=ERROR_RESPONSES)
PerItem = Annotated[
    int,
    Query(
        ge=0,
        le=100,
        description="At most this many results from one agenda item (0: no limit); the item's other"
        " passages are listed under them as more_from_item.",
    ),
]


def store_filters(filters: Filters) -> dict[str, Any]:
    """A request's filters as the store takes them (a malformed one is a 422 with a message)."""
    return build_filters(
        filters.committee, filters.doc_type, filters.date_from, filters.date_to, filters.council
    )


def check_query(text: str, svc: Services) -> str:
    if not text.strip():
        raise ApiError("the query is empty", 422)
    if len(text) > svc.settings.api.max_query_chars:
        raise ApiError(f"the query is longer than {svc.settings.api.max_query_chars} characters", 422)
    return text.strip()


@router.get("/search", response_model=SearchResponse)
def search(
    svc: Annotated[Services, Depends(services)],
    filters: Annotated[Filters, Query()],
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=MAX_QUERY_CHARS, pattern=QUERY_PATTERN, description="What to look for."
        ),
    ],
    k: Annotated[int, Query(ge=1, le=100, description="How many results.")] = 10,
    per_item: PerItem = 0,
) -> SearchResponse:
    """Hybrid search; filters narrow by committee, council, document type and meeting date."""
    query = check_query(q, svc)
    store = svc.get_store()  # once: opening it checks the index is not empty
    hits = Retriever(store, svc.get_embedder()).search(
        query, k=k, filters=store_filters(filters), max_per_item=per_item
    )
    hint = date_hint(query)
    return SearchResponse(
        query=query,
        results=[result_of(store, h) for h in hits],
        count=len(hits),
        filters=filters.given(),
        date_hint={"from": str(hint[0]), "to": str(hint[1])} if hint else None,
    )


@router.post("/ask", response_model=AskResponse)
def ask(svc: Annotated[Services, Depends(services)], request: AskRequest) -> AskResponse:
    """Answer from the papers, citing a page for every sentence, or say plainly that they do not answer."""
    question = check_query(request.question, svc)
    filters = store_filters(request)
    return answer_question(
        svc.get_store(), svc.get_embedder(), svc.settings, question, k=request.k, filters=filters
    )
