"""``python -m evals train-answerability``: learn the answerability model on dev (registered in evals/cli.py)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from evals.cli import RESULTS_DIR, CacheOption, JsonOption, _bar, _load_embedder, _load_setup
from indexer import PROJECT_ROOT


def train_answerability(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the training report (default results/<date>_answerability)."),
    ] = None,
    max_false_not_found: Annotated[
        float,
        typer.Option(min=0.0, max=0.5, help="Share of answerable dev questions 'not found' may turn away."),
    ] = 0.05,
    cache_dir: CacheOption = None,
    as_json: JsonOption = False,
) -> None:
    """Learn the answerability model on dev and write api/answerability.json (never reads test)."""
    from api.answerability import MODEL_FILE
    from evals.answerability import collect, train
    from evals.calibrate import write_reliability_chart
    from evals.experiment import open_indexes
    from evals.split import DEV
    from evals.systems import FULL

    setup = _load_setup()
    embedder = _load_embedder(setup.settings)
    stores = open_indexes([FULL], embedder, setup.settings, cache_dir)
    questions = setup.split(DEV)
    with _bar(len(questions), "features", as_json) as bar:
        examples = collect(stores[FULL.chunker], embedder, setup.settings, questions, bar.update)
    model, held_out = train(examples, max_false_not_found)
    MODEL_FILE.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
    out_dir = out or RESULTS_DIR / f"{datetime.now():%Y-%m-%d_%H%M%S}_answerability"
    out_dir.mkdir(parents=True, exist_ok=True)
    report = {
        "model": model.to_json(),
        "out_of_fold": held_out,
        "features": {e.question_id: e.features for e in examples},
        "refused_anyway": [e.question_id for e in examples if e.refused_anyway],
    }
    (out_dir / "answerability.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    answerable = {q.id: q.answerable for q in questions}
    write_reliability_chart(
        out_dir / "calibration.png",
        {"dev (out of fold)": [(held_out[i], answerable[i]) for i in held_out]},
        model.threshold,
    )
    if as_json:
        typer.echo(json.dumps({"model": str(MODEL_FILE), "out": str(out_dir), **model.meta}, indent=2))
        return
    typer.echo(
        f"wrote {MODEL_FILE.relative_to(PROJECT_ROOT)}: threshold {model.threshold}, l2 {model.meta['l2']}, "
        f"out of fold on dev {model.meta['out_of_fold_at_threshold']}"
    )
    for name, weight in sorted(zip(model.features, model.weights, strict=True), key=lambda p: -abs(p[1])):
        typer.echo(f"  {name:<24} {weight:+.3f}")
    typer.echo(f"report in {out_dir}")
