"""Build or update an index from files and folders: idempotent, and safe to interrupt."""

from __future__ import annotations

import bisect
import hashlib
import itertools
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.embedding import Embedder
from indexer.errors import IndexerError, UnreadableFileError
from indexer.layout.agenda import agenda_page_spans
from indexer.layout.chunking import chunk_document, chunk_fixed_size
from indexer.layout.outline import outline_sections
from indexer.layout.structure import structure_document
from indexer.models import Chunk, ParsedDocument
from indexer.reading.metadata import METADATA_FILE, infer_meta, load_metadata, metadata_for
from indexer.reading.pdf import read_pdf_pages
from indexer.reading.text import read_text_pages
from indexer.records.extract import extract_records
from indexer.records.linking import evidence_from
from indexer.store.index import Store
from indexer.store.records import RecordSet, record_texts

logger = logging.getLogger(__name__)

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
ID_HEX_CHARS = 16


@dataclass
class Failure:
    path: str
    reason: str
    kind: str


@dataclass
class IndexReport:
    """What a run did, for the summary line and for scripts (--json)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    pages: int = 0
    chunks: int = 0
    chunks_embedded: int = 0
    records_embedded: int = 0
    commitments_relinked: int = 0
    pages_read: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def chunks_per_s(self) -> float:
        return self.chunks_embedded / self.seconds if self.seconds else 0.0


def document_id_for(content: bytes) -> tuple[str, str]:
    """(document id, full sha256): the id is the content hash, so it survives renames and re-indexing."""
    digest = hashlib.sha256(content).hexdigest()
    return digest[:ID_HEX_CHARS], digest


def collect_files(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(root, file) pairs: a folder is walked (hidden files and the metadata file left out); a file is its own."""
    pairs: list[tuple[Path, Path]] = []
    for path in paths:
        path = path.resolve()
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                relative = file.relative_to(path)
                if (
                    file.is_file()
                    and not any(p.startswith(".") for p in relative.parts)
                    and file.name != METADATA_FILE
                ):
                    pairs.append((path, file))
        elif path.is_file():
            pairs.append((path.parent, path))
        else:
            raise IndexerError(f"{path}: no such file or folder")
    return pairs


def parse_file(
    path: Path,
    rel_path: str,
    content: bytes,
    overrides: dict,
    embedder: Embedder,
    target_tokens: int,
    max_tokens: int,
    min_page_chars: int,
    chunker: str = "structured",
) -> tuple[ParsedDocument, list[int]]:
    """Read, structure and chunk one file. Returns the document and its pages with no text layer."""
    suffix = path.suffix.lower()
    if not content:
        raise UnreadableFileError(rel_path, "empty file (0 bytes)", "empty")
    empty_pages: list[int] = []
    if suffix in PDF_SUFFIXES:
        pages, empty_pages = read_pdf_pages(path, min_page_chars=min_page_chars)
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


def build_index(
    paths: list[Path],
    store: Store,
    embedder: Embedder,
    *,
    batch_size: int = 32,
    target_tokens: int = 180,
    max_tokens: int = 0,
    min_page_chars: int = 20,
    chunker: str = "structured",
    on_progress: Callable[[int, int], None] | None = None,
) -> IndexReport:
    """Bring the index up to date with the given files and folders.

    Unchanged files are skipped, changed ones replaced, vanished ones (under an indexed folder) removed;
    each document is committed on its own, so an interrupted run loses nothing already committed.
    ``on_progress(done, total)`` is called as chunks are embedded. ``chunker="fixed"`` builds the
    structure-blind baseline that evaluations compare against.
    """
    started = time.perf_counter()
    report = IndexReport()
    max_tokens = min(max_tokens or embedder.max_tokens, embedder.max_tokens)
    if not store.check_model(embedder.name, embedder.dimension):
        logger.warning("index was built with model %s; rebuilding it with %s", store.model(), embedder.name)
        store.reset()
        store.check_model(embedder.name, embedder.dimension)

    pairs = collect_files(paths)
    metadata_by_root = {root: load_metadata(root) for root in {r for r, _ in pairs}}
    # Only a folder given whole can say a file disappeared; a single file says nothing of its neighbours.
    seen: dict[Path, set[str]] = {p.resolve(): set() for p in paths if p.resolve().is_dir()}

    pending: list[tuple[ParsedDocument, RecordSet | None, str, str, int, int, bool]] = []
    # Same content seen twice in this run: the copies are linked once the first is committed.
    copies: dict[str, list[tuple[str, str, int, int]]] = {}
    for root, file in pairs:
        rel_path = file.relative_to(root).as_posix()
        seen.get(root, set()).add(rel_path)
        try:
            content = file.read_bytes()
            stat = file.stat()
            document_id, _ = document_id_for(content)
            existing = store.source_of(str(root), rel_path)
            if existing is not None and existing["document_id"] == document_id:
                report.unchanged.append(rel_path)
                continue
            if document_id in copies:
                copies[document_id].append((str(root), rel_path, stat.st_size, stat.st_mtime_ns))
                report.duplicates.append(rel_path)
                continue
            if store.has_document(document_id):
                orphans = store.link_source(str(root), rel_path, document_id, stat.st_size, stat.st_mtime_ns)
                store.delete_vectors(orphans)
                report.duplicates.append(rel_path)
                continue
            document, empty_pages = parse_file(
                file,
                rel_path,
                content,
                metadata_for(rel_path, metadata_by_root[root]),
                embedder,
                target_tokens,
                max_tokens,
                min_page_chars,
                chunker,
            )
        except UnreadableFileError as exc:
            report.failed.append(Failure(rel_path, exc.reason, exc.kind))
            continue
        except OSError as exc:
            report.failed.append(Failure(rel_path, f"cannot read file ({exc.strerror or exc})", "unreadable"))
            continue
        if empty_pages:
            report.warnings.append(
                f"{rel_path}: {len(empty_pages)} page(s) with no text layer not indexed (pages {_ranges(empty_pages)})"
            )
        report.pages_read += len(document.pages)
        record_set = None
        if chunker != "fixed":  # the structure-blind baseline index has no records
            try:
                record_set = extract_record_set(document)
            except Exception as exc:  # a heuristic that fails on an odd paper must not lose the paper
                logger.exception("record extraction failed for %s", rel_path)
                report.warnings.append(f"{rel_path}: no decisions or commitments extracted ({exc})")
        pending.append(
            (document, record_set, str(root), rel_path, stat.st_size, stat.st_mtime_ns, existing is not None)
        )
        copies[document.document_id] = []

    total = sum(len(d.chunks) for d, *_ in pending)
    done = 0
    if on_progress:
        on_progress(0, total)
    for document, record_set, root_str, rel_path, size, mtime_ns, replaced in pending:
        embed_started = time.perf_counter()
        extra_texts = _record_texts(record_set)
        texts = [c.embed_text for c in document.chunks] + extra_texts
        vectors = np.asarray(embedder.encode(texts, batch_size=batch_size), dtype=np.float32)
        vectors, record_vectors = vectors[: len(document.chunks)], vectors[len(document.chunks) :]
        if record_set is not None:
            _set_record_vectors(record_set, record_vectors)
            report.records_embedded += len(extra_texts)
        report.embed_seconds += time.perf_counter() - embed_started
        store.write_vectors(document, vectors)
        orphans = store.register_document(document, root_str, rel_path, size, mtime_ns, record_set)
        for copy in copies[document.document_id]:
            orphans += store.link_source(*copy[:2], document.document_id, *copy[2:])
        store.delete_vectors(orphans)
        (report.updated if replaced else report.added).append(rel_path)
        report.chunks_embedded += len(document.chunks)
        done += len(document.chunks)
        if on_progress:
            on_progress(done, total)

    for root, present in seen.items():
        gone = sorted(set(store.sources_under(str(root))) - present)
        if gone:
            store.delete_vectors(store.remove_sources(str(root), gone))
            report.removed.extend(gone)
    swept = store.sweep_vectors()
    if swept:
        logger.info("removed %d vectors left by an interrupted run", swept)
    # Papers that came or went may change what is known of commitments made in other papers.
    report.commitments_relinked = store.relink_commitments()

    stats = store.stats()
    report.documents, report.pages, report.chunks = stats["documents"], stats["pages"], stats["chunks"]
    report.seconds = time.perf_counter() - started
    return report


def _record_texts(record_set: RecordSet | None) -> list[str]:
    """The texts of a document's decisions then commitments, embedded in the same call as its chunks."""
    if record_set is None:
        return []
    decision_texts, commitment_texts = record_texts(record_set.records)
    return decision_texts + commitment_texts


def _set_record_vectors(record_set: RecordSet, vectors: np.ndarray) -> None:
    decisions = len(record_set.records.decisions)
    record_set.decision_vectors = vectors[:decisions]
    record_set.commitment_vectors = vectors[decisions:]


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}-{prev}" if start != prev else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(out)
