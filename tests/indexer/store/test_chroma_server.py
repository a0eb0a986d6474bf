"""Vectors on a real `chroma run` server (CP_CHROMA_URL): the same searches as embedded, one collection per
store, clear errors when the server is away, and what several processes may do with an embedded store."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from indexer.config import Settings
from indexer.embedding import FakeEmbedder
from indexer.errors import IndexNotFoundError, VectorStoreError
from indexer.pipeline import build_index
from indexer.store.index import Store
from indexer.store.vectors import HNSW_CONFIG
from tests.indexer.store.test_planner import COMMITTEES, SpreadEmbedder
from tests.indexer.test_streaming import write_papers
from tests.live_servers import chroma_server, free_port

QUERIES = ["budget of the highways team", "school transport for children", "libraries and parks"]
FILTERS = [{}, {"committee": "Cabinet"}, {"date_from": 20220101, "date_to": 20231231}, {"doc_type": "report"}]


def write_dated_papers(folder: Path, count: int = 12, salt: str = "") -> Path:
    """Text papers of three committees over four years, with the metadata that filters read."""
    write_papers(folder, count, words=300, salt=salt)
    entries = [
        f'[[document]]\nmatch = "paper-{n:03d}.txt"\ncouncil = "Kent County Council"\n'
        f'committee = "{COMMITTEES[n % 3]}"\ndoc_type = "report"\nmeeting_date = "{2021 + n % 4}-0{1 + n % 9}-15"\n'
        for n in range(count)
    ]
    (folder / "metadata.toml").write_text("\n".join(entries))
    return folder


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dated_papers(tmp_path_factory.mktemp("server-papers") / "papers")


def _build(papers: Path, store_dir: Path, chroma_url: str | None = None) -> Store:
    store = Store(store_dir, create=True, chroma_url=chroma_url)
    build_index([papers], store, SpreadEmbedder())
    return store


def _searches(store: Store) -> list[list[tuple[str, float]]]:
    """Dense results of every query under every filter, by the snapshot (its vectors read from the store's
    chroma), by the exact path and by chroma's own search."""
    embedder = SpreadEmbedder()
    found = []
    for use_snapshot in (True, False):
        store.use_snapshot = use_snapshot
        for exact_max_chunks in (store.exact_max_chunks, 0):
            store.exact_max_chunks = exact_max_chunks
            for query in QUERIES:
                for filters in FILTERS:
                    found.append(store.dense_search(embedder.encode([query])[0], 8, filters))
        store.exact_max_chunks = 25_000
    store.use_snapshot = True
    return found


def test_a_store_on_a_server_searches_as_the_same_store_embedded(papers, tmp_path, chroma_url):
    served = _build(papers, tmp_path / "served", chroma_url)
    embedded = _build(papers, tmp_path / "embedded")
    assert served.stats() == embedded.stats() and served.collection.count() == served.stats()["chunks"]
    assert not (tmp_path / "served" / "chroma").exists()  # the vectors are on the server, not in the folder
    exact = [(query, filters) for query in QUERIES for filters in FILTERS]
    got, want = _searches(served), _searches(embedded)
    # The exact path and the planner give one ranking, ids and order, on any build; chroma's HNSW graph,
    # unfiltered, is compared by ids (two builds of a graph may order near-ties apart).
    assert got[: len(exact)] == want[: len(exact)]
    for offset, (_, filters) in enumerate(exact, start=len(exact)):
        if filters:
            assert got[offset] == want[offset]
        else:
            assert {cid for cid, _ in got[offset]} == {cid for cid, _ in want[offset]}
    assert all(got), "every search found something"
    # A reader (the API) opens the same collection from the registry's store id.
    reader = Store(tmp_path / "served", chroma_url=chroma_url)
    assert reader.dense_search(SpreadEmbedder().encode([QUERIES[0]])[0], 8) == got[0]


def test_stores_on_one_server_keep_their_own_collections(tmp_path, chroma_url):
    kent = _build(write_dated_papers(tmp_path / "kent", 4), tmp_path / "kent-index", chroma_url)
    leeds = _build(
        write_dated_papers(tmp_path / "leeds", 6, salt="leeds"), tmp_path / "leeds-index", chroma_url
    )
    names = {kent.vectors.home.collection_name, leeds.vectors.home.collection_name}
    assert len(names) == 2 and all(name.startswith("chunks-") for name in names)
    assert (
        kent.collection.count() == kent.stats()["chunks"]
        and leeds.collection.count() == leeds.stats()["chunks"]
    )
    vector = SpreadEmbedder().encode(["report"])[0]
    kent_documents = {d["document_id"] for d in kent.documents()}
    assert {
        kent.chunks([cid])[cid]["document_id"] for cid, _ in kent.dense_search(vector, 50)
    } <= kent_documents

    # Rebuilt from scratch (a new folder) a store gets a fresh collection; the other keeps its vectors.
    old_name = kent.vectors.home.collection_name
    rebuilt = _build(tmp_path / "kent", tmp_path / "kent-index-2", chroma_url)
    assert rebuilt.vectors.home.collection_name not in {old_name, leeds.vectors.home.collection_name}
    assert leeds.collection.count() == leeds.stats()["chunks"]

    # An index of an older version keeps its id: the same collection is emptied and refilled.
    leeds.db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    refilled = _build(tmp_path / "leeds", tmp_path / "leeds-index", chroma_url)
    assert refilled.vectors.home.collection_name == leeds.vectors.home.collection_name
    assert refilled.collection.count() == refilled.stats()["chunks"] == leeds.stats()["chunks"]


def test_vectors_kept_elsewhere_are_rebuilt_by_the_indexer_and_refused_by_readers(
    papers, tmp_path, chroma_url
):
    embedded = _build(papers, tmp_path / "index")
    chunks = embedded.stats()["chunks"]
    with pytest.raises(
        IndexNotFoundError, match=f"no collection chunks-.*`CP_CHROMA_URL={re.escape(chroma_url)} python"
    ):
        Store(tmp_path / "index", chroma_url=chroma_url)
    moved = _build(papers, tmp_path / "index", chroma_url)  # the indexer moves it to the server
    assert moved.stats()["chunks"] == chunks == moved.collection.count()
    _build(papers, tmp_path / "served", chroma_url)
    with pytest.raises(IndexNotFoundError, match=f"has none of the vectors of the {chunks} chunks"):
        Store(tmp_path / "served")  # without the URL: the folder has no chroma of its own
    never_served = _build(papers, tmp_path / "old")
    never_served.db.execute("DELETE FROM meta WHERE key = 'store_id'")  # as an index from before store ids
    with pytest.raises(IndexNotFoundError, match="was not built with a chroma server"):
        Store(tmp_path / "old", chroma_url=chroma_url)


def test_a_vector_without_a_registry_row_is_never_returned(papers, tmp_path, chroma_url):
    store = _build(papers, tmp_path / "index", chroma_url)
    vector = SpreadEmbedder().encode(["a stray"])[0]
    store.collection.upsert(
        ids=["stray-0001"], embeddings=[vector.tolist()], metadatas=[{"doc_type": "report"}]
    )
    for use_snapshot in (True, False):
        store.use_snapshot = use_snapshot
        store.exact_max_chunks = 25_000
        assert "stray-0001" not in dict(store.dense_search(vector, 5))
        store.exact_max_chunks, store.selective_max_chunks = 0, 0  # HNSW, then the over-fetching planner
        assert "stray-0001" not in dict(store.dense_search(vector, 5))
        assert "stray-0001" not in dict(store.dense_search(vector, 5, {"doc_type": "report"}))


def test_a_server_that_is_down_is_one_error_naming_it(papers, tmp_path):
    nobody = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(VectorStoreError, match=f"cannot reach the chroma server at {nobody}.*chroma run"):
        _build(papers, tmp_path / "never", nobody)
    with chroma_server(tmp_path / "server") as url:
        store = _build(papers, tmp_path / "index", url)
        store.exact_max_chunks = 0  # every search asks the server
        vector = SpreadEmbedder().encode(["budget"])[0]
        assert store.dense_search(vector, 5)
    with pytest.raises(VectorStoreError, match=f"cannot reach the chroma server at {url}"):
        store.dense_search(vector, 5)
    with pytest.raises(VectorStoreError, match="cannot reach"):
        Store(tmp_path / "index", chroma_url=url)


def test_the_setting_takes_a_servers_url(monkeypatch):
    monkeypatch.setenv("CP_CHROMA_URL", "http://localhost:8001/")
    assert Settings().index.chroma_url == "http://localhost:8001"
    monkeypatch.setenv("CP_CHROMA_URL", "")
    assert Settings().index.chroma_url is None
    monkeypatch.setenv("CP_CHROMA_URL", "localhost:8001")
    with pytest.raises(ValidationError, match="http://host:port"):
        Settings()


READER = """
import json, sys
from pathlib import Path
from indexer.store.index import Store
from indexer.store.vectors import HNSW_CONFIG
from tests.indexer.store.test_planner import SpreadEmbedder
store = Store(Path(sys.argv[1]))
vectors = SpreadEmbedder().encode(sys.argv[2:])
print(json.dumps([[cid for cid, _ in store.dense_search(v, 8)] for v in vectors for _ in range(20)]))
"""


def test_several_processes_read_one_embedded_store_that_nothing_writes(papers, tmp_path):
    """What several API workers on an embedded store do: read it together. (An embedded chroma written by
    another process fails its readers until they reopen it: that takes CP_CHROMA_URL, see the API tests.)"""
    store = _build(papers, tmp_path / "index")
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(store.store_dir), *QUERIES], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [reader.communicate(timeout=120)[0] for reader in readers]
    assert [reader.returncode for reader in readers] == [0, 0]
    want = [
        [cid for cid, _ in store.dense_search(v, 8)]
        for v in SpreadEmbedder().encode(QUERIES)
        for _ in range(20)
    ]
    assert all(json.loads(output) == want for output in outputs)


def test_the_servers_collection_never_embeds_and_keeps_the_graph_settings(tmp_path, chroma_url):
    """No embedding function on the server either: chroma's default one downloads a model."""
    store = _build(write_dated_papers(tmp_path / "papers", 2), tmp_path / "index", chroma_url)
    configuration = store.collection.configuration
    assert configuration.get("embedding_function") is None
    assert configuration["hnsw"]["ef_search"] == HNSW_CONFIG["ef_search"]
    vectors = store.collection.get(limit=1, include=["embeddings"])["embeddings"]
    assert np.asarray(vectors).shape == (1, FakeEmbedder().dimension)
