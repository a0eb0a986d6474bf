"""Precision and recall of extracted decisions against the hand-annotated gold in data/decisions_gold.jsonl.

A gold decision is located in its document by its quote (whitespace-normalised; the stated line or page
picks between repeats). It matches an extracted decision when their spans overlap substantially: the
shared non-space characters are at least half of the shorter span. Matching is one to one, best overlap
first. An extracted decision inside an annotated minutes part that matches nothing is a false positive.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from indexer import (
    PROJECT_ROOT,
    Decision,
    FakeEmbedder,
    ParsedDocument,
    extract_records,
    load_metadata,
    metadata_for,
    parse_file,
)

GOLD_FILE = PROJECT_ROOT / "evals" / "data" / "decisions_gold.jsonl"
REPORT_FILE = PROJECT_ROOT / "evals" / "decisions_report.md"
MIN_OVERLAP = 0.5  # shared characters as a share of the shorter span
COMMAND = "python -m evals.decisions"


@dataclass
class Tally:
    """Counts for one document (or all of them)."""

    gold: int = 0
    extracted: int = 0  # extracted decisions inside annotated minutes parts
    matched: int = 0
    kind_agrees: int = 0
    tight: int = 0  # matched pairs whose spans also agree tightly (shared characters / union >= MIN_OVERLAP)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.matched += other.matched
        self.kind_agrees += other.kind_agrees
        self.tight += other.tight
        self.misses += other.misses
        self.false_positives += other.false_positives


def load_gold(path: Path = GOLD_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_document(corpus_dir: Path, rel_path: str) -> ParsedDocument:
    """Parse one corpus file as the indexer does (with the fake embedder: no model is needed)."""
    path = corpus_dir / rel_path
    overrides = metadata_for(rel_path, load_metadata(corpus_dir))
    document, _ = parse_file(path, rel_path, path.read_bytes(), overrides, FakeEmbedder(), 180, 254, 20)
    return document


def evaluate_decisions(corpus_dir: Path, gold_path: Path = GOLD_FILE) -> dict[str, Any]:
    """Per-document and overall precision/recall of ``extract_records`` decisions against the gold."""
    gold = load_gold(gold_path)
    sources = sorted({g["source"] for g in gold})
    per_document: dict[str, Tally] = {}
    total = Tally()
    for source in sources:
        document = load_document(corpus_dir, source)
        decisions = extract_records(document).decisions
        tally = score_document(document, [g for g in gold if g["source"] == source], decisions)
        per_document[source] = tally
        total.add(tally)
    return {"documents": per_document, "overall": total}


def score_document(document: ParsedDocument, gold: list[dict[str, Any]], decisions: list[Decision]) -> Tally:
    """Match one document's gold decisions to its extracted decisions."""
    text = document.full_text
    counter = _NonSpaceCounter(text)
    annotated = {g["meeting_date"] for g in gold}
    parts = [p for p in document.parts if p.doc_type == "minutes" and p.meeting_date in annotated]
    in_scope = [d for d in decisions if any(p.char_start <= d.char_start < p.char_end for p in parts)]
    gold_spans = [locate_quote(document, g) for g in gold]

    pairs: list[tuple[float, int, int]] = []
    jaccard: dict[tuple[int, int], float] = {}
    for g_index, span in enumerate(gold_spans):
        if span is None:
            continue
        for d_index, decision in enumerate(in_scope):
            shared = counter.count(max(span[0], decision.char_start), min(span[1], decision.char_end))
            sizes = (counter.count(*span), counter.count(decision.char_start, decision.char_end))
            if min(sizes) and shared / min(sizes) >= MIN_OVERLAP:
                pairs.append((shared / min(sizes), g_index, d_index))
                jaccard[(g_index, d_index)] = shared / (sum(sizes) - shared)
    matched_gold: dict[int, int] = {}
    used: set[int] = set()
    for _, g_index, d_index in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if g_index not in matched_gold and d_index not in used:
            matched_gold[g_index] = d_index
            used.add(d_index)

    tally = Tally(gold=len(gold), extracted=len(in_scope), matched=len(matched_gold))
    tally.kind_agrees = sum(gold[g]["kind"] == in_scope[d].kind for g, d in matched_gold.items())
    tally.tight = sum(jaccard[pair] >= MIN_OVERLAP for pair in matched_gold.items())
    for g_index, g in enumerate(gold):
        if g_index not in matched_gold:
            where = "not found in the text" if gold_spans[g_index] is None else "unmatched"
            tally.misses.append(f"{g['source']} item {g['item_number']} ({where}): {g['quote'][:90]}")
    for d_index, decision in enumerate(in_scope):
        if d_index not in used:
            tally.false_positives.append(
                f"{document.meta.title} item {decision.item_number}: {decision.quote[:90]}"
            )
    return tally


def locate_quote(document: ParsedDocument, gold: dict[str, Any]) -> tuple[int, int] | None:
    """The span of a gold quote in the document's text, on its stated line (text) or page (PDF)."""
    text = document.full_text
    pattern = r"\s+".join(re.escape(word) for word in gold["quote"].split())
    starts_allowed: tuple[int, int] = (0, len(text))
    if gold.get("page_number") is not None:
        page = next((p for p in document.pages if p.page_number == gold["page_number"]), None)
        if page is not None:
            starts_allowed = (page.char_start, page.char_end)
    elif gold.get("line") is not None:
        line_start = _line_offset(text, gold["line"])
        starts_allowed = (line_start, text.find("\n", line_start) % (len(text) + 1))
    for match in re.finditer(pattern, text):
        if starts_allowed[0] <= match.start() <= starts_allowed[1]:
            return match.start(), match.end()
    return None


def _line_offset(text: str, line_number: int) -> int:
    offset = 0
    for _ in range(line_number - 1):
        offset = text.find("\n", offset) + 1
    return offset


class _NonSpaceCounter:
    """Counts non-whitespace characters in any span in O(log n), so overlaps ignore layout."""

    def __init__(self, text: str) -> None:
        self.positions = [i for i, c in enumerate(text) if not c.isspace()]

    def count(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        return bisect.bisect_left(self.positions, end) - bisect.bisect_left(self.positions, start)


def markdown_table(result: dict[str, Any]) -> str:
    """The per-document and overall numbers as a markdown table."""
    rows = [
        "| document | gold | extracted | matched | precision | recall | kind agrees | tight spans |",
        "|---|---|---|---|---|---|---|---|",
    ]
    named = [*result["documents"].items(), ("**overall**", result["overall"])]
    for name, tally in named:
        label = name if name.startswith("**") else f"`{name}`"
        rows.append(
            f"| {label} | {tally.gold} | {tally.extracted} | {tally.matched} | {tally.precision:.3f} "
            f"| {tally.recall:.3f} | {tally.kind_agrees}/{tally.matched} | {tally.tight}/{tally.matched} |"
        )
    return "\n".join(rows)


def main(
    corpus_dir: Annotated[Path, typer.Option(help="The corpus folder the gold refers to.")] = PROJECT_ROOT
    / "corpus",
    details: Annotated[bool, typer.Option(help="Also list misses and false positives.")] = False,
    write_report: Annotated[bool, typer.Option(help="Write the table to evals/decisions_report.md.")] = False,
) -> None:
    """Print precision and recall of decision extraction against the gold as a markdown table."""
    result = evaluate_decisions(corpus_dir)
    table = markdown_table(result)
    typer.echo(table)
    overall: Tally = result["overall"]
    if details:
        for line in overall.misses:
            typer.echo(f"MISS  {line}")
        for line in overall.false_positives:
            typer.echo(f"FP    {line}")
    if write_report:
        REPORT_FILE.write_text(_report(table), encoding="utf-8")
        typer.echo(f"wrote {REPORT_FILE.relative_to(PROJECT_ROOT)}")


def _report(table: str) -> str:
    return f"""# Decision extraction: precision and recall against the gold

Command (from the repository root): `{COMMAND} --write-report`, or `python -m evals decisions
--write-report`. Add `--details` to list misses and false positives.

Gold: `evals/data/decisions_gold.jsonl`, 64 hand-annotated decisions from 6 meetings in 5 documents (see
`decisions_gold.md`). Extraction: `indexer.records.extract_records` on each document as the indexer parses it.

- A gold decision is located by its whitespace-normalised quote (its stated line or page picks between
  repeats).
- It matches an extracted decision when at least {MIN_OVERLAP:.0%} of the shorter span's non-space characters
  are shared. Matching is one to one, best overlap first.
- Extracted decisions inside an annotated minutes part that match nothing are false positives.
- "kind agrees" counts matched pairs with the same `kind`.
- "tight spans" counts matched pairs whose spans also agree symmetrically: shared characters are at least
  {MIN_OVERLAP:.0%} of the union. The pairs that fail this are the Kent votes, where the extracted span runs
  from "put ... to the vote" to "Amendment lost." with the whole tally while the gold quotes only the last
  tally line, and "The dates were noted.", where the gold also takes in the item heading.

Limits: the extraction rules were written while reading these same five documents (there is no held-out
set), so these numbers are an upper bound for unseen councils' minutes.

{table}
"""


if __name__ == "__main__":
    typer.run(main)
