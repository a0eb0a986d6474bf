"""An evaluation end to end on the tiny corpus with the fake embedder: runs, records and every artefact."""

from __future__ import annotations

import json

import ir_measures

from evals.gold import Corpus
from evals.qrels import build_qrels, qrels_by_query
from evals.report import write_results
from evals.run import evaluate_system, gold_summary
from evals.summary import format_table, summarise
from evals.systems import FULL, SYSTEMS, systems_named
from indexer.config import Settings


def _evaluate(tiny_index, tiny_gold, fake_embedder, systems, **kwargs):
    questions, corpus = tiny_gold
    page_qrels = qrels_by_query(build_qrels(questions, corpus))
    gold = gold_summary(questions, corpus)
    settings = Settings().updated(index={"store_dir": tiny_index.store_dir, "corpus_dir": corpus.corpus_dir})
    return (
        [
            evaluate_system(
                system, tiny_index, fake_embedder, questions, page_qrels, settings, gold=gold, **kwargs
            )
            for system in systems
        ],
        questions,
        page_qrels,
    )


def test_full_system_finds_the_gold_pages(tiny_index, tiny_gold, fake_embedder):
    (result,), _, page_qrels = _evaluate(tiny_index, tiny_gold, fake_embedder, [FULL])
    for qid in ("t-001", "t-002"):
        assert result.page_run[qid][0] in page_qrels[qid]
        assert result.page_scores[qid]["hit@1"] == 1
        assert result.passage_scores[qid]["hit@5"] == 1
    assert "t-003" not in result.page_scores  # unanswerable: no qrels, not in the ranking means
    record = next(r for r in result.records if r["query_id"] == "t-001")
    assert record["first_gold_page_rank"] == 1
    assert record["results"][0]["gold_page"]
    assert any(r["holds_quote"] and r["gold_page"] for r in record["results"][:5])
    assert record["gold"][0]["page_number"] == 2


def test_threshold_zero_answers_everything_and_one_answers_nothing(tiny_index, tiny_gold, fake_embedder):
    (everything,), _, _ = _evaluate(tiny_index, tiny_gold, fake_embedder, [FULL], threshold=0.0)
    (nothing,), _, _ = _evaluate(tiny_index, tiny_gold, fake_embedder, [FULL], threshold=1.01)
    # At 0 every answerable question is answered (one sharing no word with the papers has nothing to quote).
    assert everything.outcomes["t-001"].answered and everything.outcomes["t-002"].answered
    assert everything.outcomes["t-001"].citation_correct
    assert not any(o.answered for o in nothing.outcomes.values())


def test_api_and_offline_answers_agree(tiny_index, tiny_gold, fake_embedder):
    (api,), _, _ = _evaluate(tiny_index, tiny_gold, fake_embedder, [FULL], threshold=0.05)
    (offline,), _, _ = _evaluate(tiny_index, tiny_gold, fake_embedder, [FULL], threshold=0.05, use_api=False)
    assert api.outcomes == offline.outcomes
    assert [r["citations"] for r in api.records] == [r["citations"] for r in offline.records]


def test_results_folder_has_every_artefact(tmp_path, tiny_index, tiny_gold, fake_embedder):
    systems = [s for s in SYSTEMS if s.chunker == "structured"]
    results, questions, _ = _evaluate(tiny_index, tiny_gold, fake_embedder, systems)
    summary = summarise(results, questions)
    out = write_results(
        tmp_path / "results",
        results,
        summary,
        {
            "started": "2025-01-01 00:00:00",
            "questions": 3,
            "answerable": 2,
            "model": "fake",
            "threshold": 0.4,
            "indexer_fingerprint": "x",
            "commit": None,
        },
    )
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for system in systems:
        assert {
            f"runs/{system.name}.trec",
            f"runs/{system.name}.passages.trec",
            f"runs/{system.name}.chunks.trec",
        } <= names
    assert {"per_question.jsonl", "summary.json", "report.md", "chart.png", "failures.md"} <= names
    lines = (out / "per_question.jsonl").read_text().splitlines()
    assert len(lines) == len(systems) * len(questions)
    assert json.loads(lines[0])["page_metrics"] is not None
    run = list(ir_measures.read_trec_run(str(out / "runs" / "full.trec")))
    assert {r.query_id for r in run} == {"t-001", "t-002", "t-003"}
    saved = json.loads((out / "summary.json").read_text())
    assert set(saved["systems"]) == {s.name for s in systems}
    assert set(saved["systems"]["full"]["by_kind"]) == {"decision", "commitment", "unanswerable"}
    assert "| system |" in (out / "report.md").read_text()
    table = format_table(summary)
    assert table.splitlines()[0].startswith("system") and "full" in table


def test_systems_named_keeps_the_standard_order():
    assert [s.name for s in systems_named(["full", "bm25"])] == ["bm25", "full"]
    try:
        systems_named(["nope"])
    except ValueError as exc:
        assert "nope" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown system must be refused")


def test_corpus_reads_documents_once(tiny_corpus):
    corpus = Corpus(tiny_corpus)
    assert corpus.document("notes.txt") is corpus.document("notes.txt")


def test_interleaved_timing_replaces_search_times(tiny_index, tiny_gold, fake_embedder):
    from evals.experiment import time_interleaved

    systems = [s for s in SYSTEMS if s.chunker == "structured"]
    results, _, _ = _evaluate(tiny_index, tiny_gold, fake_embedder, systems)
    time_interleaved(results, {"structured": tiny_index}, fake_embedder, ["library hours", "parks"])
    assert all(len(r.search_seconds) == 2 and min(r.search_seconds) > 0 for r in results)
