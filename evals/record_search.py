"""Record search on topic queries (data/record_topics.jsonl): precision@5 and recall of /decisions?q= and
/commitments?q= rankings, per split, on an index of the corpus built with the real model.

A ranked record is relevant when it comes from a relevant entry's source and the two quotes agree: one
(whitespace-normalised, first 60 characters) is inside the other. Precision@5 is the relevant share of the
first five results listed (a topic with relevant records and no results scores 0); topics with no
relevant records are scored by whether the search says none match (an empty list).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.records import rank_records
from indexer import PROJECT_ROOT, Embedder, RecordRow, SearchableRecordTable, Settings, Store

TOPICS_FILE = PROJECT_ROOT / "evals" / "data" / "record_topics.jsonl"
REPORT_FILE = PROJECT_ROOT / "evals" / "record_search_report.md"
TOP_K = 50  # what /decisions and /commitments list by default
PRECISION_AT = 5
_PREFIX_CHARS = 60


@dataclass
class TopicScore:
    """How one topic query fared."""

    topic_id: str
    query: str
    split: str
    relevant: int
    listed: int
    precision_at_5: float | None  # None for a topic with no relevant records
    recall: float | None
    empty_when_none: bool | None  # for a topic with no relevant records: nothing was listed
    top: list[str] = field(default_factory=list)


def load_topics(path: Path = TOPICS_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", text).split()).lower()


def is_relevant(row: RecordRow, entry: dict[str, Any]) -> bool:
    """Whether a ranked record is the relevant entry: same source, quotes agreeing."""
    if row.get("source") != entry["source"]:
        return False
    page = entry.get("page_number")
    if page is not None and row.get("page_number") is not None:
        last = row.get("page_number_end") or row["page_number"]
        if not row["page_number"] <= page <= last:
            return False
    mine, theirs = _norm(row.get("quote") or ""), _norm(entry["quote"])
    return theirs[:_PREFIX_CHARS] in mine or mine[:_PREFIX_CHARS] in theirs


def score_topic(topic: dict[str, Any], rows: Sequence[RecordRow]) -> TopicScore:
    relevant = topic["relevant"]
    hits = [any(is_relevant(row, entry) for entry in relevant) for row in rows]
    found = sum(any(is_relevant(row, entry) for row in rows) for entry in relevant)
    first = hits[:PRECISION_AT]
    return TopicScore(
        topic["id"],
        topic["query"],
        topic["split"],
        len(relevant),
        len(rows),
        (sum(first) / len(first) if first else 0.0) if relevant else None,
        found / len(relevant) if relevant else None,
        None if relevant else not rows,
        [
            ("+ " if hit else "- ") + " ".join((row.get("quote") or "").split())[:80]
            for row, hit in zip(rows[:PRECISION_AT], hits, strict=False)
        ],
    )


def evaluate_record_search(
    store: Store, embedder: Embedder, topics: list[dict[str, Any]]
) -> list[TopicScore]:
    """Each topic searched as the API searches it (``rank_records``), and scored."""
    scores = []
    for topic in topics:
        table: SearchableRecordTable = "decisions" if topic["record_type"] == "decision" else "commitments"
        ranked = rank_records(store, embedder, table, topic["query"], {}, TOP_K)
        scores.append(score_topic(topic, [r.row for r in ranked]))
    return scores


def summary(scores: list[TopicScore]) -> dict[str, dict[str, Any]]:
    """Mean precision@5 and recall over topics with relevant records; empty lists for topics without."""
    out: dict[str, dict[str, Any]] = {}
    for split in ("dev", "test", "all"):
        chosen = [s for s in scores if split == "all" or s.split == split]
        answerable = [s for s in chosen if s.relevant]
        nones = [s for s in chosen if not s.relevant]
        out[split] = {
            "topics": len(chosen),
            "precision_at_5": round(sum(s.precision_at_5 or 0 for s in answerable) / len(answerable), 3)
            if answerable
            else None,
            "recall": round(sum(s.recall or 0 for s in answerable) / len(answerable), 3)
            if answerable
            else None,
            "empty_when_none": f"{sum(bool(s.empty_when_none) for s in nones)}/{len(nones)}",
        }
    return out


def markdown(scores: list[TopicScore]) -> str:
    rows = [
        "| split | topics | precision@5 | recall | none-match topics listed empty |",
        "|---|---|---|---|---|",
    ]
    for split, values in summary(scores).items():
        p5 = "n/a" if values["precision_at_5"] is None else f"{values['precision_at_5']:.3f}"
        recall = "n/a" if values["recall"] is None else f"{values['recall']:.3f}"
        rows.append(f"| {split} | {values['topics']} | {p5} | {recall} | {values['empty_when_none']} |")
    return "\n".join(rows)


def write_report(scores: list[TopicScore], path: Path = REPORT_FILE) -> None:
    """The table and each topic's first results, for reading (and quoting test) without a rebuild."""
    lines = [
        "# Record search on topic queries",
        "",
        "Command: `python -m evals decisions --records --write-report` (an index of the corpus with the real",
        "model). Topics: `evals/data/record_topics.jsonl` (12 dev, 12 test). Thresholds (every content word",
        "of the topic, else meaning at least 0.55 close) were chosen on dev; test is only reported.",
        "Precision@5 is the relevant share of the first five results listed; recall is over all listed",
        f"(at most {TOP_K}).",
        "",
        markdown(scores),
        "",
    ]
    for score in scores:
        lines.append(
            f"- {score.split} `{score.topic_id}` “{score.query}”: {score.listed} listed, "
            f"precision@5 {score.precision_at_5}, recall {score.recall}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def open_index(settings: Settings, cache_dir: Path | None) -> tuple[Store, Embedder]:
    """The evaluation index of the corpus (built or updated first) and the real embedding model."""
    from evals.indexes import ensure_index
    from indexer import load_embedder

    embedder = load_embedder(settings.index.model_name_or_path(), settings.index.embedding_cache)
    return ensure_index("structured", embedder, settings, cache_dir), embedder
