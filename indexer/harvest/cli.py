"""Command line: ``python -m indexer.harvest BASE_URL FOLDER [--committee NAME]... [--from D] [--to D]``."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from tqdm import tqdm

from indexer.config import Settings
from indexer.harvest.client import USER_AGENT, PoliteClient
from indexer.harvest.errors import HarvestError
from indexer.harvest.harvester import Harvester, HarvestOptions
from indexer.harvest.report import HarvestReport

app = typer.Typer(
    add_completion=False, help="Harvest a council's ModernGov papers into a folder the indexer reads."
)

DEFAULT_DAYS_BACK = 365
DEFAULT_DAYS_AHEAD = 60


def _date(value: str | None, default: date, option: str) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from exc


@app.command()
def main(
    base_url: Annotated[
        str, typer.Argument(help="The council's ModernGov site, e.g. https://democracy.kent.gov.uk")
    ],
    folder: Annotated[
        Path, typer.Argument(help="Folder to harvest into, e.g. papers/kent (created if missing).")
    ],
    committee: Annotated[
        list[str] | None,
        typer.Option(
            "--committee", "-c", help="Committee name or id; repeat for more. Default: all current."
        ),
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help=f"First meeting date, YYYY-MM-DD [today - {DEFAULT_DAYS_BACK} days]"),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help=f"Last meeting date, YYYY-MM-DD [today + {DEFAULT_DAYS_AHEAD} days]"),
    ] = None,
    council: Annotated[
        str | None, typer.Option(help="Council name for the metadata [CP_HARVEST_COUNCIL].")
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Index directory for the indexing step [CP_STORE_DIR]."),
    ] = None,
    no_index: Annotated[
        bool, typer.Option("--no-index", help="Harvest only; do not run the indexer.")
    ] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Delete files the site no longer lists.")] = False,
    delay_s: Annotated[
        float | None,
        typer.Option(min=0, help="Pause between requests, seconds [CP_HARVEST_DELAY_S, 1.0]."),
    ] = None,
    timeout_s: Annotated[float, typer.Option(min=0.1, help="Timeout of one request, seconds.")] = 30.0,
    retries: Annotated[
        int, typer.Option(min=0, help="Retries on 429, 5xx, timeouts, dropped connections.")
    ] = 3,
    user_agent: Annotated[
        str | None,
        typer.Option(help="User-Agent; add a contact address [CP_HARVEST_USER_AGENT]."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Fetch each meeting's documents and the site's facts about them into FOLDER, then index FOLDER.

    A re-run asks the site only what changed (conditional requests), so it is cheap to run from cron.
    Bad documents (an HTML page instead of a PDF, a truncated file, a 404, a login page) are named in the
    summary and never written; the exit code is then 1.
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    if not verbose:  # a damaged PDF is one line in the summary; pypdf's own warnings about it are noise there
        logging.getLogger("pypdf").setLevel(logging.ERROR)
    defaults = Settings().harvest
    council = council or defaults.council
    delay_s = defaults.delay_s if delay_s is None else delay_s
    user_agent = user_agent or defaults.user_agent or USER_AGENT
    today = date.today()
    first = _date(date_from, today - timedelta(days=DEFAULT_DAYS_BACK), "--from")
    last = _date(date_to, today + timedelta(days=DEFAULT_DAYS_AHEAD), "--to")
    if first > last:
        raise typer.BadParameter(f"--from {first} is after --to {last}", param_hint="--from")
    options = HarvestOptions(base_url, folder, first, last, committee or [], council, prune)
    bar = tqdm(total=0, unit="meeting", desc="harvesting", disable=as_json or not sys.stderr.isatty())

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        with PoliteClient(
            user_agent=user_agent, delay_s=delay_s, timeout_s=timeout_s, retries=retries
        ) as client:
            report = Harvester(options, client).run(progress)
    except HarvestError as exc:
        bar.close()
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    bar.close()
    if not no_index and not report.interrupted:
        report.index = run_indexer(Path(report.folder), store, as_json)
    _print(report, as_json)
    if report.interrupted:
        raise typer.Exit(130)
    if not report.ok:
        raise typer.Exit(1)


def run_indexer(folder: Path, store: Path | None, as_json: bool) -> dict[str, Any]:
    """Index the folder with ``python -m indexer`` in a child process of this same interpreter."""
    command = [sys.executable, "-m", "indexer", str(folder)]
    if store is not None:
        command += ["--store", str(store)]
    if not as_json:
        return {"command": command, "returncode": subprocess.run(command, check=False).returncode}
    result = subprocess.run([*command, "--json"], capture_output=True, text=True, check=False)
    try:
        indexed: Any = json.loads(result.stdout)
    except ValueError:
        indexed = None
    return {
        "command": command,
        "returncode": result.returncode,
        "report": indexed,
        "stderr": result.stderr[-2000:],
    }


def _print(report: HarvestReport, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    head, *rest = report.summary_lines()
    for line in rest:
        typer.echo(line, err=line.startswith(("failed", "vanished", "interrupted")))
    typer.echo(head)
