"""Command line: ``python -m evals qrels | check | run | calibrate | answerability | ranker | gate | decisions``."""

from __future__ import annotations

import json
import logging
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from tqdm import tqdm

from evals.qrels import QRELS_FILE, QUERIES_FILE
from indexer import PROJECT_ROOT, Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Evaluate retrieval and answers against the hand-checked questions.",
)
RESULTS_DIR = PROJECT_ROOT / "evals" / "results"

CacheOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Where evaluation indexes are kept [CP_EVAL_CACHE_DIR, var/evals].",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per in-process /ask call otherwise


def _load_setup() -> Any:
    from evals.experiment import Setup

    try:
        return Setup.load()
    except (FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc), 2) from exc


def _load_embedder(settings: Settings) -> Any:
    from indexer import load_embedder

    try:
        return load_embedder(settings.index.model_name_or_path(), settings.index.embedding_cache)
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot load embedding model {settings.index.model_name_or_path()!r}: {exc}", 2) from exc


def _open(chosen: list[Any] | None, cache_dir: Path | None) -> tuple[Any, Any, dict[str, Any]]:
    """The gold questions, the embedder and the evaluation indexes of the chosen systems (the full one if none)."""
    from evals.experiment import open_indexes
    from evals.systems import FULL

    setup = _load_setup()
    embedder = _load_embedder(setup.settings)
    return setup, embedder, open_indexes(chosen or [FULL], embedder, setup.settings, cache_dir)


def _bar(total: int, description: str, quiet: bool) -> tqdm:
    return tqdm(total=total, desc=description, unit="q", disable=quiet or not sys.stderr.isatty())


@app.command()
def qrels() -> None:
    """Write evals/data/queries.jsonl and qrels.tsv (page-level ids) from the gold questions."""
    from evals.gold import Corpus, load_questions
    from evals.qrels import GoldError, write_files

    settings = Settings()
    try:
        queries_path, qrels_path, count = write_files(load_questions(), Corpus(settings.index.corpus_dir))
    except (GoldError, ValueError, OSError) as exc:
        raise _fail(str(exc)) from exc
    typer.echo(
        f"wrote {queries_path.relative_to(PROJECT_ROOT)} and {qrels_path.relative_to(PROJECT_ROOT)} "
        f"({count} qrels)"
    )


@app.command()
def check(
    copies: Annotated[
        bool, typer.Option(help="Also warn about quotes found on pages the gold does not list.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Verify every gold quote is on its page (or line), that queries.jsonl and qrels.tsv match the gold,
    and that no question's wording is in indexer/, api/ or ui/."""
    from evals.check import run_checks
    from evals.gold import Corpus, load_questions

    try:
        questions = load_questions()
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from exc
    report = run_checks(
        questions,
        Corpus(Settings().index.corpus_dir),
        QUERIES_FILE,
        QRELS_FILE,
        copies=copies,
        code_root=PROJECT_ROOT,
    )
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "ok": report.ok,
                    "quotes": report.quotes_checked,
                    "errors": report.errors,
                    "warnings": report.warnings,
                },
                indent=2,
            )
        )
    else:
        for warning in report.warnings:
            typer.echo(f"warning: {warning}", err=True)
        for error in report.errors:
            typer.echo(f"error: {error}", err=True)
        status = "ok" if report.ok else f"FAILED ({len(report.errors)} errors)"
        typer.echo(f"{len(questions)} questions, {report.quotes_checked} quotes checked: {status}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def run(
    out: Annotated[
        Path | None, typer.Option("--out", help="Results folder (default evals/results/<date_time>).")
    ] = None,
    systems: Annotated[str | None, typer.Option(help="Comma-separated systems (default: all).")] = None,
    min_score: Annotated[
        float | None, typer.Option(help="Not-found threshold (default: what the API uses).")
    ] = None,
    cache_dir: CacheOption = None,
    as_json: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Compare every system on every question and write a dated results folder."""
    from evals.experiment import describe_run, evaluate_all
    from evals.report import write_results
    from evals.summary import format_splits, summarise
    from evals.systems import systems_named

    _setup_logging(verbose)
    try:
        chosen = systems_named(systems.split(",") if systems else None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--systems") from exc
    started = datetime.now()
    out_dir = out or RESULTS_DIR / started.strftime("%Y-%m-%d_%H%M%S")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise _fail(f"{out_dir} exists and is not empty", 2)
    if not as_json:
        typer.echo("opening indexes (the first run builds them: a few minutes)...", err=True)
    setup, embedder, stores = _open(chosen, cache_dir)
    with _bar(len(chosen) * len(setup.questions), "evaluating", as_json) as bar:
        results = evaluate_all(
            chosen, stores, embedder, setup, threshold=min_score, on_question=lambda: bar.update()
        )
    summary = summarise(results, setup.questions)
    meta = describe_run(started, setup, embedder, stores, min_score)
    write_results(out_dir, results, summary, meta)
    if as_json:
        typer.echo(json.dumps({"out": str(out_dir), "systems": summary}, indent=2))
        return
    typer.echo(format_splits(summary))
    typer.echo(f"\nwrote {out_dir} (report.md, failures.md, chart.png, runs/)")


@app.command()
def calibrate(
    out: Annotated[Path | None, typer.Option("--out", help="Folder for calibration.json and .md.")] = None,
    max_false_not_found: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Share of answerable questions 'not found' may turn away (calibration half).",
        ),
    ] = 0.05,
    cache_dir: CacheOption = None,
    as_json: JsonOption = False,
) -> None:
    """Choose the not-found threshold on a held-out split: sweep on one half, report on the other."""
    from evals.calibrate import calibrate as calibrate_threshold
    from evals.calibrate import calibration_markdown
    from evals.experiment import evaluate_all
    from evals.run import threshold_of
    from evals.systems import FULL

    setup, embedder, stores = _open(None, cache_dir)
    with _bar(len(setup.questions), "scoring", as_json) as bar:
        (result,) = evaluate_all(
            [FULL], stores, embedder, setup, threshold=0.0, on_question=lambda: bar.update()
        )
    report = calibrate_threshold(result, setup.questions, threshold_of(setup.settings), max_false_not_found)
    out_dir = out or RESULTS_DIR / f"{datetime.now():%Y-%m-%d_%H%M%S}_calibration"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "calibration.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out_dir / "calibration.md").write_text(calibration_markdown(report), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps({key: value for key, value in report.items() if key != "sweep"}, indent=2))
    else:
        typer.echo(calibration_markdown(report))
        typer.echo(f"wrote {out_dir}")


@app.command()
def gate(
    floors_file: Annotated[
        Path | None, typer.Option("--floors", help="Floors file (default evals/floors.json).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write a results folder here.")] = None,
    cache_dir: CacheOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fail (exit 1) when the full system's hit@5, MRR@10, citation accuracy or no-answer recall drop below
    the floors of either split (test and dev)."""
    from evals.experiment import describe_run, evaluate_all
    from evals.gate import FLOORS_FILE, check_splits, load_floors
    from evals.report import write_results
    from evals.summary import summarise
    from evals.systems import FULL

    try:
        floors = load_floors(floors_file or FLOORS_FILE)
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot read floors: {exc}", 2) from exc
    started = datetime.now()
    setup, embedder, stores = _open(None, cache_dir)
    with _bar(len(setup.questions), "gate", as_json) as bar:
        (result,) = evaluate_all([FULL], stores, embedder, setup, on_question=lambda: bar.update())
    checks = check_splits(result, setup.questions, floors)
    if out:
        write_results(
            out,
            [result],
            summarise([result], setup.questions),
            describe_run(started, setup, embedder, stores, None),
        )
    passed = all(c.passed for c in checks)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "passed": passed,
                    "checks": [
                        {"name": c.name, "value": c.value, "floor": c.floor, "passed": c.passed}
                        for c in checks
                    ],
                },
                indent=2,
            )
        )
    else:
        for c in checks:
            value = "n/a" if c.value is None else f"{c.value:.3f}"
            typer.echo(f"{'ok  ' if c.passed else 'FAIL'} {c.name:<23} {value:>6} (floor {c.floor:.3f})")
        typer.echo("gate passed" if passed else "gate FAILED")
    if not passed:
        raise typer.Exit(1)


@app.command()
def baseline(
    source: Annotated[Path, typer.Argument(help="A results folder to copy.", exists=True, file_okay=False)],
) -> None:
    """Copy a results folder to evals/results/baseline (replacing the old baseline)."""
    target = RESULTS_DIR / "baseline"
    if source.resolve() == target.resolve():
        raise _fail("that is already the baseline", 2)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    typer.echo(f"copied {source} to {target.relative_to(PROJECT_ROOT)}")


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True}, add_help_option=False
)
def decisions(ctx: typer.Context) -> None:
    """Evaluate decision extraction (evals/decisions.py); extra arguments are passed on to it."""
    from evals.decisions import main

    if isinstance(main, typer.Typer | click.Command):
        command = main
    else:  # a plain function with typer parameters, as `typer.run(main)` would serve it
        command = typer.Typer(add_completion=False)
        command.command()(main)
    command(args=ctx.args, prog_name="python -m evals decisions")


from evals import cli_fit  # noqa: E402, F401 - registers `answerability` and `ranker` on the app
