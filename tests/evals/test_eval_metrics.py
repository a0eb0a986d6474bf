"""Metric values pinned on hand-worked examples; judging of passages, pages and citations."""

from __future__ import annotations

import math

import ir_measures
import pytest

from evals.calibrate import Scored, best_balanced, choose_threshold, metrics_at, split_questions, sweep
from evals.gate import check_floors, load_floors
from evals.gold import Question
from evals.judge import citation_correct, holds_quote, passage_ranking, quote_unit
from evals.metrics import AnswerOutcome, answer_metrics, format_trec_run, latency_ms, mean_scores, per_query

QRELS = {"q1": {"a": 1, "b": 1}, "q2": {"c": 1}, "q3": {"d": 1}, "unjudged": {}}
RUN = {"q1": ["x", "a", "y", "z", "w", "b"], "q2": ["c"], "q3": ["x", "y"], "unjudged": ["a"]}


def test_ranking_measures_match_hand_computed_values():
    scores = per_query(QRELS, RUN)
    assert set(scores) == {"q1", "q2", "q3"}  # a query with no relevant ids is not scored
    q1 = scores["q1"]
    assert q1["hit@1"] == 0 and q1["hit@5"] == 1 and q1["hit@10"] == 1
    assert q1["recall@1"] == 0 and q1["recall@5"] == 0.5 and q1["recall@10"] == 1
    assert q1["mrr@10"] == 0.5
    ideal = 1 + 1 / math.log2(3)
    assert q1["ndcg@10"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(7)) / ideal)
    assert scores["q2"] == {name: 1.0 for name in scores["q2"]}
    assert all(value == 0 for value in scores["q3"].values())


def test_query_missing_from_the_run_scores_zero():
    scores = per_query({"q1": {"a": 1}, "q2": {"b": 1}}, {"q1": ["a"]})
    assert scores["q2"]["hit@10"] == 0
    assert mean_scores(scores)["hit@10"] == 0.5
    assert mean_scores(scores, ["q1"]) | {"n": 1} == mean_scores(scores, ["q1"])


def test_trec_run_is_read_back_in_rank_order(tmp_path):
    path = tmp_path / "run.trec"
    path.write_text(format_trec_run(RUN, "sys"))
    first = path.read_text().splitlines()[0].split()
    assert first == ["q1", "Q0", "x", "1", "6", "sys"]
    run = {}
    for row in ir_measures.read_trec_run(str(path)):
        run.setdefault(row.query_id, {})[row.doc_id] = row.score
    assert sorted(run["q1"], key=lambda d: -run["q1"][d]) == RUN["q1"]


def test_answer_metrics():
    outcomes = [
        AnswerOutcome(True, True, True),
        AnswerOutcome(True, True, False),
        AnswerOutcome(True, False),
        AnswerOutcome(False, False),
        AnswerOutcome(False, True, False),
    ]
    metrics = answer_metrics(outcomes)
    assert metrics["citation_accuracy"] == 0.5
    assert metrics["no_answer_precision"] == 0.5  # 2 "not found": one was to an unanswerable question
    assert metrics["no_answer_recall"] == 0.5
    assert metrics["false_not_found_rate"] == pytest.approx(1 / 3)
    assert answer_metrics([AnswerOutcome(True, True, True)])["no_answer_recall"] is None


def test_latency_percentiles():
    assert latency_ms([0.01] * 19 + [1.0]) == {"p50_ms": pytest.approx(10.0), "p95_ms": pytest.approx(59.5)}
    assert latency_ms([]) == {"p50_ms": None, "p95_ms": None}


QUOTE = "the library opening hours be extended to eight in the evening"


@pytest.mark.parametrize(
    ("passage", "held"),
    [
        ("RESOLVED that the library   opening\nhours be extended to eight in the evening from May.", True),
        ("Minute 5. RESOLVED that the library opening hours be extended", True),  # prefix ending the chunk
        ("hours be extended to eight in the evening from May. Minute 6.", True),  # suffix starting the chunk
        ("Minute 5. RESOLVED that the library opening", False),  # under half of the quote
        ("the library opening hours be extended and then other text", False),  # a prefix, but mid-chunk
        ("Something else entirely", False),
    ],
)
def test_holds_quote(passage, held):
    assert holds_quote(passage, QUOTE) is held


def _question(*quotes: str) -> Question:
    from evals.gold import Evidence

    return Question(
        "q", "c", "?", "fact", True, "", [Evidence("s", quote, page_number=1) for quote in quotes]
    )


def test_passage_ranking_counts_a_quote_once_at_its_best_rank():
    question = _question(QUOTE, "asked for an update in six months")
    rows = [
        {"chunk_id": "c1", "text": "unrelated"},
        {"chunk_id": "c2", "text": f"RESOLVED that {QUOTE}."},
        {"chunk_id": "c3", "text": f"{QUOTE}. Parks: asked for an update in six months."},
    ]
    assert passage_ranking(rows, question) == [
        "c1",
        quote_unit(QUOTE),
        quote_unit("asked for an update in six months"),
    ]


def test_citation_correct_by_page_or_by_passage():
    question = _question(QUOTE)
    gold = {"doc#p4"}
    assert citation_correct(
        {"document_id": "doc", "page_start": 3, "page_end": 4}, gold, question, None, True
    )
    assert not citation_correct(
        {"document_id": "doc", "page_start": 5, "page_end": 5}, gold, question, QUOTE, True
    )
    assert not citation_correct(
        {"document_id": "doc", "page_start": None, "page_end": None}, gold, question, QUOTE, True
    )
    page_less = {"document_id": "txt", "page_start": None, "page_end": None}
    assert citation_correct(page_less, gold, question, f"x {QUOTE} y", False)
    assert not citation_correct(page_less, gold, question, "other text", False)
    # A page range the API infers for page-less text (e.g. from a pack's agenda) is judged by passage.
    ranged = {"document_id": "txt", "page_start": 5, "page_end": 16}
    assert citation_correct(ranged, gold, question, f"x {QUOTE} y", False)


def test_split_is_deterministic_disjoint_and_balanced():
    questions = [Question(f"q{i}", "c", "?", "fact", i % 5 != 0, "") for i in range(40)]
    calibration, test = split_questions(questions)
    assert split_questions(list(reversed(questions))) == (calibration, test)
    assert {q.id for q in calibration}.isdisjoint({q.id for q in test})
    assert len(calibration) + len(test) == 40
    assert sum(not q.answerable for q in calibration) == sum(not q.answerable for q in test) == 4


def test_calibration_uses_the_dev_and_test_splits_when_there_are_both():
    questions = [
        Question(f"q{i}", "c", "?", "fact", i % 5 != 0, "", split="test" if i < 10 else "dev")
        for i in range(40)
    ]
    calibration, test = split_questions(questions)
    assert {q.split for q in calibration} == {"dev"} and len(calibration) == 30
    assert {q.split for q in test} == {"test"} and len(test) == 10


def test_threshold_is_the_highest_within_the_false_not_found_budget():
    scored = [Scored(True, 0.2 + i / 100, True, True) for i in range(20)]  # answerable: 0.20 ... 0.39
    scored += [Scored(False, 0.3, True, False), Scored(False, 0.5, True, False)]
    rows = sweep(scored, 0.0, 1.0, 0.01)
    assert choose_threshold(rows, max_false_not_found=0.0) == pytest.approx(0.2)
    assert choose_threshold(rows, max_false_not_found=0.10) == pytest.approx(0.22)  # turns away 0.20 and 0.21
    assert choose_threshold(rows, max_false_not_found=1.0) == pytest.approx(1.0)


def test_best_balanced_picks_the_middle_of_the_best_plateau():
    scored = [
        Scored(True, 0.7, True, True),
        Scored(True, 0.6, True, True),
        Scored(False, 0.3, True, False),
        Scored(False, 0.4, True, False),
    ]
    rows = sweep(scored, 0.0, 1.0, 0.05)
    assert best_balanced(rows) == pytest.approx(0.5, abs=0.03)  # anything in (0.4, 0.6] separates them
    at = metrics_at(scored, 0.5)
    assert at["no_answer_recall"] == 1 and at["false_not_found_rate"] == 0 and at["balanced_accuracy"] == 1


def test_floors(tmp_path):
    path = tmp_path / "floors.json"
    path.write_text('{"floors": {"test": {"hit@5": 0.5, "no_answer_recall": 0.4}}}')
    floors = load_floors(path)
    checks = {c.name: c for c in check_floors({"hit@5": 0.6, "no_answer_recall": None}, floors["test"])}
    assert checks["hit@5"].passed and not checks["no_answer_recall"].passed
    path.write_text('{"floors": {"test": {"hit@50": 0.5}}}')
    with pytest.raises(ValueError, match="unknown floor"):
        load_floors(path)
    path.write_text('{"floors": {"tset": {"hit@5": 0.5}}}')
    with pytest.raises(ValueError, match="unknown split"):
        load_floors(path)
    path.write_text('{"floors": {"hit@5": 0.5}}')  # the old flat form: refused, not read as no floors
    with pytest.raises(ValueError, match="each split"):
        load_floors(path)
