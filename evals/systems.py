"""The retrieval systems compared: baselines, ablations and the full system the API serves."""

from __future__ import annotations

from dataclasses import dataclass
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
    description: str = ""
    serves_api: bool = False  # answers come from POST /ask itself, not from the same steps run here

    def search_options(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "dedup": self.dedup,
            "use_date_hint": self.use_date_hint,
            "demote_boilerplate": self.demote_boilerplate,
            "max_per_item": self.max_per_item,
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
        description="hybrid (BM25 weighted 2:1) + dedup + date hint + boilerplate demotion"
        " (what the API serves)",
        serves_api=True,
    ),
)
FULL = SYSTEMS[-1]
# Ablations, run on request (--systems): hybrid plus one of the full system's extras each.
ABLATIONS = (
    System("hybrid+dedup", "structured", "hybrid", dedup=True, description="hybrid + dedup only"),
    System("hybrid+date", "structured", "hybrid", use_date_hint=True, description="hybrid + date hint only"),
    System(
        "hybrid+boilerplate",
        "structured",
        "hybrid",
        demote_boilerplate=True,
        description="hybrid + boilerplate demotion only",
    ),
    System(
        "hybrid+diversity",
        "structured",
        "hybrid",
        dedup=True,
        max_per_item=MAX_PER_ITEM,
        description=f"hybrid + dedup + at most {MAX_PER_ITEM} passages per agenda item",
    ),
)


def systems_named(names: list[str] | None) -> list[System]:
    """The systems with these names, in the standard order (the five standard ones when none are given)."""
    if not names:
        return list(SYSTEMS)
    known = {s.name: s for s in (*SYSTEMS[:-1], *ABLATIONS, FULL)}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown system(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    return [s for s in known.values() if s.name in names]
