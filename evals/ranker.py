"""Fit the learned ranker on the dev questions, pairwise: of two candidates of one question, which lies on a
gold page.

``python -m evals ranker`` writes ``api/ranker.json``; ``Retriever.search`` reads it. Only the dev split's
answerable questions are used; test is never read here.

The model is a logistic regression on feature differences between a gold and a non-gold candidate of the
same question (a linear RankNet). That objective is the ranking's: over the same seven features, a pointwise
model (is this passage on a gold page?) ranked no better than the hand-set boosts (cross-validated dev
MRR@10 0.735 against 0.735), the pairwise one 0.749; with the best-unit feature and without the standing-item
flag, 0.771. ``cross_validate`` gives those numbers: five folds of the dev questions, three seeds, each fold
ranked by a model fitted on the other four, the candidates compared before near-duplicate folding.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from api.coverage import question_words
from api.ranker import FEATURES, MODEL_FILE, Candidate, Ranker, features
from api.retrieval import BOILERPLATE_FACTOR, CANDIDATES, DATE_BOOST, Retriever
from evals.gold import Question
from evals.judge import Judge
from evals.metrics import mean_scores, per_query
from indexer import Embedder, Store

REGULARISATION_C = 1.0
NEGATIVES_PER_GOLD = 30  # non-gold candidates paired with each gold one (sampled, seeded)
SEED = 0
FOLDS = 5
CV_SEEDS = (0, 1, 2)


@dataclass
class QuestionCandidates:
    """One dev question's fused candidates: their features, whether each is on a gold page, and their
    page ids (to rank pages as the evaluation does)."""

    question_id: str
    features: np.ndarray  # (candidates, FEATURES)
    gold: np.ndarray  # (candidates,) 1 on a gold page
    page_ids: list[list[str]]
    boosted: np.ndarray  # the hand-set boosts' score of each candidate, for comparison
    gold_pages: set[str]


def boosted_score(candidate: Candidate) -> float:
    """What the hand-set boosts give a candidate (``Retriever.search`` without a ranker)."""
    return (
        candidate.fused
        * (BOILERPLATE_FACTOR if candidate.boilerplate else 1.0)
        * (DATE_BOOST if candidate.date_match else 1.0)
    )


def training_rows(
    store: Store,
    embedder: Embedder,
    questions: Sequence[Question],
    page_qrels: Mapping[str, Mapping[str, int]],
) -> list[QuestionCandidates]:
    """Every answerable dev question's candidates, with their features and gold labels."""
    retriever = Retriever(store, embedder)
    judge = Judge(store)
    rows = []
    for question in questions:
        if question.split != "dev" or not question.answerable:
            continue
        gold = {page for page, rel in page_qrels.get(question.id, {}).items() if rel > 0}
        candidates = retriever.candidates(question.question, CANDIDATES)
        if not candidates:
            continue
        wanted = list(question_words(question.question))
        pages = [judge.page_ids(c.row) for c in candidates]
        rows.append(
            QuestionCandidates(
                question.id,
                np.asarray(features(candidates, wanted, store.word_rarity(wanted)), dtype=float),
                np.asarray([int(bool(gold & set(p))) for p in pages], dtype=int),
                pages,
                np.asarray([boosted_score(c) for c in candidates], dtype=float),
                gold,
            )
        )
    return rows


def fit(rows: Sequence[QuestionCandidates], seed: int = SEED) -> dict[str, Any]:
    """A seeded pairwise logistic regression over standardised features."""
    from sklearn.linear_model import LogisticRegression

    stacked = np.vstack([r.features for r in rows])
    means = stacked.mean(axis=0)
    scales = stacked.std(axis=0)
    scales[scales == 0] = 1.0
    rng = np.random.default_rng(seed)
    differences: list[np.ndarray] = []
    for row in rows:
        x = (row.features - means) / scales
        positives, negatives = np.flatnonzero(row.gold == 1), np.flatnonzero(row.gold == 0)
        for positive in positives:
            paired = negatives
            if len(negatives) > NEGATIVES_PER_GOLD:
                paired = rng.choice(negatives, NEGATIVES_PER_GOLD, replace=False)
            differences.extend(x[positive] - x[negative] for negative in paired)
    if not differences:
        raise ValueError("the dev split gives no gold and non-gold candidates to learn from")
    pairs = np.asarray(differences)
    # Each pair both ways round, so the classes balance and no intercept is needed.
    x_pairs = np.vstack([pairs, -pairs])
    y_pairs = np.r_[np.ones(len(pairs), dtype=int), np.zeros(len(pairs), dtype=int)]
    model = LogisticRegression(C=REGULARISATION_C, fit_intercept=False, random_state=seed, max_iter=3000)
    model.fit(x_pairs, y_pairs)
    return {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "means": [round(float(m), 6) for m in means],
        "scales": [round(float(s), 6) for s in scales],
    }


def ranked_pages(row: QuestionCandidates, scores: np.ndarray) -> list[str]:
    """The page ids of the candidates in score order (ties by position), each once."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return list(dict.fromkeys(page for i in order for page in row.page_ids[i]))


def fold_scores(
    rows: Sequence[QuestionCandidates], score: Callable[[QuestionCandidates], np.ndarray]
) -> dict[str, float]:
    """Page-level hit@5 and MRR@10 of the candidates ranked by ``score``."""
    qrels = {r.question_id: dict.fromkeys(r.gold_pages, 1) for r in rows}
    run = {r.question_id: ranked_pages(r, score(r)) for r in rows}
    means = mean_scores(per_query(qrels, run))
    return {"hit@5": means["hit@5"], "mrr@10": means["mrr@10"]}


def _scored_by(ranker: Ranker) -> Callable[[QuestionCandidates], np.ndarray]:
    return lambda row: ranker.scores(row.features)


def _boosted(row: QuestionCandidates) -> np.ndarray:
    return row.boosted


def cross_validate(rows: Sequence[QuestionCandidates]) -> dict[str, dict[str, float]]:
    """Out-of-sample dev numbers: each fold of questions ranked by a model fitted on the other folds, against
    the hand-set boosts on the same folds (means over folds and seeds; candidates ranked before folding)."""
    learned: list[dict[str, float]] = []
    boosts: list[dict[str, float]] = []
    for seed in CV_SEEDS:
        order = np.random.default_rng(seed).permutation(len(rows))
        for fold in range(FOLDS):
            held = set(order[fold::FOLDS].tolist())
            train = [r for i, r in enumerate(rows) if i not in held]
            test = [r for i, r in enumerate(rows) if i in held]
            fitted = fit(train)
            ranker = Ranker(fitted["weights"], fitted["means"], fitted["scales"])
            learned.append(fold_scores(test, _scored_by(ranker)))
            boosts.append(fold_scores(test, _boosted))
    return {
        "learned": {k: round(float(np.mean([s[k] for s in learned])), 4) for k in learned[0]},
        "boosts": {k: round(float(np.mean([s[k] for s in boosts])), 4) for k in boosts[0]},
    }


def train(
    store: Store,
    embedder: Embedder,
    questions: Sequence[Question],
    page_qrels: Mapping[str, Mapping[str, int]],
    model_file: Path = MODEL_FILE,
) -> dict[str, Any]:
    rows = training_rows(store, embedder, questions, page_qrels)
    if not rows or not any(r.gold.any() and not r.gold.all() for r in rows):
        raise ValueError("the dev split gives no gold and non-gold candidates to learn from")
    checked = cross_validate(rows)
    fitted = fit(rows)
    candidates = sum(len(r.gold) for r in rows)
    on_gold = int(sum(r.gold.sum() for r in rows))
    fitted["cross_validated_dev"] = checked
    fitted["note"] = (
        f"Fitted pairwise by `python -m evals ranker` on {len(rows)} answerable dev questions "
        f"({candidates} candidates, {on_gold} on a gold page). Test was not used."
    )
    model_file.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
    return fitted
