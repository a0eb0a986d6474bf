"""GET /search and POST /ask."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.answer import DEFAULT_MIN_SIMILARITY, evidence_strength, extractive_answer
from api.errors import ApiError
from api.generative import GenerationError, generative_answer
from api.retrieval import Hit, Retriever, citation_url, date_hint
from api.schemas import AskRequest, AskResponse, SearchResponse, SearchResult
from api.services import Services, build_filters, describe_corpus, describe_filters, services

logger = logging.getLogger(__name__)
router = APIRouter(tags=["search"])


def result_of(hit: Hit) -> SearchResult:
    row = hit.row
    return SearchResult(
        chunk_id=row["chunk_id"],
        text=row["text"],
        score=round(hit.score, 6),
        document_id=row["document_id"],
        source=row.get("source"),
        title=row.get("title"),
        council=row.get("council"),
        committee=row.get("committee"),
        meeting_date=row.get("meeting_date"),
        doc_type=row["doc_type"],
        section=row.get("section"),
        page_start=row.get("page_start"),
        page_end=row.get("page_end"),
        page_label=row.get("page_label_start"),
        url=citation_url(row),
        part_title=row.get("part_title"),
        line_start=row.get("line_start"),
        line_end=row.get("line_end"),
        alternates=[
            {
                "chunk_id": alt["chunk_id"],
                "document_id": alt["document_id"],
                "source": alt.get("source"),
                "title": alt.get("title"),
                "page_start": alt.get("page_start"),
                "page_end": alt.get("page_end"),
                "url": citation_url(alt),
            }
            for alt in hit.alternates
        ],
    )


def check_query(text: str, svc: Services) -> str:
    if not text.strip():
        raise ApiError("the query is empty", 422)
    if len(text) > svc.settings.max_query_chars:
        raise ApiError(f"the query is longer than {svc.settings.max_query_chars} characters", 422)
    return text.strip()


@router.get("/search", response_model=SearchResponse)
def search(
    svc: Annotated[Services, Depends(services)],
    q: Annotated[str, Query(description="What to look for.")],
    k: Annotated[int, Query(ge=1, le=100, description="How many results.")] = 10,
    committee: str | None = None,
    doc_type: str | None = None,
    date_from: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
) -> SearchResponse:
    """Hybrid search; filters narrow by committee, document type and meeting date."""
    query = check_query(q, svc)
    filters = build_filters(committee, doc_type, date_from, date_to)
    retriever = Retriever(svc.get_store(), svc.get_embedder())
    hits = retriever.search(query, k=k, filters=filters)
    hint = date_hint(query)
    return SearchResponse(
        query=query,
        results=[result_of(h) for h in hits],
        count=len(hits),
        filters={
            key: value
            for key, value in {
                "committee": committee,
                "doc_type": doc_type,
                "date_from": date_from,
                "date_to": date_to,
            }.items()
            if value
        },
        date_hint={"from": str(hint[0]), "to": str(hint[1])} if hint else None,
    )


@router.post("/ask", response_model=AskResponse)
def ask(svc: Annotated[Services, Depends(services)], request: AskRequest) -> AskResponse:
    """Answer from the papers, citing a page for every sentence, or say plainly that they do not answer."""
    question = check_query(request.question, svc)
    filters = build_filters(request.committee, request.doc_type, request.date_from, request.date_to)
    store = svc.get_store()
    hits = Retriever(store, svc.get_embedder()).search(question, k=request.k, filters=filters)
    searched = f"{describe_corpus(store)}{describe_filters(filters)}"
    passages = [result_of(h) for h in hits]
    threshold = svc.settings.answer_min_score or DEFAULT_MIN_SIMILARITY
    not_found = AskResponse(
        question=question,
        answered=False,
        passages=passages,
        citations=[],
        searched=searched,
        answer=f"No passage in {searched} answers this.",
    )
    if not hits or evidence_strength(hits) < threshold:
        return not_found
    answer: str = ""
    citations: list[dict[str, Any]] = []
    mode = "extractive"
    if svc.settings.llm_base_url:
        try:
            generated = generative_answer(svc.settings, store, question, hits)
            if generated is None:
                return not_found
            answer, citations = generated
            mode = "generative"
        except GenerationError as exc:
            logger.warning("generative answer failed (%s); falling back to the extractive answer", exc)
    if not answer:
        answer, citations = extractive_answer(store, question, hits)
    if not citations:
        return not_found
    return AskResponse(
        question=question,
        answered=True,
        answer=answer,
        citations=citations,
        passages=passages,
        searched=searched,
        mode=mode,
    )
