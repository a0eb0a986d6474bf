"""Harvest, then the real indexer on the harvested folder: the API's documents carry the site's facts.

One harvest of the replica's Cabinet meeting of 13 March 2025 (two Kent PDFs), indexed with the bundled model
by the harvester itself (``python -m indexer FOLDER --store DIR`` in a child process), read through the API.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from indexer.config import PROJECT_ROOT, Settings
from tests.indexer.harvest.conftest import kent_site
from tests.indexer.harvest.replica import Replica

pytestmark = [pytest.mark.model, pytest.mark.slow]

QUESTION = "Which decision on Commissioned Family Hubs was the Cabinet meeting of 13 March 2025 organised to consider?"
PAPERS = {
    "cabinet/2025-03-13/Agenda frontsheet 13th-Mar-2025 15.00 Cabinet.pdf": "agenda",
    "cabinet/2025-03-13/Public reports pack 13th-Mar-2025 15.00 Cabinet.pdf": "pack",
}


@pytest.fixture(scope="module")
def harvested(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Iterator[SimpleNamespace]:
    replica = Replica(kent_site()).start()
    root = tmp_path_factory.mktemp("harvest")
    folder, store = root / "papers", root / "index"
    harvest = [
        sys.executable,
        "-m",
        "indexer.harvest",
        replica.base_url,
        str(folder),
        "--committee",
        "Cabinet",
    ]
    harvest += ["--from", "2025-03-13", "--to", "2025-03-13", "--council", "Kent County Council"]
    harvest += ["--delay-s", "0", "--store", str(store), "--json"]
    try:
        result = subprocess.run(
            harvest,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=1200,
            env=os.environ | {"HF_HUB_OFFLINE": "1"},
        )
        assert result.returncode == 0, result.stderr[-3000:]
        summary = json.loads(result.stdout)
        app = create_app(Settings().updated(index={"store_dir": store}), embedder=real_embedder)
        yield SimpleNamespace(summary=summary, client=TestClient(app), replica=replica)
    finally:
        replica.stop()


def test_the_harvest_indexed_the_folder_in_the_same_run(harvested):
    summary = harvested.summary
    assert sorted(summary["new"]) == sorted(PAPERS) and summary["index"]["returncode"] == 0
    indexed = summary["index"]["report"]
    assert sorted(indexed["added"]) == sorted(PAPERS) and indexed["failed"] == []


def test_the_document_registry_carries_the_sites_committee_date_and_url(harvested):
    documents = harvested.client.get("/documents").json()["documents"]
    assert {d["source"]: d["doc_type"] for d in documents} == PAPERS
    for document in documents:
        assert document["committee"] == "Cabinet" and document["council"] == "Kent County Council"
        assert document["meeting_date"] == "2025-03-13" and document["pack_date"] == "2025-03-13"
        title = Path(document["source"]).stem
        assert document["title"] == title
        assert harvested.replica.doc_url(title) in document["source_note"]


def test_ask_cites_a_harvested_paper_at_its_page(harvested):
    answer = harvested.client.post("/ask", json={"question": QUESTION}).json()
    assert answer["answered"], answer
    assert "24/00093" in answer["answer"]
    registry = {d["document_id"]: d for d in harvested.client.get("/documents").json()["documents"]}
    for citation in answer["citations"]:
        assert registry[citation["document_id"]]["source"] in PAPERS
        assert citation["committee"] == "Cabinet" and citation["meeting_date"] == "2025-03-13"
        assert "#page=" in citation["url"]


def test_ask_citations_link_to_the_councils_own_url(harvested):
    answer = harvested.client.post("/ask", json={"question": QUESTION}).json()
    assert answer["citations"]
    for citation in answer["citations"]:
        title = citation["title"]
        assert citation["source_url"] == harvested.replica.doc_url(title)
        assert (
            citation["meeting_url"]
            == f"{harvested.replica.base_url}/ieListDocuments.aspx?CId=115&MId=9703&Ver=4"
        )
