"""Command line: ``python -m api --store DIR --host 127.0.0.1 --port N --workers N``."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from indexer import Settings

app = typer.Typer(add_completion=False, help="Serve the search API and the web page.")


def serve_command(store_dir: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    """The command line that serves ``store_dir`` on ``host:port`` with this Python."""
    return [sys.executable, "-m", "api", "--store", str(store_dir), "--host", host, "--port", str(port)]


@app.command()
def main(
    store: Annotated[Path | None, typer.Option("--store", help="Index directory [CP_STORE_DIR].")] = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes (default 1) [CP_WORKERS]. To re-index while several serve, keep the "
            "vectors on a chroma server [CP_CHROMA_URL].",
        ),
    ] = None,
) -> None:
    """Serve the index over HTTP; the web page is at / and the API's docs at /docs."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    served = {"host": host, "port": port, "workers": workers}
    try:
        settings = Settings().updated(
            index={"store_dir": store.resolve()} if store else {},
            api={k: v for k, v in served.items() if v is not None},
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        typer.echo(f"error: {problems}", err=True)
        raise typer.Exit(2) from exc
    # Each worker builds its app from the environment (uvicorn imports the factory by name), so the
    # options given here go there too.
    os.environ["CP_STORE_DIR"] = str(settings.index.store_dir)
    if settings.api.workers > 1 and not settings.index.chroma_url:
        typer.echo(
            f"note: {settings.api.workers} workers share the chroma in {settings.index.store_dir}: safe while "
            "nothing re-indexes it; set CP_CHROMA_URL to a `chroma run` server to index while serving",
            err=True,
        )
    vectors = f" (vectors on {settings.index.chroma_url})" if settings.index.chroma_url else ""
    typer.echo(
        f"serving {settings.index.store_dir}{vectors} on http://{settings.api.host}:{settings.api.port}/"
        f" with {settings.api.workers} worker{'s' if settings.api.workers > 1 else ''}"
    )
    uvicorn.run(
        "api.main:create_served_app",
        factory=True,
        host=settings.api.host,
        port=settings.api.port,
        workers=settings.api.workers,
        log_level="warning",
    )
