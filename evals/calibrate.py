"""Calibrate the not-found threshold on the dev split and measure it on the test split (or, for a question set
with no test split, on one half of the questions and the other half)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from evals.gold import Question
from evals.metrics import AnswerOutcome, answer_metrics
from evals.run import SystemResult

STEP = 0.005
# Share of answerable questions we accept turning away with "not found" (on the calibration half).
MAX_FALSE_NOT_FOUND = 0.05


def split_questions(questions: Sequence[Question]) -> tuple[list[Question], list[Question]]:
    """(calibration, test): the dev and test splits when both have questions, else halves fixed by a hash of
    each id.

    In halves, answerable and unanswerable questions are split separately (sorted by the hash of their id, then
    dealt alternately), so both halves get their share of the few unanswerable ones.
    """
    calibration = [q for q in questions if q.split == "dev"]
    test = [q for q in questions if q.split == "test"]
    if calibration and test:
        return calibration, test
    calibration, test = [], []
    for answerable in (True, False):
        group = sorted(
            (q for q in questions if q.answerable == answerable),
            key=lambda q: hashlib.sha256(q.id.encode()).hexdigest(),
        )
        for index, question in enumerate(group):
            (calibration if index % 2 == 0 else test).append(question)
    return calibration, test


@dataclass(frozen=True)
class Scored:
    """One question as the sweep sees it: its evidence strength, and whether its answer would cite gold."""

    answerable: bool
    strength: float
    has_citations: bool
    citation_correct: bool


def scored_questions(result: SystemResult, questions: Sequence[Question]) -> list[Scored]:
    """From a run with the threshold at 0 (everything answered), what each threshold would do."""
    records = {r["query_id"]: r for r in result.records}
    return [
        Scored(
            q.answerable,
            records[q.id]["evidence_strength"],
            bool(records[q.id]["citations"]),
            bool(records[q.id]["citation_correct"]),
        )
        for q in questions
    ]


def outcomes_at(scored: Sequence[Scored], threshold: float) -> list[AnswerOutcome]:
    outcomes = []
    for s in scored:
        answered = s.has_citations and s.strength >= threshold
        outcomes.append(AnswerOutcome(s.answerable, answered, s.citation_correct if answered else None))
    return outcomes


def metrics_at(scored: Sequence[Scored], threshold: float) -> dict[str, Any]:
    """Answer metrics at a threshold, plus balanced accuracy: the mean of no-answer recall and answer rate."""
    metrics = answer_metrics(outcomes_at(scored, threshold))
    recall = metrics["no_answer_recall"]
    false_rate = metrics["false_not_found_rate"]
    metrics["balanced_accuracy"] = (
        ((recall or 0.0) + 1.0 - (false_rate or 0.0)) / 2
        if recall is not None and false_rate is not None
        else None
    )
    metrics["threshold"] = round(threshold, 4)
    return metrics


def sweep(
    scored: Sequence[Scored], low: float = 0.0, high: float = 1.0, step: float = STEP
) -> list[dict[str, Any]]:
    return [metrics_at(scored, float(t)) for t in np.round(np.arange(low, high + step / 2, step), 4)]


def choose_threshold(
    rows: Sequence[dict[str, Any]], max_false_not_found: float = MAX_FALSE_NOT_FOUND
) -> float:
    """The highest threshold whose false not-found rate stays within the budget.

    No-answer recall only grows with the threshold, so this is the threshold that refuses the most
    unanswerable questions while turning away at most ``max_false_not_found`` of the answerable ones.
    """
    within = [
        r["threshold"] for r in rows if (r["false_not_found_rate"] or 0.0) <= max_false_not_found + 1e-12
    ]
    return round(max(within), 3) if within else 0.0


def best_balanced(rows: Sequence[dict[str, Any]]) -> float:
    """For reference: the threshold with the best balanced accuracy (the middle of the best run of them)."""
    best = max(r["balanced_accuracy"] or 0.0 for r in rows)
    runs: list[list[float]] = []
    previous_best = False
    for row in rows:
        is_best = (row["balanced_accuracy"] or 0.0) >= best - 1e-12
        if is_best and previous_best:
            runs[-1].append(row["threshold"])
        elif is_best:
            runs.append([row["threshold"]])
        previous_best = is_best
    return round(float(np.median(max(runs, key=len))), 3)


def calibrate(
    result: SystemResult,
    questions: Sequence[Question],
    current: float,
    max_false_not_found: float = MAX_FALSE_NOT_FOUND,
) -> dict[str, Any]:
    """Sweep on the calibration half, choose, and report the choice (and the current value) on the test half."""
    calibration, test = split_questions(questions)
    calibration_scored = scored_questions(result, calibration)
    test_scored = scored_questions(result, test)
    rows = sweep(calibration_scored)
    chosen = choose_threshold(rows, max_false_not_found)
    balanced = best_balanced(rows)
    return {
        "system": result.system.name,
        "objective": (
            f"the highest threshold whose false not-found rate on the calibration half is at most "
            f"{max_false_not_found:.0%} (this maximises no-answer recall within that budget)"
        ),
        "max_false_not_found": max_false_not_found,
        "calibration_questions": [q.id for q in calibration],
        "test_questions": [q.id for q in test],
        "calibration_size": {
            "answerable": sum(q.answerable for q in calibration),
            "unanswerable": sum(not q.answerable for q in calibration),
        },
        "test_size": {
            "answerable": sum(q.answerable for q in test),
            "unanswerable": sum(not q.answerable for q in test),
        },
        "chosen_threshold": chosen,
        "calibration_at_chosen": metrics_at(calibration_scored, chosen),
        "test_at_chosen": metrics_at(test_scored, chosen),
        "current_threshold": current,
        "test_at_current": metrics_at(test_scored, current),
        "best_balanced_threshold": balanced,
        "test_at_best_balanced": metrics_at(test_scored, balanced),
        "coarse_sweep": [
            {
                "threshold": float(t),
                "calibration": metrics_at(calibration_scored, float(t)),
                "test": metrics_at(test_scored, float(t)),
            }
            for t in np.round(np.arange(0.30, 0.801, 0.05), 2)
        ],
        "strengths": {
            "answerable": _quantiles([s.strength for s in calibration_scored + test_scored if s.answerable]),
            "unanswerable": _quantiles(
                [s.strength for s in calibration_scored + test_scored if not s.answerable]
            ),
        },
        "sweep": rows,
    }


def _quantiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    array = np.asarray(values)
    return {
        name: round(float(np.quantile(array, q)), 4)
        for name, q in (
            ("min", 0.0),
            ("p10", 0.1),
            ("p25", 0.25),
            ("median", 0.5),
            ("p75", 0.75),
            ("max", 1.0),
        )
    }


def calibration_markdown(report: dict[str, Any]) -> str:
    def line(label: str, m: dict[str, Any]) -> str:
        def f(v: Any) -> str:
            return "n/a" if v is None else f"{v:.3f}"

        return (
            f"| {label} | {m['threshold']} | {f(m['no_answer_precision'])} | {f(m['no_answer_recall'])} | "
            f"{f(m['false_not_found_rate'])} | {f(m['citation_accuracy'])} | {f(m['balanced_accuracy'])} |"
        )

    out = [
        "# Not-found threshold calibration",
        "",
        f"System `{report['system']}`; objective: {report['objective']}.",
        f"Calibration set: {report['calibration_size']} questions; test set: {report['test_size']} "
        "(the dev and test splits; halves by a hash of the id when there is no test split).",
        "",
        f"**Chosen threshold: {report['chosen_threshold']}**",
        "",
        "| set | threshold | NA precision | NA recall | false not-found | citation acc | balanced acc |",
        "|---|---|---|---|---|---|---|",
        line("calibration, chosen", report["calibration_at_chosen"]),
        line("test, chosen", report["test_at_chosen"]),
        line("test, current default", report["test_at_current"]),
        line("test, best balanced accuracy on calibration", report["test_at_best_balanced"]),
        "",
        "Coarse sweep (calibration / test):",
        "",
        "| threshold | NA recall | false not-found | citation acc |",
        "|---|---|---|---|",
        *(
            f"| {row['threshold']:.2f} | {_pair(row, 'no_answer_recall')} | {_pair(row, 'false_not_found_rate')} | "
            f"{_pair(row, 'citation_accuracy')} |"
            for row in report["coarse_sweep"]
        ),
        "",
        f"Evidence strength (all questions): answerable {report['strengths']['answerable']}, "
        f"unanswerable {report['strengths']['unanswerable']}.",
        "",
    ]
    return "\n".join(out)


def _pair(row: dict[str, Any], key: str) -> str:
    def f(v: Any) -> str:
        return "n/a" if v is None else f"{v:.2f}"

    return f"{f(row['calibration'][key])} / {f(row['test'][key])}"
