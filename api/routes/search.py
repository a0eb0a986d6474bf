"""GET /search and POST /ask."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.answer import (
    DEFAULT_MIN_SIMILARITY,
    citation_for,
    evidence_strength,
    extractive_answer,
    missing_answer_types,
    pick_quotes,
)
from api.errors import ApiError
from api.generative import GenerationError, generative_answer
from api.records import (
    RankedRecord,
    asks_for_decision,
    citation_of,
    decision_sentence,
    on_topic,
    rank_records,
    topic_words,
)
from api.retrieval import Hit, Retriever, citation_url, date_hint
from api.schemas import AskRequest, AskResponse, SearchResponse, SearchResult
from api.services import Services, build_filters, describe_corpus, describe_filters, services
from indexer import Embedder, Store

logger = logging.getLogger(__name__)
router = APIRouter(tags=["search"])
# A decision leads an answer only when it is this close in meaning to the question (and shares a topic word).
DECISION_MIN_SIMILARITY = 0.45
MAX_LEAD_DECISIONS = 3
MAX_SUPPORTING_SENTENCES = 2


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
        page_source=row.get("page_source"),
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
    strong = bool(hits) and evidence_strength(hits) >= threshold
    missing = missing_answer_types(question, hits)
    if strong and missing:
        kinds = " or ".join(kind.name for kind in missing)
        not_found.answer = f"The passages found in {searched} touch on this, but none gives a {kinds}."
        return not_found
    lead: list[RankedRecord] = []
    if asks_for_decision(question) and not svc.settings.llm_base_url:
        lead = leading_decisions(store, svc.get_embedder(), question, filters)
    if not strong and not lead:
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
    if not answer and lead:
        answer, citations = decision_answer(store, question, lead, hits if strong else [])
    elif not answer:
        answer, citations = extractive_answer(store, question, hits)
        citations = [with_pack_pages(c, hits) for c in citations]
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


def leading_decisions(
    store: Store, embedder: Embedder, question: str, filters: dict[str, Any]
) -> list[RankedRecord]:
    """The decision that best answers a question about what was decided, then its close siblings (other
    resolutions of the same item at the same meeting, in the minutes' order); none when nothing is close."""
    words = topic_words(question)
    if not words or filters.get("doc_type") not in (None, "minutes"):  # decisions are read from minutes
        return []
    ranked = rank_records(
        store, embedder, "decisions", question, filters, k=10, lexical_query=" ".join(words)
    )
    strong = [
        r
        for r in ranked
        if r.dense >= DECISION_MIN_SIMILARITY and on_topic(r.row, words) and r.row.get("chunk_id")
    ]
    if not strong:
        return []
    best = strong[0]
    siblings = [
        r
        for r in strong[1:]
        if r.row.get("meeting_id") == best.row.get("meeting_id")
        and r.row.get("item_number") == best.row.get("item_number")
    ]
    siblings = sorted(siblings[: MAX_LEAD_DECISIONS - 1], key=lambda r: r.row["char_start"])
    return [best, *siblings]


def decision_answer(
    store: Store, question: str, lead: list[RankedRecord], hits: list[Hit]
) -> tuple[str, list[dict[str, Any]]]:
    """An answer that opens with the decisions, dated and cited by their exact words, then adds the
    passages' best sentences that do not repeat them."""
    parts: list[str] = []
    citations: list[dict[str, Any]] = []
    for marker, ranked in enumerate(lead, start=1):
        row = ranked.row
        parts.append(decision_sentence(row, marker))
        citations.append(decision_citation(row, marker))
    spans = [(r.row["document_id"], r.row["char_start"], r.row["char_end"]) for r in lead]
    # Support comes from the papers of the decided meeting (its minutes, its reports), not from other meetings.
    meetings = {r.row.get("meeting_date") for r in lead}
    supporting = []
    for quote in pick_quotes(question, [h for h in hits if h.row.get("meeting_date") in meetings]):
        row = quote.hit.row
        start, end = row["char_start"] + quote.char_start, row["char_start"] + quote.char_end
        if any(doc == row["document_id"] and start < e and s < end for doc, s, e in spans):
            continue
        supporting.append(quote)
        if len(supporting) >= MAX_SUPPORTING_SENTENCES:
            break
    for marker, quote in enumerate(supporting, start=len(lead) + 1):
        quote.marker = marker
        parts.append(f"{' '.join(quote.text.split())} [{marker}]")
        citations.append(with_pack_pages(citation_for(store, quote), hits))
    return " ".join(parts), citations


def decision_citation(row: dict[str, Any], marker: int) -> dict[str, Any]:
    """A decision's citation: its verbatim words, on its exact page where known (else its passage, with
    the pack pages the agenda gives)."""
    where = citation_of(row)
    exact = row.get("page_number") is not None
    return {
        **where,
        "marker": marker,
        "meeting_date": row.get("meeting_date"),
        "page_start": where["page_start"] if exact else None,
        "page_end": where["page_end"] if exact else None,
        "pack_pages": None
        if exact or where["page_start"] is None
        else [where["page_start"], where["page_end"]],
    }


def with_pack_pages(citation: dict[str, Any], hits: list[Hit]) -> dict[str, Any]:
    """An extractive citation of unknown page gets its passage's agenda range as ``pack_pages``."""
    if citation.get("page_start") is not None:
        return citation
    row = next((h.row for h in hits if h.chunk_id == citation["chunk_id"]), None)
    if row and row.get("page_source") == "agenda" and row.get("page_start") is not None:
        return {**citation, "pack_pages": [row["page_start"], row["page_end"]], "page_source": "agenda"}
    return citation
