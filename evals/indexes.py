"""Evaluation indexes in a cache folder, one per chunker, rebuilt when the indexer's code or model changes."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from indexer import PROJECT_ROOT, Embedder, Settings, Store, build_index

logger = logging.getLogger(__name__)

CHUNKERS = ("structured", "fixed")


def indexer_fingerprint() -> str:
    """A short hash of the indexer's source: an index built by other code is a different index."""
    digest = hashlib.sha256()
    root = PROJECT_ROOT / "indexer"
    for path in sorted(root.rglob("*.py")):  # every module of every sub-package
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def index_dir(cache_dir: Path, chunker: str, embedder: Embedder, settings: Settings) -> Path:
    """Where the index for this chunker, model, backend, PDF text reader, chunk size and indexer version
    lives: an index built any other way is another index."""
    model = re.sub(r"[^A-Za-z0-9_.-]+", "_", embedder.name)
    # The model's identity, as the vector cache keys it: where it was loaded from, and by which backend.
    source = hashlib.sha256(str(getattr(embedder, "source", embedder.name)).encode()).hexdigest()[:6]
    return cache_dir / (
        f"{chunker}-{model}-{source}-{settings.index.pdf_text_reader}"
        f"-t{settings.index.chunk_target_tokens}-{indexer_fingerprint()}"
    )


def ensure_index(
    chunker: str,
    embedder: Embedder,
    settings: Settings | None = None,
    cache_dir: Path | None = None,
    corpus_dir: Path | None = None,
) -> Store:
    """Open the cached index for ``chunker``, building or updating it first (the build is idempotent)."""
    if chunker not in CHUNKERS:
        raise ValueError(f"chunker must be one of {', '.join(CHUNKERS)}; got {chunker!r}")
    settings = settings or Settings()
    target = index_dir(cache_dir or settings.evals.cache_dir, chunker, embedder, settings)
    store = Store(target, create=True)
    report = build_index(
        [corpus_dir or settings.index.corpus_dir],
        store,
        embedder,
        batch_size=settings.index.embed_batch_size,
        target_tokens=settings.index.chunk_target_tokens,
        max_tokens=settings.index.chunk_max_tokens,
        min_page_chars=settings.index.min_page_chars,
        chunker=chunker,
        pdf_text_reader=settings.index.pdf_text_reader,
    )
    if report.failed:
        logger.warning("%s index: %d files failed: %s", chunker, len(report.failed), report.failed)
    if report.chunks_embedded:
        logger.info("%s index: embedded %d chunks in %.0f s", chunker, report.chunks_embedded, report.seconds)
    return store
