"""Commands that fit the models shipped in api/ on the dev split: ``answerability`` and ``ranker``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from evals.cli import RESULTS_DIR, CacheOption, JsonOption, _fail, _open, app


@app.command()
def answerability(
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the report and its chart.")] = None,
    cache_dir: CacheOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fit the not-found model on dev (writes api/answerability.json), and report dev and test."""
    from evals.answerability import train, write_calibration_chart
    from evals.systems import FULL

    setup, embedder, stores = _open(None, cache_dir)
    try:
        report = train(stores[FULL.chunker], embedder, setup.questions)
    except ValueError as exc:
        raise _fail(str(exc), 2) from exc
    out_dir = out or RESULTS_DIR / f"{datetime.now():%Y-%m-%d_%H%M%S}_answerability"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "answerability.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    write_calibration_chart(out_dir / "calibration.png", report["calibration"])
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    model = report["model"]
    typer.echo(
        "weights: "
        + ", ".join(f"{n} {w:+.3f}" for n, w in zip(model["features"], model["weights"], strict=True))
    )
    typer.echo(f"operating point (chosen on dev): {model['threshold']}")
    for split, metrics in report["splits"].items():
        typer.echo(f"{split}: " + ", ".join(f"{k} {v}" for k, v in metrics.items()))
    typer.echo(f"wrote api/answerability.json and {out_dir}")


@app.command()
def ranker(cache_dir: CacheOption = None) -> None:
    """Fit the learned ranker on the dev questions (writes api/ranker.json)."""
    from api.ranker import load_ranker
    from evals.ranker import train
    from evals.systems import FULL

    setup, embedder, stores = _open(None, cache_dir)
    try:
        fitted = train(stores[FULL.chunker], embedder, setup.questions, setup.page_qrels)
    except ValueError as exc:
        raise _fail(str(exc), 2) from exc
    load_ranker.cache_clear()
    typer.echo(
        "weights: "
        + ", ".join(f"{n} {w:+.3f}" for n, w in zip(fitted["features"], fitted["weights"], strict=True))
    )
    checked = fitted["cross_validated_dev"]
    for name in ("learned", "boosts"):
        typer.echo(
            f"dev, cross-validated, {name}: " + ", ".join(f"{k} {v}" for k, v in checked[name].items())
        )
    typer.echo(f"{fitted['note']}\nwrote api/ranker.json")
