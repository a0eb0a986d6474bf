"""Minute items: the numbered items inside the minutes parts of a document, with their meeting."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.models import ParsedDocument, Part
from indexer.text.spans import Line, is_furniture, plain, split_lines

# Birmingham: "### 3. ACTION NOTES", "8. SEND – OBJECTIVE 2: ..." (titles in capitals).
_CAPS_HEADING = re.compile(r"^(\d{1,3})\.\s+(.+)$")
# Kent: "90. 24/00109 - Transfer the 18-25 section ..." (title may wrap) and then "(Item 7)".
_NUMBERED = re.compile(r"^\s*(\d{1,4})\.\s+(\S.*)$")
_ITEM_REF = re.compile(r"^\s*\(Item\s+\d+[a-z]?\)\s*$", re.IGNORECASE)
_PARAGRAPH_ONE = re.compile(r"^\s*1[.)]\s+\S")
_MAX_TITLE_LINES = 4
_MAX_SCAN_LINES = 14
_PROCEDURAL = re.compile(r"apolog|declaration|webcast|notice of recording", re.IGNORECASE)
# The body whose minutes these are, as the header prints it: "MINUTES of a meeting of the Corporate
# Parenting Panel held ...", or the line above a "1000 hours on Wednesday, 30 March 2022" header.
_BODY_HEADER = re.compile(
    r"\bMINUTES\s+of\s+(?:a|the)\s+meeting\s+of\s+(?:the\s+)?(.+?)\s+held\b", re.I | re.S
)
_HOURS_HEADER = re.compile(r"^\s*\d{1,2}[:.]?\d{2}\s+hours\s+on\b", re.I | re.M)
_MEETING_SUFFIX = re.compile(r"\s*[–-]\s*(?:public|private)\s+meeting\s*$", re.I)
_HEADER_CHARS = 600


@dataclass(frozen=True)
class MinuteItem:
    """One item of a meeting's minutes: from its heading to the next heading."""

    number: str | None
    title: str | None
    char_start: int  # the heading
    body_start: int  # the first character after the heading
    char_end: int
    meeting_date: str | None
    committee: str | None = None  # the body whose minutes these are, as printed in their header

    @property
    def procedural(self) -> bool:
        """Apologies, declarations and webcast notices: never decisions in these minutes."""
        return bool(self.title and _PROCEDURAL.search(self.title))


def minutes_parts(doc: ParsedDocument) -> list[Part]:
    """The parts of a document that are minutes or action notes of a meeting."""
    return [p for p in doc.parts if p.doc_type == "minutes"]


def find_minute_items(doc: ParsedDocument) -> list[MinuteItem]:
    """Every minute item in the document's minutes parts, in text order."""
    text = doc.full_text
    items: list[MinuteItem] = []
    for part in minutes_parts(doc):
        body = printed_body(text, part.char_start)
        lines = split_lines(text, part.char_start, part.char_end)
        headings = _headings(lines)
        for index, (line_index, end_index, number, title) in enumerate(headings):
            end = headings[index + 1][0] if index + 1 < len(headings) else None
            char_end = lines[end].start if end is not None else part.char_end
            body_start = lines[end_index].start if end_index < len(lines) else part.char_end
            items.append(
                MinuteItem(
                    number,
                    title,
                    lines[line_index].start,
                    min(body_start, char_end),
                    char_end,
                    part.meeting_date,
                    body,
                )
            )
    return items


def printed_body(text: str, start: int) -> str | None:
    """The committee or panel a set of minutes starting at ``start`` names in its header, if printed."""
    header = text[start : start + _HEADER_CHARS]
    named = _BODY_HEADER.search(header)
    if named:
        return " ".join(named.group(1).split())
    hours = _HOURS_HEADER.search(header)
    if hours is None:
        return None
    above = [plain(line) for line in header[: hours.start()].split("\n") if plain(line)]
    if len(above) < 2:  # the council's name, then the body's
        return None
    return _MEETING_SUFFIX.sub("", " ".join(above[1:])) or None


def _headings(lines: list[Line]) -> list[tuple[int, int, str | None, str | None]]:
    """(first line, line after the heading, number, title) of each minute heading."""
    found: list[tuple[int, int, str | None, str | None]] = []
    index = 0
    while index < len(lines):
        heading = _heading_at(lines, index)
        if heading:
            found.append((index, *heading))
            index = heading[0]
        else:
            index += 1
    return found


def _heading_at(lines: list[Line], index: int) -> tuple[int, str | None, str | None] | None:
    stripped = plain(lines[index].text)
    if not stripped:
        return None
    match = _NUMBERED.match(stripped)
    if match:
        # Kent: the heading (which may wrap, even over a page break) is followed by "(Item n)".
        title_lines = [match.group(2)]
        for line_index in range(index + 1, min(len(lines), index + _MAX_SCAN_LINES)):
            line = lines[line_index]
            if _ITEM_REF.match(line.text):
                return line_index + 1, match.group(1), " ".join(title_lines)
            if line.blank or is_furniture(line):
                continue
            if _NUMBERED.match(line.text) or len(title_lines) >= _MAX_TITLE_LINES:
                break
            title_lines.append(plain(line.text))
    match = _CAPS_HEADING.match(stripped)
    if match and _is_caps_title(match.group(2)):
        return index + 1, match.group(1), match.group(2).strip()
    if _is_unnumbered_heading(lines, index, stripped):
        return index + 1, None, stripped
    return None


def _is_caps_title(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) >= 0.9


def _is_unnumbered_heading(lines: list[Line], index: int, stripped: str) -> bool:
    """A short title-case line alone between blank lines, followed by paragraph 1 ("Election of Chair")."""
    words = stripped.split()
    if not (1 <= len(words) <= 8) or stripped.isupper() or not stripped[0].isupper():
        return False
    if stripped[-1] in ".:;,)" or (index > 0 and not lines[index - 1].blank):
        return False
    following = [line for line in lines[index + 1 : index + 6] if not line.blank]
    if not following or not _PARAGRAPH_ONE.match(following[0].text):
        return False
    first = _CAPS_HEADING.match(plain(following[0].text))
    return not (first and _is_caps_title(first.group(2)))  # paragraph 1 is prose, not the next heading
