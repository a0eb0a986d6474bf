"""Build or update an index from files and folders: idempotent, and safe to interrupt."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.chunking import chunk_document, chunk_fixed_size
from indexer.embedding import Embedder
from indexer.errors import IndexerError, UnreadableFileError
from indexer.metadata import METADATA_FILE, infer_meta, load_metadata, metadata_for
from indexer.models import ParsedDocument
from indexer.pdf import read_pdf_pages
from indexer.store import Store
from indexer.structure import structure_document
from indexer.text import read_text_pages

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
    if chunker == "fixed":
        document.chunks = chunk_fixed_size(document_id, meta, pages, embedder.count_tokens, max_tokens)
    else:
        document.chunks = chunk_document(
            document_id, meta, pages, parts, sections, embedder.count_tokens, target_tokens, max_tokens
        )
    if not document.chunks:
        raise UnreadableFileError(rel_path, "no text to index", "no_text")
    return document, empty_pages


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

    pending: list[tuple[ParsedDocument, str, str, int, int, bool]] = []
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
        pending.append((document, str(root), rel_path, stat.st_size, stat.st_mtime_ns, existing is not None))
        copies[document.document_id] = []

    total = sum(len(d.chunks) for d, *_ in pending)
    done = 0
    if on_progress:
        on_progress(0, total)
    for document, root_str, rel_path, size, mtime_ns, replaced in pending:
        embed_started = time.perf_counter()
        vectors = embedder.encode([c.embed_text for c in document.chunks], batch_size=batch_size)
        report.embed_seconds += time.perf_counter() - embed_started
        store.write_vectors(document, vectors)
        orphans = store.register_document(document, root_str, rel_path, size, mtime_ns)
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

    stats = store.stats()
    report.documents, report.pages, report.chunks = stats["documents"], stats["pages"], stats["chunks"]
    report.seconds = time.perf_counter() - started
    return report


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
