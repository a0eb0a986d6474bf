"""The committed evaluation files, and the regression gate on the real model and the real corpus."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from evals.cli import app
from evals.gate import FLOORS_FILE, GATED, check_floors, load_floors, measured
from evals.qrels import QRELS_FILES, QUERIES_FILES, read_qrels
from evals.split import DEV, TEST, split_of

PAGE_ID = re.compile(r"^[0-9a-f]{16}#(p[1-9]\d*|c\d+)$")


@pytest.mark.parametrize("split", [DEV, TEST])
def test_committed_queries_and_qrels_agree(split):
    queries = [json.loads(line) for line in QUERIES_FILES[split].read_text().splitlines()]
    qrels = read_qrels(QRELS_FILES[split])
    judged = {q.query_id for q in qrels}
    assert all(PAGE_ID.match(q.doc_id) for q in qrels)
    assert judged == {q["query_id"] for q in queries if q["answerable"]}
    assert {q["split"] for q in queries} == {split}
    assert all(split_of(q["query_id"]) == split for q in queries)
    assert {q["kind"] for q in queries} >= {"decision", "fact"}
    assert any(not q["answerable"] for q in queries)  # near misses on both sides


def test_committed_floors_cover_every_gated_number():
    assert set(load_floors()) == set(GATED)


def test_gate_refuses_a_floors_file_with_a_typo(tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text('{"floors": {"hit@55": 0.5}}')
    result = CliRunner().invoke(app, ["gate", "--floors", str(floors)])
    assert result.exit_code == 2
    assert "unknown floor" in result.output


@pytest.mark.slow
@pytest.mark.model
def test_gate_passes_on_the_real_model(corpus_index, real_embedder):
    """The full system on the test questions, over the session's real index, clears the committed floors."""
    from evals.experiment import Setup, evaluate_all
    from evals.systems import FULL

    store, _ = corpus_index
    setup = Setup.load()
    questions = setup.split(TEST)
    (result,) = evaluate_all([FULL], {"structured": store}, real_embedder, setup, questions=questions)
    values = measured(result, [q.id for q in questions if q.answerable])
    checks = check_floors(values, load_floors(FLOORS_FILE))
    failed = [f"{c.name} {c.value} < {c.floor}" for c in checks if not c.passed]
    assert not failed, failed
