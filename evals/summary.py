"""Aggregate system results: overall, per question kind and per corpus; and the console table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.gold import SPLITS, Question
from evals.metrics import answer_metrics, latency_ms
from evals.run import SystemResult

TABLE_COLUMNS = (
    ("hit@1", "page", "hit@1"),
    ("hit@5", "page", "hit@5"),
    ("hit@10", "page", "hit@10"),
    ("R@5", "page", "recall@5"),
    ("MRR@10", "page", "mrr@10"),
    ("nDCG@10", "page", "ndcg@10"),
    ("psg hit@5", "passage", "hit@5"),
    ("psg MRR", "passage", "mrr@10"),
    ("cite acc", "answers", "citation_accuracy"),
    ("NA prec", "answers", "no_answer_precision"),
    ("NA rec", "answers", "no_answer_recall"),
    ("false NF", "answers", "false_not_found_rate"),
    ("p50 ms", "latency", "p50_ms"),
    ("p95 ms", "latency", "p95_ms"),
)


def _block(result: SystemResult, questions: Sequence[Question]) -> dict[str, Any]:
    ids = [q.id for q in questions]
    answerable = [q.id for q in questions if q.answerable]
    return {
        "questions": len(ids),
        "page": result.page_means(answerable),
        "passage": result.passage_means(answerable),
        "answers": answer_metrics([result.outcomes[i] for i in ids if i in result.outcomes]),
    }


def summarise(results: Sequence[SystemResult], questions: Sequence[Question]) -> dict[str, Any]:
    """Per system: overall metrics, latency, and the same metrics per question kind and per corpus."""
    systems: dict[str, Any] = {}
    for result in results:
        block = _block(result, questions)
        block["description"] = result.system.description
        block["chunker"] = result.system.chunker
        block["threshold"] = result.threshold
        block["latency"] = latency_ms(result.search_seconds)
        block["ask_latency"] = latency_ms(result.ask_seconds)
        block["by_kind"] = {
            kind: _block(result, [q for q in questions if q.kind == kind])
            for kind in sorted({q.kind for q in questions})
        }
        block["by_corpus"] = {
            corpus: _block(result, [q for q in questions if q.corpus == corpus])
            for corpus in sorted({q.corpus for q in questions})
        }
        block["by_split"] = {
            split: {
                **_block(result, in_split),
                "by_corpus": {
                    corpus: _block(result, [q for q in in_split if q.corpus == corpus])
                    for corpus in sorted({q.corpus for q in in_split})
                },
            }
            for split in SPLITS
            if (in_split := [q for q in questions if q.split == split])
        }
        systems[result.system.name] = block
    return systems


def cell(value: Any, key: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return str(value)
    if key.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def split_view(systems: dict[str, Any], split: str) -> dict[str, Any]:
    """Each system's block for one split (its latency stays the whole run's), without systems that lack it."""
    return {
        name: {**block["by_split"][split], "latency": block["latency"]}
        for name, block in systems.items()
        if split in block.get("by_split", {})
    }


def table_rows(systems: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    header = ["system", *(label for label, _, _ in TABLE_COLUMNS)]
    rows = [
        [name, *(cell(block.get(group, {}).get(key), key) for _, group, key in TABLE_COLUMNS)]
        for name, block in systems.items()
    ]
    return header, rows


def format_splits(systems: dict[str, Any]) -> str:
    """One table per split, test first (the numbers to quote), then dev (the numbers tuned on)."""
    parts = []
    for split in sorted(SPLITS, key=lambda s: s != "test"):
        view = split_view(systems, split)
        if view:
            count = next(iter(view.values()))["questions"]
            parts.append(f"{split} ({count} questions)\n{format_table(view)}")
    return "\n\n".join(parts)


def format_table(systems: dict[str, Any]) -> str:
    """A fixed-width table for the terminal."""
    header, rows = table_rows(systems)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            text.rjust(w) if i else text.ljust(w) for i, (text, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(out)
