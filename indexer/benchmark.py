"""Indexing throughput on a folder of papers, against the model's raw encode() in the same run.

``python -m indexer.benchmark [corpus]`` prints pages/s and chunks/s of a full index build, and the raw
encode throughput of the same chunk texts, so the ratio holds even on a noisy machine.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from indexer.config import Settings
from indexer.embedding import load_embedder
from indexer.pipeline import build_index, collect_files, parse_file
from indexer.reading.metadata import load_metadata, metadata_for
from indexer.store.index import Store


def main(argv: list[str]) -> None:
    settings = Settings()
    folder = Path(argv[0]) if argv else settings.index.corpus_dir
    embedder = load_embedder(settings.index.model_name_or_path())
    embedder.encode(["warm up"])

    # Baseline: the model alone, on exactly the texts the index will embed.
    parse_started = time.perf_counter()
    texts: list[str] = []
    pages = 0
    entries = load_metadata(folder.resolve())
    for root, path in collect_files([folder]):
        rel = path.relative_to(root).as_posix()
        document, _ = parse_file(
            path,
            rel,
            path.read_bytes(),
            metadata_for(rel, entries),
            embedder,
            settings.index.chunk_target_tokens,
            embedder.max_tokens,
            settings.index.min_page_chars,
        )
        texts.extend(c.embed_text for c in document.chunks)
        pages += len(document.pages)
    parse_s = time.perf_counter() - parse_started
    encode_started = time.perf_counter()
    embedder.encode(texts, batch_size=settings.index.embed_batch_size)
    encode_s = time.perf_counter() - encode_started

    with tempfile.TemporaryDirectory() as store_dir:
        report = build_index(
            [folder],
            Store(Path(store_dir), create=True),
            embedder,
            batch_size=settings.index.embed_batch_size,
        )
    result = {
        "documents": report.documents,
        "pages": report.pages,
        "chunks": report.chunks_embedded,
        "parse_and_chunk_s": round(parse_s, 2),
        "raw_encode_s": round(encode_s, 2),
        "raw_encode_chunks_per_s": round(len(texts) / encode_s, 1),
        "index_s": round(report.seconds, 2),
        "index_embed_s": round(report.embed_seconds, 2),
        "index_chunks_per_s": round(report.chunks_per_s, 1),
        "index_pages_per_s": round(report.pages / report.seconds, 1),
        "index_vs_raw_encode": round(report.chunks_per_s / (len(texts) / encode_s), 3),
        "embedding_share_of_index_time": round(report.embed_seconds / report.seconds, 3),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
