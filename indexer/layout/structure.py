"""Find the structure of a paper: the parts of a pack (with the meeting each records) and its sections."""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.models import DocumentMeta, Part, Section
from indexer.text.dates import first_date
from indexer.text.spans import plain

# "1000 hours on Wednesday, 30 March 2022" / "13:00 hours on Wednesday 26 April 2017"
_BHAM_HEADER = re.compile(
    r"^\s*\d{1,2}[:.]?\d{2}\s+hours\s+on\s+\w+,?\s+\d{1,2}\s+\w+,?\s+\d{4}", re.IGNORECASE | re.M
)
# "MINUTES of a meeting of the Cabinet held in the Council Chamber ... on Thursday, 30 January 2025."
_MINUTES_HEADER = re.compile(
    r"^\s*MINUTES\s+of\s+(?:a|the)\s+meeting\s+of\s+(?:the\s+)?(?P<body>.+?)\s+held\b(?P<rest>[^.]{0,300}?\d{4})",
    re.IGNORECASE | re.M | re.S,
)
# A council's name printed alone on a line above its minutes ("BIRMINGHAM CITY COUNCIL"), when the
# paper's council is not known.
_ANY_COUNCIL_LINE = re.compile(r"^\W*[A-Z][A-Z'&.-]*(?: [A-Z][A-Z'&.-]*)* COUNCIL\W*$", re.M)
_MEETING_END = re.compile(r"^.*\bThe meeting (?:ended|closed|finished) at\b.*$", re.IGNORECASE | re.M)
# A file is one set of minutes when only a header line or a page number stands outside them.
_MAX_CHARS_BEFORE_MINUTES = 200
_MAX_CHARS_AFTER_MINUTES = 20
_ACTION_NOTES = re.compile(r"\b(Action Notes|Actions)\b", re.IGNORECASE)

# Agenda and minute items: "6 ACTION NOTES", "### 7 <u>ACTION NOTES</u>", "8. SEND – OBJECTIVE 2", "**9 YOUTH...".
_ITEM_HEADING = re.compile(r"^[#\s*]*(\d{1,3})\.?[\s*]+(?:<u>)?\**([A-Z][^a-z]{2,}?)\s*$")
# Kent minutes: "84. Apologies" followed by "(Item 1)" on the next line.
_NUMBERED_LINE = re.compile(r"^\s*(\d{1,3})\.\s+(\S.{1,150}?)\s*$")
_ITEM_REF = re.compile(r"^\s*\(Item\s+\d+[a-z]?\)\s*$", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+(.+?)\s*$")
_LEADING_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,2})*)\.?\s+(.+)$")


def structure_document(text: str, meta: DocumentMeta) -> tuple[DocumentMeta, list[Part], list[Section]]:
    """Parts and sections of a document, and its metadata settled by them (a file of minutes is dated
    by the meeting it records)."""
    parts = find_parts(text, meta)
    meta = apply_parts_to_meta(meta, parts, text)
    # Parts outside any minutes take the document's own type and date, now that those are settled.
    parts = [
        p
        if p.doc_type
        else replace(p, doc_type=meta.doc_type, title=meta.title, meeting_date=meta.meeting_date)
        for p in parts
    ]
    return meta, parts, find_sections(text)


def find_parts(text: str, meta: DocumentMeta) -> list[Part]:
    """Split a document into the meetings it records.

    A minutes or action-notes header starts a part dated by that header; "The meeting ended at" closes
    it. Text outside such parts belongs to the document itself (its pack or meeting date).
    """
    starts: list[tuple[int, int, str, str]] = []  # (part start, header end, date, title)
    for match in _BHAM_HEADER.finditer(text):
        date = first_date(match.group(0))
        if not date:
            continue
        window = text[match.end() : match.end() + 200]
        kind = "Action Notes" if _ACTION_NOTES.search(match.group(0) + window[:80]) else "Minutes"
        starts.append((_header_start(text, match.start(), meta.council), match.end(), date, kind))
    for match in _MINUTES_HEADER.finditer(text):
        date = first_date(" ".join(match.group("rest").split()))
        if date:
            starts.append((_header_start(text, match.start(), meta.council), match.end(), date, "Minutes"))
    starts.sort()

    parts: list[Part] = []
    cursor = 0
    for index, (start, header_end, date, kind) in enumerate(starts):
        if start < cursor:
            continue
        next_start = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        end_match = _MEETING_END.search(text, header_end, next_start)
        end = min(end_match.end() + 1, len(text)) if end_match else next_start
        if start > cursor:
            parts.append(_document_part(cursor, start, meta))
        parts.append(Part(start, end, "minutes", f"{kind} of the meeting of {_long_date(date)}", date))
        cursor = end
    if cursor < len(text):
        parts.append(_document_part(cursor, len(text), meta))
    return _drop_blank_parts(parts, text)


def apply_parts_to_meta(meta: DocumentMeta, parts: list[Part], text: str) -> DocumentMeta:
    """A document that is one set of minutes is dated by the meeting it records, not by its pack."""
    minutes = [p for p in parts if p.doc_type == "minutes"]
    if (
        len(minutes) == 1
        and len(text[: minutes[0].char_start].strip()) < _MAX_CHARS_BEFORE_MINUTES
        and len(text[minutes[0].char_end :].strip()) < _MAX_CHARS_AFTER_MINUTES
    ):
        return replace(meta, meeting_date=minutes[0].meeting_date, doc_type="minutes")
    return meta


def find_sections(text: str) -> list[Section]:
    """Agenda items, minute items and headings, in order of where they start."""
    sections: list[Section] = []
    lines = text.split("\n")
    offset = 0
    for index, line in enumerate(lines):
        section = _section_at(line, lines, index)
        if section:
            number, title, level = section
            sections.append(Section(char_start=offset, number=number, title=title, level=level))
        offset += len(line) + 1
    return sections


def _section_at(line: str, lines: list[str], index: int) -> tuple[str | None, str, int] | None:
    """(number, title, level) of a heading line: items are level 2, a markdown heading deeper (by its
    number's depth when numbered, "1.2" under "1", else by its marks)."""
    stripped = line.strip()
    if not stripped or len(stripped) > 200:
        return None
    match = _ITEM_HEADING.match(stripped)
    if match:
        title = plain(match.group(2), drop_symbols=True)
        if len(title) >= 3 and not title.replace(" ", "").isdigit():
            return match.group(1), title, 2
    match = _NUMBERED_LINE.match(stripped)
    if match:
        following = [next_line for next_line in lines[index + 1 : index + 4] if next_line.strip()]
        if following and _ITEM_REF.match(following[0]):
            return match.group(1), plain(match.group(2), drop_symbols=True), 2
    match = _MARKDOWN_HEADING.match(stripped)
    if match:
        title = plain(match.group(1), drop_symbols=True)
        if not title:
            return None
        numbered = _LEADING_NUMBER.match(title)
        if numbered:
            return numbered.group(1), numbered.group(2), 2 + numbered.group(1).count(".") + 1
        return None, title, 2 + len(stripped) - len(stripped.lstrip("#"))
    return None


def _header_start(text: str, header: int, council: str | None) -> int:
    """Move a part's start back to the council's name printed above the minutes header, if near."""
    window_start = max(0, header - 400)
    line = re.compile(rf"^\W*{re.escape(council.upper())}\W*$", re.M) if council else _ANY_COUNCIL_LINE
    councils = list(line.finditer(text, window_start, header))
    return councils[-1].start() if councils else text.rfind("\n", 0, header) + 1


def _document_part(start: int, end: int, meta: DocumentMeta) -> Part:
    # doc_type "" marks text of the document itself; the pipeline fills in the type once it is settled.
    return Part(start, end, "", meta.title, meta.meeting_date)


def _drop_blank_parts(parts: list[Part], text: str) -> list[Part]:
    return [p for p in parts if text[p.char_start : p.char_end].strip()]


def _long_date(iso: str) -> str:
    from datetime import date

    return date.fromisoformat(iso).strftime("%-d %B %Y")
