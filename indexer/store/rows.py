"""The shapes of the rows the store reads back: typed dicts, so the API and the evaluation keep the plain
dicts they always had (nothing changes at run time or on the wire) and a type checker knows their keys.

Each mirrors a table of ``schema`` and the keys added as rows are read (``index.Store``, ``record_reads``).
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

import numpy as np

# The record tables ``Store.records`` reads, and those with words and vectors to rank by.
RecordTable = Literal["agenda_items", "decisions", "commitments"]
SearchableRecordTable = Literal["decisions", "commitments"]


class ChunkColumns(TypedDict):
    """A row of the ``chunks`` table (``Store.document_chunks``)."""

    rowid: int
    chunk_id: str
    document_id: str
    position: int
    text: str
    embed_text: str
    kind: str
    section: str | None
    section_number: str | None
    part_title: str | None
    doc_type: str
    committee: str | None
    committee_id: str | None
    council: str | None
    meeting_date: str | None
    meeting_date_int: int | None
    page_start: int | None
    page_end: int | None
    page_source: str | None
    page_label_start: str | None
    page_label_end: str | None
    char_start: int
    char_end: int
    line_start: int | None
    line_end: int | None
    token_count: int


class ChunkRow(ChunkColumns):
    """A chunk with its document's title, kind, links and first source (``Store.chunks``, ``copies``)."""

    title: str
    document_kind: str
    source_url: str | None
    meeting_url: str | None
    source: str | None


class DocumentRow(TypedDict):
    """A row of the ``documents`` table with its structure parsed and its sources (``Store.documents``)."""

    document_id: str
    content_sha256: str
    kind: str
    title: str
    council: str | None
    committee: str | None
    committee_id: str | None
    doc_type: str
    meeting_date: str | None
    meeting_date_int: int | None
    pack_date: str | None
    source_note: str | None
    source_url: str | None
    meeting_url: str | None
    item_number: str | None
    item_title: str | None
    page_count: int
    chunk_count: int
    bytes: int
    structure: dict[
        str, list[dict[str, Any]]
    ]  # {"parts": [...], "sections": [...]}, as ``registry`` wrote it
    indexed_at: str
    sources: list[str]  # the files it was read from, by name under their root
    source: str | None  # the first of them
    _paths: list[str]  # their full paths


class PageRow(TypedDict):
    """A row of the ``pages`` table (``Store.pages``)."""

    document_id: str
    page_index: int
    page_number: int | None
    page_label: str | None
    page_source: str | None
    line_start: int | None
    char_start: int
    text: str


class RecordRow(TypedDict):
    """What every record row has (``Store.records``, ``Store.evidence``): the columns the record tables
    share, where the record's text is (``records.models.Cited``), its document's title, kind, links and
    first source, and its vector."""

    rowid: int
    record_id: str
    document_id: str
    position: int
    meeting_id: str | None
    committee: str | None
    committee_id: str | None
    meeting_date: str | None
    meeting_date_int: int | None
    dedup_key: str
    chunk_id: str | None
    page_source: str | None
    char_start: int
    char_end: int
    quote: str
    page_number: int | None
    page_label: str | None
    page_number_end: int | None
    page_label_end: str | None
    pack_pages: list[int] | None  # [first, last] as the agenda prints them (a list, read back from JSON)
    document_title: str
    document_kind: str
    source_url: str | None
    meeting_url: str | None
    source: str | None  # the document's first file, by name under its root
    vector: np.ndarray | None  # None for agenda items and evidence, which are not embedded


class AgendaItemRow(RecordRow):
    """An agenda item (``Store.records("agenda_items")``)."""

    item_id: str
    item_number: str | None
    title: str
    number_inferred: bool
    description: str | None
    attendees: str | None
    time_start: str | None
    time_end: str | None
    first_page: int | None  # pack pages of the item's papers, as printed on the agenda
    last_page: int | None
    paper_char_start: int | None


class DecisionRow(RecordRow):
    """A decision recorded in minutes (``Store.records("decisions")``)."""

    decision_id: str
    item_number: str | None
    item_title: str | None
    kind: str  # one of ``records.models.DECISION_KINDS``
    outcome: str | None
    motion: str | None
    votes: dict[str, int] | None
    text: str | None


class CommitmentRow(RecordRow):
    """A commitment with the status later papers give it (``Store.records("commitments")``)."""

    commitment_id: str
    item_number: str | None
    item_title: str | None
    what: str
    who: str | None
    due: str | None
    due_date: str | None
    status: str  # one of ``COMMITMENT_STATUSES``
    status_source: str
    status_note: str | None
    status_date: str | None
    origin: str  # "minutes", "tracker" or "answer": the record's own ``source``, renamed as it is read
    update: str | None
    evidence: list[dict[str, Any]]  # as its own paper stated it (empty: evidence is linked by id)
    evidence_ids: list[str]  # the evidence rows that give its status (``Store.evidence``)


class EvidenceRow(RecordRow):
    """Later text about a commitment: a tracker row, an agenda or work-programme entry (``Store.evidence``)."""

    kind: str  # "tracker", "agenda", "work programme"
    text: str
    status: str | None
    row_date: str | None
    update: str | None


class MeetingDocumentRow(TypedDict):
    """A document of a meeting and how it is part of it (``roles``: papers, minutes, agenda, actions)."""

    document_id: str
    title: str
    source: str | None
    doc_type: str
    roles: list[str]


class MeetingRow(TypedDict):
    """A committee on a date, its documents and how many distinct records it has (``Store.meetings``)."""

    meeting_id: str
    committee: str | None  # the name most of its documents print
    committee_id: str
    meeting_date: str
    documents: list[MeetingDocumentRow]
    items: int
    decisions: int
    commitments: int
