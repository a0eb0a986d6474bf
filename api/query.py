"""Reading a question by rule: the meeting dates it names."""

from __future__ import annotations

import re
from datetime import date

from indexer import MONTHS

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d{2}|19\d{2})\b")
_LAST_MONTH = re.compile(rf"\blast\s+({_MONTH_NAMES})\b", re.IGNORECASE)
# A financial or school year ("2022/23", "2024-25") names two calendar years, not a meeting date.
_SPAN_OF_YEARS = re.compile(r"\b(?:19|20)\d{2}\s*[/–-]\s*(?:19|20)?\d{2}\b")


def date_hint(query: str, today: date | None = None) -> tuple[int, int] | None:
    """A date range a question names ("on 30 March 2022", "in March 2022", "the 2017 meeting", "last
    April"), as YYYYMMDD ints; a span of years ("2022/23") names no meeting."""
    today = today or date.today()
    match = _DAY_MONTH_YEAR.search(query)
    if match:
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
        if 1 <= day <= 31:
            value = year * 10000 + month * 100 + day
            return value, value
    match = _MONTH_YEAR.search(query)
    if match:
        month, year = MONTHS[match.group(1).lower()], int(match.group(2))
        return year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
    match = _LAST_MONTH.search(query)
    if match:
        month = MONTHS[match.group(1).lower()]
        year = today.year if month < today.month else today.year - 1
        return year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
    years = [int(y) for y in _YEAR.findall(_SPAN_OF_YEARS.sub(" ", query))]
    if len(years) == 1:
        return years[0] * 10000 + 101, years[0] * 10000 + 1231
    return None
