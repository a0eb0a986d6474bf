"""Read a PDF page by page, keeping each page's PDF position and printed label.

pypdf opens the file, checks encryption and reads the PDF's own page labels; the text layer comes from
pypdf or, much faster, from PDFium (pypdfium2), chosen by ``text_reader``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from indexer.errors import UnreadableFileError
from indexer.models import Page
from indexer.reading.pdfium_text import pdfium_page_texts

logger = logging.getLogger(__name__)

# "Page 17", "Page 17 of 132", "- 17 -" or a bare "17" standing alone on a line.
# "Page 3", "Page 3 of 9"; PDFium may run the stamp ModernGov prints on an item's first page onto the same
# line ("Page 1 Agenda Item 3"), where pypdf breaks it.
_PAGE_WORD = re.compile(
    r"^\s*page\s+(\d{1,4})(?:\s+of\s+\d{1,4})?(?:\s+agenda\s+item\s+[\w.()]{1,8})?\s*$", re.IGNORECASE
)
_BARE_NUMBER = re.compile(r"^\s*[-–]?\s*(\d{1,4})\s*[-–]?\s*$")
_EDGE_LINES = 3


TEXT_READERS = ("pypdf", "pdfium")


def read_pdf_pages(
    path: Path, min_page_chars: int = 20, text_reader: str = "pdfium"
) -> tuple[list[Page], list[int]]:
    """Return the pages that have text, and the 1-based numbers of pages that have none (scanned or blank).

    Raises UnreadableFileError for corrupt, encrypted or wholly text-less files.
    """
    if text_reader not in TEXT_READERS:
        raise ValueError(f"text_reader must be one of {', '.join(TEXT_READERS)}; got {text_reader!r}")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            # An owner-password-only PDF opens with an empty user password; anything else is locked.
            try:
                if not reader.decrypt(""):
                    raise UnreadableFileError(path, "encrypted PDF (a password is needed)", "encrypted")
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise UnreadableFileError(path, f"encrypted PDF ({exc})", "encrypted") from exc
        labels = _pdf_page_labels(reader)
        if text_reader == "pdfium":
            texts = pdfium_page_texts(path)
            if len(texts) != len(reader.pages):
                raise PdfReadError(f"PDFium sees {len(texts)} pages, pypdf {len(reader.pages)}")
        else:
            texts = [(page.extract_text() or "") for page in reader.pages]
    except UnreadableFileError:
        raise
    except FileNotDecryptedError as exc:
        raise UnreadableFileError(path, "encrypted PDF (a password is needed)", "encrypted") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise UnreadableFileError(
            path, f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})", "corrupt"
        ) from exc

    if not texts:
        raise UnreadableFileError(path, "PDF has no pages", "empty")
    if labels is None:
        labels = printed_page_labels(texts)

    pages: list[Page] = []
    empty: list[int] = []
    char_start = 0
    for index, text in enumerate(texts):
        text = text.replace("\x00", "")
        if len(text.strip()) < min_page_chars:
            empty.append(index + 1)
            continue
        pages.append(
            Page(
                page_index=index,
                text=text,
                page_number=index + 1,
                page_label=labels[index],
                char_start=char_start,
                page_source="pdf",
            )
        )
        char_start += len(text) + 1  # pages are joined with one newline
    if not pages:
        raise UnreadableFileError(
            path,
            f"no text layer on any of its {len(texts)} pages (scanned PDF?); nothing to index",
            "no_text",
        )
    return pages, empty


def _pdf_page_labels(reader: PdfReader) -> list[str | None] | None:
    """The labels the PDF itself defines (/PageLabels), or None when it defines none."""
    root = reader.trailer["/Root"]
    if "/PageLabels" not in root:  # type: ignore[operator]  # pypdf types the trailer entry as PdfObject
        return None
    return list(reader.page_labels)


def printed_page_labels(texts: list[str]) -> list[str | None]:
    """Find the page number printed in each page's header or footer.

    "Page N" forms are taken as they stand. A bare number is taken only when a neighbouring page prints
    a number at the same offset from its PDF position, so a stray figure in a table is not mistaken
    for a page number.
    """
    worded: list[str | None] = []
    bare: list[int | None] = []
    for text in texts:
        lines = [line for line in text.splitlines() if line.strip()]
        edge = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
        word_match = next((m for m in map(_PAGE_WORD.match, reversed(edge)) if m), None)
        worded.append(word_match.group(1) if word_match else None)
        candidates = [lines[0], lines[-1]] if lines else []
        bare_match = next((m for m in map(_BARE_NUMBER.match, candidates) if m), None)
        bare.append(int(bare_match.group(1)) if bare_match else None)

    labels: list[str | None] = []
    for index, word in enumerate(worded):
        if word is not None:
            labels.append(word)
            continue
        number = bare[index]
        if number is None:
            labels.append(None)
            continue
        offset = number - index
        neighbours = [
            value - j for j in (index - 1, index + 1) if 0 <= j < len(bare) and (value := bare[j]) is not None
        ]
        labels.append(str(number) if offset in neighbours else None)
    return labels
