"""Read text and markdown conversions of papers, recovering pages where the text says where they break."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.errors import UnreadableFileError
from indexer.models import Page

# A council pack's generated footer, e.g. "Page 17 of 132", on a line of its own.
PAGE_FOOTER = re.compile(r"^\s*Page\s+(\d{1,4})\s+of\s+(\d{1,4})\s*$", re.IGNORECASE)


def read_text_pages(path: Path) -> list[Page]:
    """Split a text file into pages.

    Form feeds mark exact page breaks. Otherwise "Page N of M" footers end page N; the text between the
    footers of pages N-1 and N is page N. Text whose page cannot be told gets page_number None: a page
    number is never guessed.
    """
    raw = path.read_bytes()
    if not raw.strip():
        raise UnreadableFileError(path, "empty file (no text)", "empty")
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        return _pages_from_form_feeds(text)
    return _pages_from_footers(text)


def _pages_from_form_feeds(text: str) -> list[Page]:
    pages: list[Page] = []
    line = 1
    char_start = 0
    for index, page_text in enumerate(text.split("\f")):
        if page_text.strip():  # a blank page keeps its number but has nothing to index
            pages.append(
                Page(
                    page_index=len(pages),
                    text=page_text,
                    page_number=index + 1,
                    line_start=line,
                    char_start=char_start,
                    page_source="form_feed",
                )
            )
            char_start += len(page_text) + 1
        line += page_text.count("\n")
    return pages


def _pages_from_footers(text: str) -> list[Page]:
    lines = text.split("\n")
    segments: list[tuple[int, int, int | None]] = []  # (first line index, end line index, footer number)
    start = 0
    for index, line in enumerate(lines):
        match = PAGE_FOOTER.match(line)
        if match:
            segments.append((start, index + 1, int(match.group(1))))
            start = index + 1
    if start < len(lines):
        segments.append((start, len(lines), None))

    pages: list[Page] = []
    char_start = 0
    previous_footer: int | None = None
    for index, (first, end, footer) in enumerate(segments):
        page_text = "\n".join(lines[first:end])
        known = footer is not None and (
            footer == 1 if previous_footer is None else footer == previous_footer + 1
        )
        pages.append(
            Page(
                page_index=index,
                text=page_text,
                page_number=footer if known else None,
                page_label=str(footer) if known else None,
                line_start=first + 1,
                char_start=char_start,
                page_source="printed_marker" if known else None,
            )
        )
        char_start += len(page_text) + 1
        previous_footer = footer
    return pages
