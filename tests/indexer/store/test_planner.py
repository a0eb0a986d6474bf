"""The query planner: a filtered search beyond the exact size returns the exact filtered top k, never a
chunk outside the filter, whichever plan the registry's count chooses."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.filters import row_matches
from indexer.store.index import Store
from tests.indexer.test_streaming import write_papers

COMMITTEES = ["Cabinet", "Planning Committee", "Audit Committee"]


class SpreadEmbedder(FakeEmbedder):
    """A seeded random unit vector per text: no ties, spread like a real model's (the word-hash fake has
    many exact ties, which no nearest-neighbour graph orders as an exact sort does)."""

    def encode(self, texts, batch_size=32, progress=None):
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            out[row] = np.random.default_rng(seed).normal(size=self.dimension)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Papers of three committees over four years, indexed with the fake embedder."""
    root = tmp_path_factory.mktemp("planner")
    folder = write_papers(root / "papers", 24, words=700)
    lines = []
    for number in range(24):
        year = 2021 + number % 4
        lines.append(
            f'[[document]]\nmatch = "paper-{number:03d}.txt"\ncouncil = "{"Kent" if number % 2 else "Leeds"} Council"\n'
            f'committee = "{COMMITTEES[number % 3]}"\nmeeting_date = "{year}-0{1 + number % 9}-15"\n'
        )
    (folder / "metadata.toml").write_text("\n".join(lines))
    store = Store(root / "index", create=True)
    build_index([folder], store, SpreadEmbedder())
    store.use_snapshot = False  # the live paths: the snapshot's own test compares it with them
    return store


def _exact_filtered(store: Store, vector: np.ndarray, k: int, filters: dict) -> list[str]:
    """Brute force: every registered chunk's vector, the filter checked on its registry row."""
    rows = {r["chunk_id"]: dict(r) for r in store.db.execute("SELECT * FROM chunks")}
    got = store.collection.get(ids=sorted(rows), include=["embeddings"])
    matrix = np.asarray(got["embeddings"], dtype=np.float32)
    query = (vector / np.linalg.norm(vector)).astype(np.float32)
    scores = (matrix @ query) / np.linalg.norm(matrix, axis=1)
    ranked = sorted(
        ((cid, s) for cid, s in zip(got["ids"], scores, strict=True) if row_matches(rows[cid], filters)),
        key=lambda pair: (-round(float(pair[1]), 6), pair[0]),
    )
    return [cid for cid, _ in ranked[:k]]


FILTERS = [
    {"council": "Kent Council"},
    {"committee": "Planning Committee"},
    {"date_from": 20220101, "date_to": 20221231},
    {"committee": "Cabinet", "date_from": 20230101},
    {"council": "Leeds Council", "committee": "Audit Committee", "date_to": 20220101},
    {"committee": "No Such Committee"},
]


@pytest.mark.parametrize("selective_max", [0, 40, 10**9], ids=["overfetch", "mixed", "exact-matched"])
def test_planned_filtered_search_is_the_exact_filtered_top_k(store, selective_max):
    total = store.stats()["chunks"]
    assert total > 200
    store.exact_max_chunks = 0  # as if the index were too large to hold every vector in memory
    store.selective_max_chunks = selective_max
    queries = np.random.default_rng(7).normal(size=(6, FakeEmbedder().dimension)).astype(np.float32)
    plans = set()
    for filters in FILTERS:
        for vector in queries:
            for k in (1, 10, 60):
                got = store.dense_search(vector, k, filters)
                assert [cid for cid, _ in got] == _exact_filtered(store, vector, k, filters), (filters, k)
                rows = store.chunks([cid for cid, _ in got])
                assert all(row_matches(rows[cid], filters) for cid, _ in got)
                plans.add(store.last_plan)
    expected = {0: {"overfetch", "overfetch-then-exact", "exact-matched"}, 10**9: {"exact-matched"}}
    if selective_max in expected:
        assert plans == expected[selective_max]
    else:
        assert {"exact-matched", "overfetch"} <= plans


def test_exact_path_and_planner_agree(store):
    store.exact_max_chunks, store.selective_max_chunks = 10**9, 40
    vector = SpreadEmbedder().encode(["school places report"])[0]
    exact = [store.dense_search(vector, 10, f) for f in FILTERS]
    store.exact_max_chunks = 0
    planned = [store.dense_search(vector, 10, f) for f in FILTERS]
    assert [[c for c, _ in r] for r in planned] == [[c for c, _ in r] for r in exact]


def test_lexical_search_filters_by_council_in_sql(store):
    hits = store.lexical_search("potholes", 50, {"council": "Kent Council"})
    assert hits and all(r["council"] == "Kent Council" for r in store.chunks([c for c, _ in hits]).values())
