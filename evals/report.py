"""Write a results folder: TREC runs, per-question records, summary.json, report.md, chart.png, failures.md."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.answerability import calibration_points, write_calibration_chart
from evals.failures import categorise, failures_markdown
from evals.metrics import format_trec_run
from evals.run import SystemResult
from evals.summary import cell, markdown_table, split_view, table_rows

CHART_METRICS = (
    ("page", "hit@1"),
    ("page", "hit@5"),
    ("page", "hit@10"),
    ("page", "mrr@10"),
    ("page", "ndcg@10"),
    ("answers", "citation_accuracy"),
)


def write_results(
    out_dir: Path,
    results: Sequence[SystemResult],
    summary: dict[str, Any],
    meta: dict[str, Any],
    failure_system: str = "full",
) -> Path:
    """Write every artefact of one evaluation run into ``out_dir`` (created)."""
    runs_dir = out_dir / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    for result in results:
        name = result.system.name
        (runs_dir / f"{name}.trec").write_text(format_trec_run(result.page_run, name), encoding="utf-8")
        (runs_dir / f"{name}.passages.trec").write_text(
            format_trec_run(result.passage_run, name), encoding="utf-8"
        )
        (runs_dir / f"{name}.chunks.trec").write_text(
            format_trec_run(result.chunk_run, name), encoding="utf-8"
        )
    with (out_dir / "per_question.jsonl").open("w", encoding="utf-8") as handle:
        for result in results:
            for record in result.records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    by_name = {r.system.name: r for r in results}
    failing = by_name.get(failure_system) or results[-1]
    payload = {
        "meta": meta,
        "systems": summary,
        "failures": {failing.system.name: categorise(failing.records)},
    }
    (out_dir / "summary.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    (out_dir / "report.md").write_text(report_markdown(summary, meta, payload["failures"]), encoding="utf-8")
    (out_dir / "failures.md").write_text(
        failures_markdown(failing.system.name, failing.records), encoding="utf-8"
    )
    write_chart(out_dir / "chart.png", summary)
    curves = confidence_curves(failing.records)
    if curves:
        write_calibration_chart(out_dir / "calibration.png", curves)
    return out_dir


def confidence_curves(records: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, float]]]:
    """The answerability model's calibration on each split: predicted probability against the share of
    questions the papers answer (only where the replies carry a confidence)."""
    curves: dict[str, list[dict[str, float]]] = {}
    for split in ("test", "dev"):
        scored = [r for r in records if r.get("split") == split and r.get("confidence") is not None]
        if scored:
            curves[split] = calibration_points(
                [r["confidence"] for r in scored], [r["answerable"] for r in scored]
            )
    return curves


def _metric_table(summary: dict[str, Any], group: str, keys: Sequence[str]) -> str:
    header = ["system", *keys]
    rows = [[name, *(cell(block[group].get(k), k) for k in keys)] for name, block in summary.items()]
    return markdown_table(header, rows)


def _breakdown_table(summary: dict[str, Any], by: str, group: str, key: str) -> str:
    labels = sorted({label for block in summary.values() for label in block[by]})
    header = [f"{by.removeprefix('by_')} (n answerable)", *summary]
    rows = []
    for label in labels:
        first = next(iter(summary.values()))[by][label]
        if group in ("page", "passage") and not first[group]["n"]:
            continue  # no answerable question of this kind: nothing to rank
        rows.append(
            [
                f"{label} ({first['page']['n']})",
                *(cell(block[by][label][group].get(key), key) for block in summary.values()),
            ]
        )
    return markdown_table(header, rows)


def report_markdown(summary: dict[str, Any], meta: dict[str, Any], failures: dict[str, Any]) -> str:
    header, rows = table_rows(summary)
    out = [
        f"# Evaluation {meta['started']}",
        "",
        f"{meta['questions']} questions ({meta['answerable']} answerable), model `{meta['model']}`, "
        f"not-found threshold {meta['threshold']}, indexer `{meta['indexer_fingerprint']}`, commit `{meta.get('commit')}`.",
        "Page-level ids are `doc#pN` for PDF pages and `doc#cN` (3000-character buckets) for page-less text; "
        "see evals/README.md for every definition.",
        "",
        *_split_sections(summary),
        "## All questions together, all systems",
        "",
        markdown_table(header, rows),
        "",
        "## Page level (answerable questions, both splits)",
        "",
        _metric_table(
            summary,
            "page",
            ["hit@1", "hit@5", "hit@10", "recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10"],
        ),
        "",
        "## Passage level (gold quote held by a retrieved chunk)",
        "",
        _metric_table(
            summary, "passage", ["hit@1", "hit@5", "hit@10", "recall@5", "recall@10", "mrr@10", "ndcg@10"]
        ),
        "",
        "## Answers (POST /ask for `full`; the same answer steps on each system's hits otherwise)",
        "",
        _metric_table(
            summary,
            "answers",
            [
                "citation_accuracy",
                "cited_answers",
                "no_answer_precision",
                "no_answer_recall",
                "false_not_found_rate",
                "not_found",
            ],
        ),
        "",
        "## Latency of one search (ms)",
        "",
        _metric_table(summary, "latency", ["p50_ms", "p95_ms"]),
        "",
        "## hit@5 (page level) by question kind",
        "",
        _breakdown_table(summary, "by_kind", "page", "hit@5"),
        "",
        "## MRR@10 (page level) by question kind",
        "",
        _breakdown_table(summary, "by_kind", "page", "mrr@10"),
        "",
        "## Citation accuracy by question kind",
        "",
        _breakdown_table(summary, "by_kind", "answers", "citation_accuracy"),
        "",
        "## hit@5 (page level) by corpus",
        "",
        _breakdown_table(summary, "by_corpus", "page", "hit@5"),
        "",
        "## Failure categories",
        "",
    ]
    for system, categories in failures.items():
        out.append(
            f"`{system}` retrieval failures at 5: "
            + (", ".join(f"{c} {n}" for c, n in categories["retrieval"].items()) or "none")
        )
        out.append("")
        out.append(
            f"`{system}` answer failures: "
            + (", ".join(f"{c} {n}" for c, n in categories["answers"].items()) or "none")
        )
    out += ["", "Each failed question is listed in failures.md.", "", "![metrics by system](chart.png)", ""]
    out += ["![answerability calibration](calibration.png)", ""]
    return "\n".join(out)


def _split_sections(summary: dict[str, Any]) -> list[str]:
    """Test first (held out: the numbers to quote), then dev (the numbers rules were chosen on)."""
    out: list[str] = []
    for split, meaning in (
        ("test", "held out, written blind; nothing was chosen on it"),
        ("dev", "rules, weights and thresholds are chosen on it"),
    ):
        view = split_view(summary, split)
        if not view:
            continue
        count = next(iter(view.values()))["questions"]
        header, rows = table_rows(view)
        out += [f"## {split} split ({count} questions; {meaning})", "", markdown_table(header, rows), ""]
        out += [f"hit@5 and MRR@10 (page level) by corpus, {split}:", ""]
        out += [_breakdown_table(view, "by_corpus", "page", "hit@5"), ""]
        out += [_breakdown_table(view, "by_corpus", "page", "mrr@10"), ""]
    return out


def write_chart(path: Path, summary: dict[str, Any]) -> None:
    """Two panels: headline metrics by system, and page-level hit@5 by question kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    systems = list(summary)
    kinds = sorted(
        {kind for block in summary.values() for kind in block["by_kind"] if kind != "unanswerable"}
    )
    figure, (left, right) = plt.subplots(1, 2, figsize=(15, 5.5))
    width = 0.8 / max(len(systems), 1)
    for index, system in enumerate(systems):
        values = [summary[system][group].get(key) or 0.0 for group, key in CHART_METRICS]
        left.bar(np.arange(len(CHART_METRICS)) + index * width, values, width, label=system)
        by_kind = [summary[system]["by_kind"][kind]["page"]["hit@5"] for kind in kinds]
        right.bar(np.arange(len(kinds)) + index * width, by_kind, width, label=system)
    left.set_xticks(np.arange(len(CHART_METRICS)) + width * (len(systems) - 1) / 2)
    left.set_xticklabels([key.replace("citation_accuracy", "citation acc.") for _, key in CHART_METRICS])
    left.set_title("Page-level retrieval and citation accuracy")
    right.set_xticks(np.arange(len(kinds)) + width * (len(systems) - 1) / 2)
    right.set_xticklabels(kinds, rotation=20)
    right.set_title("hit@5 (page level) by question kind")
    for axis in (left, right):
        axis.set_ylim(0, 1)
        axis.grid(axis="y", alpha=0.3)
    left.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
