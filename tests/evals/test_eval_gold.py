"""Gold locations, qrels and the checker, on a tiny corpus with known pages and lines."""

from __future__ import annotations

import json

import pytest
from eval_fixtures import PDF_PAGES, QUESTIONS, write_questions

from evals.check import run_checks
from evals.gold import BUCKET_CHARS, Evidence, locate_evidence, locate_quote, normalise, span_ids
from evals.qrels import (
    GoldError,
    Qrel,
    build_qrels,
    format_qrels,
    qrels_by_query,
    read_qrels,
    write_files,
)
from indexer.models import Page


def test_normalise_collapses_white_space():
    assert normalise("  a\n\tb   c \n") == "a b c"


def test_pdf_quote_located_on_its_page(tiny_gold):
    questions, corpus = tiny_gold
    location = locate_evidence(corpus, questions[0].evidence[0])
    document = corpus.document("minutes.pdf")
    assert location is not None
    assert location.page_number == 2
    assert location.page_id == f"{document.document_id}#p2"
    assert "RESOLVED" in document.text[location.char_start : location.char_end]


def test_wrong_page_is_not_located(tiny_gold):
    _, corpus = tiny_gold
    evidence = Evidence("minutes.pdf", "RESOLVED that the library opening hours", page_number=3)
    assert locate_evidence(corpus, evidence) is None


def test_text_quote_across_lines_and_spaces_located_on_its_line(tiny_gold):
    questions, corpus = tiny_gold
    location = locate_evidence(corpus, questions[1].evidence[0])
    document = corpus.document("notes.txt")
    assert location is not None
    assert location.line == 4
    assert location.page_number is None
    start_bucket = location.char_start // BUCKET_CHARS
    assert location.page_id == f"{document.document_id}#c{start_bucket}"
    assert normalise(document.text[location.char_start : location.char_end]) == normalise(
        questions[1].evidence[0].quote
    )


def test_every_occurrence_is_found(tiny_gold):
    _, corpus = tiny_gold
    assert len(locate_quote(corpus.document("notes.txt"), "school transport")) == 2


def test_span_ids_use_pages_when_known_and_buckets_when_not():
    pages = [
        Page(0, "x" * 100, page_number=7, char_start=0),
        Page(1, "y" * (BUCKET_CHARS * 2), page_number=None, char_start=101),
    ]
    assert span_ids("d", pages, 10, 20) == ["d#p7"]
    assert span_ids("d", pages, 50, 150) == ["d#p7", "d#c0"]
    assert span_ids("d", pages, BUCKET_CHARS - 5, BUCKET_CHARS + 5) == ["d#c0", "d#c1"]


def test_qrels_from_gold(tiny_gold):
    questions, corpus = tiny_gold
    pdf_id = corpus.document("minutes.pdf").document_id
    text_id = corpus.document("notes.txt").document_id
    assert build_qrels(questions, corpus) == [Qrel("t-001", f"{pdf_id}#p2"), Qrel("t-002", f"{text_id}#c0")]


def test_qrels_round_trip_in_trec_format(tmp_path):
    qrels = [Qrel("q1", "a#p1"), Qrel("q1", "b#c3", 2), Qrel("q2", "a#p9")]
    path = tmp_path / "qrels.tsv"
    path.write_text(format_qrels(qrels))
    assert path.read_text().splitlines()[0] == "q1\t0\ta#p1\t1"
    assert read_qrels(path) == qrels
    assert qrels_by_query(qrels) == {"q1": {"a#p1": 1, "b#c3": 2}, "q2": {"a#p9": 1}}


def test_misplaced_quote_is_a_gold_error(tmp_path, tiny_corpus):
    from evals.gold import Corpus, load_questions

    moved = json.loads(json.dumps(QUESTIONS))
    moved[0]["evidence"][0]["page_number"] = 1
    questions = load_questions([write_questions(tmp_path / "moved.jsonl", moved)])
    with pytest.raises(GoldError, match="t-001"):
        build_qrels(questions, Corpus(tiny_corpus))


def test_checker_passes_fresh_files_and_fails_stale_ones(tmp_path, tiny_gold):
    questions, corpus = tiny_gold
    queries_path, qrels_path, count = write_files(questions, corpus, tmp_path)
    assert count == 2
    assert run_checks(questions, corpus, queries_path, qrels_path).ok

    with qrels_path.open("a") as handle:
        handle.write("t-003\t0\tdeadbeef#p1\t1\n")
    report = run_checks(questions, corpus, queries_path, qrels_path)
    assert not report.ok
    assert any("t-003" in error and "not in the gold" in error for error in report.errors)


def test_checker_reports_quote_not_on_its_page(tmp_path, tiny_corpus):
    from evals.gold import Corpus, load_questions

    moved = json.loads(json.dumps(QUESTIONS))
    moved[1]["evidence"][0]["line"] = 5
    questions = load_questions([write_questions(tmp_path / "moved.jsonl", moved)])
    report = run_checks(
        questions, Corpus(tiny_corpus), tmp_path / "q.jsonl", tmp_path / "qrels.tsv", copies=False
    )
    assert any("t-002: quote not on line 5" in e and "found: line 4" in e for e in report.errors)
    assert any("missing" in e for e in report.errors)  # the files were never written


def test_checker_warns_about_unlisted_copies(tmp_path, tiny_corpus, make_pdf):
    from evals.gold import Corpus, load_questions

    make_pdf("corpus/copy.pdf", ["Front sheet", PDF_PAGES[1]])
    corpus = Corpus(tiny_corpus)
    questions = load_questions([write_questions(tmp_path / "q.jsonl", QUESTIONS)])
    queries_path, qrels_path, _ = write_files(questions, corpus, tmp_path)
    report = run_checks(questions, corpus, queries_path, qrels_path)
    assert report.ok
    assert any("t-001: quote also in copy.pdf page 2" in warning for warning in report.warnings)


def test_answerable_question_without_evidence_is_an_error(tmp_path, tiny_corpus):
    from evals.gold import Corpus, load_questions

    broken = json.loads(json.dumps(QUESTIONS))
    broken[0]["evidence"] = []
    questions = load_questions([write_questions(tmp_path / "b.jsonl", broken)])
    report = run_checks(questions, Corpus(tiny_corpus), tmp_path / "q", tmp_path / "r", copies=False)
    assert any("t-001: answerable but has no evidence" in e for e in report.errors)


def test_question_wording_in_code_is_a_leak_unless_the_papers_say_it(tmp_path, tiny_gold):
    questions, corpus = tiny_gold
    code = tmp_path / "project"
    (code / "api").mkdir(parents=True)
    (code / "api" / "ok.py").write_text('PATTERN = "RESOLVED that the library opening hours be extended"\n')
    report = run_checks(questions, corpus, tmp_path / "q", tmp_path / "r", copies=False, code_root=code)
    assert not any("appears in" in e for e in report.errors)
    (code / "api" / "leak.py").write_text("# e.g. 'What will the committee review about school transport?'\n")
    report = run_checks(questions, corpus, tmp_path / "q", tmp_path / "r", copies=False, code_root=code)
    assert any(e.startswith("t-002: its wording") and "api/leak.py" in e for e in report.errors)


def test_split_comes_from_the_file_name_or_the_question(tmp_path):
    from evals.gold import SPLIT_FILES, load_questions

    test_file = write_questions(tmp_path / SPLIT_FILES["test"][0], QUESTIONS)
    own_file = write_questions(tmp_path / "mine.jsonl", [{**QUESTIONS[0], "id": "m-1"}])
    marked = write_questions(tmp_path / "marked.jsonl", [{**QUESTIONS[0], "id": "m-2", "split": "test"}])
    splits = {q.id: q.split for q in load_questions([test_file, own_file, marked])}
    assert {splits[q["id"]] for q in QUESTIONS} == {"test"}
    assert splits["m-1"] == "dev"  # a user's own file is dev unless it says otherwise
    assert splits["m-2"] == "test"


def test_unknown_split_is_refused_with_the_line(tmp_path):
    from evals.gold import load_questions

    path = write_questions(tmp_path / "q.jsonl", [{**QUESTIONS[0], "split": "tset"}])
    with pytest.raises(ValueError, match=r"q.jsonl:1: malformed question .*tset"):
        load_questions([path])


def test_bundled_splits_are_disjoint_and_test_has_both_councils_and_near_misses():
    from evals.gold import load_questions

    questions = load_questions()
    by_split = {s: [q for q in questions if q.split == s] for s in ("dev", "test")}
    assert all(by_split.values())
    assert not {q.id for q in by_split["dev"]} & {q.id for q in by_split["test"]}
    assert {q.corpus for q in by_split["test"]} == {"birmingham", "kent"}
    assert sum(not q.answerable for q in by_split["test"]) >= 30
