"""Standard evaluation files from the gold questions: queries.jsonl and page-level TREC qrels."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from evals.gold import DATA_DIR, Corpus, Question, locate_evidence

QUERIES_FILE = DATA_DIR / "queries.jsonl"
QRELS_FILE = DATA_DIR / "qrels.tsv"


class GoldError(Exception):
    """A gold quote is not where its evidence says, so no qrels can be made from it."""


@dataclass(frozen=True)
class Qrel:
    query_id: str
    doc_id: str
    relevance: int = 1


def build_qrels(questions: Iterable[Question], corpus: Corpus) -> list[Qrel]:
    """One relevant page-level id per distinct page (or page-less bucket) that holds a gold quote."""
    qrels: list[Qrel] = []
    problems: list[str] = []
    for question in questions:
        seen: set[str] = set()
        for evidence in question.evidence:
            location = locate_evidence(corpus, evidence)
            if location is None:
                where = (
                    f"page {evidence.page_number}"
                    if evidence.page_number is not None
                    else f"line {evidence.line}"
                )
                problems.append(f"{question.id}: quote not found at {evidence.source} {where}")
                continue
            if location.page_id not in seen:
                seen.add(location.page_id)
                qrels.append(Qrel(question.id, location.page_id))
    if problems:
        raise GoldError("; ".join(problems))
    return qrels


def query_records(questions: Iterable[Question]) -> list[dict[str, object]]:
    """queries.jsonl rows: the id and text every tool needs, plus the fields reports break results down by."""
    return [
        {
            "query_id": q.id,
            "text": q.question,
            "corpus": q.corpus,
            "kind": q.kind,
            "answerable": q.answerable,
            "split": q.split,
        }
        for q in questions
    ]


def format_qrels(qrels: Iterable[Qrel]) -> str:
    """TREC qrels: ``qid 0 docid rel``, one per line, tab separated."""
    return "".join(f"{q.query_id}\t0\t{q.doc_id}\t{q.relevance}\n" for q in qrels)


def format_queries(questions: Iterable[Question]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in query_records(questions))


def write_files(
    questions: list[Question], corpus: Corpus, data_dir: Path = DATA_DIR
) -> tuple[Path, Path, int]:
    """Write queries.jsonl and qrels.tsv; returns their paths and the number of qrels."""
    qrels = build_qrels(questions, corpus)
    queries_path, qrels_path = data_dir / QUERIES_FILE.name, data_dir / QRELS_FILE.name
    queries_path.write_text(format_queries(questions), encoding="utf-8")
    qrels_path.write_text(format_qrels(qrels), encoding="utf-8")
    return queries_path, qrels_path, len(qrels)


def read_qrels(path: Path) -> list[Qrel]:
    """Read TREC qrels (4 white-space separated columns)."""
    qrels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != 4:
            raise ValueError(f"{path}:{number}: expected 4 columns (qid 0 docid rel), got {len(fields)}")
        qrels.append(Qrel(fields[0], fields[2], int(fields[3])))
    return qrels


def qrels_by_query(qrels: Iterable[Qrel]) -> dict[str, dict[str, int]]:
    """The nested dict form ir-measures and ranx take: {query_id: {doc_id: relevance}}."""
    nested: dict[str, dict[str, int]] = {}
    for qrel in qrels:
        nested.setdefault(qrel.query_id, {})[qrel.doc_id] = qrel.relevance
    return nested
