"""Fitting the answerability model: its operating point, its seeded fit and its calibration points."""

from __future__ import annotations

import pytest

from api.answerability import FEATURES, Evidence, Model
from evals.answerability import calibration_points, fit, operating_point, outcome_metrics


def _evidence(strength: float, year_missing: float = 0.0) -> Evidence:
    values = dict.fromkeys(FEATURES, 0.0) | {"strength": strength, "year_missing": year_missing}
    return Evidence(values, [], [], [])


def test_the_operating_point_turns_away_at_most_the_share_allowed():
    answerable_p = [0.30, 0.50, 0.55, 0.60, 0.70, 0.72, 0.80, 0.81, 0.85, 0.90] * 2  # 20 answerable
    probabilities = [*answerable_p, 0.10, 0.20, 0.40, 0.52]
    answerable = [True] * 20 + [False] * 4
    threshold = operating_point(probabilities, answerable, 0.05)  # 1 of 20 may be turned away
    assert threshold == 0.30  # halfway between the two answerable 0.30s: a tie refuses neither
    metrics = outcome_metrics(probabilities, answerable, threshold)
    assert metrics["false_not_found_rate"] == 0.0 and metrics["no_answer_recall"] == 0.5
    looser = operating_point(probabilities, answerable, 0.15)  # 3 of 20
    assert looser == pytest.approx((0.50 + 0.50) / 2)
    assert outcome_metrics(probabilities, answerable, looser)["false_not_found_rate"] <= 0.15
    strict = operating_point(probabilities, answerable, 0.0)
    assert (
        strict == 0.15 and outcome_metrics(probabilities, answerable, strict)["false_not_found_rate"] == 0.0
    )


def test_the_operating_point_needs_answerable_questions_and_a_share_below_one():
    with pytest.raises(ValueError, match="no answerable question"):
        operating_point([0.2, 0.4], [False, False], 0.05)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        operating_point([0.2, 0.4], [True, True], 1.0)


def test_the_fit_is_seeded_and_learns_which_way_each_feature_points():
    evidence = [_evidence(0.3 + 0.02 * i, year_missing=float(i % 5 == 0)) for i in range(30)]
    answerable = [e.values["strength"] > 0.6 and not e.values["year_missing"] for e in evidence]
    first, second = fit(evidence, answerable), fit(evidence, answerable)
    assert first == second
    weights = dict(zip(first["features"], first["weights"], strict=True))
    assert weights["strength"] > 0 and weights["year_missing"] < 0
    model = Model(first["weights"], first["bias"], first["means"], first["scales"], threshold=0.5)
    assert model.probability(_evidence(0.85)) > 0.5 > model.probability(_evidence(0.35))
    assert model.probability(_evidence(0.85, year_missing=1.0)) < model.probability(_evidence(0.85))


def test_calibration_points_bin_the_questions_by_predicted_probability():
    probabilities = [0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.4, 0.6, 0.5, 0.95]
    answerable = [p > 0.55 for p in probabilities]
    points = calibration_points(probabilities, answerable)
    assert [point["n"] for point in points] == [2, 2, 2, 2, 2]
    assert [point["observed"] for point in points] == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert [point["predicted"] for point in points] == sorted(point["predicted"] for point in points)
