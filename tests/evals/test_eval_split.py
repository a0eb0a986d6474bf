"""The committed dev/test split: a fixed rule by file and id prefix, and reports that show both splits."""

from __future__ import annotations

import json

import pytest
from eval_fixtures import QUESTIONS, write_questions

from evals.ablation import ablation_rows
from evals.gold import DATA_DIR, QUESTION_FILES, load_questions
from evals.split import DEV, SPLIT_FILES, TEST, in_split, misfiled, split_file, split_of
from evals.summary import side_by_side_rows


def test_split_is_read_from_the_id():
    assert split_of("tb-001") == split_of("tk-104") == TEST
    assert split_of("bham-001") == split_of("kent-010") == split_of("dn-003") == DEV


def test_every_committed_file_is_in_exactly_one_split():
    named = [name for names in SPLIT_FILES.values() for name in names]
    assert len(named) == len(set(named)) == len(QUESTION_FILES)
    assert {p.name for p in DATA_DIR.glob("questions_*.jsonl")} == set(named)
    with pytest.raises(ValueError, match="not in any split"):
        split_file("questions_elsewhere.jsonl")


def test_committed_questions_sit_in_the_split_their_file_says():
    for split, names in SPLIT_FILES.items():
        for name in names:
            ids = [json.loads(line)["id"] for line in (DATA_DIR / name).read_text().splitlines() if line]
            assert ids and not misfiled(name, ids), name
            assert {split_of(i) for i in ids} == {split}


def test_test_split_has_answerable_questions_and_near_misses_for_both_councils():
    test = load_questions(split=TEST)
    dev = load_questions(split=DEV)
    assert not {q.id for q in test} & {q.id for q in dev}
    for corpus in ("birmingham", "kent"):
        mine = [q for q in test if q.corpus == corpus]
        assert sum(q.answerable for q in mine) >= 80 and sum(not q.answerable for q in mine) >= 15


def test_a_question_in_the_wrong_file_is_refused(tmp_path):
    moved = [dict(QUESTIONS[0], id="tb-900")]
    path = write_questions(tmp_path / SPLIT_FILES[DEV][0], moved)
    with pytest.raises(ValueError, match="tb-900"):
        load_questions([path])


def test_in_split_keeps_order_and_refuses_an_unknown_split():
    questions = load_questions([DATA_DIR / SPLIT_FILES[DEV][0], DATA_DIR / SPLIT_FILES[TEST][0]])
    assert [q.id for q in in_split(questions, TEST)] == [q.id for q in questions if q.id.startswith("tb-")]
    assert in_split(questions, None) == questions
    with pytest.raises(ValueError, match="split must be"):
        in_split(questions, "train")


def _block(hit5: float, mrr: float, birmingham: float) -> dict:
    page = {"hit@1": hit5 / 2, "hit@5": hit5, "hit@10": hit5, "mrr@10": mrr, "ndcg@10": mrr, "n": 4}
    answers = {"citation_accuracy": 0.5, "no_answer_recall": None, "false_not_found_rate": 0.0}
    return {
        "page": page,
        "passage": page,
        "answers": answers,
        "by_corpus": {"birmingham": {"page": dict(page, **{"hit@5": birmingham})}},
    }


def test_side_by_side_shows_dev_then_test_for_each_system():
    header, rows = side_by_side_rows(
        {DEV: {"full": _block(0.8, 0.6, 0.8)}, TEST: {"full": _block(0.5, 0.4, 0.5)}}
    )
    assert header[1] == "hit@5 (dev / test)"
    assert rows[0][:3] == ["full", "0.800 / 0.500", "0.600 / 0.400"]
    assert "n/a / n/a" in rows[0]  # no near misses: no recall on either side


def test_ablation_rows_give_the_change_against_the_full_system():
    header, rows = ablation_rows({"full": _block(0.75, 0.5, 0.75), "full-lexical": _block(0.5, 0.25, 0.25)})
    assert [row[0] for row in rows] == ["full", "full-lexical"]
    assert rows[1][header.index("Δ hit@5")] == "-0.250"
    assert rows[1][header.index("Δ MRR@10")] == "-0.250"
    assert rows[1][header.index("hit@5 birmingham")] == "0.250"
