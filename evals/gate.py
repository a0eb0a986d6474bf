"""The regression gate: the full system's key numbers must not fall below the committed floors."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from evals.gold import SPLITS, Question
from evals.metrics import answer_metrics
from evals.run import SystemResult
from indexer import PROJECT_ROOT

FLOORS_FILE = PROJECT_ROOT / "evals" / "floors.json"
# Where each gated number comes from: (group, key) in the summary of the full system.
GATED = {
    "hit@5": ("page", "hit@5"),
    "mrr@10": ("page", "mrr@10"),
    "citation_accuracy": ("answers", "citation_accuracy"),
    "no_answer_recall": ("answers", "no_answer_recall"),
}


@dataclass(frozen=True)
class Check:
    name: str
    value: float | None
    floor: float

    @property
    def passed(self) -> bool:
        return self.value is not None and self.value >= self.floor - 1e-9


def load_floors(path: Path = FLOORS_FILE) -> dict[str, dict[str, float]]:
    """The floors of each split: {"floors": {"test": {"hit@5": 0.6, ...}, "dev": {...}}}.

    Unknown splits and names are an error, so a typo cannot disable a floor.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    by_split = data.get("floors", {})
    if not isinstance(by_split, dict) or not all(isinstance(v, dict) for v in by_split.values()):
        raise ValueError(f"{path}: 'floors' must map each split to its floors")
    unknown_splits = sorted(set(by_split) - set(SPLITS))
    if unknown_splits:
        raise ValueError(f"{path}: unknown split(s) {', '.join(unknown_splits)}; known: {', '.join(SPLITS)}")
    floors: dict[str, dict[str, float]] = {}
    for split, named in by_split.items():
        unknown = sorted(set(named) - set(GATED))
        if unknown:
            raise ValueError(f"{path}: unknown floor(s) {', '.join(unknown)}; known: {', '.join(GATED)}")
        floors[split] = {name: float(value) for name, value in named.items()}
    return floors


def measured(result: SystemResult, questions: list[Question]) -> dict[str, float | None]:
    """The gated numbers of one run over these questions."""
    groups: dict[str, Any] = {
        "page": result.page_means([q.id for q in questions if q.answerable]),
        "answers": answer_metrics([result.outcomes[q.id] for q in questions if q.id in result.outcomes]),
    }
    return {name: groups[group].get(key) for name, (group, key) in GATED.items()}


def check_splits(
    result: SystemResult, questions: list[Question], floors: dict[str, dict[str, float]]
) -> list[Check]:
    """Every floor of every split, measured on that split's questions (named "split name")."""
    checks: list[Check] = []
    for split, named in floors.items():
        values = measured(result, [q for q in questions if q.split == split])
        checks += [replace(c, name=f"{split} {c.name}") for c in check_floors(values, named)]
    return checks


def check_floors(values: dict[str, float | None], floors: dict[str, float]) -> list[Check]:
    return [Check(name, values.get(name), floor) for name, floor in floors.items()]
