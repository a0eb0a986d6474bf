"""Build or update an index from files and folders: streaming, idempotent, and safe to interrupt.

Files are parsed, embedded and committed one document at a time, so memory stays flat with the size of
the corpus and an interruption (even ``kill -9``) loses at most the document in flight. With
``parse_mode="ahead"`` a worker process parses the next file while this one embeds the current one.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np

from indexer.embedding import Embedder
from indexer.errors import IndexerError, VectorStoreError
from indexer.parse_stream import (
    PARSE_MODES,
    Failure,
    Parsed,
    ParseJob,
    ParseOptions,
    parse_job,
    parsed_stream,
)
from indexer.parsing import (
    ID_HEX_CHARS,
    PDF_SUFFIXES,
    TEXT_SUFFIXES,
    document_id_for,
    parse_file,
    set_page_sources,
)
from indexer.reading.metadata import METADATA_FILE, load_metadata, metadata_for
from indexer.store.index import Store
from indexer.store.records import RecordSet, record_texts
from indexer.units import embed_with_units

logger = logging.getLogger(__name__)

__all__ = [
    "ID_HEX_CHARS",
    "PARSE_MODES",
    "PDF_SUFFIXES",
    "TEXT_SUFFIXES",
    "IndexReport",
    "Progress",
    "build_index",
    "collect_files",
    "document_id_for",
    "parse_file",
    "set_page_sources",
]


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


@dataclass
class Progress:
    """How far a run is: files looked at (of all), and the chunks and pages embedded so far."""

    files_done: int
    files_total: int
    chunks_done: int
    pages_done: int


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
    pdf_text_reader: str = "pdfium",
    parse_mode: str = "stream",
    on_progress: Callable[[Progress], None] | None = None,
) -> IndexReport:
    """Bring the index up to date with the given files and folders.

    Unchanged files are skipped, changed ones replaced, vanished ones (under an indexed folder) removed;
    each document is committed on its own as soon as it is embedded, so an interrupted run loses at most
    the document in flight. ``on_progress`` gets a ``Progress`` after each file. ``chunker="fixed"``
    builds the structure-blind baseline that evaluations compare against.
    """
    if parse_mode not in PARSE_MODES:
        raise ValueError(f"parse_mode must be one of {', '.join(PARSE_MODES)}; got {parse_mode!r}")
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
    # Documents parsed but not yet committed, with the other files of the same content found meanwhile.
    in_flight: dict[str, list[tuple[str, str, int, int]]] = {}
    progress = Progress(0, len(pairs), 0, 0)

    def tick() -> None:
        progress.files_done += 1
        if on_progress:
            on_progress(replace(progress))

    def jobs() -> Iterator[ParseJob]:
        for root, file in pairs:
            rel_path = file.relative_to(root).as_posix()
            seen.get(root, set()).add(rel_path)
            try:
                document_id, _ = document_id_for(file.read_bytes())
                stat = file.stat()
            except OSError as exc:
                report.failed.append(
                    Failure(rel_path, f"cannot read file ({exc.strerror or exc})", "unreadable")
                )
                tick()
                continue
            existing = store.source_of(str(root), rel_path)
            if existing is not None and existing["document_id"] == document_id:
                report.unchanged.append(rel_path)
            elif document_id in in_flight:
                in_flight[document_id].append((str(root), rel_path, stat.st_size, stat.st_mtime_ns))
            elif store.has_document(document_id):
                orphans = store.link_source(str(root), rel_path, document_id, stat.st_size, stat.st_mtime_ns)
                store.delete_vectors(orphans)
                report.duplicates.append(rel_path)
            else:
                in_flight[document_id] = []
                overrides = metadata_for(rel_path, metadata_by_root[root])
                yield ParseJob(
                    root,
                    file,
                    rel_path,
                    document_id,
                    stat.st_size,
                    stat.st_mtime_ns,
                    existing is not None,
                    overrides,
                )
                continue
            tick()

    options = ParseOptions(embedder, target_tokens, max_tokens, min_page_chars, chunker, pdf_text_reader)
    if parse_mode == "ahead":
        # The worker needs the model's tokenizer, not the model: the embedder hands over a picklable counter.
        token_counter = getattr(embedder, "token_counter", None)
        if token_counter is None:
            logger.warning("%s cannot count tokens in a worker process; parsing in turn", embedder.name)
            parse_mode = "stream"
        else:
            options = replace(options, counter=token_counter())
    for job, parsed in parsed_stream(jobs(), partial(parse_job, options=options), parse_mode):
        copies = in_flight.pop(job.document_id)
        report.warnings.extend(parsed.warnings)
        if parsed.document is None:
            assert parsed.failure is not None
            report.failed.append(parsed.failure)
            report.failed.extend(
                Failure(copy[1], parsed.failure.reason, parsed.failure.kind) for copy in copies
            )
            tick()
            continue
        _commit(store, embedder, job, parsed, copies, report, batch_size)
        progress.chunks_done += len(parsed.document.chunks)
        progress.pages_done += len(parsed.document.pages)
        tick()

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
    # Searches read a snapshot of what this run left. Without one (a full disk, say) they take the live
    # paths, which give the same results more slowly: the run's work is kept, and the report says so.
    try:
        if store.refresh_snapshot():
            logger.info("search snapshot rebuilt")
    except (OSError, ValueError, sqlite3.Error, VectorStoreError) as exc:
        report.warnings.append(f"search snapshot not written ({exc}); searches read the index directly")

    stats = store.stats()
    report.documents, report.pages, report.chunks = stats["documents"], stats["pages"], stats["chunks"]
    report.seconds = time.perf_counter() - started
    return report


def _commit(
    store: Store,
    embedder: Embedder,
    job: ParseJob,
    parsed: Parsed,
    copies: list[tuple[str, str, int, int]],
    report: IndexReport,
    batch_size: int,
) -> None:
    """Embed one parsed document, write its vectors, then commit it (and link its copies) in the registry."""
    document, record_set = parsed.document, parsed.record_set
    assert document is not None
    if parsed.empty_pages:
        report.warnings.append(
            f"{job.rel_path}: {len(parsed.empty_pages)} page(s) with no text layer not indexed"
            f" (pages {_ranges(parsed.empty_pages)})"
        )
    report.pages_read += len(document.pages)
    embed_started = time.perf_counter()
    extra_texts = _record_texts(record_set)
    vectors, units = embed_with_units(
        embedder, [c.embed_text for c in document.chunks], [c.text for c in document.chunks], batch_size
    )
    record_vectors = np.asarray(embedder.encode(extra_texts, batch_size=batch_size), dtype=np.float32)
    if record_set is not None:
        _set_record_vectors(record_set, record_vectors)
        report.records_embedded += len(extra_texts)
    report.embed_seconds += time.perf_counter() - embed_started
    store.write_vectors(document, vectors)
    orphans = store.register_document(
        document, str(job.root), job.rel_path, job.size, job.mtime_ns, record_set, units
    )
    for copy in copies:
        orphans += store.link_source(*copy[:2], document.document_id, *copy[2:])
        report.duplicates.append(copy[1])
    store.delete_vectors(orphans)
    (report.updated if job.replaced else report.added).append(job.rel_path)
    report.chunks_embedded += len(document.chunks)


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
