"""The ablation table: the full system with each of its components switched off in turn, on one split."""

from __future__ import annotations

from typing import Any

from evals.summary import cell
from evals.systems import ABLATION_TABLE, COMPONENTS, FULL

# (label, group, key) of each column; the deltas are against the full system with everything on.
COLUMNS = (
    ("hit@1", "page", "hit@1"),
    ("hit@5", "page", "hit@5"),
    ("hit@10", "page", "hit@10"),
    ("MRR@10", "page", "mrr@10"),
    ("nDCG@10", "page", "ndcg@10"),
    ("psg hit@5", "passage", "hit@5"),
)
DELTAS = (("Δ hit@5", "page", "hit@5"), ("Δ MRR@10", "page", "mrr@10"))


def ablation_rows(summary: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Rows for the full system and each ``full-<component>`` system the summary holds.

    The per-corpus hit@5 columns say which council a component helps or hurts.
    """
    corpora = sorted(summary[FULL.name]["by_corpus"]) if FULL.name in summary else []
    header = [
        "system",
        "off",
        *(label for label, _, _ in COLUMNS),
        *(label for label, _, _ in DELTAS),
        *(f"hit@5 {corpus}" for corpus in corpora),
    ]
    full = summary.get(FULL.name)
    rows = []
    offs = {f"full-{component}": what for component, what, _ in COMPONENTS}
    for name in [FULL.name, *(s.name for s in ABLATION_TABLE)]:
        block = summary.get(name)
        if block is None:
            continue
        row = [name, offs.get(name, "nothing (all on)")]
        row += [cell(block[group].get(key), key) for _, group, key in COLUMNS]
        for _, group, key in DELTAS:
            if full is None or name == FULL.name:
                row.append("")
            else:
                row.append(f"{block[group][key] - full[group][key]:+.3f}")
        row += [
            cell(block["by_corpus"].get(corpus, {}).get("page", {}).get("hit@5"), "hit@5")
            for corpus in corpora
        ]
        rows.append(row)
    return header, rows
