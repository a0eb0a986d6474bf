"""PDFium as the text-layer reader: the same pages, labels and failures as pypdf, and the same words."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from indexer.config import PROJECT_ROOT
from indexer.errors import UnreadableFileError
from indexer.parsing import parse_file
from indexer.reading.pdf import read_pdf_pages
from indexer.reading.pdfium_text import pdfium_page_texts

BUNDLED_PDFS = sorted((PROJECT_ROOT / "corpus").rglob("*.pdf"))
_WORD = re.compile(r"\w+")
# Measured on the 228 pages of the 17 bundled Kent PDFs: the worst page agrees at 0.981 (PDFium runs a list
# item's number into its first word, "2the"), the median page at 1.0, the 5th percentile at 0.990.
MIN_PAGE_AGREEMENT = 0.98
MEDIAN_PAGE_AGREEMENT = 0.999
# Of the paragraphs pypdf marks with a blank line on those pages, PDFium's text starts 0.899 again from
# the lines' geometry (it finds more besides: paragraph spacing that no empty line marks). A page number
# at a page's head or foot opens none, so 0.899 and not 0.904.
MIN_PARAGRAPH_RECALL = 0.89
# Indexed, the Kent PDFs give 831 chunks from pypdf's text and 834 from PDFium's (606 before paragraphs
# were restored from the geometry).
MAX_CHUNK_COUNT_DIFFERENCE = 0.03


def word_agreement(first: str, second: str) -> float:
    """F1 of the two texts' words as multisets (1.0 when both have none)."""
    a, b = Counter(_WORD.findall(first.lower())), Counter(_WORD.findall(second.lower()))
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def paragraph_starts(text: str) -> set[str]:
    """The opening letters of each line that follows a blank line (or opens the page)."""
    starts, after_blank = set(), True
    for line in text.split("\n"):
        key = re.sub(r"\s+", "", line)[:25]
        if key and after_blank:
            starts.add(key)
        after_blank = not key
    return starts


def test_bundled_pdfs_read_the_same_words_and_paragraphs_page_by_page():
    assert len(BUNDLED_PDFS) >= 17
    agreements: list[tuple[float, str, int]] = []
    pypdf_starts = shared_starts = 0
    for path in BUNDLED_PDFS:
        pypdf_texts = [page.extract_text() or "" for page in PdfReader(path).pages]
        pdfium_texts = pdfium_page_texts(path)
        assert len(pdfium_texts) == len(pypdf_texts), path.name
        agreements += [
            (word_agreement(a, b), path.name, number)
            for number, (a, b) in enumerate(zip(pypdf_texts, pdfium_texts, strict=True), start=1)
        ]
        for a, b in zip(pypdf_texts, pdfium_texts, strict=True):
            starts = paragraph_starts(a)
            pypdf_starts += len(starts)
            shared_starts += len(starts & paragraph_starts(b))
    assert shared_starts / pypdf_starts >= MIN_PARAGRAPH_RECALL, (shared_starts, pypdf_starts)
    worst = min(agreements)
    assert worst[0] >= MIN_PAGE_AGREEMENT, worst
    assert statistics.median(a for a, *_ in agreements) >= MEDIAN_PAGE_AGREEMENT


@pytest.mark.parametrize("path", BUNDLED_PDFS, ids=lambda p: p.name[:40])
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


def test_pdfium_restores_paragraph_breaks_from_where_the_lines_sit(tmp_path: Path):
    """No empty line marks these paragraphs, only the space between them; wrapped lines stay together."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.set_xy(15, 20)
    for number in range(1, 4):
        pdf.multi_cell(60, 5, f"Paragraph {number} runs on over several lines of narrow column text here.")
        pdf.ln(4)  # paragraph spacing, a little under a line
    path = tmp_path / "spaced.pdf"
    pdf.output(str(path))
    text = pdfium_page_texts(path)[0]
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    assert [p.split()[:2] for p in paragraphs] == [["Paragraph", str(n)] for n in range(1, 4)]
    assert all(p.count("\n") >= 1 for p in paragraphs)  # each paragraph's wrapped lines kept in it


def test_a_page_number_at_the_head_or_foot_opens_no_paragraph_but_a_lone_number_inside_does(tmp_path: Path):
    """A sentence runs on past the page's number; a number alone inside the page (a table cell) is apart."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.set_xy(100, 10)
    pdf.cell(10, 5, "2")  # the printed page number, set well above the text
    pdf.set_xy(15, 40)
    pdf.multi_cell(60, 5, "continues the sentence from the page before, and runs on for a while over " * 3)
    pdf.ln(8)
    pdf.set_x(15)
    pdf.cell(10, 5, "17")
    pdf.ln(13)
    pdf.set_x(15)
    pdf.multi_cell(60, 5, "Another paragraph, set below a number that stands alone inside the page. " * 3)
    pdf.set_xy(100, 280)
    pdf.cell(10, 5, "Page 2 of 9")
    path = tmp_path / "numbered.pdf"
    pdf.output(str(path))
    lines = pdfium_page_texts(path)[0].split("\n")
    assert lines[0] == "2" and lines[1].startswith("continues")
    assert lines[-1] == "Page 2 of 9" and lines[-2].strip()
    assert lines[lines.index("17") - 1] == "" and lines[lines.index("17") + 1] == ""


def test_both_readers_chunk_the_bundled_pdfs_alike(fake_embedder):
    counts = {"pypdf": 0, "pdfium": 0}
    for path in BUNDLED_PDFS:
        for reader in counts:
            document, _ = parse_file(
                path, path.name, path.read_bytes(), {}, fake_embedder, 180, 254, 20, "structured", reader
            )
            counts[reader] += len(document.chunks)
    assert abs(counts["pdfium"] - counts["pypdf"]) <= MAX_CHUNK_COUNT_DIFFERENCE * counts["pypdf"], counts


def test_an_unknown_reader_is_refused(make_pdf):
    with pytest.raises(ValueError, match="pdfium"):
        read_pdf_pages(make_pdf("a.pdf", ["Some text on a page"]), text_reader="pdfminer")
