"""The API with its vectors on a real `chroma run` server (CP_CHROMA_URL): the same answers as an embedded
store, no 5xx nor vanished passage while the indexer rewrites the index, several workers, 503 when away."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from indexer.config import Settings
from indexer.embedding import FakeEmbedder
from indexer.embedding_cache import CachedEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store
from tests.conftest import CORPUS
from tests.indexer.store.test_chroma_server import write_dated_papers
from tests.live_servers import ROOT, api_server, children, free_port

# A few of the bundled papers, text and PDF, of both councils (about 120 chunks).
REAL_PAPERS = [
    "birmingham/2022-07-20_education-childrens-social-care-os_send-app-stocktake.txt",
    "kent/cabinet__2025-03-04__originals__Cabinet QPR Q3 Cover.pdf",
    "kent/cabinet__2025-03-04__originals__Minutes of Previous Meeting.pdf",
    "kent/full_council__2025-01-09__originals__Appendix B - Devolution Framework 2024.pdf",
]
SEARCHES = [
    {"q": "SEND accelerated progress plan"},
    {"q": "devolution strategic authority mayor", "k": 5},
    {"q": "what did the cabinet decide", "committee": "Cabinet", "doc_type": "minutes"},
    {"q": "performance report", "date_from": "2025-01-01", "date_to": "2025-12-31", "per_item": 1},
]
QUESTION = {"question": "What did the Cabinet resolve about the budget?"}


def _settings(store_dir: Path, chroma_url: str | None = None) -> Settings:
    return Settings().updated(index={"store_dir": store_dir, "chroma_url": chroma_url})


@pytest.fixture(scope="module")
def real_stores(tmp_path_factory, real_embedder, chroma_url) -> tuple[Path, Path, Any]:
    """The same bundled papers indexed with the real model into an embedded store and into the server."""
    root = tmp_path_factory.mktemp("real")
    for name in ["metadata.toml", *REAL_PAPERS]:
        (root / "papers" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, root / "papers" / name)
    embedder = CachedEmbedder(real_embedder, root / "vectors.sqlite")  # the second build embeds nothing
    for store_dir, url in ((root / "embedded", None), (root / "served", chroma_url)):
        report = build_index([root / "papers"], Store(store_dir, create=True, chroma_url=url), embedder)
        assert report.documents == len(REAL_PAPERS) and not report.failed
    return root / "embedded", root / "served", embedder


def _answers(client: TestClient) -> list[Any]:
    got = [client.get("/health").json()]
    got += [client.get("/search", params=params).json() for params in SEARCHES]
    got.append(client.post("/ask", json=QUESTION).json())
    return got


@pytest.mark.model
def test_a_server_store_answers_as_the_embedded_one(real_stores, chroma_url):
    embedded_dir, served_dir, embedder = real_stores
    embedded = TestClient(create_app(_settings(embedded_dir), embedder=embedder))
    # No store given: the app opens it from the settings, CP_CHROMA_URL included.
    served = TestClient(create_app(_settings(served_dir, chroma_url), embedder=embedder))
    want, got = _answers(embedded), _answers(served)
    assert all(answer["count"] for answer in want[1:-1]), "every search found something"
    assert got == want  # ids, order, scores, citations: everything


@pytest.mark.model
@pytest.mark.slow
def test_several_workers_serve_one_server_store(real_stores, chroma_url, tmp_path):
    embedded_dir, served_dir, embedder = real_stores
    want = TestClient(create_app(_settings(embedded_dir), embedder=embedder)).get(
        "/search", params=SEARCHES[0]
    )
    env = {"CP_CHROMA_URL": chroma_url}
    with api_server(served_dir, tmp_path / "api.log", "--workers", "2", env=env) as (url, server):
        workers = [
            pid for pid in children(server) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(workers) == 2
        with ThreadPoolExecutor(4) as pool:  # a new connection each time, so either worker may answer
            answers = list(
                pool.map(lambda _: httpx.get(f"{url}/search", params=SEARCHES[0], timeout=60), range(16))
            )
        assert [a.status_code for a in answers] == [200] * 16
        assert all(a.json() == want.json() for a in answers)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "a worker outlived the server"


REINDEX = """
import shutil, sys
from pathlib import Path
from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store
store_dir, url, papers, *versions = sys.argv[1:]
for version in versions:
    shutil.rmtree(papers)
    shutil.copytree(version, papers)
    build_index([Path(papers)], Store(Path(store_dir), create=True, chroma_url=url or None), FakeEmbedder())
"""
HAMMERED = [
    {"q": "budget of the highways team", "k": 10},
    {"q": "school transport", "committee": "Cabinet"},
    {"q": "libraries and parks report", "date_from": "2022-01-01", "date_to": "2023-12-31"},
    {"q": "the officers' report", "doc_type": "report", "per_item": 1},
]


def _versions(root: Path) -> tuple[list[Path], list[dict[str, str]]]:
    """Two versions of a folder of papers (every text changed, two papers gone), and each one's chunk texts
    by chunk id."""
    versions = [write_dated_papers(root / "a", 10), write_dated_papers(root / "b", 8, salt="revised")]
    texts = []
    for number, folder in enumerate(versions):
        store = Store(root / f"index-{number}", create=True)
        build_index([folder], store, FakeEmbedder())
        texts.append(
            {r["chunk_id"]: r["text"] for r in store.db.execute("SELECT chunk_id, text FROM chunks")}
        )
    return versions, texts


def _reindex(store_dir: Path, chroma_url: str | None, papers: Path, versions: list[Path]) -> list[str]:
    command = [sys.executable, "-c", REINDEX, str(store_dir), chroma_url or "", str(papers)]
    return command + [str(v) for v in versions]


def test_a_reindex_while_serving_gives_no_5xx_and_no_vanished_passage(tmp_path, chroma_url):
    versions, texts = _versions(tmp_path)
    papers, store_dir = tmp_path / "papers", tmp_path / "index"
    shutil.copytree(versions[0], papers)
    build_index([papers], Store(store_dir, create=True, chroma_url=chroma_url), FakeEmbedder())
    by_settings = TestClient(create_app(_settings(store_dir, chroma_url), embedder=FakeEmbedder()))
    graph_store = Store(store_dir, chroma_url=chroma_url)
    graph_store.exact_max_chunks = 0  # chroma's HNSW and the planner, as on a large index
    by_graph = TestClient(
        create_app(_settings(store_dir, chroma_url), store=graph_store, embedder=FakeEmbedder())
    )

    seen: list[tuple[int, Any]] = []
    done = threading.Event()

    def hammer(client: TestClient) -> None:
        while not done.is_set():
            for params in HAMMERED:
                response = client.get("/search", params=params)
                seen.append((response.status_code, response.json()))
            response = client.post("/ask", json={"question": "What was resolved about the budget?"})
            seen.append((response.status_code, response.json()))

    threads = [threading.Thread(target=hammer, args=(c,)) for c in (by_settings, by_graph, by_settings)]
    for thread in threads:
        thread.start()
    try:
        rounds = subprocess.run(
            _reindex(store_dir, chroma_url, papers, [*versions[1:], versions[0], versions[1]]),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert rounds.returncode == 0, rounds.stderr[-3000:]
    failures = [(status, body) for status, body in seen if status != 200]
    assert failures == [], failures[:3]
    results = [r for _, body in seen for r in body.get("results", body.get("passages", []))]
    known = texts[0] | texts[1]
    assert len(seen) > 40 and [r["chunk_id"] for r in results if known.get(r["chunk_id"]) != r["text"]] == []
    # The searches overlapped the re-index: passages of both versions were returned.
    returned = {r["chunk_id"] for r in results}
    assert returned & set(texts[0]) and returned & set(texts[1])


def test_a_chroma_server_that_is_away_is_a_503_with_the_error_body(tmp_path, chroma_url):
    store_dir = tmp_path / "index"
    build_index(
        [write_dated_papers(tmp_path / "papers", 2)],
        Store(store_dir, create=True, chroma_url=chroma_url),
        FakeEmbedder(),
    )
    nobody = f"http://127.0.0.1:{free_port()}"
    client = TestClient(create_app(_settings(store_dir, nobody), embedder=FakeEmbedder()))
    for response in (client.get("/health"), client.get("/search", params={"q": "budget"})):
        assert response.status_code == 503
        assert response.json()["error"].startswith(f"cannot reach the chroma server at {nobody}")
    # Built into the folder's own chroma but served from a server: 503 with the command that fixes it.
    embedded_dir = tmp_path / "embedded"
    build_index([tmp_path / "papers"], Store(embedded_dir, create=True), FakeEmbedder())
    elsewhere = TestClient(create_app(_settings(embedded_dir, chroma_url), embedder=FakeEmbedder()))
    response = elsewhere.get("/health")
    assert response.status_code == 503
    assert f"CP_CHROMA_URL={chroma_url} python -m indexer" in response.json()["error"]


def test_an_embedded_store_rewritten_under_a_running_api_is_never_a_500(tmp_path):
    """An embedded chroma has one writer and no concurrent readers: a running API may fail to read it
    after another process re-indexed it, and says so with a 503 (CP_CHROMA_URL is the way to do this)."""
    versions, _ = _versions(tmp_path)
    papers, store_dir = tmp_path / "papers", tmp_path / "index"
    shutil.copytree(versions[0], papers)
    build_index([papers], Store(store_dir, create=True), FakeEmbedder())
    client = TestClient(create_app(_settings(store_dir), embedder=FakeEmbedder()))
    assert client.get("/search", params=HAMMERED[0]).status_code == 200
    subprocess.run(_reindex(store_dir, None, papers, [versions[1]]), cwd=ROOT, check=True, timeout=120)
    response = client.get("/search", params=HAMMERED[0])
    assert response.status_code in (200, 503), response.text
    if response.status_code == 503:
        assert "CP_CHROMA_URL" in response.json()["error"]


def test_the_command_line_refuses_a_bad_server_url_in_one_line(monkeypatch):
    from typer.testing import CliRunner

    from api.cli import app

    result = CliRunner().invoke(app, ["--store", "/nonexistent"], env={"CP_CHROMA_URL": "localhost:8001"})
    assert result.exit_code == 2 and "chroma_url" in result.output and "Traceback" not in result.output
    assert CliRunner().invoke(app, ["--workers", "0"]).exit_code == 2
