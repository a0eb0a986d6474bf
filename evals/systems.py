"""The retrieval systems compared: baselines, ablations and the full system the API serves."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from api.retrieval import MAX_PER_ITEM


@dataclass(frozen=True)
class System:
    name: str
    chunker: str  # which index it searches: "structured" or "fixed"
    mode: str  # Retriever.search mode: "lexical", "dense" or "hybrid"
    dedup: bool = False
    use_date_hint: bool = False
    demote_boilerplate: bool = False
    max_per_item: int = 0  # passages of one agenda item in the top k (0: no limit)
    learned: bool = False  # the learned ranker (api/ranker.json) instead of the hand-set boosts
    description: str = ""
    serves_api: bool = False  # answers come from POST /ask itself, not from the same steps run here

    def search_options(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "dedup": self.dedup,
            "use_date_hint": self.use_date_hint,
            "demote_boilerplate": self.demote_boilerplate,
            "max_per_item": self.max_per_item,
            "learned": self.learned,
        }


SYSTEMS = (
    System("bm25", "structured", "lexical", description="BM25 (SQLite FTS5) over structured chunks"),
    System("dense_fixed", "fixed", "dense", description="dense kNN over fixed 150-word windows"),
    System("dense", "structured", "dense", description="dense kNN over structured chunks"),
    System(
        "hybrid",
        "structured",
        "hybrid",
        description="dense + BM25 fused by RRF (BM25 weighted 2:1), no extras",
    ),
    System(
        "full",
        "structured",
        "hybrid",
        dedup=True,
        use_date_hint=True,
        demote_boilerplate=True,
        learned=True,
        description="hybrid (BM25 weighted 2:1) + dedup, ranked by the learned ranker over the fused score,"
        " both legs' scores, coverage, date hint and standing items (what the API serves)",
        serves_api=True,
    ),
)
FULL = SYSTEMS[-1]


def _ablated(name: str, description: str, **changes: Any) -> System:
    """The full system with some options changed; its answers use /ask's steps on its own hits."""
    return replace(FULL, name=name, description=description, serves_api=False, **changes)


# The ablation table: the full system with one component off (or, for diversity, on) at a time. They run by
# default, after the five standard systems, so `python -m evals run` prints each component's worth on test.
# Standing-item demotion has no row: the learned ranker does not read it (api/ranker.py); the boosts of
# full-learned do.
ABLATIONS = (
    _ablated("full-dense", "full without the dense leg (BM25 only)", mode="lexical"),
    _ablated("full-lexical", "full without the BM25 leg (dense only)", mode="dense"),
    _ablated("full-dedup", "full without near-duplicate folding", dedup=False),
    _ablated("full-date", "full without the date hint", use_date_hint=False),
    _ablated("full-learned", "full with the hand-set boosts instead of the learned ranker", learned=False),
    _ablated(
        "full+diversity",
        f"full with at most {MAX_PER_ITEM} passages per agenda item (off in the API)",
        max_per_item=MAX_PER_ITEM,
    ),
)


def systems_named(names: list[str] | None) -> list[System]:
    """The systems with these names, in the standard order (every system and ablation when none are given)."""
    if not names:
        return [*SYSTEMS, *ABLATIONS]
    known = {s.name: s for s in (*SYSTEMS[:-1], *ABLATIONS, FULL)}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown system(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    return [s for s in known.values() if s.name in names]
