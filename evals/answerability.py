"""Fit the answerability model on the dev questions, choose its operating point there, and report test.

``python -m evals answerability`` writes ``api/answerability.json`` (the weights /ask uses) and a report with
the calibration curve. Only dev questions choose anything; test is measured after the choice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from api.answerability import FEATURES, MODEL_FILE, PASSAGES, Evidence, assess, question_words
from api.retrieval import Retriever
from evals.gold import Question
from indexer import Embedder, Store

MAX_FALSE_NOT_FOUND = 0.05  # share of dev's answerable questions the operating point may turn away
REGULARISATION_C = 1.0
CALIBRATION_BINS = 5


def evidence_of(store: Store, embedder: Embedder, questions: Sequence[Question]) -> list[Evidence]:
    """Each question's features, from the passages /ask answers from (its default search, top 5)."""
    retriever = Retriever(store, embedder)
    return [
        assess(
            q.question,
            retriever.search(q.question, k=PASSAGES),
            store.word_rarity(list(question_words(q.question))),
        )
        for q in questions
    ]


def fit(evidence: Sequence[Evidence], answerable: Sequence[bool]) -> dict[str, Any]:
    """A seeded logistic regression over standardised features."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray([e.vector() for e in evidence], dtype=float)
    y = np.asarray(answerable, dtype=int)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    # Unweighted, so that the probability is calibrated (the operating point, not the weighting, sets the
    # trade-off between refusals and answers).
    model = LogisticRegression(C=REGULARISATION_C, random_state=0, max_iter=1000)
    model.fit((x - means) / scales, y)
    return {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
        "means": [round(float(m), 6) for m in means],
        "scales": [round(float(s), 6) for s in scales],
    }


def operating_point(probabilities: Sequence[float], answerable: Sequence[bool], max_false: float) -> float:
    """The highest threshold that turns away at most ``max_false`` of the answerable questions: halfway
    between the last answerable probability it may refuse and the next, so ties do not decide it."""
    if not 0 <= max_false < 1:
        raise ValueError(f"the share of answerable questions to turn away must be in [0, 1), not {max_false}")
    kept = sorted(p for p, a in zip(probabilities, answerable, strict=True) if a)
    if not kept:
        raise ValueError("no answerable question to choose an operating point on")
    refusable = int(np.floor(max_false * len(kept) + 1e-9))
    if refusable == 0:
        return round(kept[0] / 2, 6)
    return round((kept[refusable - 1] + kept[refusable]) / 2, 6)


def outcome_metrics(probabilities: Sequence[float], answerable: Sequence[bool], threshold: float) -> dict:
    refused = [p < threshold for p in probabilities]
    true_refusals = sum(r and not a for r, a in zip(refused, answerable, strict=True))
    n_unanswerable = sum(not a for a in answerable)
    n_answerable = sum(answerable)
    return {
        "questions": len(answerable),
        "no_answer_precision": round(true_refusals / sum(refused), 3) if any(refused) else None,
        "no_answer_recall": round(true_refusals / n_unanswerable, 3) if n_unanswerable else None,
        "false_not_found_rate": round(
            sum(r and a for r, a in zip(refused, answerable, strict=True)) / n_answerable, 3
        )
        if n_answerable
        else None,
    }


def calibration_points(probabilities: Sequence[float], answerable: Sequence[bool]) -> list[dict[str, float]]:
    """Mean predicted probability against the share answerable, in equal-count bins."""
    order = np.argsort(np.asarray(probabilities), kind="stable")
    points = []
    for chunk in np.array_split(order, min(CALIBRATION_BINS, len(order))):
        if len(chunk):
            points.append(
                {
                    "predicted": round(float(np.mean([probabilities[i] for i in chunk])), 4),
                    "observed": round(float(np.mean([answerable[i] for i in chunk])), 4),
                    "n": len(chunk),
                }
            )
    return points


def write_calibration_chart(path: Path, curves: dict[str, list[dict[str, float]]]) -> None:
    """The reliability diagram of each split: predicted probability against the observed share."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5.5, 5))
    axis.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    for name, points in curves.items():
        axis.plot([p["predicted"] for p in points], [p["observed"] for p in points], marker="o", label=name)
    axis.set_xlabel("predicted probability that the papers answer")
    axis.set_ylabel("share of questions the papers answer")
    axis.set_xlim(0, 1)
    axis.set_ylim(0, 1)
    axis.grid(alpha=0.3)
    axis.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def train(
    store: Store, embedder: Embedder, questions: Sequence[Question], model_file: Path = MODEL_FILE
) -> dict[str, Any]:
    """Fit on dev, choose the operating point on dev, write the model, and measure both splits."""
    from api.answerability import Model

    dev = [q for q in questions if q.split == "dev"]
    if not dev or all(q.answerable for q in dev):
        raise ValueError("the dev split needs answerable and unanswerable questions")
    evidence = {q.id: e for q, e in zip(questions, evidence_of(store, embedder, questions), strict=True)}
    fitted = fit([evidence[q.id] for q in dev], [q.answerable for q in dev])
    unset = Model(fitted["weights"], fitted["bias"], fitted["means"], fitted["scales"], 0.0)
    probability = {qid: unset.probability(e) for qid, e in evidence.items()}
    dev_labels = [q.answerable for q in dev]
    fitted["threshold"] = operating_point([probability[q.id] for q in dev], dev_labels, MAX_FALSE_NOT_FOUND)
    fitted["note"] = (
        f"Fitted by `python -m evals answerability` on the {len(dev)} dev questions; the threshold turns away "
        f"at most {MAX_FALSE_NOT_FOUND:.0%} of dev's answerable questions. Test was not used."
    )
    model_file.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
    report: dict[str, Any] = {"model": fitted, "splits": {}, "calibration": {}}
    for split in ("dev", "test"):
        chosen = [q for q in questions if q.split == split]
        if not chosen:
            continue
        probabilities = [probability[q.id] for q in chosen]
        labels = [q.answerable for q in chosen]
        report["splits"][split] = outcome_metrics(probabilities, labels, fitted["threshold"])
        report["calibration"][split] = calibration_points(probabilities, labels)
    return report
