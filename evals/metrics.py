"""Metrics: ranking measures from ir-measures, plus answer-level shares and latency percentiles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ir_measures
import numpy as np
from ir_measures import RR, R, Success, nDCG

# Our names for the ir-measures measures: hit@k is Success@k, mrr@10 is RR@10 (reciprocal rank cut at 10).
MEASURES = {
    "hit@1": Success @ 1,
    "hit@5": Success @ 5,
    "hit@10": Success @ 10,
    "recall@1": R @ 1,
    "recall@5": R @ 5,
    "recall@10": R @ 10,
    "mrr@10": RR @ 10,
    "ndcg@10": nDCG @ 10,
}
_NAME_OF = {str(measure): name for name, measure in MEASURES.items()}

Run = Mapping[str, Sequence[str]]  # query id -> ids in rank order
Qrels = Mapping[str, Mapping[str, int]]


def scored_run(run: Run) -> dict[str, dict[str, float]]:
    """Rank lists as the scored dicts ir-measures takes; scores fall with rank so ties cannot reorder them."""
    return {
        qid: {doc_id: float(len(ids) - rank) for rank, doc_id in enumerate(ids)} for qid, ids in run.items()
    }


def per_query(qrels: Qrels, run: Run) -> dict[str, dict[str, float]]:
    """Every measure for every judged query; a query the run has nothing for scores 0."""
    judged = {qid: dict(docs) for qid, docs in qrels.items() if any(rel > 0 for rel in docs.values())}
    scores: dict[str, dict[str, float]] = {qid: dict.fromkeys(MEASURES, 0.0) for qid in judged}
    run_scores = {qid: docs for qid, docs in scored_run(run).items() if qid in judged and docs}
    for metric in ir_measures.iter_calc(list(MEASURES.values()), judged, run_scores):
        scores[metric.query_id][_NAME_OF[str(metric.measure)]] = float(metric.value)
    return scores


def mean_scores(
    scores: Mapping[str, Mapping[str, float]], query_ids: Iterable[str] | None = None
) -> dict[str, float]:
    """The mean of each measure over the given queries (default: all), with the query count as ``n``."""
    ids = [qid for qid in (query_ids if query_ids is not None else scores) if qid in scores]
    means: dict[str, float] = {
        name: float(np.mean([scores[q][name] for q in ids])) if ids else 0.0 for name in MEASURES
    }
    means["n"] = len(ids)
    return means


@dataclass(frozen=True)
class AnswerOutcome:
    """What /ask did with one question."""

    answerable: bool
    answered: bool
    citation_correct: bool | None = None  # None when it did not answer


def answer_metrics(outcomes: Sequence[AnswerOutcome]) -> dict[str, float | int | None]:
    """Citation accuracy and no-answer quality.

    citation_accuracy: share of answered answerable questions with a citation on a gold page (or passage).
    no_answer_precision / no_answer_recall: of "not found" replies, the share that were to unanswerable
    questions; of unanswerable questions, the share that got "not found". false_not_found_rate: share of
    answerable questions that got "not found". A share with an empty denominator is None.
    """
    answered_answerable = [o for o in outcomes if o.answerable and o.answered]
    not_found = [o for o in outcomes if not o.answered]
    unanswerable = [o for o in outcomes if not o.answerable]
    answerable = [o for o in outcomes if o.answerable]
    return {
        "citation_accuracy": _share(
            sum(bool(o.citation_correct) for o in answered_answerable), len(answered_answerable)
        ),
        "cited_answers": len(answered_answerable),
        "no_answer_precision": _share(sum(not o.answerable for o in not_found), len(not_found)),
        "no_answer_recall": _share(sum(not o.answered for o in unanswerable), len(unanswerable)),
        "false_not_found_rate": _share(sum(not o.answered for o in answerable), len(answerable)),
        "not_found": len(not_found),
    }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def latency_ms(seconds: Sequence[float]) -> dict[str, float | None]:
    """p50 and p95 of call times, in milliseconds."""
    if not seconds:
        return {"p50_ms": None, "p95_ms": None}
    values = np.asarray(seconds, dtype=float) * 1000.0
    return {"p50_ms": float(np.percentile(values, 50)), "p95_ms": float(np.percentile(values, 95))}


def format_trec_run(run: Run, tag: str) -> str:
    """A TREC run file: ``qid Q0 docid rank score tag``."""
    lines = []
    for qid, ids in run.items():
        for rank, doc_id in enumerate(ids, start=1):
            lines.append(f"{qid} Q0 {doc_id} {rank} {len(ids) - rank + 1} {tag}\n")
    return "".join(lines)
