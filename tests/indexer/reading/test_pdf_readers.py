"""PDFium as the text-layer reader: the same pages, labels and failures as pypdf, and the same words."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from indexer.config import PROJECT_ROOT
from indexer.errors import UnreadableFileError
from indexer.reading.pdf import pdfium_page_texts, read_pdf_pages

BUNDLED_PDFS = sorted((PROJECT_ROOT / "corpus").rglob("*.pdf"))
_WORD = re.compile(r"\w+")
# Measured on the 228 pages of the 17 bundled Kent PDFs: the worst page agrees at 0.981 (PDFium runs a list
# item's number into its first word, "2the"), the median page at 1.0, the 5th percentile at 0.990.
MIN_PAGE_AGREEMENT = 0.98
MEDIAN_PAGE_AGREEMENT = 0.999


def word_agreement(first: str, second: str) -> float:
    """F1 of the two texts' words as multisets (1.0 when both have none)."""
    a, b = Counter(_WORD.findall(first.lower())), Counter(_WORD.findall(second.lower()))
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def test_bundled_pdfs_read_the_same_words_page_by_page():
    assert len(BUNDLED_PDFS) >= 17
    agreements: list[tuple[float, str, int]] = []
    for path in BUNDLED_PDFS:
        pypdf_texts = [page.extract_text() or "" for page in PdfReader(path).pages]
        pdfium_texts = pdfium_page_texts(path)
        assert len(pdfium_texts) == len(pypdf_texts), path.name
        agreements += [
            (word_agreement(a, b), path.name, number)
            for number, (a, b) in enumerate(zip(pypdf_texts, pdfium_texts, strict=True), start=1)
        ]
    worst = min(agreements)
    assert worst[0] >= MIN_PAGE_AGREEMENT, worst
    assert statistics.median(a for a, *_ in agreements) >= MEDIAN_PAGE_AGREEMENT


@pytest.mark.parametrize("path", BUNDLED_PDFS[:4], ids=lambda p: p.name[:40])
def test_both_readers_give_the_same_pages_and_labels(path: Path):
    pypdf_pages, pypdf_empty = read_pdf_pages(path, text_reader="pypdf")
    pdfium_pages, pdfium_empty = read_pdf_pages(path, text_reader="pdfium")
    assert pdfium_empty == pypdf_empty
    assert [(p.page_number, p.page_label) for p in pdfium_pages] == [
        (p.page_number, p.page_label) for p in pypdf_pages
    ]


def test_pdfium_keeps_printed_and_pdf_labels_and_scanned_pages(make_pdf):
    pack = make_pdf(
        "pack.pdf",
        ["Cover", "Contents", "Minutes of the meeting", "Roads"],
        footers=[None, None, "Page 1", "Page 2"],
    )
    pages, _ = read_pdf_pages(pack, min_page_chars=3, text_reader="pdfium")
    assert [p.page_label for p in pages] == [None, None, "1", "2"]
    assert "Minutes of the meeting" in pages[2].text and "\r" not in pages[2].text
    labelled = make_pdf(
        "labelled.pdf", ["First page text here", "Second page text here"], pdf_labels=("D", 17)
    )
    assert [p.page_label for p in read_pdf_pages(labelled, text_reader="pdfium")[0]] == ["17", "18"]
    mixed = make_pdf(
        "mixed.pdf", ["Real text on the first page", "", "Text again on page three"], blank_pages=(2,)
    )
    assert read_pdf_pages(mixed, text_reader="pdfium")[1] == [2]


def test_pdfium_reports_locked_and_corrupt_files_like_pypdf(make_pdf, tmp_path):
    source = make_pdf("open.pdf", ["Schools report on places"])
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(source.read_bytes()[:400])
    for path, kind in ((locked, "encrypted"), (corrupt, "corrupt")):
        with pytest.raises(UnreadableFileError) as caught:
            read_pdf_pages(path, text_reader="pdfium")
        assert caught.value.kind == kind


def test_an_unknown_reader_is_refused(make_pdf):
    with pytest.raises(ValueError, match="pdfium"):
        read_pdf_pages(make_pdf("a.pdf", ["Some text on a page"]), text_reader="pdfminer")
