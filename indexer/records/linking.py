"""Link commitments to later evidence of what became of them: tracker rows, work programmes, agendas.

The rule is simple so that it can be explained in the record: a commitment is linked to a piece of
evidence from a later paper when they share enough distinctive words (at least three, and a good share
of the shorter text's), or share two and the evidence names the meeting the commitment was made at.
The best-matching evidence gives the status; nothing matching leaves the commitment as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from indexer.models import ParsedDocument
from indexer.records.models import Commitment, Evidence, Records
from indexer.text.dates import find_dates, first_date
from indexer.text.spans import PageIndex, plain, split_lines
from indexer.text.words import stem

MIN_SHARED_TERMS = 3
MIN_SHARED_TERMS_WITH_DATE = 2
MIN_SHARE = 0.4
# Words every commitment and tracker row uses; they say nothing about which commitment is meant.
GENERIC_TERMS = {
    "committee",
    "committees",
    "update",
    "updates",
    "report",
    "reports",
    "provide",
    "provided",
    "information",
    "members",
    "member",
    "meeting",
    "meetings",
    "officers",
    "officer",
    "chair",
    "action",
    "actions",
    "tracker",
    "item",
    "items",
    "future",
    "back",
    "come",
    "brought",
    "bring",
    "shared",
    "share",
    "circulated",
    "email",
    "mailed",
    "council",
    "cabinet",
    "scrutiny",
    "following",
    "further",
    "details",
    "next",
    "work",
    "programme",
    "there",
    "their",
    "they",
    "this",
    "that",
    "with",
    "from",
    "which",
    "would",
    "will",
    "been",
    "were",
    "have",
    "into",
    "onto",
    "about",
    "after",
    "before",
    "prior",
    "when",
    "also",
    "being",
    "other",
    "than",
    "then",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "months",
    "month",
    "year",
    "years",
    "week",
    "weeks",
}
_STATUS_PHRASES = {
    "completed": "Completed",
    "closed": "Closed",
    "in progress": "In progress",
    "scheduled": "Scheduled",
    "open": "Still open",
}


def link_commitments(commitments: list[Commitment], later_texts: Iterable[Evidence]) -> list[Commitment]:
    """Commitments with status, status_source, status_note and evidence set from the best later evidence.

    Evidence counts only when its paper is later than the one that gave the commitment its status, and
    never when it is the commitment's own text. A commitment nothing matches keeps its status and note.
    """
    pool = list(later_texts)
    linked: list[Commitment] = []
    for commitment in commitments:
        terms = distinctive_terms(commitment.what)
        if len(terms) < MIN_SHARED_TERMS:  # "To report back in six months": the item's title says what about
            terms |= distinctive_terms(commitment.item_title or "")
        since = commitment.status_date or commitment.meeting_date
        matches = []
        for evidence in pool:
            if since and evidence.meeting_date and evidence.meeting_date <= since:
                continue
            if evidence.document_id == commitment.document_id and not (
                evidence.char_end <= commitment.char_start or evidence.char_start >= commitment.char_end
            ):
                continue
            score = _score(commitment, terms, evidence)
            if score is not None:
                matches.append((score, evidence))
        if not matches:
            linked.append(commitment)
            continue
        matches.sort(key=lambda m: (m[0][0], m[0][1], m[0][2], m[1].meeting_date or ""), reverse=True)
        (date_named, _, _, shared), best = matches[0]
        status = best.status or "open"
        linked.append(
            replace(
                commitment,
                status=status,
                status_source="later evidence",
                status_date=best.meeting_date,
                status_note=_note(status, best, shared, date_named),
                evidence=[m[1] for m in matches],
            )
        )
    return linked


def evidence_from(doc: ParsedDocument, records: Records) -> list[Evidence]:
    """Evidence a document offers about earlier commitments: its tracker rows, its dated work-programme rows
    and its agenda items."""
    index = PageIndex(doc)
    evidence = [
        Evidence(
            meeting_date=c.status_date,
            kind="tracker",
            text=f"{c.item_title or ''} {c.what} {c.update or ''}".strip(),
            status=c.status,
            row_date=c.meeting_date,
            update=c.update,
            **_cited_fields(c),
        )
        for c in records.commitments
        if c.source == "tracker"
    ]
    agenda_date = doc.meta.pack_date or doc.meta.meeting_date
    evidence += [
        Evidence(
            meeting_date=agenda_date,
            kind="agenda",
            text=f"{item.title} {item.description or ''}",
            status="scheduled",
            row_date=agenda_date,
            **_cited_fields(item),
        )
        for item in records.agenda_items
        if item.first_page is not None
    ]
    tracker_spans = [(c.char_start, c.char_end) for c in records.commitments if c.source == "tracker"]
    evidence += _schedule_rows(doc, index, tracker_spans)
    return evidence


def distinctive_terms(text: str) -> set[str]:
    """Words that tell one commitment from another: no common or generic words, numbers or dates."""
    words = re.findall(r"[a-z][a-z'’-]{3,}", plain(text).lower())
    return {stem(w) for w in words if w not in GENERIC_TERMS}


def _score(
    commitment: Commitment, terms: set[str], evidence: Evidence
) -> tuple[bool, int, float, list[str]] | None:
    """(names the commitment's meeting, shared terms, share of the shorter text, the terms) or None."""
    evidence_terms = distinctive_terms(evidence.text)
    shared = sorted(terms & evidence_terms)
    if not shared:
        return None
    share = len(shared) / min(len(terms), len(evidence_terms))
    made_at = commitment.meeting_date
    date_named = bool(made_at) and (evidence.row_date == made_at or made_at in find_dates(evidence.text))
    if (len(shared) >= MIN_SHARED_TERMS and share >= MIN_SHARE) or (
        date_named and len(shared) >= MIN_SHARED_TERMS_WITH_DATE
    ):
        return date_named, len(shared), share, shared
    return None


def _note(status: str, evidence: Evidence, shared: list[str], date_named: bool) -> str:
    where = {"tracker": "the action tracker", "agenda": "the agenda", "work programme": "the work programme"}
    place = where.get(evidence.kind, evidence.kind)
    paper = f"{place} of {evidence.meeting_date}" if evidence.meeting_date else place
    if evidence.kind == "tracker":
        said = f'update: "{evidence.update}"' if evidence.update else "no update given"
        detail = f" (row of {evidence.row_date}; {said})" if evidence.row_date else f" ({said})"
    else:
        snippet = " ".join(evidence.text.split())
        snippet = snippet if len(snippet) <= 120 else snippet[:117] + "..."
        when = f" for {evidence.row_date}" if evidence.kind == "work programme" and evidence.row_date else ""
        detail = f'{when}: "{snippet}"'
    reason = f"the words {', '.join(shared[:8])}" + (
        " and the date of the meeting it was made at" if date_named else ""
    )
    return f"{_STATUS_PHRASES.get(status, status)} according to {paper}{detail}; matched on {reason}."


def _schedule_rows(doc: ParsedDocument, index: PageIndex, skip: list[tuple[int, int]]) -> list[Evidence]:
    """Rows of dated tables outside the minutes (a work programme's schedule): each is scheduled for its date.

    A row with an empty date cell belongs to the date above it, even across a page break.
    """
    minutes = [(p.char_start, p.char_end) for p in doc.parts if p.doc_type == "minutes"]
    rows: list[Evidence] = []
    current_date: str | None = None
    for line in split_lines(index.text):
        if "\t" not in line.text:
            if not line.blank:
                current_date = None  # prose ends the table
            continue
        if any(s <= line.start < e for s, e in [*minutes, *skip]):
            continue
        cells = line.text.split("\t")
        date = first_date(cells[0])
        if date:
            current_date = date
        elif cells[0].strip():
            continue  # a row of another table, or a header
        if current_date is None or not "".join(cells[1:]).strip():
            continue
        rows.append(
            Evidence(
                meeting_date=doc.meta.pack_date or doc.meta.meeting_date,
                kind="work programme",
                text=plain(" ".join(cells[1:])),
                status="scheduled",
                row_date=current_date,
                **index.cite(line.start, line.end),
            )
        )
    return rows


def _cited_fields(record: object) -> dict:
    names = (
        "document_id",
        "char_start",
        "char_end",
        "quote",
        "page_number",
        "page_label",
        "page_number_end",
        "page_label_end",
        "pack_pages",
    )
    return {name: getattr(record, name) for name in names}
