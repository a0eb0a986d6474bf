"""Indexing throughput: the landed path against the configured one, in the same run, on the same files.

``python -m indexer.benchmark [FOLDER] [--runs N]`` builds the index of FOLDER (default: the corpus) in
fresh temporary stores, alternating two paths so that a noisy machine slows both alike:

- landed: pypdf text, torch, every file parsed before the first is embedded (``parse_mode="all-first"``),
  batches of 32 (``--landed-batch-size`` to change it, so the batch's own share can be measured);
- new: the configured reader (CP_PDF_TEXT_READER), backend (CP_EMBEDDING_BACKEND), parse mode
  (CP_INDEX_PARSE_MODE) and batch (CP_EMBED_BATCH_SIZE).

Each path's raw ``encode`` rate on exactly the chunk texts its index holds is measured too, so indexing
is also shown as a fraction of the model's own rate. Medians over the runs; JSON on stdout, with
``speedup_vs_landed`` (new pages/min over landed pages/min), which scripts outside the repo read.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from indexer.config import IndexSettings, Settings
from indexer.embedding import Embedder, load_embedder
from indexer.pipeline import build_index
from indexer.store.index import Store

LANDED_BATCH_SIZE = 32  # the encode batch the landed path used


def _build(
    folder: Path, embedder: Embedder, settings: IndexSettings, reader: str, mode: str, batch_size: int
) -> dict[str, Any]:
    """One fresh build, then the raw encode of the same chunk texts."""
    with tempfile.TemporaryDirectory() as store_dir:
        store = Store(Path(store_dir), create=True)
        report = build_index(
            [folder],
            store,
            embedder,
            batch_size=batch_size,
            target_tokens=settings.chunk_target_tokens,
            max_tokens=settings.chunk_max_tokens,
            min_page_chars=settings.min_page_chars,
            pdf_text_reader=reader,
            parse_mode=mode,
        )
        texts = [r[0] for r in store.db.execute("SELECT embed_text FROM chunks ORDER BY rowid")]
        store.close()
    started = time.perf_counter()
    embedder.encode(texts, batch_size=batch_size)
    encode_s = time.perf_counter() - started
    return {
        "index_s": report.seconds,
        "embed_s": report.embed_seconds,
        "pages": report.pages_read,
        "chunks": report.chunks_embedded,
        "raw_encode_chunks_per_s": len(texts) / encode_s,
    }


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    index_s = statistics.median(r["index_s"] for r in runs)
    raw = statistics.median(r["raw_encode_chunks_per_s"] for r in runs)
    chunks, pages = runs[0]["chunks"], runs[0]["pages"]
    return {
        "pages": pages,
        "chunks": chunks,
        "index_s_median": round(index_s, 2),
        "index_s_runs": [round(r["index_s"], 2) for r in runs],
        "pages_per_min": round(60 * pages / index_s, 1),
        "index_chunks_per_s": round(chunks / index_s, 1),
        "raw_encode_chunks_per_s": round(raw, 1),
        "index_vs_raw_encode": round(chunks / index_s / raw, 3),
        "embedding_share_of_index_time": round(
            statistics.median(r["embed_s"] / r["index_s"] for r in runs), 3
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m indexer.benchmark")
    parser.add_argument(
        "folder", nargs="?", type=Path, default=None, help="Folder of papers (default: corpus)."
    )
    parser.add_argument("--runs", type=int, default=3, help="Builds per path; medians are reported.")
    parser.add_argument(
        "--landed-batch-size",
        type=int,
        default=LANDED_BATCH_SIZE,
        help=f"The landed path's encode batch (default {LANDED_BATCH_SIZE}, as landed).",
    )
    args = parser.parse_args(argv)
    settings = Settings().index
    folder = (args.folder or settings.corpus_dir).resolve()
    model = settings.model_name_or_path()
    landed_embedder = load_embedder(model, backend="torch")
    new_embedder = (
        landed_embedder
        if settings.embedding_backend == "torch"
        else load_embedder(model, backend=settings.embedding_backend)
    )
    for embedder in {id(e): e for e in (landed_embedder, new_embedder)}.values():
        embedder.encode(["warm up"] * 8)

    landed: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    for _ in range(args.runs):  # alternated, so that load on the machine falls on both paths alike
        landed.append(_build(folder, landed_embedder, settings, "pypdf", "all-first", args.landed_batch_size))
        new.append(
            _build(
                folder,
                new_embedder,
                settings,
                settings.pdf_text_reader,
                settings.index_parse_mode,
                settings.embed_batch_size,
            )
        )
    result = {
        "folder": str(folder),
        "runs": args.runs,
        "landed": {
            "pdf_text_reader": "pypdf",
            "embedding_backend": "torch",
            "parse_mode": "all-first",
            "batch_size": args.landed_batch_size,
        }
        | _summary(landed),
        "new": {
            "pdf_text_reader": settings.pdf_text_reader,
            "embedding_backend": settings.embedding_backend,
            "parse_mode": settings.index_parse_mode,
            "batch_size": settings.embed_batch_size,
        }
        | _summary(new),
    }
    result["same_chunk_count"] = landed[0]["chunks"] == new[0]["chunks"]
    result["speedup_vs_landed"] = round(result["new"]["pages_per_min"] / result["landed"]["pages_per_min"], 3)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
