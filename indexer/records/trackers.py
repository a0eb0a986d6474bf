"""Action trackers: tables of actions with their owner, due date and status, read as commitments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.models import ParsedDocument
from indexer.records.commitments import due_of, subject_of
from indexer.records.models import Commitment
from indexer.text.dates import first_date
from indexer.text.spans import Line, PageIndex, plain, split_lines

_ROLES = {
    "date": re.compile(r"^(?:meeting\s+)?date$|^date of meeting$", re.I),
    "item": re.compile(r"\b(?:agenda item|item|topic|subject)\b", re.I),
    # "Action", "Outstanding Actions", "Action required": a column that states the actions themselves.
    "action": re.compile(
        r"^(?:(?:outstanding|completed|open|closed|agreed|ongoing|new)\s+)?actions?"
        r"(?:\s+(?:agreed|required|arising|points?|description|to be taken))?$",
        re.IGNORECASE,
    ),
    "update": re.compile(r"\b(?:update|notes|progress|response|comments?)\b", re.I),
    "status": re.compile(r"\b(?:status|rag)\b", re.I),
    "owner": re.compile(r"\b(?:owner|lead|responsible|officer|by whom|who)\b", re.I),
    "due": re.compile(r"\b(?:due|deadline|by when|target date|timescale)\b", re.I),
}
_STATUS_WORDS = [
    (re.compile(r"\b(?:complete|completed|done|closed|achieved|delivered)\b", re.I), "completed"),
    (re.compile(r"\b(?:ongoing|in progress|underway|on track|partially)\b", re.I), "in progress"),
    (re.compile(r"\b(?:scheduled|programmed)\b", re.I), "scheduled"),
    (re.compile(r"\b(?:open|outstanding|not started|overdue|red|amber)\b", re.I), "open"),
]
_HTML = re.compile(r"<[^>]+>")


@dataclass
class _Row:
    start: int
    end: int
    cells: dict[str, str] = field(default_factory=dict)
    table_status: str | None = None
    after_page_break: bool = False


def find_tracker_rows(doc: ParsedDocument, index: PageIndex, context: dict) -> list[Commitment]:
    """Each row of each action tracker outside the minutes, as a commitment with the tracker's status.

    A row broken over a page (its action running on, lower-case, after the page's header) is one row;
    rows with no date or item of their own take those of the row above.
    """
    minutes = [(p.char_start, p.char_end) for p in doc.parts if p.doc_type == "minutes"]
    lines = [line for line in split_lines(index.text) if not any(s <= line.start < e for s, e in minutes)]
    commitments: list[Commitment] = []
    as_of = doc.meta.meeting_date
    for row in _rows(lines):
        action = _cell_text(row.cells.get("action", ""))
        if not action:
            continue
        update = _cell_text(row.cells.get("update", "")) or None
        status = _status(row, update)
        due, due_date = due_of(row.cells.get("due") or action)
        where = f"the action tracker of {as_of}" if as_of else "the action tracker"
        listed = f"listed under '{row.table_status}'" if row.table_status else f"status '{status}'"
        note = f"{listed.capitalize()} in {where}" + (f": {update}" if update else " (no update given).")
        commitments.append(
            Commitment(
                commitment_id="",
                meeting_date=first_date(row.cells.get("date", "")),
                item_number=None,
                item_title=_cell_text(row.cells.get("item", "")) or None,
                what=action,
                who=_cell_text(row.cells.get("owner", "")) or subject_of(action),
                due=due,
                due_date=due_date,
                status=status,
                status_source="tracker",
                status_note=note,
                status_date=as_of,
                source="tracker",
                update=update,
                **context,
                **index.cite(row.start, row.end),
            )
        )
    return commitments


def _rows(lines: list[Line]) -> list[_Row]:
    rows: list[_Row] = []
    columns: list[str] | None = None
    table_status: str | None = None
    page_break = False
    for line in lines:
        cells = line.text.split("\t")
        if len(cells) < 2:
            if columns is None or line.blank:
                continue
            if _is_page_header(line.text):
                page_break = True
                continue
            columns = None  # prose: the tracker is over
            continue
        header = _header(cells)
        if header:
            columns, table_status = header
            continue
        if columns is None:
            continue
        values = {role: cells[i].strip() for i, role in enumerate(columns) if role and i < len(cells)}
        if rows and _continues(rows[-1], values, page_break):
            _merge(rows[-1], values, line.end)
        else:
            previous = rows[-1].cells if rows else {}
            for inherited in ("date", "item"):
                if (
                    not values.get(inherited)
                    and previous.get(inherited)
                    and rows[-1].table_status == table_status
                ):
                    values[inherited] = previous[inherited]
            rows.append(_Row(line.start, line.end, values, table_status, page_break))
        page_break = False
    return rows


def _header(cells: list[str]) -> tuple[list[str], str | None] | None:
    """Column roles of a tracker's header row (it must have an action column and one more), and the table's
    own status ("Completed Actions")."""
    roles: list[str] = []
    table_status = None
    for cell in cells:
        name = plain(cell)
        role = next((r for r, pattern in _ROLES.items() if pattern.search(name) and len(name) < 40), "")
        if role == "action" and re.match(r"^(?:completed|outstanding|open|closed|ongoing)\b", name, re.I):
            table_status = name
        roles.append(role if role not in roles else "")
    # Actions arising from meetings name the meeting (date) or item; a plan's action table does not.
    if "action" in roles and ("date" in roles or "item" in roles) and len([r for r in roles if r]) >= 2:
        return roles, table_status
    return None


def _is_page_header(text: str) -> bool:
    """The committee name and "ACTION TRACKER 2023-24" printed at the top of each page."""
    stripped = plain(text)
    return stripped.isupper() or bool(re.search(r"\baction tracker\b", stripped, re.I))


def _continues(row: _Row, values: dict[str, str], page_break: bool) -> bool:
    """A row with no date or item whose action starts in lower case continues the row broken by a page."""
    action = _cell_text(values.get("action", ""))
    previous = _cell_text(row.cells.get("action", ""))
    return (
        page_break
        and not values.get("date")
        and not values.get("item")
        and action[:1].islower()
        and not re.search(r"[.!?:]$", previous)
    )


def _merge(row: _Row, values: dict[str, str], end: int) -> None:
    for role, value in values.items():
        if value:
            row.cells[role] = f"{row.cells.get(role, '')} {value}".strip()
    row.end = end


def _status(row: _Row, update: str | None) -> str:
    """The status the tracker gives: its status column; else the table it is in when that says completed;
    else the update's wording (ongoing, scheduled); else the table's own word (outstanding: open)."""
    stated = _status_word(_cell_text(row.cells.get("status", "")))
    table = _status_word(row.table_status or "")
    if stated:
        return stated
    if table in {"completed", "closed"}:
        return table
    said = _status_word(update or "")
    if said in {"in progress", "scheduled"}:
        return said
    return table or "open"


def _status_word(text: str) -> str | None:
    for pattern, status in _STATUS_WORDS:
        if text and pattern.search(text):
            return status
    return None


def _cell_text(cell: str) -> str:
    text = _HTML.sub(" ", cell).replace("•", " ").replace("▪", " ")
    return " ".join(text.split())
