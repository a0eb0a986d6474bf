"""Text conversions: pages come from form feeds or printed footers, never from guesses."""

from __future__ import annotations

import pytest

from indexer.errors import UnreadableFileError
from indexer.reading.text import read_text_pages


def test_form_feeds_are_exact_page_breaks(tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text("first page\nline two\fsecond page\f\fpage four")
    pages = read_text_pages(path)
    assert [(p.page_number, p.text.strip()) for p in pages] == [
        (1, "first page\nline two"),
        (2, "second page"),
        (4, "page four"),
    ]
    assert pages[0].line_start == 1 and pages[1].line_start == 2


def test_consecutive_footers_fix_pages_and_gaps_stay_unknown(tmp_path):
    path = tmp_path / "pack.md"
    path.write_text(
        "Agenda text\nPage 1 of 40\nMinutes text\nPage 2 of 40\nSkipped ahead\nPage 9 of 40\nTrailing text\n"
    )
    pages = read_text_pages(path)
    assert [(p.page_number, p.text.split("\n")[0]) for p in pages] == [
        (1, "Agenda text"),
        (2, "Minutes text"),
        (None, "Skipped ahead"),
        (None, "Trailing text"),
    ]
    assert [p.line_start for p in pages] == [1, 3, 5, 7]


def test_text_without_markers_has_unknown_pages(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("No page markers at all.\nSecond line.")
    (page,) = read_text_pages(path)
    assert page.page_number is None and page.page_label is None


def test_empty_text_file_is_an_error(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n")
    with pytest.raises(UnreadableFileError) as error:
        read_text_pages(path)
    assert error.value.kind == "empty"
