"""Fit the learned ranker on the dev questions: which fused candidates lie on a gold page.

``python -m evals ranker`` writes ``api/ranker.json``; ``Retriever.search(learned=True)`` reads it. Only
the dev split's answerable questions are used; test is never read here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from api.coverage import question_words
from api.ranker import FEATURES, MODEL_FILE, features
from api.retrieval import CANDIDATES, Retriever
from evals.gold import Question
from evals.judge import Judge
from indexer import Embedder, Store, word_rarity

REGULARISATION_C = 1.0


def training_rows(
    store: Store,
    embedder: Embedder,
    questions: Sequence[Question],
    page_qrels: Mapping[str, Mapping[str, int]],
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature vectors of every candidate of every answerable dev question, whether it is on a gold page,
    and the question each row belongs to."""
    retriever = Retriever(store, embedder)
    judge = Judge(store)
    x: list[list[float]] = []
    y: list[int] = []
    groups: list[str] = []
    for question in questions:
        if question.split != "dev" or not question.answerable:
            continue
        gold = {page for page, rel in page_qrels.get(question.id, {}).items() if rel > 0}
        candidates = retriever.candidates(question.question, CANDIDATES)
        wanted = list(question_words(question.question))
        x.extend(features(candidates, wanted, word_rarity(store.db, wanted)))
        y.extend(int(bool(gold & set(judge.page_ids(c.row)))) for c in candidates)
        groups.extend(question.id for _ in candidates)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=int), groups


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """A seeded logistic regression over standardised features (pointwise: is this passage on gold?)."""
    from sklearn.linear_model import LogisticRegression

    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=REGULARISATION_C, class_weight="balanced", random_state=0, max_iter=2000)
    model.fit((x - means) / scales, y)
    return {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "means": [round(float(m), 6) for m in means],
        "scales": [round(float(s), 6) for s in scales],
    }


def train(
    store: Store,
    embedder: Embedder,
    questions: Sequence[Question],
    page_qrels: Mapping[str, Mapping[str, int]],
    model_file: Path = MODEL_FILE,
) -> dict[str, Any]:
    x, y, groups = training_rows(store, embedder, questions, page_qrels)
    if not len(y) or y.min() == y.max():
        raise ValueError("the dev split gives no gold and non-gold candidates to learn from")
    fitted = fit(x, y)
    fitted["note"] = (
        f"Fitted by `python -m evals ranker` on {len(set(groups))} answerable dev questions "
        f"({len(y)} candidates, {int(y.sum())} on a gold page). Test was not used."
    )
    model_file.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
    return fitted
