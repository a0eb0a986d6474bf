"""A learned ranking of the fused candidates: a logistic model over features of each passage.

It ranks what the API serves (``Retriever.search(learned=True)``, the default), in place of the hand-set
boosts (boilerplate factor, date boost), which rank only without ``ranker.json``. The features say how a
passage meets the question, never which question it is:

- ``fused``: the reciprocal-rank fusion score of the two legs (BM25 counted twice);
- ``dense``: the passage's cosine similarity to the question (0 when only BM25 found it);
- ``lexical``: its BM25 over the best BM25 among the candidates (0 when only dense search found it);
- ``text_coverage`` and ``section_coverage``: the rarity-weighted share of the question's content words its
  text and its heading path use, in any form;
- ``date_match``: its meeting falls in the period the question names;
- ``unit``: the cosine of its sentence window closest to the question (``indexer.units``; its whole
  vector's when it has no units, 0 when neither is known).

Standing items (apologies, webcast notices...) are not a feature: on dev, the ranker with that flag ranked
worse (cross-validated MRR@10 0.759 against 0.771), because questions about who attended are answered by
exactly those items. Fitted pairwise on the dev questions only, seeded, by ``python -m evals ranker``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from api.coverage import weighted_share
from indexer import ChunkRow

MODEL_FILE = Path(__file__).with_name("ranker.json")
FEATURES = (
    "fused",
    "dense",
    "lexical",
    "text_coverage",
    "section_coverage",
    "date_match",
    "unit",
)


@dataclass(frozen=True)
class Candidate:
    chunk_id: str
    row: ChunkRow
    fused: float
    dense: float
    lexical: float
    boilerplate: bool
    date_match: bool
    unit: float = 0.0  # cosine of its sentence window closest to the question (``indexer.units``)
    # every sentence window's cosine to the question and its span in the text, in the text's order
    units: tuple[tuple[float, tuple[int, int]], ...] = ()


@dataclass(frozen=True)
class Ranker:
    weights: list[float]
    means: list[float]
    scales: list[float]

    def score(self, vector: Sequence[float]) -> float:
        return sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, vector, self.means, self.scales, strict=True)
        )

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """``score`` of each row of a (candidates, features) matrix."""
        return np.asarray(
            ((matrix - np.asarray(self.means)) / np.asarray(self.scales)) @ np.asarray(self.weights)
        )


def features(
    candidates: Sequence[Candidate], wanted: Sequence[str], rarity: Mapping[str, float]
) -> list[list[float]]:
    """One feature vector per candidate, in FEATURES order."""
    best_lexical = max((c.lexical for c in candidates), default=0.0) or 1.0
    return [
        [
            c.fused,
            c.dense,
            c.lexical / best_lexical,
            weighted_share(wanted, c.row["text"], rarity),
            weighted_share(wanted, c.row.get("section") or "", rarity),
            1.0 if c.date_match else 0.0,
            c.unit,
        ]
        for c in candidates
    ]


@lru_cache(maxsize=4)
def load_ranker(path: Path = MODEL_FILE) -> Ranker | None:
    """The fitted ranker, or None when there is none (the hand-set boosts rank instead)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if list(data["features"]) != list(FEATURES):
        raise ValueError(f"{path}: features {data['features']} are not {list(FEATURES)}; retrain it")
    return Ranker(
        [float(w) for w in data["weights"]],
        [float(m) for m in data["means"]],
        [float(s) or 1.0 for s in data["scales"]],
    )
