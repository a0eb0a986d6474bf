"""Request and response shapes of the API (the names are a contract: add fields, never rename)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator

DOC_TYPES = ("agenda", "minutes", "report", "appendix", "presentation", "pack")
DocType = Literal["agenda", "minutes", "report", "appendix", "presentation", "pack"]
MAX_QUERY_CHARS = 500  # the default of Settings.max_query_chars, declared in the schema
# A query must have a character other than white space as Python's str.strip() counts it: the schema's
# \s (Unicode's White_Space) leaves out the separators \x1c-\x1f, which strip() removes.
QUERY_PATTERN = r"[^\s\x1c-\x1f]"


def _iso_date(value: Any) -> Any:
    """Only a date or a YYYY-MM-DD string: pydantic would also read 0 or '0' as a Unix time."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date must be written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class ErrorBody(BaseModel):
    """Every error: a message a person can act on, and for a malformed request each problem found."""

    error: str = Field(description="What went wrong, in words.")
    detail: list[str] | None = Field(default=None, description="Each problem of a malformed request.")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The request body is not JSON."},
    413: {"model": ErrorBody, "description": "The request body is over 64 KB."},
    422: {"model": ErrorBody, "description": "The request is malformed: the message says how."},
    503: {
        "model": ErrorBody,
        "description": "There is no index yet, or its chroma server cannot be reached: the message says what to do.",
    },
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such document, page, passage or meeting in the index."}
}


class Alternate(BaseModel):
    chunk_id: str
    document_id: str
    source: str | None
    title: str | None
    page_start: int | None
    page_end: int | None
    url: str


class ItemPassage(BaseModel):
    """Another passage of the same agenda item as a result, ranked below the top k."""

    chunk_id: str
    text: str
    section: str | None
    page_start: int | None
    page_end: int | None
    page_label: str | None
    url: str


class Highlight(BaseModel):
    """The sentences of a passage closest in meaning to the query (its best sentence window), with the
    page(s) they are on."""

    char_start: int = Field(description="Where the sentences start in the passage's text (characters).")
    char_end: int
    text: str
    page_start: int | None
    page_end: int | None
    page_label: str | None = Field(default=None, description="The printed label of page_start, if any.")


class SearchResult(BaseModel):
    chunk_id: str
    text: str
    score: float
    document_id: str
    source: str | None
    title: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    doc_type: str
    section: str | None
    page_start: int | None
    page_end: int | None
    page_label: str | None
    url: str
    part_title: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    alternates: list[Alternate] = Field(default_factory=list)
    more_from_item: list[ItemPassage] = Field(
        default_factory=list,
        description="More passages of this result's agenda item, in rank order, that the top k leaves out.",
    )
    source_url: str | None = Field(
        default=None, description="The council's own URL of the document, if known."
    )
    meeting_url: str | None = Field(default=None, description="The council's page of the meeting, if known.")
    page_source: str | None = Field(
        default=None,
        description='How the pages are known: "pdf", "printed_marker", "form_feed", or "agenda" (a range).',
    )
    highlight: Highlight | None = Field(
        default=None,
        description="The passage's sentences closest in meaning to the query; none for a one-sentence passage.",
    )


class SearchResponse(BaseModel):
    query: str
    results: list[SearchResult]
    count: int
    filters: dict[str, Any] = Field(default_factory=dict)
    date_hint: dict[str, str] | None = None


class Filters(BaseModel):
    """What narrows a search: /search takes these as query parameters, /ask in its body."""

    committee: str | None = Field(default=None, max_length=200)
    council: str | None = Field(default=None, max_length=200, description="A council, as its papers name it.")
    doc_type: DocType | None = None
    date_from: IsoDate | None = Field(default=None, description="YYYY-MM-DD")
    date_to: IsoDate | None = Field(default=None, description="YYYY-MM-DD")

    def given(self) -> dict[str, str]:
        """The filters set, as text (what a response echoes)."""
        return {key: str(value) for key, value in self.model_dump().items() if value}


class AskRequest(Filters):
    question: str = Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        pattern=QUERY_PATTERN,
        description="The question, in plain words.",
    )
    k: int = Field(default=5, ge=1, le=50, description="Passages to consider.")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question must not be empty")
        return value


class Citation(BaseModel):
    marker: int
    chunk_id: str
    document_id: str
    source: str | None
    title: str | None = None
    committee: str | None = None
    section: str | None = None
    meeting_date: str | None = None
    page_start: int | None
    page_end: int | None
    page_label: str | None
    quote: str
    url: str
    page_source: str | None = None
    pack_pages: list[int] | None = Field(
        default=None,
        description="[first, last] pack pages the quote lies within, from the agenda, when its page is unknown.",
    )
    source_url: str | None = Field(
        default=None, description="The council's own URL of the document, if known."
    )
    meeting_url: str | None = Field(default=None, description="The council's page of the meeting, if known.")


class AskResponse(BaseModel):
    question: str
    answered: bool
    answer: str
    citations: list[Citation]
    passages: list[SearchResult]
    searched: str = Field(description="What was searched, in words.")
    mode: str = Field(default="extractive", description="extractive or generative")
    confidence: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="The answerability model's probability that the papers answer the question; 0 when "
        "the question names a committee that no indexed paper is of and no passage found names.",
    )


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    model: str | None = None
    max_query_chars: int | None = Field(
        default=None, description="The longest query /search and /ask accept."
    )
    search_snapshot: bool | None = Field(
        default=None,
        description="Whether searches read the index's current search snapshot (false while an indexer "
        "is writing, or when none could be written: searches then read the index directly, slower).",
    )
