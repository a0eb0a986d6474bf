"""Two index builds of the same papers, each served by a freshly started process, rank alike."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.config import PROJECT_ROOT
from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store

CORPUS = PROJECT_ROOT / "corpus"
PAPERS = (  # a pack with minutes and reports inside it, and a report on its own
    "birmingham/2022-07-20_education-childrens-social-care-os_agenda-pack.txt",
    "birmingham/2022-09-07_education-childrens-social-care-os_portfolio-report.txt",
)
QUERIES = [
    "home to school transport routes",
    "youth justice plan priorities",
    "what was agreed about the work programme",
    "SEND improvement in 2022",
    "date of the next meeting",
]
# Serve one index in a new interpreter and print what /search returns for each query.
SERVE = """
import json, sys
from fastapi.testclient import TestClient
from api.main import create_app
from indexer.config import Settings
from indexer.embedding import FakeEmbedder
from indexer.store.index import Store
store = Store(sys.argv[1])
client = TestClient(create_app(Settings(store_dir=sys.argv[1]), store=store, embedder=FakeEmbedder()))
out = []
for query in json.loads(sys.argv[2]):
    body = client.get("/search", params={"q": query, "k": 10, "per_item": 2}).json()
    out.append([(r["chunk_id"], r["score"], [m["chunk_id"] for m in r["more_from_item"]]) for r in body["results"]])
print(json.dumps(out))
"""


def _build(papers: Path, store_dir: Path) -> None:
    store = Store(store_dir, create=True)
    build_index([papers], store, FakeEmbedder())
    store.close()


def _serve(store_dir: Path, hash_seed: str) -> list:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SERVE, str(store_dir), json.dumps(QUERIES)],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout)


pytestmark = pytest.mark.slow


def test_two_builds_and_two_fresh_servers_give_identical_rankings(tmp_path):
    papers = tmp_path / "papers"
    for name in PAPERS:
        (papers / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, papers / name)
    shutil.copy(CORPUS / "metadata.toml", papers / "metadata.toml")
    first, second = tmp_path / "one", tmp_path / "two"
    _build(papers, first)
    _build(papers, second)
    rankings = [_serve(first, "1"), _serve(second, "2"), _serve(first, "3")]
    assert all(len(r) == len(QUERIES) and all(r) for r in rankings)
    assert rankings[0] == rankings[1] == rankings[2]
