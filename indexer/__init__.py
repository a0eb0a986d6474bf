"""Indexer: reads committee papers, splits them along their structure, and builds the search index.

This module is the indexer's public surface: ``api`` and ``evals`` import only the names below (a test
checks it). They load lazily, so ``import indexer`` stays cheap for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name -> module that defines it
_EXPORTS = {
    "PROJECT_ROOT": "indexer.config",
    "Settings": "indexer.config",
    "Embedder": "indexer.embedding",
    "FakeEmbedder": "indexer.embedding",
    "load_embedder": "indexer.embedding",
    "IndexerError": "indexer.errors",
    "IndexNotFoundError": "indexer.errors",
    "VectorStoreError": "indexer.errors",
    "Page": "indexer.models",
    "PageRange": "indexer.models",
    "ParsedDocument": "indexer.models",
    "PDF_SUFFIXES": "indexer.pipeline",
    "build_index": "indexer.pipeline",
    "document_id_for": "indexer.pipeline",
    "parse_file": "indexer.pipeline",
    "load_metadata": "indexer.reading.metadata",
    "metadata_for": "indexer.reading.metadata",
    "read_pdf_pages": "indexer.reading.pdf",
    "read_text_pages": "indexer.reading.text",
    "COMMITMENT_STATUSES": "indexer.records.models",
    "Decision": "indexer.records.models",
    "extract_records": "indexer.records.extract",
    "DUPLICATE_OVERLAP": "indexer.store.copies",
    "Store": "indexer.store.index",
    "AgendaItemRow": "indexer.store.rows",
    "ChunkColumns": "indexer.store.rows",
    "ChunkRow": "indexer.store.rows",
    "CommitmentRow": "indexer.store.rows",
    "DecisionRow": "indexer.store.rows",
    "DocumentRow": "indexer.store.rows",
    "EvidenceRow": "indexer.store.rows",
    "MeetingDocumentRow": "indexer.store.rows",
    "MeetingRow": "indexer.store.rows",
    "PageRow": "indexer.store.rows",
    "RecordRow": "indexer.store.rows",
    "RecordTable": "indexer.store.rows",
    "SearchableRecordTable": "indexer.store.rows",
    "word_rarity": "indexer.store.lexical",
    "build_synthetic_store": "indexer.store.synthetic",
    "synthetic_committee": "indexer.store.synthetic",
    "MONTHS": "indexer.text.dates",
    "find_dates": "indexer.text.dates",
    "parse_iso": "indexer.text.dates",
    "overlap": "indexer.text.overlap",
    "shingles": "indexer.text.overlap",
    "plain": "indexer.text.spans",
    "sentence_spans": "indexer.text.spans",
    "PAPER_WORDS": "indexer.text.words",
    "STOPWORDS": "indexer.text.words",
    "content_words": "indexer.text.words",
    "stem": "indexer.text.words",
    "terms": "indexer.text.words",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # for type checkers and editors; at run time the names load on first use
    from indexer.config import PROJECT_ROOT, Settings
    from indexer.embedding import Embedder, FakeEmbedder, load_embedder
    from indexer.errors import IndexerError, IndexNotFoundError, VectorStoreError
    from indexer.models import Page, PageRange, ParsedDocument
    from indexer.pipeline import PDF_SUFFIXES, build_index, document_id_for, parse_file
    from indexer.reading.metadata import load_metadata, metadata_for
    from indexer.reading.pdf import read_pdf_pages
    from indexer.reading.text import read_text_pages
    from indexer.records.extract import extract_records
    from indexer.records.models import COMMITMENT_STATUSES, Decision
    from indexer.store.copies import DUPLICATE_OVERLAP
    from indexer.store.index import Store
    from indexer.store.lexical import word_rarity
    from indexer.store.rows import (
        AgendaItemRow,
        ChunkColumns,
        ChunkRow,
        CommitmentRow,
        DecisionRow,
        DocumentRow,
        EvidenceRow,
        MeetingDocumentRow,
        MeetingRow,
        PageRow,
        RecordRow,
        RecordTable,
        SearchableRecordTable,
    )
    from indexer.store.synthetic import build_synthetic_store, synthetic_committee
    from indexer.text.dates import MONTHS, find_dates, parse_iso
    from indexer.text.overlap import overlap, shingles
    from indexer.text.spans import plain, sentence_spans
    from indexer.text.words import PAPER_WORDS, STOPWORDS, content_words, stem, terms


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
