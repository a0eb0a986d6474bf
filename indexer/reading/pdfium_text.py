"""A PDF's text layer as PDFium reads it, with paragraph breaks restored from the page's geometry.

PDFium's text runs line into line: it drops the blank lines that pypdf keeps where a PDF draws an empty
paragraph, and it never marks the space a word processor leaves between paragraphs. The layout reads a
blank line as a paragraph's end, so a page's paragraphs are found again from where its lines sit: a line
that starts lower than the page's usual line pitch by half a line again (or that jumps up the page, to
a new column or a text box) opens a paragraph. A page number at the page's head or foot is set apart
too, but it is page furniture, not a paragraph: a sentence that runs on over the page must still run on.
"""

from __future__ import annotations

import itertools
import re
import statistics
from pathlib import Path
from typing import Any

from pypdf.errors import PdfReadError

from indexer.text.spans import is_page_number

# A gap between two lines' tops of more than this many of the page's usual line pitches is a paragraph
# break: typeset paragraph spacing is at least half a line, a wrapped line's pitch is one.
PARAGRAPH_PITCH_RATIO = 1.5
_LINE_END = re.compile(r"\r\n|\r|\n")
_CHARS_PER_LINE_SAMPLED = 8  # the top of a line's first characters stands for the line's


def pdfium_page_texts(path: Path) -> list[str]:
    """Each page's text, one PDFium line per line, with a blank line before each paragraph."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise PdfReadError(f"PDFium cannot open it: {exc}") from exc
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(page_text(textpage).replace("\ufffe", ""))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def page_text(textpage: Any) -> str:
    """One page's text with plain newlines, and a blank line wherever the geometry shows a paragraph."""
    text = textpage.get_text_range()
    lines: list[tuple[str, float | None]] = []
    start = 0
    for end in _LINE_END.finditer(text + "\n"):
        lines.append((text[start : end.start()], _line_top(textpage, text, start, end.start())))
        start = end.end()
    tops = [top for _, top in lines if top is not None]
    pitches = [above - below for above, below in itertools.pairwise(tops) if above > below]
    if not pitches:
        return "\n".join(line for line, _ in lines)
    pitch = statistics.median(pitches)
    # Only the page's first and last lines can be its number: a number alone on a line inside the page
    # is a table cell or a list mark, and its breaks are real.
    written = [index for index, (line, _) in enumerate(lines) if line.strip()]
    edges = {written[0], written[-1]} if written else set()
    furniture = {index for index in edges if is_page_number(lines[index][0])}
    out: list[str] = []
    previous: float | None = None
    previous_is_furniture = False
    for index, (line, top) in enumerate(lines):
        if top is not None and previous is not None and not previous_is_furniture and index not in furniture:
            drop = previous - top
            if drop > PARAGRAPH_PITCH_RATIO * pitch or drop < -pitch:
                out.append("")
        out.append(line)
        if top is not None:
            previous, previous_is_furniture = top, index in furniture
    return "\n".join(out)


def _line_top(textpage: Any, text: str, start: int, end: int) -> float | None:
    """The top of a line's first visible characters (PDFium indexes characters as its text does)."""
    tops = []
    for index in range(start, end):
        if text[index].isspace():
            continue
        _, bottom, _, top = textpage.get_charbox(index)
        if top > bottom:
            tops.append(top)
            if len(tops) == _CHARS_PER_LINE_SAMPLED:
                break
    return max(tops) if tops else None
