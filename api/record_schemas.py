"""Response shapes of the record routes: meetings, agenda items, decisions and commitments (add fields, never rename)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class RecordSource(BaseModel):
    """Where a record is, in the citation shape of /search.

    ``page_start``/``page_end`` are the exact page(s) where known (``page_source`` "pdf", "printed_marker",
    "form_feed"); in a text pack whose pages are unknown, the range of pack pages the agenda prints for the
    paper the record lies in (``page_source`` "agenda"). ``quote`` is the record's exact text.
    """

    document_id: str
    chunk_id: str | None = None
    source: str | None
    title: str | None
    page_start: int | None
    page_end: int | None
    page_label: str | None
    page_source: str | None = None
    quote: str
    url: str
    source_url: str | None = Field(
        default=None, description="The council's own URL of the document, if known."
    )
    meeting_url: str | None = Field(default=None, description="The council's page of the meeting, if known.")


class MeetingRecord(RecordSource):
    """A record made at a meeting, under one of its agenda items."""

    meeting_id: str | None
    meeting_date: str | None
    committee: str | None
    committee_id: str | None
    item_number: str | None
    item_title: str | None


class DecisionResult(MeetingRecord):
    decision_id: str
    kind: str = Field(
        description="resolved, noted, agreed, recommended, amendment_carried, amendment_lost, "
        "amendment_withdrawn, motion_carried, motion_lost or motion_withdrawn"
    )
    text: str = Field(description="The decision as a sentence: a resolution's part joined to its lead-in.")
    outcome: str | None = Field(default=None, description="carried, lost or withdrawn (votes)")
    motion: str | None = None
    votes: dict[str, int] | None = None
    score: float = 0.0


class EvidenceResult(RecordSource):
    kind: str = Field(description="tracker, agenda or work programme")
    meeting_date: str | None = Field(description="The date of the paper the evidence is in.")
    text: str
    status: str | None
    row_date: str | None = None
    update: str | None = None


class CommitmentResult(MeetingRecord):
    commitment_id: str
    who: str | None
    what: str
    due: str | None
    due_date: str | None = None
    status: str = Field(description="open, in progress, scheduled, completed or closed")
    status_note: str | None
    status_source: str = Field(description="tracker, later evidence or none stated")
    status_date: str | None = None
    origin: str | None = Field(default=None, description="minutes, tracker or answer")
    update: str | None = None
    evidence: list[EvidenceResult] = Field(default_factory=list)
    score: float = 0.0


class AgendaItemResult(RecordSource):
    item_id: str
    item_number: str | None
    number_inferred: bool = False
    item_title: str = Field(
        description="The item's title (``title`` is the document's, as in every citation)."
    )
    description: str | None = None
    attendees: str | None = None
    time_start: str | None = None
    time_end: str | None = None
    first_page: int | None = Field(
        description="First pack page of the item's papers, as printed on the agenda."
    )
    last_page: int | None
    pages_from: str | None = Field(description='"agenda" when first_page/last_page are printed on it.')


class MeetingDocument(BaseModel):
    document_id: str
    title: str | None
    source: str | None
    doc_type: str
    roles: list[str] = Field(description="papers, agenda, minutes or actions: how the paper is part of it")


class MeetingSummary(BaseModel):
    meeting_id: str
    committee: str | None = Field(description="The committee's name as printed on the papers.")
    committee_id: str = Field(description="The committee's lineage: one id across renamings.")
    meeting_date: str
    documents: list[MeetingDocument]
    items: int
    decisions: int
    commitments: int


class MeetingsResponse(BaseModel):
    meetings: list[MeetingSummary]
    count: int


class MeetingDetail(BaseModel):
    meeting_id: str
    committee: str | None
    committee_id: str
    meeting_date: str
    documents: list[MeetingDocument]
    agenda_items: list[AgendaItemResult]
    decisions: list[DecisionResult]
    commitments: list[CommitmentResult]


class DecisionsResponse(BaseModel):
    query: str | None
    message: str | None = Field(
        default=None, description="Said plainly when a query matches no record: nothing is listed then."
    )
    results: list[DecisionResult]
    count: int
    filters: dict[str, Any] = Field(default_factory=dict)


class CommitmentsResponse(BaseModel):
    query: str | None
    message: str | None = Field(
        default=None, description="Said plainly when a query matches no record: nothing is listed then."
    )
    results: list[CommitmentResult]
    count: int
    filters: dict[str, Any] = Field(default_factory=dict)
