"""The answerability model: its shipped file, its arithmetic, and how it is trained (seeded, on dev)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from api.answerability import MODEL_FILE, AnswerabilityModel, load_model
from evals.answerability import Example, fit_logistic, folds_of, operating_point, rates, train


def test_the_shipped_model_is_trained_on_dev_and_reads_back():
    data = json.loads(MODEL_FILE.read_text())
    model = load_model()
    assert model.meta["trained_on"] == "dev"
    assert model.meta["command"] == "python -m evals train-answerability"
    assert 0.0 < model.threshold < 1.0
    assert AnswerabilityModel.from_json(model.to_json()) == AnswerabilityModel.from_json(data)
    assert MODEL_FILE.stat().st_size < 8_000  # small: weights and scales, no training data


def test_probability_is_the_standardised_logistic():
    model = AnswerabilityModel(("a", "b"), (1.0, 0.0), (2.0, 1.0), (1.5, -0.5), 0.25, 0.5, {})
    z = 0.25 + 1.5 * (3.0 - 1.0) / 2.0 - 0.5 * 1.0
    assert model.probability({"a": 3.0, "b": 1.0}) == pytest.approx(1 / (1 + math.exp(-z)))
    with pytest.raises(ValueError, match="missing: b"):
        model.probability({"a": 1.0})


def test_logistic_fit_separates_and_is_deterministic():
    rng = np.random.default_rng(3)
    x = np.vstack([rng.normal(-1, 0.5, (40, 2)), rng.normal(1, 0.5, (40, 2))])
    y = np.array([0.0] * 40 + [1.0] * 40)
    weights = fit_logistic(x, y, 1.0)
    assert np.array_equal(weights, fit_logistic(x, y, 1.0))
    predicted = 1 / (1 + np.exp(-(weights[0] + x @ weights[1:]))) > 0.5
    assert (predicted == y.astype(bool)).mean() > 0.95
    assert np.abs(fit_logistic(x, y, 100.0)[1:]).sum() < np.abs(weights[1:]).sum()  # the penalty shrinks


def _examples(n_answerable: int, n_unanswerable: int) -> list[Example]:
    rows = [Example(f"a{i}", True, {"x": 1.0 + i / n_answerable}, False) for i in range(n_answerable)]
    rows += [Example(f"u{i}", False, {"x": -1.0 - i / n_unanswerable}, False) for i in range(n_unanswerable)]
    return rows


def test_folds_are_stratified_fixed_and_cover_every_example():
    examples = _examples(40, 10)
    folds = folds_of(examples)
    assert folds == folds_of(list(examples))
    assert sorted(set(folds)) == [0, 1, 2, 3, 4]
    for k in range(5):
        assert sum(1 for f, e in zip(folds, examples, strict=True) if f == k and not e.answerable) == 2


def test_operating_point_keeps_false_not_found_within_budget():
    examples = _examples(40, 10)
    probabilities = [0.5 + i / 100 for i in range(40)] + [0.1] * 10
    threshold = operating_point(probabilities, examples, 0.05)
    assert threshold == pytest.approx(0.52)  # two of forty answerable turned away, no more
    assert rates(probabilities, examples, threshold)["false_not_found_rate"] == pytest.approx(0.05)
    assert rates(probabilities, examples, threshold)["no_answer_recall"] == 1.0
    refused = [Example(e.question_id, e.answerable, e.features, e.question_id == "a39") for e in examples]
    assert operating_point(probabilities, refused, 0.05) == pytest.approx(0.51)  # one refused anyway


def test_training_learns_the_direction_and_an_operating_point():
    model, held_out = train(_examples(40, 10))
    assert model.features == ("x",) and model.weights[0] > 0
    assert set(held_out) == {f"a{i}" for i in range(40)} | {f"u{i}" for i in range(10)}
    assert model.probability({"x": 1.5}) > model.threshold > model.probability({"x": -1.5})
    assert model.meta["out_of_fold_at_threshold"]["false_not_found_rate"] <= 0.05
