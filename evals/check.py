"""The gold checker: every quote is on its page (or line), and the committed queries and qrels match the gold."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from evals.gold import Corpus, Question, locate_evidence, locate_quote, normalise
from evals.qrels import GoldError, build_qrels, format_queries, read_qrels

KINDS = frozenset(
    {
        "decision",
        "commitment",
        "fact",
        "attendance",
        "date",
        "multi_hop",
        "procedural",
        "summary",
        "unanswerable",
    }
)


@dataclass
class CheckReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quotes_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def check_questions(questions: list[Question], corpus: Corpus, report: CheckReport) -> None:
    """Each question is well formed and each of its quotes is where its evidence says."""
    for question in questions:
        if question.kind not in KINDS:
            report.errors.append(f"{question.id}: unknown kind {question.kind!r}")
        if question.answerable and not question.evidence:
            report.errors.append(f"{question.id}: answerable but has no evidence")
        if not question.answerable and question.evidence:
            report.errors.append(f"{question.id}: unanswerable but has evidence")
        for evidence in question.evidence:
            report.quotes_checked += 1
            path = corpus.corpus_dir / evidence.source
            if not path.is_file():
                report.errors.append(f"{question.id}: no such file {evidence.source}")
                continue
            is_pdf = path.suffix.lower() == ".pdf"
            if is_pdf and evidence.page_number is None:
                report.errors.append(f"{question.id}: evidence in PDF {evidence.source} has no page_number")
                continue
            if not is_pdf and evidence.line is None:
                report.errors.append(f"{question.id}: evidence in text file {evidence.source} has no line")
                continue
            if locate_evidence(corpus, evidence) is not None:
                continue
            where = f"page {evidence.page_number}" if is_pdf else f"line {evidence.line}"
            found = locate_quote(corpus.document(evidence.source), evidence.quote)
            elsewhere = (
                ", ".join(f"page {loc.page_number}" if is_pdf else f"line {loc.line}" for loc in found[:5])
                or "nowhere in the file"
            )
            report.errors.append(
                f"{question.id}: quote not on {where} of {evidence.source} (found: {elsewhere}): "
                f"{normalise(evidence.quote)[:80]!r}"
            )


def check_copies(questions: list[Question], corpus: Corpus, sources: list[str], report: CheckReport) -> None:
    """Warn where a gold quote also occurs on a page the gold does not list (an unlisted copy)."""
    for question in questions:
        listed = {
            location.page_id
            for e in question.evidence
            if (location := locate_evidence(corpus, e)) is not None
        }
        for evidence in question.evidence:
            for source in sources:
                for location in locate_quote(corpus.document(source), evidence.quote):
                    if location.page_id not in listed:
                        listed.add(location.page_id)
                        where = (
                            f"page {location.page_number}"
                            if location.page_number
                            else f"line {location.line}"
                        )
                        report.warnings.append(
                            f"{question.id}: quote also in {source} {where}, not listed in the gold"
                        )


_WORD = re.compile(r"[a-z0-9]+")
LEAK_WORDS = 6  # a run of this many words of a question, found in code but not in the papers, is a leak
CODE_DIRS = ("indexer", "api", "ui", "tests")
CODE_SUFFIXES = frozenset({".py", ".js", ".html", ".css", ".md", ".json", ".toml", ".txt"})


def _word_runs(text: str, size: int = LEAK_WORDS) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def check_leaks(
    questions: list[Question], corpus: Corpus, sources: list[str], code_root: Path, report: CheckReport
) -> None:
    """No question's wording may appear in the system's code, unless the papers themselves use those words."""
    runs = {run: q.id for q in questions for run in _word_runs(q.question)}
    papers = " ".join(" ".join(_WORD.findall(corpus.document(s).text.lower())) for s in sources)
    for folder in CODE_DIRS:
        for path in sorted((code_root / folder).rglob("*")):
            if not path.is_file() or path.suffix not in CODE_SUFFIXES:
                continue
            code = " ".join(_WORD.findall(path.read_text(encoding="utf-8", errors="ignore").lower()))
            for run, qid in runs.items():
                if run in code and run not in papers:
                    report.errors.append(
                        f'{qid}: its wording "{run}" appears in {path.relative_to(code_root)}'
                    )


def check_files(
    questions: list[Question], corpus: Corpus, queries_path: Path, qrels_path: Path, report: CheckReport
) -> None:
    """The committed queries.jsonl and qrels.tsv are exactly what `python -m evals qrels` would write."""
    for path in (queries_path, qrels_path):
        if not path.is_file():
            report.errors.append(f"{path}: missing; run `python -m evals qrels`")
    if report.errors:
        return
    if queries_path.read_text(encoding="utf-8") != format_queries(questions):
        committed = {
            json.loads(line)["query_id"]
            for line in queries_path.read_text(encoding="utf-8").splitlines()
            if line
        }
        wanted = {q.id for q in questions}
        report.errors.append(
            f"{queries_path.name} is out of date with the questions (missing {sorted(wanted - committed)[:5]}, "
            f"extra {sorted(committed - wanted)[:5]}); run `python -m evals qrels`"
        )
    try:
        expected = {(q.query_id, q.doc_id, q.relevance) for q in build_qrels(questions, corpus)}
    except GoldError:
        return  # already reported quote by quote
    committed_qrels = {(q.query_id, q.doc_id, q.relevance) for q in read_qrels(qrels_path)}
    for qid, doc_id, _ in sorted(expected - committed_qrels):
        report.errors.append(f"{qrels_path.name}: missing {qid} {doc_id}; run `python -m evals qrels`")
    for qid, doc_id, _ in sorted(committed_qrels - expected):
        report.errors.append(
            f"{qrels_path.name}: {qid} {doc_id} is not in the gold; run `python -m evals qrels`"
        )


def run_checks(
    questions: list[Question],
    corpus: Corpus,
    queries_path: Path,
    qrels_path: Path,
    copies: bool = True,
    code_root: Path | None = None,
) -> CheckReport:
    """All checks; errors make the gold unusable, warnings are for a human to look at.

    ``code_root`` (the project folder) turns on the check that no question's wording is in the code.
    """
    report = CheckReport()
    check_questions(questions, corpus, report)
    check_files(questions, corpus, queries_path, qrels_path, report)
    sources = sorted(
        p.relative_to(corpus.corpus_dir).as_posix()
        for p in corpus.corpus_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in {".pdf", ".txt", ".md"}
    )
    if copies:
        check_copies(questions, corpus, sources, report)
    if code_root is not None:
        check_leaks(questions, corpus, sources, code_root, report)
    return report
