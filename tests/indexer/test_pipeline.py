"""Building the index: idempotent re-runs, renames, deletions, interruptions and bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store

MINUTES_TEXT = "RESOLVED: that the report on {topic} be noted and officers report back in {month}."


@pytest.fixture
def papers(tmp_path, make_pdf):
    folder = tmp_path / "papers"
    folder.mkdir()
    make_pdf(
        "papers/roads.pdf",
        ["Highways report on potholes", MINUTES_TEXT.format(topic="roads", month="May")],
        footers=["Page 1", "Page 2"],
    )
    make_pdf(
        "papers/schools.pdf", ["Schools report on places", MINUTES_TEXT.format(topic="schools", month="June")]
    )
    (folder / "notes.md").write_text("# Action notes\n\n1. LIBRARIES\n\nThe libraries update was noted.\n")
    return folder


def _index(folder: Path, store_dir: Path, embedder=None, **kwargs):
    store = Store(store_dir, create=True)
    return store, build_index([folder], store, embedder or FakeEmbedder(), **kwargs)


def _vector_count(store: Store) -> int:
    return store.collection.count()


def test_reindex_skips_unchanged_replaces_changed_and_removes_deleted(papers, tmp_path, make_pdf):
    store_dir = tmp_path / "index"
    store, first = _index(papers, store_dir)
    assert sorted(first.added) == ["notes.md", "roads.pdf", "schools.pdf"]
    chunks_before = store.stats()["chunks"]
    assert _vector_count(store) == chunks_before

    store, second = _index(papers, store_dir)
    assert sorted(second.unchanged) == ["notes.md", "roads.pdf", "schools.pdf"]
    assert second.chunks_embedded == 0 and store.stats()["chunks"] == chunks_before

    make_pdf("papers/schools.pdf", ["Schools report on places", "A new page about admissions appeals"])
    (papers / "notes.md").unlink()
    store, third = _index(papers, store_dir)
    assert third.updated == ["schools.pdf"] and third.removed == ["notes.md"]
    texts = " ".join(c["text"] for d in store.documents() for c in store.document_chunks(d["document_id"]))
    assert (
        "admissions appeals" in texts
        and "libraries update" not in texts
        and "report back in June" not in texts
    )
    assert _vector_count(store) == store.stats()["chunks"]
    assert store.stats()["documents"] == 2


def test_same_content_under_two_names_is_stored_once(papers, tmp_path):
    shutil.copy(papers / "roads.pdf", papers / "roads-copy.pdf")
    store, report = _index(papers, tmp_path / "index")
    assert report.duplicates == ["roads.pdf"] or report.duplicates == ["roads-copy.pdf"]
    roads = [d for d in store.documents() if "roads.pdf" in d["sources"]]
    assert len(roads) == 1 and roads[0]["sources"] == ["roads-copy.pdf", "roads.pdf"]

    # Renaming a file keeps its document (same content) and forgets the old name.
    (papers / "roads.pdf").rename(papers / "highways.pdf")
    store, report = _index(papers, tmp_path / "index")
    assert report.removed == ["roads.pdf"] and report.duplicates == ["highways.pdf"]
    assert report.chunks_embedded == 0
    (roads,) = [d for d in store.documents() if "highways.pdf" in d["sources"]]
    assert roads["sources"] == ["highways.pdf", "roads-copy.pdf"]


class Interrupt(Exception):
    pass


class CrashingEmbedder(FakeEmbedder):
    """Embeds a number of documents, then fails as if the process were killed."""

    def __init__(self, documents_before_crash: int) -> None:
        super().__init__()
        self.remaining = documents_before_crash

    def encode_units(self, texts, spans, batch_size=32):  # once per document: its chunks
        if self.remaining == 0:
            raise Interrupt()
        self.remaining -= 1
        return super().encode_units(texts, spans, batch_size)


def test_interrupted_run_keeps_old_index_and_next_run_completes(papers, tmp_path, monkeypatch):
    store_dir = tmp_path / "index"
    with pytest.raises(Interrupt):
        _index(papers, store_dir, embedder=CrashingEmbedder(documents_before_crash=1))
    store = Store(store_dir)
    assert store.stats()["documents"] == 1  # what was committed before the crash stays usable

    # A crash between writing vectors and committing the registry leaves orphan vectors only.
    from indexer.store import index as store_module

    original = store_module.Store.register_document
    calls = {"n": 0}

    def crash_on_second(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Interrupt()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(store_module.Store, "register_document", crash_on_second)
    with pytest.raises(Interrupt):
        _index(papers, store_dir)
    monkeypatch.setattr(store_module.Store, "register_document", original)

    store, _report = _index(papers, store_dir)
    fresh, _ = _index(papers, tmp_path / "fresh")
    assert store.stats() == fresh.stats()
    assert _vector_count(store) == store.stats()["chunks"]  # no duplicates, no strays
    assert {d["document_id"] for d in store.documents()} == {d["document_id"] for d in fresh.documents()}


@pytest.mark.parametrize("reader", ["pypdf", "pdfium"])
def test_bad_files_are_reported_by_name_and_the_rest_indexed(papers, tmp_path, make_pdf, reader):
    (papers / "empty.pdf").write_bytes(b"")
    (papers / "corrupt.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf\n%%EOF")
    good = (papers / "roads.pdf").read_bytes()
    (papers / "truncated.pdf").write_bytes(good[: len(good) // 3])
    writer = PdfWriter(clone_from=PdfReader(papers / "schools.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(papers / "locked.pdf", "wb") as handle:
        writer.write(handle)
    make_pdf("papers/scanned.pdf", ["", ""], blank_pages=(1, 2))
    (papers / "minutes.docx").write_bytes(b"PK\x03\x04 not supported")
    (papers / "blank.txt").write_text("\n\n")

    store, report = _index(papers, tmp_path / "index", pdf_text_reader=reader)
    failed = {f.path: f.kind for f in report.failed}
    assert failed == {
        "empty.pdf": "empty",
        "corrupt.pdf": "corrupt",
        "truncated.pdf": "corrupt",
        "locked.pdf": "encrypted",
        "scanned.pdf": "no_text",
        "minutes.docx": "unsupported",
        "blank.txt": "empty",
    }
    assert sorted(report.added) == ["notes.md", "roads.pdf", "schools.pdf"]
    reasons = {f.path: f.reason for f in report.failed}
    assert "scanned" in reasons["scanned.pdf"] and "password" in reasons["locked.pdf"]
    # Nothing empty was embedded.
    assert all(c["text"].strip() for d in store.documents() for c in store.document_chunks(d["document_id"]))


def test_a_changed_file_that_became_corrupt_keeps_its_previous_version(papers, tmp_path):
    store, _ = _index(papers, tmp_path / "index")
    (papers / "roads.pdf").write_bytes(b"%PDF-1.7 broken")
    store, report = _index(papers, tmp_path / "index")
    assert [f.path for f in report.failed] == ["roads.pdf"]
    assert any("roads.pdf" in d["sources"] for d in store.documents())


def test_pdf_chunks_cite_page_number_and_printed_label(tmp_path, make_pdf):
    folder = tmp_path / "pack"
    folder.mkdir()
    make_pdf(
        "pack/agenda-pack.pdf",
        [
            "AGENDA\n1 Minutes\n2 Budget",
            "Contents page of the pack",
            "Minutes of the previous meeting. RESOLVED that the pothole repair programme be approved.",
            "Budget report. The council tax increase proposed is 4.99 per cent.",
        ],
        footers=[None, None, "Page 1", "Page 2"],
    )
    store, _ = _index(folder, tmp_path / "index")
    (document,) = store.documents()
    chunks = store.document_chunks(document["document_id"])
    pothole = next(c for c in chunks if "pothole" in c["text"])
    budget = next(c for c in chunks if "4.99" in c["text"])
    assert (pothole["page_start"], pothole["page_end"], pothole["page_label_start"]) == (3, 3, "1")
    assert (budget["page_start"], budget["page_label_start"]) == (4, "2")
