"""Entry point of ``python -m indexer``."""

from indexer.cli import app

app(prog_name="python -m indexer")
