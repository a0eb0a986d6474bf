"""A document's records: its agenda items, the decisions its minutes record and the commitments made."""

from __future__ import annotations

from typing import Any

from indexer.layout.agenda import agenda_page_spans, parse_agenda
from indexer.layout.minutes import find_minute_items
from indexer.models import ParsedDocument
from indexer.reading.committees import canonical_committee
from indexer.records.commitments import find_commitments
from indexer.records.decisions import find_decisions
from indexer.records.linking import evidence_from, link_commitments
from indexer.records.models import AgendaItem, Cited, Commitment, Decision, Evidence, Records
from indexer.records.trackers import find_tracker_rows
from indexer.text.spans import PageIndex

__all__ = [
    "AgendaItem",
    "Commitment",
    "Decision",
    "Evidence",
    "Records",
    "extract_records",
    "link_commitments",
]


def extract_records(doc: ParsedDocument, link: bool = True) -> Records:
    """Agenda items, decisions and commitments of one document, each with its exact quote and page.

    Commitments are linked to later evidence found in the same document (e.g. a pack's action tracker
    that reports on the minutes of the previous meeting); ``link_commitments`` links across documents.
    ``link=False`` leaves them as stated in their own text, for an index that links them across papers.
    """
    index = PageIndex(doc)
    committee_id, _ = canonical_committee(doc.meta.committee, doc.meta.council)
    spans = agenda_page_spans(doc) if doc.kind == "text" else []
    context: dict[str, Any] = {"committee": doc.meta.committee, "committee_id": committee_id}

    agenda_items = parse_agenda(doc, index, context)
    items = find_minute_items(doc)
    decisions = [
        Decision(
            decision_id=f"{doc.document_id}:decision:{position}",
            meeting_date=found.item.meeting_date,
            item_number=found.item.number,
            item_title=found.item.title,
            kind=found.kind,
            outcome=found.outcome,
            motion=found.motion,
            votes=found.votes,
            text=found.text,
            **_own_body(found.item.committee, doc.meta.council, context),
            **index.cite(found.start, found.end),
        )
        for position, found in enumerate(find_decisions(index, items))
    ]
    commitments = find_commitments(index, items, context) + find_tracker_rows(doc, index, context)
    commitments.sort(key=lambda c: c.char_start)
    for commitment in commitments:
        item = next((i for i in items if i.char_start <= commitment.char_start < i.char_end), None)
        if item is not None and commitment.source != "tracker":
            own = _own_body(item.committee, doc.meta.council, context)
            commitment.committee, commitment.committee_id = own["committee"], own["committee_id"]
    for position, commitment in enumerate(commitments):
        commitment.commitment_id = f"{doc.document_id}:commitment:{position}"
    records = Records(agenda_items, decisions, commitments)
    for record in [*records.agenda_items, *records.decisions, *records.commitments]:
        record.pack_pages = _pack_pages(record, spans)
    if link:
        records.commitments = link_commitments(records.commitments, evidence_from(doc, records))
    return records


def _own_body(printed: str | None, council: str | None, context: dict[str, Any]) -> dict[str, Any]:
    """The committee a minute belongs to: the body its minutes' header names (another body's minutes
    printed in a pack are that body's), else the paper's own committee."""
    committee_id, name = canonical_committee(printed, council)
    if committee_id is None or committee_id == context["committee_id"]:
        return context
    return {"committee": name, "committee_id": committee_id}


def _pack_pages(record: Cited, spans: list[tuple[int, int, int, int]]) -> tuple[int, int] | None:
    """The pack pages a record lies within, when its page is not known exactly."""
    if record.page_number is not None:
        return None
    for start, end, first, last in spans:
        if start <= record.char_start and record.char_end <= end:
            return first, last
    return None
