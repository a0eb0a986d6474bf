"""Entry point of ``python -m evals``."""

from evals.cli import app

app(prog_name="python -m evals")
