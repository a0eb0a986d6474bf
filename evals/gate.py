"""The regression gate: the full system's key numbers must not fall below the committed floors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def load_floors(path: Path = FLOORS_FILE) -> dict[str, float]:
    """The floors: {"floors": {"hit@5": 0.6, ...}}; unknown names are an error, so a typo cannot disable one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    floors = data.get("floors", {})
    unknown = sorted(set(floors) - set(GATED))
    if unknown:
        raise ValueError(f"{path}: unknown floor(s) {', '.join(unknown)}; known: {', '.join(GATED)}")
    return {name: float(value) for name, value in floors.items()}


def measured(result: SystemResult, answerable_ids: list[str]) -> dict[str, float | None]:
    """The gated numbers of one run."""
    groups: dict[str, Any] = {
        "page": result.page_means(answerable_ids),
        "answers": answer_metrics(list(result.outcomes.values())),
    }
    return {name: groups[group].get(key) for name, (group, key) in GATED.items()}


def check_floors(values: dict[str, float | None], floors: dict[str, float]) -> list[Check]:
    return [Check(name, values.get(name), floor) for name, floor in floors.items()]
