"""The scale benchmark at CI size: a 10,000-chunk synthetic store of the corpus's real chunks, re-keyed
across councils, committees and years, measured for every kind of search; its filters hold."""

from __future__ import annotations

import json

import pytest

from api.scale_benchmark import KINDS, build_only, run_scale
from indexer import build_synthetic_store
from indexer.store.filters import row_matches

pytestmark = [pytest.mark.slow, pytest.mark.model]


def test_synthetic_store_spreads_real_chunks_over_councils_and_keeps_filters(corpus_index, tmp_path):
    source, _ = corpus_index
    store = build_synthetic_store(source, tmp_path / "synthetic", 5000)
    assert store.stats()["chunks"] == 5000 == store.collection.count()
    councils = {r[0] for r in store.db.execute("SELECT DISTINCT council FROM chunks")}
    assert len(councils) >= 3
    source_texts = {r[0] for r in source.db.execute("SELECT text FROM chunks")}
    assert {r[0] for r in store.db.execute("SELECT text FROM chunks LIMIT 50")} <= source_texts
    # Each copy keeps its source chunk's sentence-window units, which searches score it by.
    copied = store.db.execute("SELECT count(*) FROM chunks c JOIN chunk_units u USING (chunk_id)").fetchone()[
        0
    ]
    assert copied > 0.9 * 5000
    sample_units = store.unit_scores(
        store.collection.get(limit=1, include=["embeddings"])["embeddings"][0],
        [r[0] for r in store.db.execute("SELECT chunk_id FROM chunk_units LIMIT 5")],
    )
    assert len(sample_units) == 5 and all(units for units in sample_units.values())
    store.exact_max_chunks = 0  # the planner, as at scale
    vector = source.collection.get(limit=1, include=["embeddings"])["embeddings"][0]
    sample = dict(
        store.db.execute(
            "SELECT council, committee, meeting_date_int FROM chunks LIMIT 1 OFFSET 4000"
        ).fetchone()
    )
    year = sample["meeting_date_int"] // 10000
    assert sample["committee"].startswith("Committee ") and sample["committee"].endswith(sample["council"])
    for filters in (
        {"council": sample["council"]},
        {"committee": sample["committee"]},
        {"date_from": year * 10000 + 101, "date_to": year * 10000 + 1231},
    ):
        hits = store.dense_search(vector, 10, filters)
        rows = store.chunks([c for c, _ in hits])
        assert hits and all(row_matches(rows[c], filters) for c, _ in hits)


def test_scale_benchmark_at_ci_size(corpus_index, tmp_path):
    source, _ = corpus_index
    results = run_scale([10_000], source.store_dir, tmp_path / "out", rounds=5, keep=False)
    (result,) = results
    assert set(result["latency"]) == set(KINDS)
    assert all(v["p50_ms"] > 0 and v["p95_ms"] >= v["p50_ms"] for v in result["latency"].values())
    assert result["build_s"] > 0 and result["disk_mb"] > 0 and result["rss_mb"] > 0
    assert (tmp_path / "out" / "scale.png").stat().st_size > 10_000
    assert json.loads((tmp_path / "out" / "scale.json").read_text())[0]["chunks"] == 10_000
    assert not (tmp_path / "out" / "scale-10000").exists()


def test_stores_built_apart_are_measured_again_without_a_rebuild(corpus_index, tmp_path, capsys):
    source, _ = corpus_index
    out = tmp_path / "out"
    build_only([3_000], source.store_dir, out)
    built = json.loads(capsys.readouterr().out)
    assert built["chunks"] == 3_000 and built["build_s"] > 0 and built["disk_mb"] > 0
    registry = out / "scale-3000" / "registry.sqlite3"
    modified = registry.stat().st_mtime_ns
    (result,) = run_scale([3_000], source.store_dir, out, rounds=3, keep=False, reuse=True)
    assert result["build_s"] == built["build_s"] and registry.stat().st_mtime_ns == modified
    assert set(result["latency"]) == set(KINDS) and registry.exists()  # --reuse keeps the store
