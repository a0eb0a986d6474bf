"""Matching extracted decision records to gold decisions: same source, same place, overlapping quote.

A gold decision is located in its document by its quote (whitespace-normalised), on its stated page (PDF)
or starting on its stated line (text). A record matches it when the record is in the same document, its
cited pages include the gold page (PDF), and their spans share at least ``MIN_OVERLAP`` of the shorter
span's non-space characters. Matching is one to one, best overlap first, then the tighter pair (a gold
quote inside two records goes to the one closer to it in size).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from indexer import Decision, ParsedDocument

MIN_OVERLAP = 0.5  # shared non-space characters as a share of the shorter span


@dataclass(frozen=True)
class Match:
    """One gold decision matched to one record, and whether the record cites the gold's own place."""

    gold_index: int
    record_index: int
    overlap: float
    place_agrees: bool  # PDF: the record's first page is the gold page; text: it starts on the gold line
    kind_agrees: bool


def locate_quote(document: ParsedDocument, gold: dict[str, Any]) -> tuple[int, int] | None:
    """The span of a gold quote in the document's text, on its stated page (PDF) or line (text)."""
    text = document.full_text
    pattern = r"\s+".join(re.escape(word) for word in gold["quote"].split())
    allowed = (0, len(text))
    if gold.get("page_number") is not None:
        page = next((p for p in document.pages if p.page_number == gold["page_number"]), None)
        if page is None:
            return None
        allowed = (page.char_start, page.char_end)
    elif gold.get("line") is not None:
        line_start = line_offset(text, gold["line"])
        line_end = text.find("\n", line_start)
        allowed = (line_start, len(text) if line_end < 0 else line_end)
    for found in re.finditer(pattern, text):
        if allowed[0] <= found.start() <= allowed[1]:
            return found.start(), found.end()
    return None


def line_offset(text: str, line_number: int) -> int:
    """The character offset where the 1-based line begins."""
    offset = 0
    for _ in range(line_number - 1):
        offset = text.find("\n", offset) + 1
    return offset


def line_number_at(text: str, char: int) -> int:
    return text.count("\n", 0, char) + 1


def match_decisions(
    document: ParsedDocument, gold: list[dict[str, Any]], records: list[Decision]
) -> tuple[list[Match], list[tuple[int, int] | None]]:
    """One-to-one matches of a document's gold decisions to its records, and where each gold quote is."""
    counter = NonSpaceCounter(document.full_text)
    spans = [locate_quote(document, g) for g in gold]
    candidates: list[tuple[float, float, int, int]] = []
    for g_index, span in enumerate(spans):
        if span is None:
            continue
        for r_index, record in enumerate(records):
            if not _on_gold_page(record, gold[g_index]):
                continue
            shared = counter.count(max(span[0], record.char_start), min(span[1], record.char_end))
            shorter = min(counter.count(*span), counter.count(record.char_start, record.char_end))
            if shorter and shared / shorter >= MIN_OVERLAP:
                union = counter.count(*span) + counter.count(record.char_start, record.char_end) - shared
                candidates.append((shared / shorter, shared / union, g_index, r_index))
    matches: list[Match] = []
    used_gold: set[int] = set()
    used_records: set[int] = set()
    # Best overlap first; between records that both hold the gold quote, the tighter one (by Jaccard).
    for overlap, _, g_index, r_index in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2], c[3])):
        if g_index in used_gold or r_index in used_records:
            continue
        used_gold.add(g_index)
        used_records.add(r_index)
        record, wanted = records[r_index], gold[g_index]
        matches.append(
            Match(
                g_index,
                r_index,
                overlap,
                _place_agrees(document, record, wanted),
                kind_agrees(record.kind, wanted["kind"]),
            )
        )
    return sorted(matches, key=lambda m: m.gold_index), spans


def kind_agrees(record_kind: str, gold_kind: str) -> bool:
    """Whether a record's kind is the gold's."""
    return record_kind == gold_kind


def _on_gold_page(record: Decision, gold: dict[str, Any]) -> bool:
    page = gold.get("page_number")
    if page is None or record.page_number is None:
        return True
    return record.page_number <= page <= (record.page_number_end or record.page_number)


def _place_agrees(document: ParsedDocument, record: Decision, gold: dict[str, Any]) -> bool:
    if gold.get("page_number") is not None:
        return record.page_number == gold["page_number"]
    if gold.get("line") is not None:
        return line_number_at(document.full_text, record.char_start) == gold["line"]
    return True


class NonSpaceCounter:
    """Counts non-whitespace characters in any span in O(log n), so overlaps ignore layout."""

    def __init__(self, text: str) -> None:
        self.positions = [i for i, c in enumerate(text) if not c.isspace()]

    def count(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        return bisect.bisect_left(self.positions, end) - bisect.bisect_left(self.positions, start)
