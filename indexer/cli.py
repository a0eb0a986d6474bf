"""Command line: ``python -m indexer PATH... --store DIR``."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from indexer.config import Settings
from indexer.errors import IndexerError

app = typer.Typer(add_completion=False, help="Index committee papers (PDF, text, markdown) for search.")


@app.command()
def main(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to index (default: the corpus).")
    ] = None,
    store: Annotated[Path | None, typer.Option("--store", help="Index directory [CP_STORE_DIR].")] = None,
    model: Annotated[str | None, typer.Option(help="sentence-transformers path or name [CP_MODEL].")] = None,
    batch_size: Annotated[int | None, typer.Option(min=1, help="Chunks per embedding batch.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Index PATHS into the store; unchanged files are skipped, changed ones replaced, vanished ones removed."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    settings = Settings()
    store_dir = store or settings.index.store_dir
    targets = paths or [settings.index.corpus_dir]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:  # before the model loads: a typo should cost milliseconds, not seconds
        typer.echo(f"error: {', '.join(missing)}: no such file or folder", err=True)
        raise typer.Exit(2)
    from indexer.embedding import load_embedder
    from indexer.pipeline import Progress, build_index
    from indexer.store.index import Store

    try:
        embedder = load_embedder(
            model or settings.index.model_name_or_path(),
            settings.index.embedding_cache,
            settings.index.embedding_backend,
        )
    except (OSError, ValueError) as exc:
        typer.echo(
            f"error: cannot load embedding model {model or settings.index.model_name_or_path()!r}: {exc}",
            err=True,
        )
        raise typer.Exit(2) from exc
    bar = tqdm(total=0, unit="file", desc="indexing", disable=as_json or not sys.stderr.isatty())

    def progress(state: Progress) -> None:  # files (with an ETA from their rate) and chunks embedded so far
        bar.total = state.files_total
        bar.n = state.files_done
        bar.set_postfix(chunks=state.chunks_done, pages=state.pages_done, refresh=False)
        bar.refresh()

    try:
        index = Store(store_dir, create=True, chroma_url=settings.index.chroma_url)
        report = build_index(
            targets,
            index,
            embedder,
            batch_size=batch_size or settings.index.embed_batch_size,
            target_tokens=settings.index.chunk_target_tokens,
            max_tokens=settings.index.chunk_max_tokens,
            min_page_chars=settings.index.min_page_chars,
            pdf_text_reader=settings.index.pdf_text_reader,
            parse_mode=settings.index.index_parse_mode,
            on_progress=progress,
        )
    except IndexerError as exc:
        bar.close()
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    bar.close()
    if as_json:
        payload = asdict(report) | {"chunks_per_s": report.chunks_per_s, "store": str(store_dir)}
        typer.echo(json.dumps(payload, indent=2))
    else:
        for failure in report.failed:
            typer.echo(f"skipped {failure.path}: {failure.reason}", err=True)
        for warning in report.warnings:
            typer.echo(f"warning: {warning}", err=True)
        typer.echo(
            f"{report.documents} documents, {report.pages} pages, {report.chunks} chunks in {store_dir} | "
            f"this run: {len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.duplicates)} duplicate, {len(report.removed)} removed, {len(report.failed)} failed | "
            f"{report.chunks_embedded} chunks embedded in {report.seconds:.1f} s ({report.chunks_per_s:.1f} chunks/s)"
        )
    if report.failed:
        raise typer.Exit(1)
