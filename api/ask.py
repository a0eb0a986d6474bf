"""Answering a question: retrieve, judge the evidence, lead with decisions, and cite every sentence.

``answer_question`` is what ``POST /ask`` does; the route only validates the request. The evaluation
runner and the benchmark call the same function, so what they measure is what the API serves.
"""

from __future__ import annotations

import logging
from typing import Any

from api.answer import (
    citation_for,
    extractive_answer,
    missing_answer_types,
    pick_quotes,
)
from api.answerability import Evidence, load_model, question_evidence
from api.coverage import Coverage, index_facts
from api.generative import GenerationError, generative_answer
from api.not_found import (
    NEAREST_NOTE,
    agenda_mentions,
    asks_what_was_resolved,
    coverage_message,
    no_resolution_message,
    records_a_decision,
)
from api.records import (
    RankedRecord,
    asks_for_decision,
    citation_of,
    decision_sentence,
    on_topic,
    rank_records,
    topic_words,
)
from api.results import result_of
from api.retrieval import Hit, Retriever
from api.schemas import AnswerCoverage, AskResponse
from api.services import describe_corpus, describe_filters
from indexer import Embedder, Settings, Store

logger = logging.getLogger(__name__)
# A decision leads an answer only when it is this close in meaning to the question (and shares a topic word).
DECISION_MIN_SIMILARITY = 0.45
# Another meeting's decision is listed too when it is nearly as close as the best one.
OTHER_MEETING_MARGIN = 0.05
MAX_LEAD_DECISIONS = 3
MAX_SUPPORTING_SENTENCES = 2


def answer_question(
    store: Store,
    embedder: Embedder,
    settings: Settings,
    question: str,
    k: int = 5,
    filters: dict[str, Any] | None = None,
) -> AskResponse:
    """Answer from the papers, citing a page for every sentence, or say plainly that they do not answer."""
    filters = filters or {}
    hits = Retriever(store, embedder).search(question, k=k, filters=filters)
    return answer_from_hits(store, embedder, settings, question, hits, filters)


def answer_from_hits(
    store: Store,
    embedder: Embedder,
    settings: Settings,
    question: str,
    hits: list[Hit],
    filters: dict[str, Any] | None = None,
    lead_with_decisions: bool = True,
    min_score: float | None = None,
) -> AskResponse:
    """The answer ``answer_question`` gives, from passages already retrieved (by any system).

    Whether to answer is the answerability model's call (api/answerability.py): its probability is the
    reply's ``confidence``, and below the operating point (or ``min_score``, or the setting
    ``answer_min_score``; 0 answers whenever there are hits) the reply says what the passages lack.
    """
    filters = filters or {}
    searched = f"{describe_corpus(store)}{describe_filters(filters)}"
    evidence, decisions = assess_question(store, embedder, question, hits, filters)
    model = load_model()
    confidence = round(model.probability(evidence.features), 4) if hits else 0.0
    threshold = min_score if min_score is not None else settings.api.answer_min_score or model.threshold
    reply: dict[str, Any] = {
        "question": question,
        "passages": [result_of(h) for h in hits],
        "searched": searched,
        "confidence": confidence,
    }
    coverage = evidence.coverage
    scoped = bool(
        coverage.unmet_committees
        or coverage.unmet_period
        or coverage.dates_unindexed
        or coverage.other_councils
    )
    if (
        asks_what_was_resolved(question)
        and not decisions
        and not scoped
        and not records_a_decision(question, hits)
    ):
        mentions = agenda_mentions(store, question, filters)
        if mentions:
            return AskResponse(
                answered=False,
                answer=no_resolution_message(question, mentions),
                citations=[],
                agenda_items=mentions,  # type: ignore[arg-type]  # validated into AgendaMention models
                passages_note=NEAREST_NOTE,
                **reply,
            )
    if not hits or confidence < threshold or coverage.committee_out_of_scope:
        return _not_found(store, question, hits, coverage, searched, reply)
    lead = decisions if lead_with_decisions and not settings.llm.base_url else []
    answer, citations, mode = _compose(store, settings, question, hits, lead)
    if not citations:
        return _not_found(store, question, hits, evidence.coverage, searched, reply)
    return AskResponse(
        answered=True,
        answer=answer,
        citations=citations,  # type: ignore[arg-type]  # validated into Citation models
        mode=mode,
        **reply,
    )


def assess_question(
    store: Store, embedder: Embedder, question: str, hits: list[Hit], filters: dict[str, Any]
) -> tuple[Evidence, list[RankedRecord]]:
    """The answerability features of a question and its passages, and the decisions that would lead."""
    decisions = leading_decisions(store, embedder, question, filters) if asks_for_decision(question) else []
    return question_evidence(question, hits, store, decisions[0].dense if decisions else 0.0), decisions


def _not_found(
    store: Store, question: str, hits: list[Hit], coverage: Coverage, searched: str, reply: dict[str, Any]
) -> AskResponse:
    """'Not found', saying what was searched, which key terms no passage mentions, and which asked-for
    committee or period has no indexed meeting; the passages are the nearest ones, labelled so."""
    _, index = index_facts(store)
    kinds = [kind.name for kind in missing_answer_types(question, hits)] if hits else []
    return AskResponse(
        answered=False,
        answer=coverage_message(searched, coverage, index, kinds),
        citations=[],
        coverage=AnswerCoverage(
            missing_terms=[t.word for t in coverage.missing_terms],
            unindexed_terms=[t.word for t in coverage.unindexed_terms],
            unindexed_committees=coverage.unmet_committees,
            unindexed_period=None if coverage.unmet_period is None else list(coverage.unmet_period),
            unindexed_dates=coverage.dates_unindexed,
            other_councils=coverage.other_councils,
            indexed=index.describe(),
        ),
        passages_note=NEAREST_NOTE if hits else None,
        **reply,
    )


def _compose(
    store: Store, settings: Settings, question: str, hits: list[Hit], lead: list[RankedRecord]
) -> tuple[str, list[dict[str, Any]], str]:
    """The answer text, its citations and the mode that wrote it (generative when configured)."""
    if settings.llm.base_url:
        try:
            generated = generative_answer(settings, store, question, hits)
            if generated is None:
                return "", [], "generative"
            return generated[0], generated[1], "generative"
        except GenerationError as exc:
            logger.warning("generative answer failed (%s); falling back to the extractive answer", exc)
    if lead:
        answer, citations = decision_answer(store, question, lead, hits)
        return answer, citations, "extractive"
    answer, citations = extractive_answer(store, question, hits)
    return answer, [with_pack_pages(c, hits) for c in citations], "extractive"


def leading_decisions(
    store: Store, embedder: Embedder, question: str, filters: dict[str, Any]
) -> list[RankedRecord]:
    """The decision that best answers a question about what was decided, then its close siblings (other
    resolutions of the same item at the same meeting, in the minutes' order); none when nothing is close.

    When other meetings decided on the topic too (a decision nearly as close), the best decision of each
    meeting is listed instead, newest meeting first.
    """
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
    per_meeting: dict[Any, RankedRecord] = {}
    for record in strong:
        if record.dense >= best.dense - OTHER_MEETING_MARGIN:
            per_meeting.setdefault(record.row.get("meeting_id") or record.row.get("meeting_date"), record)
    if len(per_meeting) > 1:
        meetings = sorted(per_meeting.values(), key=lambda r: r.row.get("meeting_date") or "", reverse=True)
        return meetings[:MAX_LEAD_DECISIONS]
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
