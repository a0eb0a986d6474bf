"""The data model: documents, their pages, their structural parts and their chunks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Page:
    """A page of a document as read from the file.

    ``page_number`` is the 1-based PDF position (what ``#page=N`` opens); None when the source (a text
    conversion) does not say. ``page_label`` is the number printed on the page, where one is printed.
    """

    page_index: int
    text: str
    page_number: int | None = None
    page_label: str | None = None
    line_start: int | None = None  # 1-based line in a text file where the page starts
    char_start: int = 0  # offset of the page in the document's full text
    page_source: str | None = None  # how page_number is known: "pdf", "form_feed", "printed_marker", "agenda"

    @property
    def char_end(self) -> int:
        return self.char_start + len(self.text)


@dataclass(frozen=True)
class PageRange:
    """The pages a span lies on: ``first`` and ``last`` are page numbers (1-based, what ``#page=N`` opens),
    ``first_label`` and ``last_label`` the numbers printed on them. None where unknown, never a guess.

    One type for what the rows name in three ways: a chunk's ``page_start``/``page_end`` (with
    ``page_label_start``/``page_label_end``), a record's ``page_number``/``page_number_end`` (with
    ``page_label``/``page_label_end``) and the ``pack_pages`` range an agenda gives.
    """

    first: int | None = None
    last: int | None = None
    first_label: str | None = None
    last_label: str | None = None

    @classmethod
    def of_chunk(cls, row: Mapping[str, Any]) -> PageRange:
        """The pages of a chunk row (or any row in the chunks' vocabulary)."""
        return cls(
            row.get("page_start"), row.get("page_end"), row.get("page_label_start"), row.get("page_label_end")
        )

    @classmethod
    def of_record(cls, row: Mapping[str, Any]) -> PageRange:
        """The exact pages of a record row (a single page when no end is stored)."""
        first = row.get("page_number")
        return cls(
            first, row.get("page_number_end") or first, row.get("page_label"), row.get("page_label_end")
        )

    @property
    def known(self) -> bool:
        return self.first is not None


@dataclass
class DocumentMeta:
    """What is known about a document as a whole."""

    title: str
    council: str | None = None
    committee: str | None = None
    doc_type: str = "report"
    meeting_date: str | None = None  # YYYY-MM-DD: the meeting whose papers these are
    pack_date: str | None = None  # the date of the pack or meeting the file was published for
    source_note: str | None = None  # where the file came from (from the metadata file)
    # Provenance from the publisher's site (a harvest writes it into the metadata file):
    source_url: str | None = None  # the council's own URL of the file
    meeting_url: str | None = None  # the council's page of the meeting
    item_number: str | None = None  # the agenda item the file belongs to
    item_title: str | None = None


@dataclass
class Part:
    """A stretch of a document with its own kind and meeting: e.g. action notes of an earlier meeting in a pack."""

    char_start: int
    char_end: int
    doc_type: str
    title: str
    meeting_date: str | None


@dataclass
class Section:
    """An agenda item, minute item or heading that text belongs to."""

    char_start: int
    number: str | None
    title: str
    level: int = 2  # 1 a pack's paper, 2 an agenda or minute item, deeper for headings within


@dataclass
class Chunk:
    """A passage that is embedded and searched, with everything a citation needs."""

    chunk_id: str
    document_id: str
    position: int
    text: str  # verbatim from the document
    embed_text: str  # text plus its context (title, section, table header): what is embedded and matched
    char_start: int
    char_end: int
    page_start: int | None
    page_end: int | None
    page_label_start: str | None
    page_label_end: str | None
    line_start: int | None
    line_end: int | None
    section: str | None
    section_number: str | None
    part_title: str | None
    doc_type: str
    meeting_date: str | None
    token_count: int
    kind: str = "text"  # text, table, resolved, heading
    # How page_start/page_end are known: "pdf", "printed_marker" or "form_feed" (exact pages), or "agenda"
    # (a text pack's range of pages printed on its agenda; the passage lies somewhere within it).
    page_source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedDocument:
    """A document read and split, ready for embedding."""

    document_id: str
    content_sha256: str
    kind: str  # "pdf" or "text"
    meta: DocumentMeta
    pages: list[Page]
    parts: list[Part] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def full_text(self) -> str:
        return "\n".join(p.text for p in self.pages)


def date_to_int(date: str | None) -> int | None:
    """'2022-03-30' -> 20220330, so chromadb's numeric range filters can use it."""
    return int(date.replace("-", "")) if date else None
