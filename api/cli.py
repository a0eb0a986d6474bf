"""Command line: ``python -m api --store DIR --host 127.0.0.1 --port N``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer

from indexer import Settings

app = typer.Typer(add_completion=False, help="Serve the search API and the web page.")


@app.command()
def main(
    store: Annotated[
        Path | None, typer.Option("--store", envvar="CP_STORE_DIR", help="Index directory.")
    ] = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
) -> None:
    """Serve the index over HTTP; the web page is at / and the API's docs at /docs."""
    import uvicorn

    from api.main import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    overrides: dict[str, Any] = {"store_dir": store, "host": host, "port": port}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    application = create_app(settings)
    application.state.services.get_embedder()  # load the model before the first request
    typer.echo(f"serving {settings.store_dir} on http://{settings.host}:{settings.port}/")
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="warning")
