"""Answering a question: retrieve, judge the evidence, lead with decisions, and cite every sentence.

``answer_question`` is what ``POST /ask`` does; the route only validates the request. The evaluation
runner and the benchmark call the same function, so what they measure is what the API serves.
"""

from __future__ import annotations

import logging
from typing import Any

from api.answer import (
    citation_for,
    evidence_strength,
    extractive_answer,
    missing_answer_types,
    pick_quotes,
)
from api.answerability import PASSAGES, assess, load_model, not_found_message, question_words
from api.committees import absent_committee_message, unindexed_committees
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
from api.results import result_of
from api.retrieval import Hit, Retriever
from api.schemas import AskResponse
from api.services import describe_corpus, describe_filters, meeting_dates
from indexer import DecisionRow, Embedder, Settings, Store

logger = logging.getLogger(__name__)
# A decision leads an answer only when it is this close in meaning to the question (and shares a topic word).
DECISION_MIN_SIMILARITY = 0.45
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

    The answerability model decides whether the papers answer, unless ``min_score`` (or the setting
    ``answer_min_score``) fixes an evidence-strength threshold instead (0 answers whenever there are hits).
    """
    filters = filters or {}
    searched = f"{describe_corpus(store)}{describe_filters(filters)}"
    passages = [result_of(store, h) for h in hits]
    evidence = assess(question, hits, store.word_rarity(list(question_words(question)))) if hits else None
    model = load_model()
    confidence = model.probability(evidence) if evidence else 0.0
    override = min_score if min_score is not None else settings.api.answer_min_score or None
    if override is None:  # the answerability model decides (api/answerability.json)
        strong = confidence >= model.threshold
    else:  # a fixed evidence-strength threshold instead, for comparison (0 answers whenever there are hits)
        typed_gap = bool(evidence and evidence.values["type_missing"])
        strong = bool(hits) and evidence_strength(hits) >= override and not typed_gap
    not_found = AskResponse(
        question=question,
        answered=False,
        passages=passages,
        citations=[],
        searched=searched,
        confidence=round(confidence, 4),
        answer=not_found_message(
            evidence, searched, meeting_dates(store), [k.name for k in missing_answer_types(question, hits)]
        ),
    )
    committees = {c for d in store.documents() if (c := d.get("committee"))}
    absent = unindexed_committees(question, committees, [h.row["text"] for h in hits[:PASSAGES]])
    if absent:  # what a body did is not in papers that are none of its own and never name it
        not_found.confidence = 0.0
        not_found.answer = absent_committee_message(absent[0], searched, committees)
        return not_found
    asks_decision = lead_with_decisions and asks_for_decision(question) and not settings.llm.base_url
    lead = leading_decisions(store, embedder, question, filters) if asks_decision else []
    if not strong and not lead:
        if asks_decision:
            not_found.answer = f"No resolution on this is recorded in the indexed minutes. {not_found.answer}"
        return not_found
    answer, citations, mode = _compose(store, settings, question, hits, lead, strong)
    if not citations:  # nothing to cite (or the language model found no answer) in passages judged strong
        not_found.answer = f"No passage in {searched} answers this."
        return not_found
    if asks_decision and not lead:  # the passages discuss it, but no minutes record a resolution on it
        answer = f"No resolution on this is recorded in the indexed minutes. The papers found say: {answer}"
    return AskResponse(
        question=question,
        answered=True,
        confidence=round(confidence, 4),
        answer=answer,
        citations=citations,  # type: ignore[arg-type]  # validated into Citation models
        passages=passages,
        searched=searched,
        mode=mode,
    )


def _compose(
    store: Store,
    settings: Settings,
    question: str,
    hits: list[Hit],
    lead: list[RankedRecord[DecisionRow]],
    strong: bool,
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
        answer, citations = decision_answer(store, question, lead, hits if strong else [])
        return answer, citations, "extractive"
    answer, citations = extractive_answer(store, question, hits)
    return answer, [with_pack_pages(c, hits) for c in citations], "extractive"


def leading_decisions(
    store: Store, embedder: Embedder, question: str, filters: dict[str, Any]
) -> list[RankedRecord[DecisionRow]]:
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
    store: Store, question: str, lead: list[RankedRecord[DecisionRow]], hits: list[Hit]
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
        passage = quote.hit.row
        start, end = passage["char_start"] + quote.char_start, passage["char_start"] + quote.char_end
        if any(doc == passage["document_id"] and start < e and s < end for doc, s, e in spans):
            continue
        supporting.append(quote)
        if len(supporting) >= MAX_SUPPORTING_SENTENCES:
            break
    for marker, quote in enumerate(supporting, start=len(lead) + 1):
        quote.marker = marker
        parts.append(f"{' '.join(quote.text.split())} [{marker}]")
        citations.append(with_pack_pages(citation_for(store, quote), hits))
    return " ".join(parts), citations


def decision_citation(row: DecisionRow, marker: int) -> dict[str, Any]:
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
