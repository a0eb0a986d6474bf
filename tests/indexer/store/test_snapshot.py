"""The search snapshot: past the exact size, filtered dense search and lexical search read a frozen copy of
the index, and must give exactly what the live paths give (FTS5's BM25 to the last digit, the exact
filtered top k), and never be read once the index has changed."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from indexer.pipeline import build_index
from indexer.store import lexical
from indexer.store.filters import row_matches
from indexer.store.index import Store
from indexer.store.snapshot import FOLDER_PREFIX, state
from tests.conftest import CORPUS
from tests.indexer.store.test_planner import SpreadEmbedder, _exact_filtered
from tests.indexer.test_streaming import write_papers


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The bundled corpus (both councils, real text) with seeded random vectors, and a snapshot built as if
    it were past the exact size."""
    store = Store(tmp_path_factory.mktemp("snapshot") / "index", create=True)
    store.exact_max_chunks = 100
    build_index([CORPUS], store, SpreadEmbedder())
    assert store.stats()["chunks"] > 1000
    assert store._snapshot() is not None, "build_index should leave a snapshot past the exact size"
    return store


def _filters(store: Store) -> list[dict]:
    """Every council and document type, committees, date ranges and combinations, from the registry."""
    councils = [
        r[0] for r in store.db.execute("SELECT DISTINCT council FROM chunks WHERE council IS NOT NULL")
    ]
    committees = [
        r[0] for r in store.db.execute("SELECT DISTINCT committee FROM chunks WHERE committee IS NOT NULL")
    ]
    committee_ids = [
        r[0]
        for r in store.db.execute("SELECT DISTINCT committee_id FROM chunks WHERE committee_id IS NOT NULL")
    ]
    dates = sorted(
        r[0] for r in store.db.execute("SELECT DISTINCT meeting_date_int FROM chunks WHERE meeting_date_int")
    )
    document = store.db.execute("SELECT document_id FROM chunks LIMIT 1").fetchone()[0]
    assert len(councils) >= 2 and len(committees) >= 2 and len(dates) >= 3
    return [
        {},
        *({"council": c} for c in councils),
        *({"committee": c} for c in committees[:3]),
        {"committee": committee_ids[0]},
        {"doc_type": "minutes"},
        {"document_id": document},
        {"date_from": dates[1]},
        {"date_to": dates[-2]},
        {"date_from": dates[1], "date_to": dates[-2]},
        {"council": councils[0], "date_from": dates[0], "doc_type": "agenda_pack"},
        {"council": "No Such Council"},
        {"date_from": dates[-1] + 1},
    ]


def _queries(store: Store, count: int) -> list[str]:
    """Runs of words from random chunks of the index, some with a word no chunk has."""
    texts = [r[0] for r in store.db.execute("SELECT text FROM chunks ORDER BY chunk_id")]
    rng = random.Random(5)
    queries = []
    for number in range(count):
        words = re.findall(r"[a-z]+", rng.choice(texts).lower())
        start = rng.randrange(max(1, len(words) - 8))
        query = " ".join(words[start : start + rng.randint(1, 8)])
        queries.append(query + (" zyxwvut" if number % 7 == 0 else ""))
    return queries


def test_lexical_search_through_the_snapshot_is_fts5s_to_the_last_digit(store):
    assert store._snapshot() is not None
    compared = 0
    for query in _queries(store, 40):
        assert lexical.phrase_tokens(query) is not None
        for filters in _filters(store):
            for k in (1, 10, 60):
                live = lexical.search_chunks(store.db, query, k, filters)
                assert store.lexical_search(query, k, filters) == live, (query, filters, k)
                compared += bool(live)
    assert compared > 500


def test_word_rarity_through_the_snapshot_is_fts5s_vocabulary(store):
    assert store._snapshot() is not None
    stems = sorted({t for q in _queries(store, 40) for t in (lexical.phrase_tokens(q) or [])})
    assert len(stems) > 50 and "zyxwvut" in stems  # and a word no chunk has
    assert store.word_rarity(stems) == lexical.word_rarity(store.db, stems)
    assert store.word_rarity(["zyxwvut"]) == {"zyxwvut": 1.0}


def test_a_word_fts5_splits_in_two_is_searched_by_fts5_itself(store):
    query = "part_time staff"  # one word to the query's \w+, two tokens to FTS5: a phrase, needing positions
    assert lexical.phrase_tokens(query) is None
    assert lexical.phrase_tokens("staff budget") == ["staff", "budget"]
    assert store.lexical_search(query, 10, {}) == lexical.search_chunks(store.db, query, 10, {})


def test_filtered_dense_search_through_the_snapshot_is_the_exact_filtered_top_k(store):
    queries = np.random.default_rng(11).normal(size=(4, SpreadEmbedder().dimension)).astype(np.float32)
    for filters in _filters(store)[1:]:
        for vector in queries:
            for k in (1, 10, 60):
                got = store.dense_search(vector, k, filters)
                assert store.last_plan == "snapshot"
                assert [cid for cid, _ in got] == _exact_filtered(store, vector, k, filters), (filters, k)
                rows = store.chunks([cid for cid, _ in got])
                assert all(row_matches(rows[cid], filters) for cid, _ in got)


def test_a_changed_index_is_never_searched_through_its_old_snapshot(tmp_path):
    folder = write_papers(tmp_path / "papers", 12, words=300)
    store = Store(tmp_path / "index", create=True)
    store.exact_max_chunks = 5
    build_index([folder], store, SpreadEmbedder())
    old = store._snapshot()
    assert old is not None and old.rows == store.stats()["chunks"]
    gone = "paper-003.txt"
    gone_chunks = {
        c["chunk_id"]
        for c in store.document_chunks(store.source_of(str(folder.resolve()), gone)["document_id"])
    }
    assert gone_chunks & {cid for cid, _ in old.lexical(["report"], 200, {})}
    (folder / gone).unlink()
    store.remove_sources(str(folder.resolve()), [gone])  # as a re-index removes a vanished file
    assert not store.snapshot_is_current()  # the registry's generation moved on
    hits = store.lexical_search("report committee", 200, {})
    assert hits == lexical.search_chunks(store.db, "report committee", 200, {})
    assert hits and not gone_chunks & {cid for cid, _ in hits}
    assert store.refresh_snapshot()
    assert store._snapshot() is not None and store._snapshot().rows == store.stats()["chunks"]
    assert len(list(tmp_path.joinpath("index").glob(f"{FOLDER_PREFIX}*"))) == 1  # the old one is removed
    assert not store.refresh_snapshot()  # nothing changed since


def test_a_reset_index_forgets_its_snapshot(tmp_path):
    store = Store(tmp_path / "index", create=True)
    store.exact_max_chunks = 5
    build_index([write_papers(tmp_path / "papers", 8, words=300)], store, SpreadEmbedder())
    assert store._snapshot() is not None
    store.reset()
    assert not store.snapshot_is_current()
    assert state(store.db)[1] is None
    assert not list(tmp_path.joinpath("index").glob(f"{FOLDER_PREFIX}*"))
    assert not store.refresh_snapshot()  # an empty index keeps none


def test_below_the_exact_size_the_snapshot_gives_the_exact_paths_results(store):
    vectors = np.random.default_rng(13).normal(size=(6, SpreadEmbedder().dimension)).astype(np.float32)
    store.exact_max_chunks = 10**6
    try:
        through_snapshot = [store.dense_search(v, 10, f) for v in vectors for f in _filters(store)[:4]]
        assert store.last_plan == "snapshot"
        store.use_snapshot = False
        live = [store.dense_search(v, 10, f) for v in vectors for f in _filters(store)[:4]]
        assert store.last_plan == "exact"
    finally:
        store.exact_max_chunks, store.use_snapshot = 100, True
    assert [[c for c, _ in r] for r in through_snapshot] == [[c for c, _ in r] for r in live]
    assert np.allclose(
        [s for r in through_snapshot for _, s in r], [s for r in live for _, s in r], atol=1e-6
    )


def test_chunks_that_tie_are_ordered_by_id_as_fts5_orders_them(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    body = "\n\n".join(
        f"Paragraph {n}: the library opening hours were reviewed by the panel." for n in range(40)
    )
    for number in range(12):  # the same paragraphs in twelve papers: their chunks score alike
        (folder / f"paper-{number:02d}.txt").write_text(f"# Review {number}\n\n{body}\n")
    store = Store(tmp_path / "index", create=True)
    build_index([folder], store, SpreadEmbedder())
    assert store._snapshot() is not None
    for query, k in [("library hours", 1), ("library hours", 7), ("panel reviewed", 30), ("opening", 200)]:
        live = lexical.search_chunks(store.db, query, k, {})
        beyond = lexical.search_chunks(store.db, query, k + 20, {})
        assert [s for _, s in beyond].count(live[-1][1]) > 1  # the k-th is tied: the id decides
        assert store.lexical_search(query, k, {}) == live


def test_a_snapshot_that_cannot_be_written_costs_the_run_nothing(tmp_path, monkeypatch):
    import indexer.store.search as search

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search, "build_snapshot", full_disk)
    store = Store(tmp_path / "index", create=True)
    report = build_index([write_papers(tmp_path / "papers", 4, words=200)], store, SpreadEmbedder())
    assert report.documents == 4 and not report.failed
    assert any("search snapshot not written" in w and "No space left" in w for w in report.warnings)
    assert not store.snapshot_is_current()
    assert store.lexical_search("report", 5) == lexical.search_chunks(store.db, "report", 5, {})


def test_a_snapshot_build_that_fails_half_way_leaves_no_half_written_folder(tmp_path, monkeypatch):
    import indexer.store.snapshot_build as snapshot_build

    folder = write_papers(tmp_path / "papers", 4, words=200)
    store = Store(tmp_path / "index", create=True)
    build_index([folder], store, SpreadEmbedder())
    before = sorted(p.name for p in (tmp_path / "index").glob(f"{FOLDER_PREFIX}*"))
    assert len(before) == 1

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshot_build, "_write_vectors", full_disk)
    write_papers(folder, 5, words=200, salt="changed")  # every paper changes, and a fifth comes
    report = build_index([folder], store, SpreadEmbedder())
    assert report.documents == 5 and any("search snapshot not written" in w for w in report.warnings)
    assert sorted(p.name for p in (tmp_path / "index").glob(f"{FOLDER_PREFIX}*")) == before
    assert not store.snapshot_is_current()  # the old one is kept on disk but never read: the index changed
