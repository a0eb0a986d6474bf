"""Quotes: exact, whitespace-trimmed spans of a document's text with the pages they are on."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from indexer.models import ParsedDocument

# Lines that are page furniture, not content: printed page numbers and "Page N of M" footers (also the
# tab-split "Page\t18\tof\t116" of some conversions).
_FURNITURE = re.compile(r"^\s*(?:\d{1,4}|page\s*\d{1,4}(?:\s*o\s*f\s*[\d\s]{1,8})?)\s*$", re.IGNORECASE)
_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n\s*\n\s*|\n(?=\s*(?:[-•*·▪]|\(?[a-z0-9]{1,3}[).]\s))")
_LEADING_MARKS = " \t\n-•*·"  # white space and bullet marks before a sentence's first word
_MARKUP = re.compile(r"</?(?:u|b|i|sup|sub|p|li|ul|ol)\b[^>]*>|\*\*|^#+\s*", re.IGNORECASE | re.M)
_ORDINAL_MARKUP = re.compile(r"<sup>\s*(st|nd|rd|th)\s*</sup>", re.IGNORECASE)
_SYMBOLS = re.compile(r"[#*_`<>]")


@dataclass(frozen=True)
class Line:
    """One line of a document's full text with its offsets."""

    start: int
    end: int  # offset of the line's end (its newline, or the end of the text)
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Paragraph:
    """A run of non-blank lines; page furniture between them is skipped, not a break."""

    lines: tuple[Line, ...]

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    def text(self, full_text: str) -> str:
        return full_text[self.start : self.end]


class PageIndex:
    """Page lookup by character offset, and trimming of spans into quotes."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        self.text = doc.full_text
        self._starts = [p.char_start for p in doc.pages]

    def page_at(self, char: int) -> tuple[int | None, str | None]:
        """(page_number, page_label) of the page holding ``char``; (None, None) where it is unknown."""
        index = bisect.bisect_right(self._starts, char) - 1
        if index < 0:
            return None, None
        page = self.doc.pages[index]
        return page.page_number, page.page_label

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """The span without surrounding whitespace."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def cite(self, start: int, end: int) -> dict:
        """Keyword arguments for a record's citation fields (see ``record_models.Cited``)."""
        start, end = self.trim(start, end)
        page_number, page_label = self.page_at(start)
        page_number_end, page_label_end = self.page_at(max(start, end - 1))
        return {
            "document_id": self.doc.document_id,
            "char_start": start,
            "char_end": end,
            "quote": self.text[start:end],
            "page_number": page_number,
            "page_label": page_label,
            "page_number_end": page_number_end,
            "page_label_end": page_label_end,
        }


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The lines of ``text[start:end]`` with their offsets in ``text``."""
    end = len(text) if end is None else end
    lines: list[Line] = []
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline < 0 else newline
        lines.append(Line(position, line_end, text[position:line_end]))
        position = line_end + 1
    return lines


def is_furniture(line: Line) -> bool:
    """A printed page number or page footer on a line of its own."""
    return is_page_number(line.text)


def is_page_number(text: str) -> bool:
    """Whether a line's text is only a printed page number ("17", "Page 17", "Page 17 of 132")."""
    return bool(_FURNITURE.match(text))


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group lines into paragraphs: blank lines end a paragraph, except where a page break (a printed page
    number among the blank lines) falls inside a sentence. Page furniture is left out."""
    found: list[Paragraph] = []
    current: list[Line] = []
    gap: list[Line] = []  # blank and furniture lines since the last content line
    for line in lines:
        if line.blank or is_furniture(line):
            gap.append(line)
            continue
        if current and gap and not _page_break_inside_sentence(current[-1], gap):
            found.append(Paragraph(tuple(current)))
            current = []
        gap = []
        current.append(line)
    if current:
        found.append(Paragraph(tuple(current)))
    return found


def bullet_entries(paragraph: Paragraph, bullet: re.Pattern[str]) -> list[tuple[int, int, bool]]:
    """A paragraph's bullets (with their wrapped lines) or the paragraph itself: (start, end, is_bullet).

    ``bullet`` matches a bullet marker at the start of a line; a marker alone on its line is not a bullet.
    """
    entries: list[tuple[int, int, bool]] = []
    for line in paragraph.lines:
        marker = bullet.match(line.text)
        if marker and line.text.strip() not in {"-", "*"}:
            entries.append((line.start + marker.end(), line.end, True))
        elif entries:
            entries[-1] = (entries[-1][0], line.end, entries[-1][2])
        else:
            entries.append((line.start, line.end, False))
    return entries


def _page_break_inside_sentence(last: Line, gap: list[Line]) -> bool:
    if not any(is_furniture(line) for line in gap):
        return False
    return not re.search(r"[.:;!?)\]\"”]\s*$", last.text)


def join_ordinals(text: str) -> str:
    """ "9<sup>th</sup>" as "9th": the only markup whose removal must not leave a space."""
    return _ORDINAL_MARKUP.sub(r"\1", text)


def plain(text: str, drop_symbols: bool = False) -> str:
    """Text without markup and with single spaces: for matching and display, never for quotes.

    ``drop_symbols`` also drops stray markdown symbols (# * _ ` < >): for a title or heading line, where
    they are never content; in running text they can be ("open >7 days").
    """
    text = _MARKUP.sub(" ", join_ordinals(text))
    if drop_symbols:
        text = _SYMBOLS.sub(" ", text)
    return " ".join(text.split())


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences and bullet lines of ``text[start:end]`` as spans, trimmed of white space and of a
    leading bullet mark. One splitter for cited answers and for the records drawn from minutes.

    A sentence ends at . ! ? before white space, at a blank line, or before a bullet or numbered line; a
    bare line break does not end one (PDF text breaks lines mid-sentence).
    """
    end = len(text) if end is None else end
    cuts = [start, *(start + m.end() for m in _SENTENCE_BOUNDARY.finditer(text[start:end])), end]
    spans: list[tuple[int, int]] = []
    for cut_start, cut_end in itertools.pairwise(cuts):
        piece = text[cut_start:cut_end]
        span_start = cut_start + len(piece) - len(piece.lstrip(_LEADING_MARKS))
        span_end = cut_end - (len(piece) - len(piece.rstrip()))
        if span_end > span_start:
            spans.append((span_start, span_end))
    return spans
