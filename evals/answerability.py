"""Learn the answerability model on dev: each dev question's features, a seeded L2 logistic regression,
and the operating point that keeps false "not found" within budget (out-of-fold, so not in-sample).

``python -m evals train-answerability`` runs it and writes api/answerability.json. Test questions are
never read here.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from api.answerability import AnswerabilityModel
from api.ask import answer_from_hits, assess_question
from api.retrieval import Retriever
from evals.gold import Question
from evals.run import ANSWER_K
from evals.split import DEV
from indexer import Embedder, Settings, Store

SEED = 20240612  # orders questions within a class before they are dealt into folds
FOLDS = 5
L2_CHOICES = (0.1, 0.3, 1.0, 3.0, 10.0)  # chosen by out-of-fold log loss on dev
MAX_FALSE_NOT_FOUND = 0.05
NEWTON_STEPS = 50


@dataclass(frozen=True)
class Example:
    question_id: str
    answerable: bool
    features: dict[str, float]
    refused_anyway: bool  # not answered even with no threshold (no quotable sentence, no resolution)


def collect(
    store: Store,
    embedder: Embedder,
    settings: Settings,
    questions: Sequence[Question],
    on_question: Callable[[], None] | None = None,
) -> list[Example]:
    """The features of every dev question's passages, as /ask computes them."""
    if any(q.split != DEV for q in questions):
        raise ValueError("the answerability model is trained on dev questions only")
    retriever = Retriever(store, embedder)
    settings = settings.updated(llm={"base_url": ""})
    examples = []
    for question in questions:
        hits = retriever.search(question.question, k=ANSWER_K)
        evidence, _ = assess_question(store, embedder, question.question, hits, {})
        reply = answer_from_hits(store, embedder, settings, question.question, hits, min_score=0.0)
        examples.append(Example(question.id, question.answerable, evidence.features, not reply.answered))
        if on_question:
            on_question()
    return examples


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Weights (bias first) of an L2-penalised logistic regression, by Newton's method (deterministic)."""
    design = np.hstack([np.ones((len(x), 1)), x])
    weights = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * l2
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(NEWTON_STEPS):
        p = _sigmoid(design @ weights)
        gradient = design.T @ (p - y) + penalty @ weights
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if float(np.max(np.abs(step))) < 1e-9:
            break
    return weights


def folds_of(examples: Sequence[Example], folds: int = FOLDS, seed: int = SEED) -> list[int]:
    """A fold per example, stratified by answerability; fixed by the seed and the ids."""
    rng = np.random.default_rng(seed)
    fold = [0] * len(examples)
    for answerable in (True, False):
        members = sorted(
            (i for i, e in enumerate(examples) if e.answerable == answerable),
            key=lambda i: hashlib.sha256(examples[i].question_id.encode()).hexdigest(),
        )
        for position, index in enumerate(rng.permutation(len(members))):
            fold[members[index]] = position % folds
    return fold


def _matrix(examples: Sequence[Example], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[e.features[n] for n in names] for e in examples], dtype=float)
    y = np.array([1.0 if e.answerable else 0.0 for e in examples])
    return x, y


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales < 1e-9] = 1.0
    return means, scales


def out_of_fold(x: np.ndarray, y: np.ndarray, fold: Sequence[int], l2: float) -> np.ndarray:
    """Each example's probability from a model fitted on the other folds."""
    fold_array = np.asarray(fold)
    probabilities = np.zeros(len(y))
    for k in sorted(set(fold)):
        train, held = fold_array != k, fold_array == k
        means, scales = _standardise(x[train])
        weights = fit_logistic((x[train] - means) / scales, y[train], l2)
        probabilities[held] = _sigmoid(weights[0] + ((x[held] - means) / scales) @ weights[1:])
    return probabilities


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def operating_point(
    probabilities: Sequence[float],
    examples: Sequence[Example],
    max_false_not_found: float = MAX_FALSE_NOT_FOUND,
) -> float:
    """The highest threshold whose false "not found" rate on dev stays within budget.

    Answerable questions refused whatever the threshold (``refused_anyway``) count against the budget.
    """
    answerable = [(p, e) for p, e in zip(probabilities, examples, strict=True) if e.answerable]
    if not answerable:
        return 0.0
    budget = math.floor(max_false_not_found * len(answerable) + 1e-9)
    best = 0.0
    for candidate in sorted({0.0, *(round(float(p), 4) for p, _ in answerable)}):
        refused = sum(e.refused_anyway or p < candidate for p, e in answerable)
        if refused <= budget:
            best = candidate
    return best


def rates(probabilities: Sequence[float], examples: Sequence[Example], threshold: float) -> dict[str, Any]:
    """No-answer precision and recall and the false not-found rate at a threshold."""
    refused = [e.refused_anyway or p < threshold for p, e in zip(probabilities, examples, strict=True)]
    unanswerable = [r for r, e in zip(refused, examples, strict=True) if not e.answerable]
    answerable = [r for r, e in zip(refused, examples, strict=True) if e.answerable]
    refusals = [e for r, e in zip(refused, examples, strict=True) if r]
    return {
        "no_answer_recall": float(sum(unanswerable) / len(unanswerable)) if unanswerable else None,
        "false_not_found_rate": float(sum(answerable) / len(answerable)) if answerable else None,
        "no_answer_precision": float(sum(not e.answerable for e in refusals) / len(refusals))
        if refusals
        else None,
    }


def train(
    examples: Sequence[Example], max_false_not_found: float = MAX_FALSE_NOT_FOUND
) -> tuple[AnswerabilityModel, dict[str, float]]:
    """Choose the penalty and the operating point out of fold on dev, then fit on all of dev.

    Returns the model and each dev question's out-of-fold probability (for the training report).
    """
    names = sorted(examples[0].features)
    x, y = _matrix(examples, names)
    fold = folds_of(examples)
    losses = {l2: log_loss(y, out_of_fold(x, y, fold, l2)) for l2 in L2_CHOICES}
    l2 = min(L2_CHOICES, key=lambda value: (losses[value], -value))
    held_out = out_of_fold(x, y, fold, l2)
    threshold = operating_point(list(held_out), examples, max_false_not_found)
    means, scales = _standardise(x)
    weights = fit_logistic((x - means) / scales, y, l2)
    return AnswerabilityModel(
        tuple(names),
        tuple(float(v) for v in means),
        tuple(float(v) for v in scales),
        tuple(float(v) for v in weights[1:]),
        float(weights[0]),
        threshold,
        {
            "trained_on": "dev",
            "command": "python -m evals train-answerability",
            "questions": len(examples),
            "answerable": int(y.sum()),
            "unanswerable": int(len(y) - y.sum()),
            "seed": SEED,
            "folds": FOLDS,
            "l2": l2,
            "out_of_fold_log_loss": {str(k): round(v, 4) for k, v in losses.items()},
            "max_false_not_found": max_false_not_found,
            "out_of_fold_at_threshold": {
                k: None if v is None else round(v, 4)
                for k, v in rates(list(held_out), examples, threshold).items()
            },
        },
    ), {e.question_id: round(float(p), 4) for e, p in zip(examples, held_out, strict=True)}
