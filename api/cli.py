"""Command line: ``python -m api --store DIR --host 127.0.0.1 --port N``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from indexer import Settings

app = typer.Typer(add_completion=False, help="Serve the search API and the web page.")


@app.command()
def main(
    store: Annotated[Path | None, typer.Option("--store", help="Index directory [CP_STORE_DIR].")] = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
) -> None:
    """Serve the index over HTTP; the web page is at / and the API's docs at /docs."""
    import uvicorn

    from api.main import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    served = {"host": host, "port": port}
    settings = Settings().updated(
        index={"store_dir": store} if store else {},
        api={k: v for k, v in served.items() if v is not None},
    )
    application = create_app(settings)
    application.state.services.get_embedder()  # load the model before the first request
    typer.echo(f"serving {settings.index.store_dir} on http://{settings.api.host}:{settings.api.port}/")
    uvicorn.run(application, host=settings.api.host, port=settings.api.port, log_level="warning")
