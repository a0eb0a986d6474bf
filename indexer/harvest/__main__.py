"""Entry point of ``python -m indexer.harvest``."""

from indexer.harvest.cli import app

app(prog_name="python -m indexer.harvest")
