"""Find and normalise the dates printed in papers ("Wednesday, 30 March 2022", "9th January 2025")."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# 30 March 2022 / 30th March, 2022 / 9th-Jan-2025
DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+({_MONTH_NAMES})\.?,?[\s\-]+(\d{{4}})\b", re.IGNORECASE
)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def to_iso(day: int, month: int, year: int) -> str | None:
    """A valid date as YYYY-MM-DD, or None."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[str]:
    """All dates written as day-month-year or ISO in the text, in order, as YYYY-MM-DD."""
    found: list[tuple[int, str]] = []
    for match in DAY_MONTH_YEAR.finditer(text):
        iso = to_iso(int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3)))
        if iso:
            found.append((match.start(), iso))
    for match in ISO_DATE.finditer(text):
        iso = to_iso(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if iso:
            found.append((match.start(), iso))
    return [iso for _, iso in sorted(found)]


def first_date(text: str) -> str | None:
    dates = find_dates(text)
    return dates[0] if dates else None


def parse_iso(value: str) -> date:
    """Parse YYYY-MM-DD strictly (raises ValueError otherwise)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return date.fromisoformat(value)
