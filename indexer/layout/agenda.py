"""Agenda items of a pack or front sheet, and the pack pages their papers occupy in a text conversion."""

from __future__ import annotations

import re

from indexer.layout.agenda_entries import PAGES, TIME_SLOT, read_entries
from indexer.layout.pack_pages import page_spans, paper_starts
from indexer.models import ParsedDocument
from indexer.reading.committees import canonical_committee
from indexer.records.models import AgendaItem
from indexer.text.spans import PageIndex, plain

_ATTENDANCE = re.compile(r"\bin attendance\b|\bto (?:update|present|provide an update|introduce)\b", re.I)


def parse_agenda(
    doc: ParsedDocument, index: PageIndex | None = None, context: dict | None = None
) -> list[AgendaItem]:
    """The items of the agenda at the start of a pack or front sheet (none if the document has no agenda)."""
    index = index or PageIndex(doc)
    if context is None:
        committee_id, _ = canonical_committee(doc.meta.committee, doc.meta.council)
        context = {"committee": doc.meta.committee, "committee_id": committee_id}
    text = doc.full_text
    entries = read_entries(doc)
    items: list[AgendaItem] = []
    starts = paper_starts(doc, entries) if doc.kind == "text" else {}
    for position, entry in enumerate(entries):
        description = plain(text[entry.description_start : entry.end]) if entry.description_start else ""
        slot = TIME_SLOT.search(entry.title)
        title = plain(TIME_SLOT.sub("", PAGES.sub("", entry.title))).strip(" -–")
        attendees = [
            p
            for p in re.split(r"\n\s*\n", text[entry.description_start or entry.end : entry.end])
            if _ATTENDANCE.search(p)
        ]
        items.append(
            AgendaItem(
                item_id=f"{doc.document_id}:agenda:{position}",
                meeting_date=doc.meta.pack_date or doc.meta.meeting_date,
                item_number=entry.number,
                number_inferred=entry.number_inferred,
                title=title,
                description=description or None,
                attendees=" ".join(plain(a) for a in attendees) or None,
                time_start=slot.group(1) if slot else None,
                time_end=slot.group(2) if slot else None,
                first_page=entry.first_page,
                last_page=entry.last_page,
                paper_char_start=starts.get(position),
                **context,
                **index.cite(entry.start, entry.end),
            )
        )
    return items


def agenda_page_spans(doc: ParsedDocument) -> list[tuple[int, int, int, int]]:
    """(char_start, char_end, first_page_number, last_page_number) of the stretches of a text pack whose
    pack pages are known; see ``pack_pages.page_spans`` for the evidence used. PDFs give none: their
    pages are known exactly."""
    if doc.kind != "text":
        return []
    return page_spans(doc, read_entries(doc))
