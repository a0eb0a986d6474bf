"""One file to a parsed document: read its pages, structure and chunk them, and draw out its records."""

from __future__ import annotations

import bisect
import hashlib
import itertools
from pathlib import Path

from indexer.embedding import TokenCounter
from indexer.errors import UnreadableFileError
from indexer.layout.agenda import agenda_page_spans
from indexer.layout.chunking import chunk_document, chunk_fixed_size
from indexer.layout.outline import outline_sections
from indexer.layout.structure import structure_document
from indexer.models import Chunk, ParsedDocument
from indexer.reading.metadata import infer_meta
from indexer.reading.pdf import read_pdf_pages
from indexer.reading.text import read_text_pages
from indexer.records.extract import extract_records
from indexer.records.linking import evidence_from
from indexer.store.records import RecordSet

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
ID_HEX_CHARS = 16


def document_id_for(content: bytes) -> tuple[str, str]:
    """(document id, full sha256): the id is the content hash, so it survives renames and re-indexing."""
    digest = hashlib.sha256(content).hexdigest()
    return digest[:ID_HEX_CHARS], digest


def parse_file(
    path: Path,
    rel_path: str,
    content: bytes,
    overrides: dict,
    embedder: TokenCounter,
    target_tokens: int,
    max_tokens: int,
    min_page_chars: int,
    chunker: str = "structured",
    pdf_text_reader: str = "pdfium",
) -> tuple[ParsedDocument, list[int]]:
    """Read, structure and chunk one file. Returns the document and its pages with no text layer.

    ``embedder`` is anything that counts tokens the way the model does; ``pdf_text_reader`` is "pypdf"
    or "pdfium" (the text layer only: labels, outlines and encryption are always pypdf's).
    """
    suffix = path.suffix.lower()
    if not content:
        raise UnreadableFileError(rel_path, "empty file (0 bytes)", "empty")
    empty_pages: list[int] = []
    if suffix in PDF_SUFFIXES:
        pages, empty_pages = read_pdf_pages(path, min_page_chars=min_page_chars, text_reader=pdf_text_reader)
        kind = "pdf"
    elif suffix in TEXT_SUFFIXES:
        pages = read_text_pages(path)
        kind = "text"
    else:
        raise UnreadableFileError(rel_path, f"unsupported file type {suffix or '(none)'}", "unsupported")
    document_id, sha = document_id_for(content)
    meta = infer_meta(rel_path, pages, overrides)
    text = "\n".join(p.text for p in pages)
    meta, parts, sections = structure_document(text, meta)
    document = ParsedDocument(document_id, sha, kind, meta, pages, parts, sections)
    document.sections = sections = outline_sections(document)  # a pack's papers, headings from layout
    if chunker == "fixed":
        document.chunks = chunk_fixed_size(document_id, meta, pages, embedder.count_tokens, max_tokens)
    else:
        document.chunks = chunk_document(
            document_id, meta, pages, parts, sections, embedder.count_tokens, target_tokens, max_tokens
        )
    if not document.chunks:
        raise UnreadableFileError(rel_path, "no text to index", "no_text")
    set_page_sources(document)
    return document, empty_pages


def set_page_sources(document: ParsedDocument) -> None:
    """Say how each chunk's pages are known; in a text pack, give chunks of unknown page the range of pack
    pages the agenda prints for the stretch they lie in (``page_source`` "agenda").

    A range is a range: a chunk inside the paper printed as pages 5-16 gets 5-16, never a guess at one
    page, and an exact page known at either end is kept.
    """
    starts = [p.char_start for p in document.pages]
    spans = agenda_page_spans(document) if document.kind == "text" else []
    for chunk in document.chunks:
        if chunk.page_start is not None and chunk.page_end is not None:
            page = document.pages[bisect.bisect_right(starts, chunk.char_start) - 1]
            chunk.page_source = page.page_source
            continue
        span = _span_of(chunk, spans)
        if span is not None:
            chunk.page_start = chunk.page_start if chunk.page_start is not None else span[0]
            chunk.page_end = chunk.page_end if chunk.page_end is not None else span[1]
            chunk.page_source = "agenda"


def _span_of(chunk: Chunk, spans: list[tuple[int, int, int, int]]) -> tuple[int, int] | None:
    """The pages of the agenda spans that together hold the whole chunk, or None if any of it is outside."""
    touched = sorted(s for s in spans if s[0] < chunk.char_end and chunk.char_start < s[1])
    if not touched or touched[0][0] > chunk.char_start or touched[-1][1] < chunk.char_end:
        return None
    if any(a[1] < b[0] for a, b in itertools.pairwise(touched)):
        return None  # a gap of unknown pages between the spans
    return touched[0][2], touched[-1][3]


def extract_record_set(document: ParsedDocument) -> RecordSet:
    """The records and evidence a document adds to the index (vectors are added when it is embedded)."""
    records = extract_records(document, link=False)
    return RecordSet(records, evidence_from(document, records))
