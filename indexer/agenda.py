"""Agenda items of a pack or front sheet, and the pack pages their papers occupy in a text conversion."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from indexer.dates import find_dates
from indexer.models import ParsedDocument
from indexer.quotes import Line, PageIndex, plain, split_lines
from indexer.record_models import AgendaItem

_AGENDA_HEADING = re.compile(r"^\s*(?:A\s?G\s?E\s?N\s?D\s?A|(?P<supplement>Agenda Item No\.?))\s*$")
_AGENDA_SEARCH_CHARS = 3000
_RANGE = r"(\d{1,4})\s*[-–]\s*(\d{1,4})"
_RANGE_ONLY = re.compile(rf"^{_RANGE}$")
_RANGE_GLUED = re.compile(rf"^{_RANGE}\s+([A-Z].*)$")  # "19 - 58 THE EDUCATION ..." (number lost)
_ITEM = re.compile(r"^(\d{1,2})(\.?)\s+(\S.*)$")
_PAGES = re.compile(r"\(\s*Pages?\s+(\d{1,4})(?:\s*[-–]\s*(\d{1,4}))?\s*\)", re.IGNORECASE)
_TIME_SLOT = re.compile(
    r"\(\s*(\d{1,2}[.:]\d{2})\s*(?:[ap]\.?m\.?)?\s*[-–]\s*(\d{1,2}[.:]\d{2})\s*(?:[ap]\.?m\.?)?\s*\)", re.I
)
_ATTENDANCE = re.compile(r"\bin attendance\b|\bto (?:update|present|provide an update|introduce)\b", re.I)
_CAPS_LINE = re.compile(r"^[A-Z][A-Z ,&'()/-]{3,}$")
_FOOTER = re.compile(r"^\s*Page\s*(\d{1,4})\s*o\s*f\s*([\d\s]{1,8})$", re.IGNORECASE)
_MINUTES_HEADER = re.compile(r"\bhours on \w+,? \d{1,2} \w+|^MINUTES of a meeting\b", re.IGNORECASE)
_MINUTES_TITLE = re.compile(r"\bminutes\b|\baction notes\b|\bnotes of\b", re.IGNORECASE)
_STOP_WORDS = {"the", "and", "of", "for", "to", "a", "an", "in", "on", "update", "report", "item"}
_COVER_LOOKBACK_LINES = 14
_BLANK_RUN_ENDS_ITEM = 3


@dataclass
class _Entry:
    """An agenda entry as read, before it becomes an AgendaItem."""

    number: str | None
    title: str
    start: int
    end: int
    first_page: int | None = None
    last_page: int | None = None
    number_inferred: bool = False
    description_start: int | None = None


def parse_agenda(doc: ParsedDocument, index: PageIndex | None = None, context: dict | None = None) -> list[AgendaItem]:
    """The items of the agenda at the start of a pack or front sheet (none if the document has no agenda)."""
    index = index or PageIndex(doc)
    context = context or {"committee": doc.meta.committee, "committee_id": None}
    text = doc.full_text
    entries = _entries(text)
    items: list[AgendaItem] = []
    paper_starts = _paper_starts(doc, entries) if doc.kind == "text" else {}
    for position, entry in enumerate(entries):
        description = plain(text[entry.description_start : entry.end]) if entry.description_start else ""
        slot = _TIME_SLOT.search(entry.title)
        title = plain(_TIME_SLOT.sub("", _PAGES.sub("", entry.title))).strip(" -–")
        attendees = [p for p in re.split(r"\n\s*\n", text[entry.description_start or entry.end : entry.end])
                     if _ATTENDANCE.search(p)]
        items.append(
            AgendaItem(
                item_id=f"{doc.document_id}:agenda:{position}",
                meeting_date=doc.meta.pack_date or doc.meta.meeting_date,
                item_number=entry.number,
                number_inferred=entry.number_inferred,
                title=title,
                description=description or None,
                attendees=" ".join(plain(a) for a in attendees) or None,
                time_start=slot.group(1) if slot else None,
                time_end=slot.group(2) if slot else None,
                first_page=entry.first_page,
                last_page=entry.last_page,
                paper_char_start=paper_starts.get(position),
                **context,
                **index.cite(entry.start, entry.end),
            )
        )
    return items


def agenda_page_spans(doc: ParsedDocument) -> list[tuple[int, int, int, int]]:
    """(char_start, char_end, first_page_number, last_page_number) of the stretches of a text pack whose pack
    pages are known.

    Evidence, strongest first: pages the reader numbered exactly, printed "Page N of M" footers (the
    text after footer N is page N+1), and where each agenda item's paper begins (its first page from the
    agenda's printed range): the minutes part it introduces, or a heading with its title. Anchors that
    contradict stronger ones are dropped; only stretches between two anchors are returned.
    """
    if doc.kind != "text":
        return []
    text = doc.full_text
    entries = _entries(text)
    anchors: list[tuple[int, int, int]] = []  # (char, page number starting there, priority: lower is stronger)
    for page in doc.pages:
        if page.page_number is not None and page.page_source in {"form_feed", "printed_marker"}:
            anchors.append((page.char_start, page.page_number, 0))
    footers = _footers(text)
    anchors.extend((char, number + 1, 0) for char, number in footers)
    if entries and entries[0].start < _AGENDA_SEARCH_CHARS:
        anchors.append((0, 1, 2))  # a pack opens with its agenda on page 1
    for position, char in _paper_starts(doc, entries).items():
        first = entries[position].first_page
        if first is not None:
            anchors.append((char, first, 1))
    ranged = [e for e in entries if e.last_page is not None]
    totals = {int(re.sub(r"\s", "", m.group(2))) for line in split_lines(text) if (m := _FOOTER.match(line.text))}
    if ranged and (not totals or max(e.last_page or 0 for e in ranged) in totals):
        anchors.append((len(text), max(e.last_page or 0 for e in ranged) + 1, 2))
    return _spans(text, _consistent(anchors))


# --- Reading the agenda ---------------------------------------------------------------------------------


def _agenda_start(text: str) -> tuple[int, bool] | None:
    """Where the agenda's items begin, and whether it lists only some items (a supplement's "Agenda Item No")."""
    for line in split_lines(text, 0, min(len(text), _AGENDA_SEARCH_CHARS)):
        match = _AGENDA_HEADING.match(plain(line.text).replace("#", ""))
        if match:
            return line.end, bool(match.group("supplement"))
    return None


def _entries(text: str) -> list[_Entry]:
    """Agenda entries in order: numbered items (a lost number is taken from its neighbours) with page ranges.

    The agenda runs from its heading to the first minutes header, section heading or page footer after it.
    """
    found = _agenda_start(text)
    if found is None:
        return []
    start, supplement = found
    entries: list[_Entry] = []
    open_entry: _Entry | None = None
    pending_range: tuple[int, int] | None = None
    blank_run = 0
    last_content_end = start
    lines = split_lines(text, start)
    index = 0
    while index < len(lines):
        line = lines[index]
        cleaned, cell_range = _clean(line.text)
        if not cleaned:
            blank_run += 1
            if blank_run >= _BLANK_RUN_ENDS_ITEM:
                open_entry = _closed(open_entry, last_content_end)
            index += 1
            continue
        blank_run = 0
        expected = str(int(entries[-1].number or 0) + 1) if entries else "1"
        if supplement and not entries and (first := _ITEM.match(cleaned)):
            expected = first.group(1)  # a supplement lists only the items it brings
        heading = _heading(cleaned, expected, cell_range or pending_range)
        if heading is None:
            range_only = _RANGE_ONLY.match(cleaned)
            if range_only:
                pending_range = (int(range_only.group(1)), int(range_only.group(2)))
                open_entry = _closed(open_entry, last_content_end)
            elif _ends_agenda(line.text, cleaned) or _MINUTES_HEADER.search(cleaned):
                open_entry = _closed(open_entry, last_content_end)
                if entries and not _CAPS_LINE.match(cleaned):
                    break  # a section heading, footer or minutes header: the agenda is over
            else:
                last_content_end = line.end
            index += 1
            continue
        open_entry = _closed(open_entry, last_content_end)
        number, title, page_range, inferred = heading
        pending_range = None
        index = _continue_title(lines, index, _ITEM.match(cleaned) is not None and "." in cleaned[:4])
        end = lines[index - 1].end
        full_title = _strip_marker(plain(_clean(text[line.start : end])[0]), number) if end > line.end else title
        pages = _PAGES.search(full_title)
        if page_range is None and pages:
            page_range = (int(pages.group(1)), int(pages.group(2) or pages.group(1)))
        open_entry = _Entry(number, full_title, line.start, -1, number_inferred=inferred, description_start=end)
        if page_range:
            open_entry.first_page, open_entry.last_page = page_range
        entries.append(open_entry)
        last_content_end = end
    _closed(open_entry, last_content_end)
    return [e for e in entries if e.end > 0]


def _closed(entry: _Entry | None, end: int) -> None:
    """Close an open entry at ``end``; returns None, the new open entry."""
    if entry is not None and entry.end < 0:
        entry.end = max(end, entry.description_start or end)
    return None


def _clean(raw: str) -> tuple[str, tuple[int, int] | None]:
    """A line without markup or table pipes; a page range in the first table cell is returned apart."""
    line = plain(raw.replace("#", " "))
    if "|" not in line:
        return line, None
    cells = [c.strip() for c in line.split("|") if c.strip() and not re.fullmatch(r"[-\s]+", c)]
    if cells and _RANGE_ONLY.match(cells[0]) and len(cells) > 1:
        match = _RANGE_ONLY.match(cells[0])
        assert match is not None
        return " ".join(cells[1:]), (int(match.group(1)), int(match.group(2)))
    return " ".join(cells), None


def _heading(
    cleaned: str, expected: str, page_range: tuple[int, int] | None
) -> tuple[str | None, str, tuple[int, int] | None, bool] | None:
    """(number, title, page range, number inferred) when the line opens the next agenda item."""
    glued = _RANGE_GLUED.match(cleaned)
    if glued and _caps(glued.group(3)) and not _ITEM.match(glued.group(3)):
        return expected, glued.group(3), (int(glued.group(1)), int(glued.group(2))), True
    match = _ITEM.match(cleaned)
    if not match or match.group(1) != expected:
        return None
    title = match.group(3)
    mixed_case_ok = match.group(2) == "." or _PAGES.search(title)  # Kent: "1. Apologies", "3 Title (Pages 1 - 18)"
    if not (mixed_case_ok and title[0].isupper()) and not _caps(title):
        return None
    return match.group(1), title, page_range, False


def _caps(title: str) -> bool:
    letters = [c for c in _TIME_SLOT.sub("", title) if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) >= 0.9


def _continue_title(lines: list[Line], index: int, may_wrap: bool) -> int:
    """The index after a heading whose title wraps onto following lines (Kent: "... Family Hubs (Pages 101 - 104)")."""
    index += 1
    while may_wrap and index < len(lines):
        nxt = lines[index].text.strip()
        if not nxt or nxt.startswith(("-", "•")) or _ITEM.match(nxt) or _CAPS_LINE.match(nxt):
            break
        if not (nxt[0].islower() or _PAGES.search(nxt) or nxt[0].isupper() and not nxt.endswith(".")):
            break
        index += 1
    return index


def _strip_marker(title: str, number: str | None) -> str:
    title = re.sub(rf"^\s*{_RANGE}\s+", "", title)
    return re.sub(rf"^\s*{re.escape(number)}\.?\s+", "", title) if number else title


def _ends_agenda(raw: str, cleaned: str) -> bool:
    """A line that closes the last item: a section heading, a page footer or a capitalised banner."""
    stripped = raw.strip()
    return stripped.startswith("#") or bool(_FOOTER.match(stripped)) or bool(_CAPS_LINE.match(cleaned))


# --- Where the papers are ---------------------------------------------------------------------------------


def _footers(text: str) -> list[tuple[int, int]]:
    """(offset after the footer line, N) for each printed "Page N of M" footer on a line of its own.

    Only footers whose total M is the pack's usual total, and whose numbers rise through the text, count.
    """
    found = []
    for line in split_lines(text):
        match = _FOOTER.match(line.text)
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


def _paper_starts(doc: ParsedDocument, entries: list[_Entry]) -> dict[int, int]:
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
                if part.char_start >= cursor and part.char_start not in claimed and (
                    not dates or part.meeting_date in dates
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
    words = [w for w in re.findall(r"[a-z0-9']+", plain(_TIME_SLOT.sub("", _PAGES.sub("", title))).lower())
             if w not in _STOP_WORDS]
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
    doc: ParsedDocument, entries: list[_Entry], position: int, starts: dict[int, int], cursor: int
) -> int | None:
    """A paper that follows a minutes item on the next page begins where those minutes end."""
    previous = next((p for p in range(position - 1, -1, -1) if entries[p].first_page is not None), None)
    if previous is None or previous not in starts or not _MINUTES_TITLE.search(entries[previous].title):
        return None
    if entries[previous].last_page is None or entries[position].first_page != entries[previous].last_page + 1:
        return None
    part = next((p for p in doc.parts if p.char_start == starts[previous]), None)
    return part.char_end if part is not None and part.char_end >= cursor else None


def _consistent(anchors: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Anchors that agree with each other, stronger ones first: pages rise with the text, one start per page."""
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
    for (start, first), (end, following) in zip(anchors, anchors[1:], strict=False):
        if following > first and text[start:end].strip():
            spans.append((start, end, first, following - 1))
    return spans
