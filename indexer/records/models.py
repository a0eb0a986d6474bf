"""Records drawn from papers: agenda items, decisions and commitments, each citing the text it came from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DECISION_KINDS = (
    "resolved",
    "noted",
    "agreed",
    "recommended",
    "amendment_carried",
    "amendment_lost",
    "amendment_withdrawn",
    "motion_carried",
    "motion_lost",
    "motion_withdrawn",
)
COMMITMENT_STATUSES = ("open", "in progress", "scheduled", "completed", "closed")
STATUS_SOURCES = ("tracker", "later evidence", "none stated")


@dataclass(kw_only=True)
class Cited:
    """Where a record's text is: a span of ``doc.full_text`` and the page(s) it is on.

    ``quote`` is exactly ``full_text[char_start:char_end]``, so anyone can check it. ``page_number`` is
    the 1-based PDF page (or a text page whose number is known); None when the page is unknown.
    ``pack_pages`` is the range of pack pages the span lies within, from the agenda's printed ranges,
    for text packs whose exact pages are unknown.
    """

    document_id: str
    char_start: int
    char_end: int
    quote: str
    page_number: int | None = None
    page_label: str | None = None
    page_number_end: int | None = None
    page_label_end: str | None = None
    pack_pages: tuple[int, int] | None = None


@dataclass(kw_only=True)
class AgendaItem(Cited):
    """An item on a meeting's agenda, with the pack pages printed beside it."""

    item_id: str
    meeting_date: str | None  # the meeting the agenda is for
    committee: str | None
    committee_id: str | None
    item_number: str | None
    title: str
    number_inferred: bool = False  # the printed number was lost and was taken from its neighbours
    description: str | None = None
    attendees: str | None = None  # the "... in attendance" text, as printed
    time_start: str | None = None  # "10.05" from "(10.05 - 11.00)"
    time_end: str | None = None
    first_page: int | None = None  # pack pages of the item's papers, as printed on the agenda
    last_page: int | None = None
    paper_char_start: int | None = None  # where the item's paper begins in this pack's text, if located

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(kw_only=True)
class Decision(Cited):
    """A decision recorded in minutes: a resolution, a noting, an agreement or a vote on an amendment."""

    decision_id: str
    meeting_date: str | None  # the meeting whose minutes record it
    committee: str | None
    committee_id: str | None
    item_number: str | None
    item_title: str | None
    kind: str  # one of DECISION_KINDS
    outcome: str | None = None  # "carried" / "lost" / "withdrawn" for amendments and motions
    motion: str | None = None  # for amendments and motions: who proposed what, as printed
    votes: dict[str, int] | None = None  # {"for": 14, "against": 45, "abstain": 4} where a tally is printed
    text: str | None = None  # the decision as one sentence: a resolution's part joined to its lead-in

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(kw_only=True)
class Evidence(Cited):
    """Later text that says what became of a commitment: a tracker row, an agenda or work-programme entry."""

    meeting_date: str | None  # the date of the paper the evidence is in
    kind: str  # "tracker", "agenda", "work programme"
    text: str
    status: str | None = None  # what the evidence says: completed, in progress, open, scheduled
    row_date: str | None = None  # a tracker row's own date (the meeting the action came from)
    update: str | None = None  # a tracker row's update/notes text


@dataclass(kw_only=True)
class Commitment(Cited):
    """Something someone undertook or was asked to do, and what is known of its progress."""

    commitment_id: str
    meeting_date: str | None  # the meeting where it was made (a tracker row: the row's date)
    committee: str | None
    committee_id: str | None
    item_number: str | None
    item_title: str | None
    what: str
    who: str | None = None  # person or role, if stated
    due: str | None = None  # as printed: "18th October 2017", "at the next meeting"
    due_date: str | None = None  # YYYY-MM-DD when ``due`` is a date
    status: str = "open"  # one of COMMITMENT_STATUSES
    status_source: str = "none stated"  # one of STATUS_SOURCES
    status_note: str | None = None  # why the status is what it is, in a sentence
    status_date: str | None = None  # the date of the paper that gives the status
    source: str = "minutes"  # "minutes", "tracker" or "answer" (an answer to a question)
    update: str | None = None  # a tracker's update/notes text for the row
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Records:
    """Everything extracted from one document."""

    agenda_items: list[AgendaItem] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
