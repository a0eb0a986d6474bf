"""Is a downloaded file really a complete PDF? A bad one is reported by URL and never reaches the indexer."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"
# The PDF header may follow a little junk (ISO 32000-1, 7.5.2 allows readers to look ahead); the end marker
# is near the end, with possibly some trailing whitespace or padding after it.
HEAD_BYTES = 1024
TAIL_BYTES = 2048


def pdf_problem(path: Path, content_type: str = "") -> str | None:
    """Why the file at ``path`` is not a complete, readable PDF, or None when it is.

    Catches what councils' sites really serve in place of a document: an HTML error or login page with a
    ``.pdf`` name, a body cut short by a dropped connection or a full disk, and a file pypdf cannot open.
    """
    size = path.stat().st_size
    if size == 0:
        return "empty response (0 bytes)"
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        handle.seek(max(0, size - TAIL_BYTES))
        tail = handle.read()
    media_type = content_type.split(";")[0].strip().lower()
    if PDF_MAGIC not in head:
        if media_type in ("text/html", "application/xhtml+xml") or _looks_like_html(head):
            return f"HTML page served as a PDF ({media_type or 'no content type'})"
        return f"not a PDF (starts {head[:16]!r}, content type {media_type or 'none'})"
    if EOF_MARKER not in tail:
        return f"truncated PDF (no %%EOF marker in its last {TAIL_BYTES} bytes; {size} bytes received)"
    try:
        reader = PdfReader(path)
        pages = len(reader.pages)
    except (
        Exception
    ) as exc:  # pypdf raises many kinds on damaged files (PdfReadError, ValueError, KeyError...)
        return f"unreadable PDF (pypdf: {exc})"
    if pages == 0:
        return "PDF with no pages"
    return None


def _looks_like_html(head: bytes) -> bool:
    lowered = head.lstrip().lower()
    return lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered[:512]
