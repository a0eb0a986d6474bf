"""A printed page number standing alone on a line: "Page 17", "Page 17 of 132", "- 17 -" or a bare "17"."""

from __future__ import annotations

import re

PAGE_WORD = re.compile(r"^\s*page\s+(\d{1,4})(?:\s+of\s+\d{1,4})?\s*$", re.IGNORECASE)
BARE_NUMBER = re.compile(r"^\s*[-–]?\s*(\d{1,4})\s*[-–]?\s*$")


def is_page_number(line: str) -> bool:
    return bool(PAGE_WORD.match(line) or BARE_NUMBER.match(line))
