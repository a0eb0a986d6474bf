"""Run the questions through a system: ranked results, judged runs, metrics, answers and timings."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from api.answer import evidence_strength
from api.answerability import load_model
from api.ask import answer_from_hits, answer_question
from api.retrieval import Retriever
from evals.gold import Corpus, Question, locate_evidence, normalise
from evals.judge import (
    Judge,
    citation_correct,
    expand_alternates,
    holds_quote,
    passage_qrels,
    passage_ranking,
)
from evals.metrics import AnswerOutcome, mean_scores, per_query
from evals.systems import System
from indexer import ChunkRow, Embedder, Settings, Store

logger = logging.getLogger(__name__)

RESULTS_K = 10  # results judged per question: what /search shows by default
ANSWER_K = 5  # passages /ask answers from (AskRequest.k's default)
SNIPPET_CHARS = 120


def threshold_of(settings: Settings) -> float:
    """The not-found threshold /ask uses with these settings: the answerability model's operating point
    (a probability), or the fixed evidence-strength threshold the settings give instead."""
    return settings.api.answer_min_score or load_model().threshold


@dataclass
class SystemResult:
    """Everything one system did on one question set."""

    system: System
    threshold: float
    records: list[dict[str, Any]] = field(default_factory=list)  # one per question
    chunk_run: dict[str, list[str]] = field(default_factory=dict)
    page_run: dict[str, list[str]] = field(default_factory=dict)
    passage_run: dict[str, list[str]] = field(default_factory=dict)
    page_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    passage_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    outcomes: dict[str, AnswerOutcome] = field(default_factory=dict)
    search_seconds: list[float] = field(default_factory=list)
    ask_seconds: list[float] = field(default_factory=list)

    def page_means(self, query_ids: list[str] | None = None) -> dict[str, float]:
        return mean_scores(self.page_scores, query_ids)

    def passage_means(self, query_ids: list[str] | None = None) -> dict[str, float]:
        return mean_scores(self.passage_scores, query_ids)


def gold_summary(questions: list[Question], corpus: Corpus) -> dict[str, list[dict[str, Any]]]:
    """For each question, its evidence with the page-level id it is judged by (for reports)."""
    summary: dict[str, list[dict[str, Any]]] = {}
    for question in questions:
        items = []
        for evidence in question.evidence:
            location = locate_evidence(corpus, evidence)
            items.append(
                {
                    "source": evidence.source,
                    "page_number": evidence.page_number,
                    "line": evidence.line,
                    "page_id": location.page_id if location else None,
                    "quote": normalise(evidence.quote),
                }
            )
        summary[question.id] = items
    return summary


def evaluate_system(
    system: System,
    store: Store,
    embedder: Embedder,
    questions: list[Question],
    page_qrels: Mapping[str, Mapping[str, int]],
    settings: Settings,
    gold: dict[str, list[dict[str, Any]]] | None = None,
    use_api: bool = True,
    threshold: float | None = None,
    on_question: Callable[[], None] | None = None,
) -> SystemResult:
    """Search, judge and answer every question with one system.

    The full system's answers come from POST /ask itself (``use_api``); the others apply the same answer
    steps to their own hits, so their citation and no-answer numbers say what /ask would do with them.
    ``threshold`` replaces the answerability model by a fixed evidence-strength threshold (0 answers
    everything); by default the model decides, as in /ask.
    """
    api_changes: dict[str, Any] = {}
    if threshold is not None and threshold > 0:
        api_changes["answer_min_score"] = threshold
    # extractive answers only: offline and repeatable
    settings = settings.updated(llm={"base_url": ""}, api=api_changes)
    use_api = use_api and threshold != 0  # /ask cannot be told to answer everything
    result = SystemResult(system, threshold if threshold is not None else threshold_of(settings))
    retriever = Retriever(store, embedder)
    judge = Judge(store)
    serves_api = system.serves_api and use_api
    retriever.search("warm up", k=RESULTS_K, **system.search_options())  # first call pays one-off costs
    for question in questions:
        started = time.perf_counter()
        hits = retriever.search(question.question, k=RESULTS_K, **system.search_options())
        result.search_seconds.append(time.perf_counter() - started)
        rows = expand_alternates(hits)
        result.chunk_run[question.id] = list(dict.fromkeys(row["chunk_id"] for row in rows))
        result.page_run[question.id] = judge.page_ranking(rows)
        result.passage_run[question.id] = passage_ranking(rows, question)

        started = time.perf_counter()
        if serves_api:  # what POST /ask answers
            response = answer_question(store, embedder, settings, question.question, k=ANSWER_K)
        else:  # what /ask would answer from this system's passages
            response = answer_from_hits(
                store,
                embedder,
                settings,
                question.question,
                hits[:ANSWER_K],
                lead_with_decisions=False,
                min_score=threshold,  # None: the model decides
            )
        reply = response.model_dump()
        result.ask_seconds.append(time.perf_counter() - started)
        gold_pages = {doc_id for doc_id, rel in page_qrels.get(question.id, {}).items() if rel > 0}
        cited_rows = store.chunks([c["chunk_id"] for c in reply["citations"]])
        citations = [
            {
                "source": c.get("source"),
                "document_id": c["document_id"],
                "page_start": c.get("page_start"),
                "page_end": c.get("page_end"),
                "chunk_id": c["chunk_id"],
                "quote": c.get("quote", ""),
                "correct": _judge_citation(c, cited_rows.get(c["chunk_id"]), judge, gold_pages, question),
            }
            for c in reply["citations"]
        ]
        correct = any(c["correct"] for c in citations) if reply["answered"] else None
        result.outcomes[question.id] = AnswerOutcome(question.answerable, bool(reply["answered"]), correct)
        result.records.append(
            {
                "query_id": question.id,
                "system": system.name,
                "corpus": question.corpus,
                "split": question.split,
                "kind": question.kind,
                "answerable": question.answerable,
                "question": question.question,
                "gold": (gold or {}).get(question.id, []),
                "results": [
                    _result_record(rank, row, judge, gold_pages, question)
                    for rank, row in enumerate(rows[:RESULTS_K], 1)
                ],
                "page_ranking": result.page_run[question.id],
                "first_gold_page_rank": next(
                    (rank for rank, pid in enumerate(result.page_run[question.id], 1) if pid in gold_pages),
                    None,
                ),
                "evidence_strength": round(evidence_strength(hits[:ANSWER_K]), 4),
                "confidence": reply.get("confidence"),
                "search_ms": round(result.search_seconds[-1] * 1000, 1),
                "ask_ms": round(result.ask_seconds[-1] * 1000, 1),
                "answered": bool(reply["answered"]),
                "citations": citations,  # the answer is its citations' quotes
                "citation_correct": correct,
            }
        )
        if on_question:
            on_question()

    result.page_scores = per_query({q.id: dict(page_qrels.get(q.id, {})) for q in questions}, result.page_run)
    result.passage_scores = per_query({q.id: passage_qrels(q) for q in questions}, result.passage_run)
    for record in result.records:
        record["page_metrics"] = result.page_scores.get(record["query_id"])
        record["passage_metrics"] = result.passage_scores.get(record["query_id"])
    return result


def _judge_citation(
    citation: dict[str, Any],
    row: ChunkRow | None,
    judge: Judge,
    gold_pages: set[str],
    question: Question,
) -> bool:
    if row is None:  # the cited chunk is not in the index: judge by the pages it names
        return citation_correct(citation, gold_pages, question, None, citation.get("page_start") is not None)
    paged = judge.is_paged(row, citation.get("quote", ""))
    return citation_correct(citation, gold_pages, question, row["text"], paged)


def _result_record(
    rank: int, row: ChunkRow, judge: Judge, gold_pages: set[str], question: Question
) -> dict[str, Any]:
    page_ids = judge.page_ids(row)
    return {
        "rank": rank,
        "chunk_id": row["chunk_id"],
        "source": row.get("source"),
        "page_ids": page_ids,
        "page_start": row.get("page_start"),
        "page_end": row.get("page_end"),
        "line_start": row.get("line_start"),
        "section": row.get("section"),
        "gold_page": any(pid in gold_pages for pid in page_ids),
        "holds_quote": any(holds_quote(row["text"], e.quote) for e in question.evidence),
        "snippet": normalise(row["text"])[:SNIPPET_CHARS],
    }
