"""The outline of a paper: a pack's papers found where they start, heading paths, headings from layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.embedding import FakeEmbedder
from indexer.layout.chunking import SECTION_SEPARATOR
from indexer.layout.outline import LAYOUT_LEVEL, PAPER_LEVEL, heading_paths, layout_headings
from indexer.models import Section
from indexer.pipeline import parse_file
from indexer.reading.metadata import load_metadata, metadata_for

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
PACK = "birmingham/2022-07-20_education-childrens-social-care-os_agenda-pack.txt"


@pytest.fixture(scope="module")
def pack():
    path = CORPUS / PACK
    overrides = metadata_for(PACK, load_metadata(CORPUS))
    document, _ = parse_file(path, PACK, path.read_bytes(), overrides, FakeEmbedder(), 180, 250, 20)
    return document


def test_each_paper_of_the_pack_is_a_section_where_it_starts(pack):
    papers = [s for s in pack.sections if s.level == PAPER_LEVEL]
    text = pack.full_text
    titles = [s.title for s in papers]
    assert titles == [
        "ACTION NOTES",
        "SEND",
        "HOME TO SCHOOL TRANSPORT",
        "YOUTH JUSTICE PLAN",
        "WORK PROGRAMME",
    ]
    # Each starts at its paper's own first line, not somewhere inside the paper before it.
    transport = papers[2]
    assert text[transport.char_start :].lstrip().startswith("Home To School Transport - Update")
    assert text[papers[1].char_start :].lstrip().startswith("Accelerated Progress Plan - Stocktake")


def test_no_chunk_crosses_the_start_of_a_paper_and_each_is_cited_to_its_items_pages(pack):
    starts = [s.char_start for s in pack.sections if s.level == PAPER_LEVEL]
    for chunk in pack.chunks:
        assert not any(chunk.char_start < start < chunk.char_end for start in starts), chunk.chunk_id
    # The agenda prints "67 - 76" above item 8, and the footer "Page 17 of 132" closes the first page of
    # the paper of item 7: so item 7 is pages 17-66 and item 8 pages 67-76.
    assert "Page 17 of 132" in pack.full_text
    papers = {s.title: s.char_start for s in pack.sections if s.level == PAPER_LEVEL}

    def of_paper(label: str, title: str) -> list:
        return [
            c
            for c in pack.chunks
            if c.char_start >= papers[title] and c.section and c.section.startswith(label)
        ]

    transport = of_paper("8 HOME TO SCHOOL TRANSPORT", "HOME TO SCHOOL TRANSPORT")
    assert transport and all((c.page_start, c.page_end) == (67, 76) for c in transport)
    send = of_paper("7 SEND", "SEND")
    assert send and all(17 <= c.page_start <= c.page_end <= 66 for c in send)


def test_chunks_of_a_packs_reports_carry_their_heading_path(pack):
    after_minutes = [c for c in pack.chunks if c.char_start >= pack.parts[1].char_end]
    assert after_minutes and all(c.section for c in after_minutes)
    nested = [c for c in after_minutes if c.section and SECTION_SEPARATOR in c.section]
    assert nested, "sub-headings read from the layout"
    for chunk in after_minutes:
        first = (chunk.section or "").split(SECTION_SEPARATOR)[0]
        assert re.match(r"\d+ [A-Z]", first), chunk.section  # the agenda item leads the path
        # The embedded and matched text names it, unless the passage alone fills the model's window.
        assert first in chunk.embed_text or chunk.embed_text == chunk.text, chunk.chunk_id


def test_heading_paths_nest_by_level():
    sections = [
        Section(0, "8", "TRANSPORT", PAPER_LEVEL),
        Section(10, "1", "Background", 3),
        Section(20, None, "Routes", LAYOUT_LEVEL),
        Section(30, "2", "Finance", 3),
        Section(40, "9", "YOUTH", PAPER_LEVEL),
    ]
    assert heading_paths(sections) == [[0], [0, 1], [0, 1, 2], [0, 3], [4]]


def test_layout_headings_are_short_lines_standing_alone_above_text():
    text = (
        "Review of past experiences\n\n"
        "In September the service did not reach the level its families expected of it.\n\n"
        "BE BOLD\n\nBE BIRMINGHAM\n\n"
        "The data was poor.\n\n"
        "We need more respite provision\n\n"
        "Parents told us that the process to get support takes far too long for them.\n"
        "3         Financial Implications \n"
        "3.1   The cost is met from the existing budget of the service.\n"
    )
    found = {s.title: s for s in layout_headings(text)}
    assert set(found) == {"Review of past experiences", "Financial Implications"}
    assert found["Financial Implications"].number == "3" and found["Financial Implications"].level == 3
    assert found["Review of past experiences"].level == LAYOUT_LEVEL
