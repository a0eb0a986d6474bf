"""PDF reading: page numbers are PDF positions, page labels are what the page prints."""

from __future__ import annotations

from indexer.reading.pdf import printed_page_labels, read_pdf_pages


def test_pages_keep_pdf_position_and_printed_label(make_pdf):
    # A pack: two cover pages without numbers, then printed "Page 1" on PDF page 3.
    path = make_pdf(
        "pack.pdf",
        [
            "Cover sheet of the agenda pack",
            "Contents of the pack",
            "Minutes of the meeting",
            "A report on roads",
        ],
        footers=[None, None, "Page 1", "Page 2"],
    )
    pages, empty = read_pdf_pages(path)
    assert empty == []
    assert [p.page_number for p in pages] == [1, 2, 3, 4]
    assert [p.page_label for p in pages] == [None, None, "1", "2"]
    assert "Minutes of the meeting" in pages[2].text


def test_pdf_page_labels_win_over_text(make_pdf):
    path = make_pdf("labelled.pdf", ["First page text here", "Second page text here"], pdf_labels=("D", 17))
    pages, _ = read_pdf_pages(path)
    assert [p.page_label for p in pages] == ["17", "18"]
    assert [p.page_number for p in pages] == [1, 2]


def test_bare_numbers_need_a_consistent_neighbour():
    texts = ["12\nBody text one", "13\nBody text two", "Table\n2024\nmore", "nothing here"]
    assert printed_page_labels(texts) == ["12", "13", None, None]


def test_scanned_pages_are_reported_not_embedded(make_pdf):
    path = make_pdf(
        "mixed.pdf", ["Real text on the first page", "", "Text again on page three"], blank_pages=(2,)
    )
    pages, empty = read_pdf_pages(path)
    assert empty == [2]
    assert [p.page_number for p in pages] == [1, 3]


def test_a_page_number_run_onto_the_agenda_item_stamp_is_still_the_label():
    # PDFium may set the stamp an item's first page carries on the page number's line.
    texts = ["Cover", "The report begins here.\n\nPage 1 Agenda Item 3", "It goes on.\nPage 2"]
    assert printed_page_labels(texts) == [None, "1", "2"]
    assert printed_page_labels(["A table of figures\nPage 1 of the appendix"]) == [None]
