"""Reading an agenda: its numbered items, their titles and the pack pages printed beside them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.models import ParsedDocument
from indexer.text.spans import Line, plain, split_lines

_AGENDA_HEADING = re.compile(r"^\s*(?:A\s?G\s?E\s?N\s?D\s?A|(?P<supplement>Agenda Item No\.?))\s*$")
AGENDA_SEARCH_CHARS = 3000
_RANGE = r"(\d{1,4})\s*[-–]\s*(\d{1,4})"
_RANGE_ONLY = re.compile(rf"^{_RANGE}$")
_RANGE_GLUED = re.compile(rf"^{_RANGE}\s+([A-Z].*)$")  # "19 - 58 THE EDUCATION ..." (number lost)
_ITEM = re.compile(r"^(\d{1,2})(\.?)\s+(\S.*)$")
PAGES = re.compile(r"\(\s*Pages?\s+(\d{1,4})(?:\s*[-–]\s*(\d{1,4}))?\s*\)", re.IGNORECASE)
TIME_SLOT = re.compile(
    r"\(\s*(\d{1,2}[.:]\d{2})\s*(?:[ap]\.?m\.?)?\s*[-–]\s*(\d{1,2}[.:]\d{2})\s*(?:[ap]\.?m\.?)?\s*\)", re.I
)
_CAPS_LINE = re.compile(r"^[A-Z][A-Z ,&'()/-]{3,}$")
FOOTER = re.compile(r"^\s*Page\s*(\d{1,4})\s*o\s*f\s*([\d\s]{1,8})$", re.IGNORECASE)
_MINUTES_HEADER = re.compile(r"\bhours on \w+,? \d{1,2} \w+|^MINUTES of a meeting\b", re.IGNORECASE)
_BLANK_RUN_ENDS_ITEM = 3


@dataclass
class AgendaEntry:
    """An agenda entry as read, before it becomes an AgendaItem."""

    number: str | None
    title: str
    start: int
    end: int
    first_page: int | None = None
    last_page: int | None = None
    number_inferred: bool = False
    description_start: int | None = None


def read_entries(doc: ParsedDocument) -> list[AgendaEntry]:
    """The agenda entries at the start of a pack or front sheet, in order (none without an agenda)."""
    return _entries(doc.full_text, _agenda_limit(doc))


def _agenda_start(text: str) -> tuple[int, bool] | None:
    """Where the agenda's items begin, and whether it lists only some (a supplement's "Agenda Item No")."""
    for line in split_lines(text, 0, min(len(text), AGENDA_SEARCH_CHARS)):
        match = _AGENDA_HEADING.match(plain(line.text).replace("#", ""))
        if match:
            return line.end, bool(match.group("supplement"))
    return None


def _agenda_limit(doc: ParsedDocument) -> int:
    """Where an agenda must end: a PDF front sheet's agenda does not run past the page it starts on."""
    if doc.kind != "pdf":
        return len(doc.full_text)
    found = _agenda_start(doc.full_text)
    page = next((p for p in doc.pages if found and p.char_start <= found[0] <= p.char_end), None)
    return page.char_end if page is not None else len(doc.full_text)


def _entries(text: str, limit: int) -> list[AgendaEntry]:
    """Agenda entries in order: numbered items (a lost number is taken from its neighbours) with page ranges.

    The agenda runs from its heading to the first minutes header, section heading or page footer after it.
    """
    found = _agenda_start(text)
    if found is None:
        return []
    start, supplement = found
    entries: list[AgendaEntry] = []
    open_entry: AgendaEntry | None = None
    pending_range: tuple[int, int] | None = None
    blank_run = 0
    last_content_end = start
    lines = split_lines(text, start, max(start, limit))
    index = 0
    while index < len(lines):
        line = lines[index]
        cleaned, cell_range = _clean(line.text)
        if not cleaned:
            blank_run += 1
            if blank_run >= _BLANK_RUN_ENDS_ITEM:
                _close(open_entry, last_content_end)
                open_entry = None
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
                _close(open_entry, last_content_end)
                open_entry = None
            elif _ends_agenda(line.text, cleaned) or _MINUTES_HEADER.search(cleaned):
                _close(open_entry, last_content_end)
                open_entry = None
                if entries and not _CAPS_LINE.match(cleaned):
                    break  # a section heading, footer or minutes header: the agenda is over
            else:
                last_content_end = line.end
            index += 1
            continue
        _close(open_entry, last_content_end)
        open_entry = None
        number, title, page_range, inferred = heading
        pending_range = None
        index = _continue_title(lines, index, _ITEM.match(cleaned) is not None and "." in cleaned[:4])
        end = lines[index - 1].end
        full_title = (
            _strip_marker(plain(_clean(text[line.start : end])[0]), number) if end > line.end else title
        )
        pages = PAGES.search(full_title)
        if page_range is None and pages:
            page_range = (int(pages.group(1)), int(pages.group(2) or pages.group(1)))
        open_entry = AgendaEntry(
            number, full_title, line.start, -1, number_inferred=inferred, description_start=end
        )
        if page_range:
            open_entry.first_page, open_entry.last_page = page_range
        entries.append(open_entry)
        last_content_end = end
    _close(open_entry, last_content_end)
    return [e for e in entries if e.end > 0]


def _close(entry: AgendaEntry | None, end: int) -> None:
    """Close an open entry at ``end``."""
    if entry is not None and entry.end < 0:
        entry.end = max(end, entry.description_start or end)


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
    mixed_case_ok = match.group(2) == "." or PAGES.search(
        title
    )  # Kent: "1. Apologies", "3 Title (Pages 1 - 18)"
    if not (mixed_case_ok and title[0].isupper()) and not _caps(title):
        return None
    return match.group(1), title, page_range, False


def _caps(title: str) -> bool:
    letters = [c for c in TIME_SLOT.sub("", title) if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) >= 0.9


def _continue_title(lines: list[Line], index: int, may_wrap: bool) -> int:
    """The index after a heading whose title wraps onto the next lines ("... Hubs (Pages 101 - 104)")."""
    index += 1
    while may_wrap and index < len(lines):
        nxt = lines[index].text.strip()
        if not nxt or nxt.startswith(("-", "•")) or _ITEM.match(nxt) or _CAPS_LINE.match(nxt):
            break
        if not (nxt[0].islower() or PAGES.search(nxt) or (nxt[0].isupper() and not nxt.endswith("."))):
            break
        index += 1
    return index


def _strip_marker(title: str, number: str | None) -> str:
    title = re.sub(rf"^\s*{_RANGE}\s+", "", title)
    return re.sub(rf"^\s*{re.escape(number)}\.?\s+", "", title) if number else title


def _ends_agenda(raw: str, cleaned: str) -> bool:
    """A line that closes the last item: a section heading, a page footer or a capitalised banner."""
    stripped = raw.strip()
    return stripped.startswith("#") or bool(FOOTER.match(stripped)) or bool(_CAPS_LINE.match(cleaned))
