"""Pack pages in a text conversion: where each agenda item's paper begins, and the pages between."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from indexer.layout.agenda_entries import (
    AGENDA_SEARCH_CHARS,
    FOOTER,
    PAGES,
    TIME_SLOT,
    AgendaEntry,
)
from indexer.models import ParsedDocument
from indexer.text.dates import find_dates
from indexer.text.spans import Line, plain, split_lines
from indexer.text.words import STOPWORDS

_COVER_LOOKBACK_LINES = 14
_MINUTES_TITLE = re.compile(r"\bminutes\b|\baction notes\b|\bnotes of\b", re.IGNORECASE)
# Words an agenda title shares with many headings, so they cannot say where its paper begins.
_TITLE_FILLER = STOPWORDS | {"update", "report", "item"}


def page_spans(doc: ParsedDocument, entries: list[AgendaEntry]) -> list[tuple[int, int, int, int]]:
    """(char_start, char_end, first_page_number, last_page_number) of the stretches of a text pack whose
    pack pages are known.

    Evidence, strongest first: pages the reader numbered exactly, printed "Page N of M" footers (the
    text after footer N is page N+1), and where each agenda item's paper begins (its first page from the
    agenda's printed range): the minutes part it introduces, or a heading with its title. Anchors that
    contradict stronger ones are dropped; only stretches between two anchors are returned.
    """
    text = doc.full_text
    # (char, page number starting there, priority: lower is stronger)
    anchors: list[tuple[int, int, int]] = []
    for page in doc.pages:
        if page.page_number is not None and page.page_source in {"form_feed", "printed_marker"}:
            anchors.append((page.char_start, page.page_number, 0))
    footers = _footers(text)
    anchors.extend((char, number + 1, 0) for char, number in footers)
    if entries and entries[0].start < AGENDA_SEARCH_CHARS:
        anchors.append((0, 1, 2))  # a pack opens with its agenda on page 1
    for position, char in paper_starts(doc, entries).items():
        first = entries[position].first_page
        if first is not None:
            anchors.append((char, first, 1))
    ranged = [e for e in entries if e.last_page is not None]
    totals = {
        int(re.sub(r"\s", "", m.group(2))) for line in split_lines(text) if (m := FOOTER.match(line.text))
    }
    if ranged and (not totals or max(e.last_page or 0 for e in ranged) in totals):
        anchors.append((len(text), max(e.last_page or 0 for e in ranged) + 1, 2))
    return _spans(text, _consistent(anchors))


def _footers(text: str) -> list[tuple[int, int]]:
    """(offset after the footer line, N) for each printed "Page N of M" footer on a line of its own.

    Only footers whose total M is the pack's usual total, and whose numbers rise through the text, count.
    """
    found = []
    for line in split_lines(text):
        match = FOOTER.match(line.text)
        if match:
            found.append((line.end + 1, int(match.group(1)), int(re.sub(r"\s", "", match.group(2)))))
    if not found:
        return []
    total = Counter(t for _, _, t in found).most_common(1)[0][0]
    kept: list[tuple[int, int]] = []
    for char, number, pack_total in found:
        if pack_total == total and number <= total and (not kept or number > kept[-1][1]):
            kept.append((min(char, len(text)), number))
    return kept


def paper_starts(doc: ParsedDocument, entries: list[AgendaEntry]) -> dict[int, int]:
    """Where each ranged agenda item's paper begins in the text, for those that can be located."""
    text = doc.full_text
    agenda_end = max((e.end for e in entries), default=0)
    lines = split_lines(text, agenda_end)
    starts: dict[int, int] = {}
    cursor = agenda_end
    claimed: set[int] = set()
    minutes = [p for p in doc.parts if p.doc_type == "minutes" and p.char_start >= agenda_end]
    after_footer = {number + 1: char for char, number in _footers(text)}
    for position, entry in enumerate(entries):
        if entry.first_page is None:
            continue
        located = after_footer.get(entry.first_page)  # the page after footer N-1 is page N: exact
        if located is not None and located >= cursor:
            starts[position] = located
            cursor = located + 1
            continue
        located = None
        if _MINUTES_TITLE.search(entry.title):
            dates = set(find_dates(text[entry.start : entry.end]))
            for part in minutes:
                if (
                    part.char_start >= cursor
                    and part.char_start not in claimed
                    and (not dates or part.meeting_date in dates)
                ):
                    located = part.char_start
                    claimed.add(part.char_start)
                    break
            if located is not None:
                starts[position] = located
                cursor = max(cursor, next(p.char_end for p in minutes if p.char_start == located))
                continue  # minutes are one paper: no other paper begins inside them
        else:
            located = _title_heading(text, lines, entry.title, cursor, minutes)
            if located is None:
                located = _after_previous_minutes(doc, entries, position, starts, cursor)
        if located is not None:
            starts[position] = located
            cursor = located + 1
    return starts


def _title_heading(text: str, lines: list[Line], title: str, cursor: int, minutes: list) -> int | None:
    """The first heading-like line after ``cursor``, outside minutes, holding every distinctive title word."""
    words = [
        w
        for w in re.findall(r"[a-z0-9']+", plain(TIME_SLOT.sub("", PAGES.sub("", title))).lower())
        if w not in _TITLE_FILLER
    ]
    if len(words) < 2:
        return None  # one word ("SEND") names too many headings to say where a paper begins
    for number, line in enumerate(lines):
        if line.start < cursor or any(p.char_start <= line.start < p.char_end for p in minutes):
            continue
        heading = plain(line.text).lower()
        if len(heading.split()) > 16 and not heading.startswith("subject"):
            continue
        if all(re.search(rf"\b{re.escape(w)}\b", heading) for w in words):
            return _cover_start(lines, number)
    return None


def _cover_start(lines: list[Line], number: int) -> int:
    """Move a title back over the cover lines printed above it (council, committee, date)."""
    start = number
    for back in range(number - 1, max(-1, number - _COVER_LOOKBACK_LINES), -1):
        stripped = plain(lines[back].text)
        if not stripped:
            continue
        if not _cover_line(stripped):
            break
        start = back
    return lines[start].start


def _cover_line(line: str) -> bool:
    words = line.split()
    if len(words) > 12 or line.endswith((".", ";", ",")) or line.startswith(("-", "•")):
        return False
    if line.isupper() or find_dates(line) or re.search(r"\b(?:Council|Committee)\b", line):
        return True
    return all(w[0].isupper() for w in words if len(w) > 3 and w[0].isalpha())


def _after_previous_minutes(
    doc: ParsedDocument, entries: list[AgendaEntry], position: int, starts: dict[int, int], cursor: int
) -> int | None:
    """A paper that follows a minutes item on the next page begins where those minutes end."""
    previous = next((p for p in range(position - 1, -1, -1) if entries[p].first_page is not None), None)
    if previous is None or previous not in starts or not _MINUTES_TITLE.search(entries[previous].title):
        return None
    last_page = entries[previous].last_page
    if last_page is None or entries[position].first_page != last_page + 1:
        return None
    part = next((p for p in doc.parts if p.char_start == starts[previous]), None)
    return part.char_end if part is not None and part.char_end >= cursor else None


def _consistent(anchors: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Anchors that agree with each other, stronger first: pages rise with the text, one start per page."""
    kept: list[tuple[int, int]] = []
    for char, page, _ in sorted(anchors, key=lambda a: (a[2], a[0])):
        agrees = all(
            (char < c and page < p) or (char > c and page > p) or (char == c and page == p) for c, p in kept
        )
        if agrees:
            kept.append((char, page))
    return sorted(set(kept))


def _spans(text: str, anchors: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    spans = []
    for (start, first), (end, following) in pairwise(anchors):
        if following > first and text[start:end].strip():
            spans.append((start, end, first, following - 1))
    return spans
