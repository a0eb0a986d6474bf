"""The one citation constructor and its links (no model, no index)."""

from __future__ import annotations

from api.citations import citation, document_link
from indexer import PageRange


def test_a_link_opens_the_pdf_page_the_passage_or_the_file():
    assert document_link("d1", "pdf", "d1-0001", 7) == "/documents/d1/file#page=7"
    assert document_link("d1", "pdf", "d1-0001", None) == "/documents/d1/file"
    assert document_link("d2", "text", "d2-0003", None) == "/view.html?document=d2&chunk=d2-0003"
    assert document_link("d2", "text", None, None) == "/documents/d2/file"


def test_a_record_row_and_a_chunk_row_name_their_pages_alike():
    record = {"page_number": 4, "page_number_end": None, "page_label": "12"}
    chunk = {"page_start": 4, "page_end": 4, "page_label_start": "12", "page_label_end": "12"}
    assert PageRange.of_record(record) == PageRange(4, 4, "12", None)
    assert PageRange.of_chunk(chunk) == PageRange(4, 4, "12", "12")
    assert not PageRange().known


def test_a_citation_carries_its_pages_and_the_fields_of_its_kind():
    row = {"document_id": "d1", "document_kind": "pdf", "chunk_id": "d1-0002", "source": "a.pdf"}
    cited = citation(
        row, PageRange(3, 4, "iii"), "RESOLVED that ...", title="A", section=None, link_page=3, marker=1
    )
    assert cited["page_start"] == 3
    assert cited["page_end"] == 4
    assert cited["page_label"] == "iii"
    assert cited["url"] == "/documents/d1/file#page=3"
    assert cited["marker"] == 1
