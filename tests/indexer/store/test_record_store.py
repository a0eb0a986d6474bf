"""Records in the index: written and deleted with their document, linked across papers, never half-written."""

from __future__ import annotations

from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from indexer import parsing
from indexer.embedding import FakeEmbedder
from indexer.errors import IndexNotFoundError
from indexer.models import DocumentMeta, Page, ParsedDocument
from indexer.pipeline import build_index, set_page_sources
from indexer.store import index as store_module
from indexer.store import vectors as vectors_module
from indexer.store.index import Store

MINUTES = """MINUTES of a meeting of the Highways Committee held in the Council Chamber, Maidstone on Thursday, \
9 January 2025.

1. Potholes
(Item 3)

1. The Committee discussed the pothole repair programme for the rural roads of the county.

2. The Director of Highways undertook to provide the breakdown of pothole repair costs by district.

RESOLVED that the pothole repair programme be {verdict}.

2. Street lighting
(Item 4)

1. Members discussed the conversion of street lights to LED lanterns.

RESOLVED that the street lighting report be noted.
"""
TRACKER = """HIGHWAYS COMMITTEE ACTION TRACKER

Date\tItem\tAction\tOwner\tStatus\tUpdate
09/01/2025\tPotholes\tBreakdown of pothole repair costs by district to be provided\tDirector of Highways\t\
Completed\tE-mailed on 3 February 2025.
"""
METADATA = '[[document]]\nmatch = "*"\ncouncil = "Kent County Council"\ncommittee = "Highways Committee"\n'
RECORD_TABLES = ("meetings", "agenda_items", "decisions", "commitments", "evidence")


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "metadata.toml").write_text(METADATA)
    (folder / "minutes-2025-01-09.txt").write_text(MINUTES.format(verdict="approved"))
    (folder / "tracker-2025-03-04.txt").write_text(TRACKER)
    return folder


def _index(folder: Path, store_dir: Path, embedder=None) -> Store:
    store = Store(store_dir, create=True)
    build_index([folder], store, embedder or FakeEmbedder())
    return store


def _decision_quotes(store: Store) -> list[str]:
    """Each stored decision as a sentence (its quote leaves out "RESOLVED that")."""
    return [row["text"] for row in store.records("decisions")]


def _pothole_commitment(store: Store) -> dict:
    (found,) = [c for c in store.records("commitments") if c["origin"] == "minutes"]
    return found


def _orphan_rows(store: Store) -> int:
    """Record rows whose document is not in the registry, and FTS rows whose record is gone."""
    count = 0
    for table in RECORD_TABLES:
        count += store.db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE document_id NOT IN (SELECT document_id FROM documents)"
        ).fetchone()[0]
    for table in ("decisions", "commitments"):
        count += abs(
            store.db.execute(f"SELECT COUNT(*) FROM {table}_fts").fetchone()[0]
            - store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        )
    return count


def test_records_are_stored_with_their_document_and_linked_across_papers(papers, tmp_path):
    store = _index(papers, tmp_path / "index")
    assert _decision_quotes(store) == [
        "RESOLVED that the pothole repair programme be approved.",
        "RESOLVED that the street lighting report be noted.",
    ]
    decision = store.records("decisions")[0]
    assert (decision["kind"], decision["item_number"], decision["meeting_date"]) == (
        "resolved",
        "1",
        "2025-01-09",
    )
    assert (
        decision["committee_id"] == "kent-highways" and decision["meeting_id"] == "kent-highways-2025-01-09"
    )
    assert decision["vector"] is not None and np.isclose(np.linalg.norm(decision["vector"]), 1.0, atol=1e-3)
    assert decision["quote"] in store.chunks([decision["chunk_id"]])[decision["chunk_id"]]["text"]

    # The minutes' undertaking is completed according to the tracker in a later, separate paper.
    pothole = _pothole_commitment(store)
    assert (pothole["who"], pothole["status"], pothole["status_source"], pothole["status_date"]) == (
        "The Director of Highways",
        "completed",
        "later evidence",
        "2025-03-04",
    )
    (evidence,) = store.evidence(pothole["evidence_ids"])
    assert evidence["kind"] == "tracker" and evidence["source"] == "tracker-2025-03-04.txt"
    assert "E-mailed on 3 February 2025." in pothole["status_note"]

    (meeting,) = [m for m in store.meetings() if m["meeting_date"] == "2025-01-09"]
    assert (meeting["committee"], meeting["decisions"], meeting["commitments"]) == (
        "Highways Committee",
        2,
        1,
    )
    assert [d["source"] for d in meeting["documents"]] == ["minutes-2025-01-09.txt"]
    assert store.meetings({"committee": "kent-highways", "date_from": 20250301}) == [
        m for m in store.meetings() if m["meeting_date"] == "2025-03-04"
    ]
    assert store.relink_commitments() == 0 and not store.links_stale()  # nothing changed since the run


def test_reindexing_a_changed_paper_replaces_its_records(papers, tmp_path):
    store = _index(papers, tmp_path / "index")
    (papers / "minutes-2025-01-09.txt").write_text(MINUTES.format(verdict="deferred"))
    store = _index(papers, tmp_path / "index")
    assert _decision_quotes(store) == [
        "RESOLVED that the pothole repair programme be deferred.",
        "RESOLVED that the street lighting report be noted.",
    ]
    assert len(store.records("commitments")) == 2 and _orphan_rows(store) == 0
    assert _pothole_commitment(store)["status"] == "completed"  # linked again from the new version
    match = store.record_lexical_search("decisions", "approved")
    assert match == {}  # the old words are gone from the record index too


def test_removing_a_paper_removes_its_records_and_the_status_it_gave(papers, tmp_path):
    store = _index(papers, tmp_path / "index")
    (papers / "tracker-2025-03-04.txt").unlink()
    store = _index(papers, tmp_path / "index")
    pothole = _pothole_commitment(store)
    assert (pothole["status"], pothole["status_source"], pothole["evidence_ids"]) == (
        "open",
        "none stated",
        [],
    )
    assert [m["meeting_date"] for m in store.meetings()] == ["2025-01-09"]
    (papers / "minutes-2025-01-09.txt").unlink()
    store = _index(papers, tmp_path / "index")
    assert store.records("decisions") == [] and store.meetings() == [] and _orphan_rows(store) == 0


def test_deleting_the_evidence_relinks_in_the_same_transaction(papers, tmp_path):
    store = _index(papers, tmp_path / "index")
    tracker = next(d for d in store.documents() if d["source"] == "tracker-2025-03-04.txt")
    store.delete_vectors(store.remove_sources(str(papers.resolve()), ["tracker-2025-03-04.txt"]))
    assert store.document(tracker["document_id"]) is None
    assert _pothole_commitment(store)["status"] == "open"  # before any end-of-run relink


class Interrupt(Exception):
    pass


def test_an_interrupted_run_leaves_no_half_written_records(papers, tmp_path, monkeypatch):
    original = store_module.write_records
    calls = {"n": 0}

    def crash_midway(db, document, record_set):
        calls["n"] += 1
        if calls["n"] == 2:
            db.execute(
                "INSERT INTO evidence (record_id, document_id, position, dedup_key, record) VALUES ('x', ?, 0, '', '{}')",
                (document.document_id,),
            )
            raise Interrupt()
        original(db, document, record_set)

    monkeypatch.setattr(store_module, "write_records", crash_midway)
    with pytest.raises(Interrupt):
        _index(papers, tmp_path / "index")
    monkeypatch.setattr(store_module, "write_records", original)
    store = Store(tmp_path / "index")
    assert store.stats()["documents"] == 1 and _orphan_rows(store) == 0
    assert store.db.execute("SELECT COUNT(*) FROM evidence WHERE record_id = 'x'").fetchone()[0] == 0

    store = _index(papers, tmp_path / "index")
    fresh = _index(papers, tmp_path / "fresh")
    for table in RECORD_TABLES:
        count = f"SELECT COUNT(*) FROM {table}"
        assert store.db.execute(count).fetchone()[0] == fresh.db.execute(count).fetchone()[0], table
    assert _pothole_commitment(store)["status"] == _pothole_commitment(fresh)["status"] == "completed"


def test_committee_filters_accept_the_printed_name_or_the_lineage_id(papers, tmp_path):
    store = _index(papers, tmp_path / "index")
    vector = FakeEmbedder().encode(["pothole repair programme"])[0]
    for committee in ("Highways Committee", "kent-highways"):
        assert store.lexical_search("pothole", 5, {"committee": committee})
        assert store.dense_search(vector, 5, {"committee": committee})
        assert len(store.records("decisions", {"committee": committee})) == 2
    assert store.lexical_search("pothole", 5, {"committee": "kent-cabinet"}) == []
    assert store.dense_search(vector, 5, {"committee": "Cabinet"}) == []
    chunk = store.document_chunks(store.documents()[0]["document_id"])[0]
    assert chunk["committee_id"] == "kent-highways"


def test_an_index_of_an_older_version_is_rebuilt_by_the_indexer_and_refused_by_readers(papers, tmp_path):
    store = _index(papers, tmp_path / "index")
    store.db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    with pytest.raises(IndexNotFoundError, match="older version"):
        Store(tmp_path / "index")
    # The old version's collection: chroma's default graph settings and a vector of its own.
    client = chromadb.PersistentClient(
        path=str(tmp_path / "index" / vectors_module.CHROMA_DIR),
        settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True),
    )
    client.delete_collection(vectors_module.COLLECTION)
    old = client.create_collection(
        vectors_module.COLLECTION, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    old.upsert(ids=["from-the-old-version"], embeddings=np.ones((1, FakeEmbedder().dimension)))
    rebuilt = _index(papers, tmp_path / "index")
    assert rebuilt.stats()["documents"] == 2 and len(rebuilt.records("decisions")) == 2
    assert rebuilt.collection.get(ids=["from-the-old-version"])["ids"] == []
    assert rebuilt.collection.count() == rebuilt.stats()["chunks"]
    assert rebuilt.collection.configuration["hnsw"]["ef_search"] == vectors_module.HNSW_CONFIG["ef_search"]


def _text_document(text: str) -> ParsedDocument:
    from indexer.models import Chunk

    page = Page(page_index=0, text=text, char_start=0, line_start=1)
    document = ParsedDocument("doc", "sha", "text", DocumentMeta(title="Pack"), [page])

    def chunk(start: int, end: int) -> Chunk:
        return Chunk(
            f"doc-{start:04d}",
            "doc",
            start,
            text[start:end],
            text[start:end],
            start,
            end,
            None,
            None,
            None,
            None,
            1,
            1,
            None,
            None,
            None,
            "pack",
            None,
            1,
        )

    document.chunks = [chunk(0, 40), chunk(120, 180), chunk(180, 250), chunk(240, 300)]
    return document


def test_text_chunks_take_the_agenda_range_they_lie_in(monkeypatch):
    document = _text_document("x" * 300)
    # Pages 3-4 from 0 to 150, pages 5-9 from 150 to 250; nothing known after 250.
    monkeypatch.setattr(parsing, "agenda_page_spans", lambda doc: [(0, 150, 3, 4), (150, 250, 5, 9)])
    set_page_sources(document)
    pages = [(c.page_start, c.page_end, c.page_source) for c in document.chunks]
    assert pages == [
        (3, 4, "agenda"),  # inside one span: its whole range, never a guessed single page
        (3, 9, "agenda"),  # across two adjacent spans: both ranges
        (5, 9, "agenda"),
        (None, None, None),  # partly outside every span: unknown
    ]


def test_pdf_chunks_say_their_pages_come_from_the_pdf(tmp_path, make_pdf):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    make_pdf("pdfs/report.pdf", ["Highways report on potholes", "Second page on street lighting"])
    store = _index(folder, tmp_path / "index")
    chunks = store.document_chunks(store.documents()[0]["document_id"])
    assert {(c["page_source"]) for c in chunks} == {"pdf"} and chunks[0]["page_start"] == 1
