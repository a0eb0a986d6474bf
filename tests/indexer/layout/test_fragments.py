"""Fragments (a heading, a footnote, a link, page furniture) join a neighbour instead of standing alone."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.embedding import FakeEmbedder
from indexer.layout.chunking import chunk_document
from indexer.layout.fragments import is_fragment
from indexer.layout.structure import structure_document
from indexer.models import DocumentMeta, Page
from indexer.pipeline import parse_file

EMBEDDER = FakeEmbedder()
CORPUS = Path(__file__).resolve().parents[3] / "corpus"
_LINK_OR_NOTE = re.compile(r"^\W*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰\d]+\s*)?<?(?:https?://|www\.)\S+>?\W*$")


def _chunks(text: str):
    meta = DocumentMeta(title="Report", doc_type="report")
    pages = [Page(page_index=0, text=text, page_number=None, line_start=1, char_start=0)]
    meta, parts, sections = structure_document(text, meta)
    return chunk_document("d" * 16, meta, pages, parts, sections, EMBEDDER.count_tokens, 40, 80)


def test_a_heading_joins_the_text_under_it_and_a_footnote_the_text_above_it():
    text = (
        "## Early help\n\n"
        "## Family hubs\n\n"
        "Family hubs opened in every district during the year and saw more families than planned.\n\n"
        "² <https://www.example.org/hubs>\n"
    )
    chunks = _chunks(text)
    assert len(chunks) == 1
    assert chunks[0].text.startswith("## Early help") and chunks[0].text.endswith("hubs>")
    assert chunks[0].section == "Early help › Family hubs" or chunks[0].section == "Family hubs"


def test_a_fragment_never_joins_another_agenda_item():
    text = "1. APOLOGIES\n\nNone.\n\n2. HOUSING REPAIRS\n\nThe committee heard about the repairs backlog in detail today.\n"
    chunks = _chunks(text)
    assert [c.section for c in chunks] == ["1 APOLOGIES", "2 HOUSING REPAIRS"]


def test_fragments_are_counted_in_words_not_links():
    assert is_fragment("² <https://www.iicsa.org.uk/>", "text")
    assert is_fragment("#### BOLD BE BIRMINGHAM", "heading")
    assert not is_fragment("RESOLVED: that the report be noted.", "resolved")
    assert is_fragment("RESOLVED:", "resolved")


def test_no_corpus_chunk_is_only_a_link_a_footnote_or_a_markdown_heading():
    for path in sorted(CORPUS.glob("*/*")):
        rel = path.relative_to(CORPUS).as_posix()
        document, _ = parse_file(path, rel, path.read_bytes(), {}, EMBEDDER, 180, 250, 20)
        for chunk in document.chunks:
            text = chunk.text.strip()
            assert not _LINK_OR_NOTE.match(text), (rel, chunk.chunk_id, text)
            heading_only = re.fullmatch(r"#{1,6} [^\n]*", text)
            assert not (heading_only and is_fragment(text, chunk.kind)), (rel, chunk.chunk_id, text)
