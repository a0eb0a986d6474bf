"""Whether the passages found answer a question: a small logistic model over coverage and score features.

The model is a JSON file beside this module (``answerability.json``): feature names, the mean and scale
each feature is standardised with, the weights, and the operating point (the probability below which
/ask says "not found"). It is learned on the dev questions only, with one command
(``python -m evals train-answerability``); nothing here is tuned by hand.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from api.answer import evidence_strength, missing_answer_types
from api.answer_types import expected_answer_types
from api.coverage import Coverage, assess
from api.records import asks_for_decision
from api.retrieval import Hit
from indexer import Store

MODEL_FILE = Path(__file__).with_name("answerability.json")
FEATURE_PASSAGES = 5  # the passages /ask answers from by default


@dataclass(frozen=True)
class Evidence:
    """What the model and the not-found message see of one question."""

    features: dict[str, float]
    coverage: Coverage


def question_evidence(
    question: str, hits: list[Hit], store: Store, decision_similarity: float = 0.0
) -> Evidence:
    """The features of a question and its passages (the best ``FEATURE_PASSAGES``).

    ``decision_similarity`` is how close the best on-topic decision record is (0 when none or when the
    question does not ask what was decided).
    """
    top = hits[:FEATURE_PASSAGES]
    coverage = assess(question, top, store)
    dense = [h.dense for h in top]
    lexical = [h.lexical for h in top]
    expected = bool(expected_answer_types(question))
    features = {
        "dense_top": evidence_strength(top),
        "dense_margin": (max(dense) - min(dense)) if len(dense) > 1 else 0.0,
        "lexical_top": math.log1p(max(lexical, default=0.0)),
        "lexical_hits": sum(1 for v in lexical if v > 0) / FEATURE_PASSAGES,
        "key_term_coverage": coverage.covered_share,
        "best_sentence_coverage": coverage.best_sentence_share,
        "best_passage_coverage": coverage.best_passage_share,
        "rarest_missing_idf": max((t.idf for t in coverage.missing_terms), default=0.0),
        "other_council": float(bool(coverage.other_councils)),
        "date_unindexed": float(bool(coverage.dates_unindexed)),
        "missing_key_terms": float(len(coverage.missing_terms)),
        "unindexed_key_terms": float(len(coverage.unindexed_terms)),
        "name_coverage": coverage.names_share,
        "number_coverage": coverage.numbers_share,
        "period_unindexed": float(coverage.unmet_period is not None),
        "period_in_text": float(coverage.period_in_text),
        "committee_unindexed": float(bool(coverage.unmet_committees)),
        "answer_type_expected": float(expected),
        "answer_type_missing": float(expected and bool(missing_answer_types(question, top))),
        "decision_question": float(asks_for_decision(question)),
        "decision_similarity": decision_similarity,
    }
    return Evidence(features, coverage)


@dataclass(frozen=True)
class AnswerabilityModel:
    """Standardised logistic regression: p = sigmoid(bias + sum w_i (x_i - mean_i) / scale_i)."""

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float  # below this probability, "not found"
    meta: dict[str, Any]

    def probability(self, features: dict[str, float]) -> float:
        missing = [name for name in self.features if name not in features]
        if missing:
            raise ValueError(f"answerability features missing: {', '.join(missing)}")
        z = self.bias + sum(
            w * (features[name] - m) / s
            for name, m, s, w in zip(self.features, self.means, self.scales, self.weights, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "means": [round(v, 6) for v in self.means],
            "scales": [round(v, 6) for v in self.scales],
            "weights": [round(v, 6) for v in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerabilityModel:
        sizes = {len(data[key]) for key in ("features", "means", "scales", "weights")}
        if len(sizes) != 1:
            raise ValueError("answerability model: features, means, scales and weights differ in length")
        return cls(
            tuple(data["features"]),
            tuple(float(v) for v in data["means"]),
            tuple(float(v) or 1.0 for v in data["scales"]),
            tuple(float(v) for v in data["weights"]),
            float(data["bias"]),
            float(data["threshold"]),
            dict(data.get("meta", {})),
        )


@cache
def load_model(path: Path = MODEL_FILE) -> AnswerabilityModel:
    """The shipped model (read once)."""
    return AnswerabilityModel.from_json(json.loads(path.read_text(encoding="utf-8")))
