"""The committed evaluation files, and the regression gate on the real model and the real corpus."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from evals.cli import app
from evals.gate import FLOORS_FILE, GATED, check_splits, load_floors
from evals.gold import SPLITS
from evals.qrels import QRELS_FILE, QUERIES_FILE, read_qrels

PAGE_ID = re.compile(r"^[0-9a-f]{16}#(p[1-9]\d*|c\d+)$")


def test_committed_queries_and_qrels_agree():
    queries = [json.loads(line) for line in QUERIES_FILE.read_text().splitlines()]
    qrels = read_qrels(QRELS_FILE)
    judged = {q.query_id for q in qrels}
    assert all(PAGE_ID.match(q.doc_id) for q in qrels)
    assert judged == {q["query_id"] for q in queries if q["answerable"]}
    assert {q["kind"] for q in queries} >= {"decision", "unanswerable"}


def test_committed_floors_cover_every_gated_number_of_both_splits():
    floors = load_floors()
    assert set(floors) == set(SPLITS)
    assert all(set(named) == set(GATED) for named in floors.values())


def test_gate_refuses_a_floors_file_with_a_typo(tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text('{"floors": {"test": {"hit@55": 0.5}}}')
    result = CliRunner().invoke(app, ["gate", "--floors", str(floors)])
    assert result.exit_code == 2
    assert "unknown floor" in result.output


@pytest.mark.slow
@pytest.mark.model
def test_gate_passes_on_the_real_model(corpus_index, real_embedder):
    """The full system on all questions, over the session's real index, clears both splits' committed floors."""
    from evals.experiment import Setup, evaluate_all
    from evals.systems import FULL

    store, _ = corpus_index
    setup = Setup.load()
    (result,) = evaluate_all([FULL], {"structured": store}, real_embedder, setup)
    checks = check_splits(result, setup.questions, load_floors(FLOORS_FILE))
    assert {c.name.split()[0] for c in checks} == set(SPLITS)
    failed = [f"{c.name} {c.value} < {c.floor}" for c in checks if not c.passed]
    assert not failed, failed
