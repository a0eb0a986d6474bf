"""Chunking: structure-following, verbatim, within the model's window, and covering the text."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.embedding import FakeEmbedder
from indexer.layout.chunking import chunk_document
from indexer.layout.structure import structure_document
from indexer.models import DocumentMeta, Page
from indexer.pipeline import parse_file

EMBEDDER = FakeEmbedder()
MINUTES = """BIRMINGHAM CITY COUNCIL

EXAMPLE OVERVIEW AND SCRUTINY COMMITTEE – PUBLIC MEETING

1000 hours on Wednesday, 30 March 2022, Council House

Action Notes

1. APOLOGIES

Apologies were received from Councillor Smith.

2. HOME TO SCHOOL TRANSPORT

The Director gave an update on routes and drivers.

RESOLVED:

- The update was noted.
- Officers to report back on driver vacancies.

3. ACTION TRACKER

Action\tOwner\tDue\tStatus
Report on routes\tDirector\tJune 2022\tComplete
Share survey data\tHead of Service\tJuly 2022\tOpen

The meeting ended at 12.00 hours.

4 WORK PROGRAMME

To agree the work programme for 2022/23.
"""


def _chunks(text: str, target: int = 60, max_tokens: int = 80, title: str = "Pack"):
    meta = DocumentMeta(title=title, doc_type="pack", meeting_date="2022-07-20", pack_date="2022-07-20")
    pages = [Page(page_index=0, text=text, page_number=None, line_start=1, char_start=0)]
    meta, parts, sections = structure_document(text, meta)
    return text, chunk_document(
        "d" * 16, meta, pages, parts, sections, EMBEDDER.count_tokens, target, max_tokens
    )


def test_chunks_follow_items_resolutions_and_tables():
    _text, chunks = _chunks(MINUTES)
    by_section = {}
    for chunk in chunks:
        by_section.setdefault(chunk.section, []).append(chunk)
    assert set(by_section) >= {
        "1 APOLOGIES",
        "2 HOME TO SCHOOL TRANSPORT",
        "3 ACTION TRACKER",
        "4 WORK PROGRAMME",
    }
    resolved = [c for c in chunks if c.kind == "resolved"]
    assert len(resolved) == 1 and resolved[0].text.startswith("RESOLVED:")
    assert "report back on driver vacancies" in resolved[0].text
    table = [c for c in chunks if c.kind == "table"]
    assert table and all("\t" in c.text for c in table)


def test_a_decision_line_that_finishes_a_sentence_stays_in_its_paragraph():
    # PDF text breaks lines mid-sentence: a line that opens with "Decision" or "agreed" after a line
    # stopping on "of" or a comma finishes that sentence; after a full stop or a gap it opens a RESOLVED block.
    text = (
        "5. LIBRARY OPENING HOURS\n\n"
        "The meeting was called so that the Board could look again, if the council asked it to, at\n"
        "Decision 31/00412 – Library Opening Hours, taken by the Leader last month.\n"
        "Members said the consultation had been short, and they\n"
        "agreed that it should be extended by four weeks.\n"
        "The Chair summed up.\n"
        "Decision: that the opening hours be kept under review.\n"
    )
    _text, chunks = _chunks(text, target=200, max_tokens=240)
    resolved = [c for c in chunks if c.kind == "resolved"]
    assert [c.text.split("\n")[0] for c in resolved] == [
        "Decision: that the opening hours be kept under review."
    ]
    body = next(c for c in chunks if "look again" in c.text)
    assert "Decision 31/00412 – Library Opening Hours" in body.text and "extended by four weeks" in body.text


def test_minutes_inside_a_pack_are_dated_by_their_meeting():
    _, chunks = _chunks(MINUTES)
    dates = {c.section: (c.meeting_date, c.doc_type) for c in chunks}
    assert dates["2 HOME TO SCHOOL TRANSPORT"] == ("2022-03-30", "minutes")
    assert dates["4 WORK PROGRAMME"] == ("2022-07-20", "pack")


def test_a_split_table_repeats_its_header():
    rows = "\n".join(f"Action number {i}\tOfficer {i}\tMay 2022\tOpen" for i in range(40))
    _text, chunks = _chunks(
        f"5. ACTION LOG\n\nAction\tOwner\tDue\tStatus\n{rows}\n", target=40, max_tokens=60
    )
    tables = [c for c in chunks if c.kind == "table"]
    assert len(tables) > 2
    assert all("Action\tOwner\tDue\tStatus" in c.embed_text for c in tables)


_words = st.text(alphabet="abcdefghij ", min_size=1, max_size=40).map(lambda s: s.strip() or "x")
_line = st.one_of(
    _words,
    _words.map(lambda s: f"RESOLVED: {s}"),
    st.integers(1, 20).map(lambda n: f"{n} AGENDA ITEM NUMBER {n}"),
    st.tuples(_words, _words).map(lambda t: f"{t[0]}\t{t[1]}"),
    st.just(""),
    st.text(alphabet="abcdefghij", min_size=200, max_size=600),  # one unbroken overlong "word"
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, min_size=1, max_size=60))
def test_chunk_properties(lines):
    text = "\n".join(lines)
    if not text.strip():
        return
    text, chunks = _chunks(text, target=30, max_tokens=50)
    covered = set()
    for chunk in chunks:
        # Verbatim: the chunk is exactly the text at its offsets.
        assert text[chunk.char_start : chunk.char_end] == chunk.text
        # Never over the model's window.
        assert chunk.token_count <= 50
        assert EMBEDDER.count_tokens(chunk.embed_text) <= 50
        covered.update(range(chunk.char_start, chunk.char_end))
    # Coverage: every non-blank character is in some chunk.
    for match in re.finditer(r"\S", text):
        assert match.start() in covered


def test_every_corpus_chunk_fits_the_window_and_lies_inside_its_document(real_embedder):
    root = Path(__file__).resolve().parents[3] / "corpus"
    for path in sorted(root.glob("*/*")):
        rel = path.relative_to(root).as_posix()
        document, _ = parse_file(
            path, rel, path.read_bytes(), {}, real_embedder, 180, real_embedder.max_tokens, 20
        )
        page_numbers = {p.page_number for p in document.pages}
        full_text = document.full_text
        for chunk in document.chunks:
            assert real_embedder.count_tokens(chunk.embed_text) <= real_embedder.max_tokens, chunk.chunk_id
            assert full_text[chunk.char_start : chunk.char_end] == chunk.text
            if chunk.page_source == "agenda":  # a range of pack pages printed on the agenda
                assert chunk.page_start is not None and chunk.page_end is not None
                assert 1 <= chunk.page_start <= chunk.page_end
            else:
                assert chunk.page_start in page_numbers and chunk.page_end in page_numbers
            if chunk.page_start is not None and chunk.page_end is not None:
                assert chunk.page_start <= chunk.page_end
