"""Parsing files for the pipeline: in turn, one ahead in a worker process, or all before any is embedded."""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from indexer.embedding import TokenCounter
from indexer.errors import UnreadableFileError
from indexer.models import ParsedDocument
from indexer.parsing import extract_record_set, parse_file
from indexer.store.records import RecordSet

logger = logging.getLogger(__name__)
# "all-first" is the landed path (every file parsed before the first is embedded), kept to compare against.
PARSE_MODES = ("stream", "ahead", "all-first")


@dataclass
class Failure:
    path: str
    reason: str
    kind: str


@dataclass
class ParseJob:
    """A file that needs parsing (new or changed content)."""

    root: Path
    file: Path
    rel_path: str
    document_id: str
    size: int
    mtime_ns: int
    replaced: bool
    overrides: dict


@dataclass
class Parsed:
    document: ParsedDocument | None = None
    record_set: RecordSet | None = None
    empty_pages: list[int] = field(default_factory=list)
    failure: Failure | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ParseOptions:
    counter: TokenCounter
    target_tokens: int
    max_tokens: int
    min_page_chars: int
    chunker: str
    pdf_text_reader: str


def parse_job(job: ParseJob, options: ParseOptions) -> Parsed:
    """Parse one file and draw out its records; failures are returned, not raised (this may run in a worker)."""
    try:
        content = job.file.read_bytes()
        document, empty_pages = parse_file(
            job.file,
            job.rel_path,
            content,
            job.overrides,
            options.counter,
            options.target_tokens,
            options.max_tokens,
            options.min_page_chars,
            options.chunker,
            options.pdf_text_reader,
        )
    except UnreadableFileError as exc:
        return Parsed(failure=Failure(job.rel_path, exc.reason, exc.kind))
    except OSError as exc:
        return Parsed(
            failure=Failure(job.rel_path, f"cannot read file ({exc.strerror or exc})", "unreadable")
        )
    parsed = Parsed(document=document, empty_pages=empty_pages)
    if options.chunker != "fixed":  # the structure-blind baseline index has no records
        try:
            parsed.record_set = extract_record_set(document)
        except Exception as exc:  # a heuristic that fails on an odd paper must not lose the paper
            logger.exception("record extraction failed for %s", job.rel_path)
            parsed.warnings.append(f"{job.rel_path}: no decisions or commitments extracted ({exc})")
    return parsed


def parsed_stream(
    jobs: Iterator[ParseJob], parse: Callable[[ParseJob], Parsed], mode: str
) -> Iterator[tuple[ParseJob, Parsed]]:
    """Each job with its parse: in turn ("stream"), one ahead in a worker ("ahead"), or all first."""
    if mode == "all-first":
        yield from [(job, parse(job)) for job in jobs]
        return
    if mode == "stream":
        for job in jobs:
            yield job, parse(job)
        return
    # spawn, not fork: a forked copy of a process running torch's thread pool can deadlock.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque = deque()
        for job in jobs:
            pending.append((job, pool.submit(parse, job)))
            if len(pending) > 1:
                done_job, future = pending.popleft()
                yield done_job, future.result()
        while pending:
            done_job, future = pending.popleft()
            yield done_job, future.result()
