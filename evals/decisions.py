"""Precision, recall and page accuracy of extracted decisions against the gold (data/decisions_gold_v2.jsonl).

Every corpus paper is parsed as the indexer parses it and its decision records are taken. A record is
scored against the gold of its own meeting (same source, same meeting date); matching is in
``evals.decision_match``. Records dated to a meeting with no gold (or found in a paper with no minutes)
are false positives of "unannotated papers", counted in ``all`` only. The split is by meeting
(data/decisions_split.json): rules are chosen on dev, test is reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from evals.decision_match import MIN_OVERLAP, match_decisions
from indexer import (
    PROJECT_ROOT,
    Decision,
    FakeEmbedder,
    ParsedDocument,
    Settings,
    extract_records,
    load_metadata,
    metadata_for,
    parse_file,
)

DATA_DIR = PROJECT_ROOT / "evals" / "data"
GOLD_FILE = DATA_DIR / "decisions_gold_v2.jsonl"
SPLIT_FILE = DATA_DIR / "decisions_split.json"
REPORT_FILE = PROJECT_ROOT / "evals" / "decisions_report.md"
SPLITS = ("dev", "test", "all")
SUPPORTED = (".pdf", ".txt", ".md")


@dataclass
class Tally:
    """Counts for one meeting, one split or everything."""

    gold: int = 0
    extracted: int = 0
    matched: int = 0
    place_agrees: int = 0  # matched records citing the gold's own page (PDF) or line (text)
    kind_agrees: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def page_accuracy(self) -> float:
        return self.place_agrees / self.matched if self.matched else 0.0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.matched += other.matched
        self.place_agrees += other.place_agrees
        self.kind_agrees += other.kind_agrees
        self.misses += other.misses
        self.false_positives += other.false_positives

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "extracted": self.extracted,
            "matched": self.matched,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "page_accuracy": round(self.page_accuracy, 3),
            "kind_agrees": self.kind_agrees,
        }


def load_gold(path: Path = GOLD_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def meetings_in_test(path: Path = SPLIT_FILE) -> set[tuple[str, str]]:
    """(source, meeting date) of every test meeting, from the committed split rule."""
    rule = json.loads(path.read_text(encoding="utf-8"))
    return {(m["source"], m["meeting_date"]) for m in rule["test"]}


def split_of(source: str, meeting_date: str | None, tests: set[tuple[str, str]]) -> str:
    return "test" if (source, meeting_date) in tests else "dev"


def check_split(gold: list[dict[str, Any]], tests: set[tuple[str, str]]) -> list[str]:
    """Gold rows whose ``split`` field disagrees with the committed rule (empty when they agree)."""
    return [
        f"{g['source']} {g['meeting_date']}: gold says {g.get('split')}"
        for g in gold
        if g.get("split") != split_of(g["source"], g["meeting_date"], tests)
    ]


def load_document(corpus_dir: Path, rel_path: str, pdf_text_reader: str | None = None) -> ParsedDocument:
    """Parse one corpus file as the indexer does (with the fake embedder: no model is needed), its PDF
    text read by ``pdf_text_reader`` (None: the configured reader, CP_PDF_TEXT_READER)."""
    path = corpus_dir / rel_path
    overrides = metadata_for(rel_path, load_metadata(corpus_dir))
    reader = pdf_text_reader or Settings().index.pdf_text_reader
    document, _ = parse_file(
        path, rel_path, path.read_bytes(), overrides, FakeEmbedder(), 180, 254, 20, pdf_text_reader=reader
    )
    return document


def corpus_sources(corpus_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(corpus_dir).as_posix()
        for p in corpus_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith(".")
    )


def evaluate_decisions(corpus_dir: Path, gold_path: Path = GOLD_FILE) -> dict[str, Any]:
    """Per-meeting and per-split tallies of ``extract_records`` decisions against the gold."""
    gold = load_gold(gold_path)
    tests = meetings_in_test()
    meetings: dict[tuple[str, str], Tally] = {}
    unannotated = Tally()
    annotated = {(g["source"], g["meeting_date"]) for g in gold}
    for source in corpus_sources(corpus_dir):
        document = load_document(corpus_dir, source)
        decisions = extract_records(document).decisions
        for meeting_date in sorted({g["meeting_date"] for g in gold if g["source"] == source}):
            wanted = [g for g in gold if g["source"] == source and g["meeting_date"] == meeting_date]
            own = [d for d in decisions if d.meeting_date == meeting_date]
            meetings[(source, meeting_date)] = score_document(document, wanted, own)
        others = [d for d in decisions if (source, d.meeting_date) not in annotated]
        unannotated.add(score_document(document, [], others))
    splits = {name: Tally() for name in SPLITS}
    for (source, meeting_date), tally in meetings.items():
        splits[split_of(source, meeting_date, tests)].add(tally)
        splits["all"].add(tally)
    splits["all"].add(unannotated)
    return {"meetings": meetings, "unannotated": unannotated, "splits": splits}


def score_document(document: ParsedDocument, gold: list[dict[str, Any]], decisions: list[Decision]) -> Tally:
    """Match gold decisions (of one document) to extracted records (of the same document)."""
    matches, spans = match_decisions(document, gold, decisions)
    tally = Tally(gold=len(gold), extracted=len(decisions), matched=len(matches))
    tally.place_agrees = sum(m.place_agrees for m in matches)
    tally.kind_agrees = sum(m.kind_agrees for m in matches)
    matched_gold = {m.gold_index for m in matches}
    used = {m.record_index for m in matches}
    for g_index, g in enumerate(gold):
        if g_index not in matched_gold:
            where = "not found in the text" if spans[g_index] is None else "unmatched"
            tally.misses.append(
                f"{g['source']} {g['meeting_date']} item {g['item_number']} ({where}): {g['quote'][:90]}"
            )
    for r_index, record in enumerate(decisions):
        if r_index not in used:
            tally.false_positives.append(
                f"{document.meta.title[:40]} {record.meeting_date} item {record.item_number} "
                f"[{record.kind}]: {' '.join(record.quote.split())[:90]}"
            )
    return tally


def markdown_table(result: dict[str, Any]) -> str:
    """Per-meeting and per-split numbers as a markdown table."""
    tests = meetings_in_test()
    rows = [
        "| meeting | split | gold | records | matched | precision | recall | page accuracy | kind agrees |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    named: list[tuple[str, str, Tally]] = [
        (f"`{source.split('/')[-1][:48]}` {date}", split_of(source, date, tests), tally)
        for (source, date), tally in result["meetings"].items()
    ]
    named.append(("unannotated papers", "", result["unannotated"]))
    named += [(f"**{name}**", name, result["splits"][name]) for name in SPLITS]
    for name, split, t in named:
        rows.append(
            f"| {name} | {split} | {t.gold} | {t.extracted} | {t.matched} | {t.precision:.3f} | {t.recall:.3f} "
            f"| {t.page_accuracy:.3f} | {t.kind_agrees}/{t.matched} |"
        )
    return "\n".join(rows)


def main(
    corpus_dir: Annotated[Path, typer.Option(help="The corpus folder the gold refers to.")] = PROJECT_ROOT
    / "corpus",
    split: Annotated[
        str, typer.Option(help="Which split's misses and false positives --details lists.")
    ] = "dev",
    details: Annotated[bool, typer.Option(help="Also list misses and false positives of --split.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the split tallies as JSON.")] = False,
    write_report: Annotated[bool, typer.Option(help="Write the table to evals/decisions_report.md.")] = False,
    records: Annotated[
        bool, typer.Option("--records", help="Instead: record search on the topic queries (real model).")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir", help="Where the evaluation index is kept [CP_EVAL_CACHE_DIR, var/evals]."
        ),
    ] = None,
) -> None:
    """Precision, recall and page accuracy of decision extraction on dev, test and all."""
    if split not in SPLITS:
        raise typer.BadParameter(f"--split must be one of {', '.join(SPLITS)}")
    if records:
        _record_search(split, details, as_json, cache_dir, write_report)
        return
    problems = check_split(load_gold(), meetings_in_test())
    if problems:
        typer.echo(f"error: the gold's split disagrees with {SPLIT_FILE.name}: {problems[0]}", err=True)
        raise typer.Exit(2)
    result = evaluate_decisions(corpus_dir)
    if as_json:
        typer.echo(json.dumps({name: t.as_dict() for name, t in result["splits"].items()}, indent=2))
    else:
        typer.echo(markdown_table(result))
    if details:
        chosen: Tally = result["splits"][split]
        for line in chosen.misses:
            typer.echo(f"MISS  {line}")
        for line in chosen.false_positives:
            typer.echo(f"FP    {line}")
    if write_report:
        REPORT_FILE.write_text(_report(markdown_table(result)), encoding="utf-8")
        typer.echo(f"wrote {REPORT_FILE.relative_to(PROJECT_ROOT)}")


def _record_search(split: str, details: bool, as_json: bool, cache_dir: Path | None, write: bool) -> None:
    """Precision@5 and recall of record search on data/record_topics.jsonl."""
    from evals.record_search import (
        REPORT_FILE as RECORDS_REPORT,
    )
    from evals.record_search import (
        evaluate_record_search,
        load_topics,
        markdown,
        open_index,
        summary,
        write_report,
    )
    from indexer import Settings

    store, embedder = open_index(Settings(), cache_dir)
    scores = evaluate_record_search(store, embedder, load_topics())
    typer.echo(json.dumps(summary(scores), indent=2) if as_json else markdown(scores))
    if write:
        write_report(scores)
        typer.echo(f"wrote {RECORDS_REPORT.relative_to(PROJECT_ROOT)}")
    if details:
        for score in scores:
            if split in ("all", score.split):
                typer.echo(
                    f"{score.topic_id} {score.query!r}: P@5 {score.precision_at_5} recall {score.recall}"
                )
                for line in score.top:
                    typer.echo(f"    {line}")


def _report(table: str) -> str:
    return f"""# Decision extraction: precision, recall and page accuracy against the gold

Command (from the repository root): `python -m evals decisions --write-report`. Add `--details --split dev`
to list misses and false positives (rules are chosen on dev; test is only reported).

Gold: `evals/data/decisions_gold_v2.jsonl`, 63 hand-annotated decisions from the 6 sets of minutes in the
corpus, every part of every resolution its own decision (see `decisions_gold_v2.md`). Split by meeting
(`evals/data/decisions_split.json`): test is Birmingham 10 April 2024, Birmingham 26 April 2017 and Kent
County Council 9 January 2025; dev is the rest.

- A record is scored against the gold of its own meeting: a record dated to the wrong meeting is a miss
  and a false positive. Records from papers or meetings with no gold are false positives ("unannotated
  papers", in `all` only).
- A record matches a gold decision when it is in the same document, its pages include the gold page
  (PDF), and at least {MIN_OVERLAP:.0%} of the shorter span's non-space characters are shared. One to one,
  best overlap first.
- Page accuracy: matched records whose first page is the gold page (PDF) or whose span starts on the gold
  line (text files, whose pages are not known exactly).

{table}
"""


if __name__ == "__main__":
    typer.run(main)
