"""Copies of a passage across documents, found when a document is registered."""

from __future__ import annotations

from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.copies import overlap, probe, shingles
from indexer.store.index import Store

MINUTE = (
    "5. HOME TO SCHOOL TRANSPORT\n\n"
    "The Cabinet Member introduced the home to school transport report and the contract with the "
    "independent travel trainers. RESOLVED: that the revised eligibility policy be approved and the "
    "Director report back on the appeals backlog in September.\n"
)
OTHER = "7. LIBRARIES\n\nThe libraries update was noted and the opening hours consultation welcomed.\n"


def _chunk_with(store: Store, source: str, words: str) -> dict:
    (document,) = [d for d in store.documents() if source in d["sources"]]
    (chunk,) = [c for c in store.document_chunks(document["document_id"]) if words in c["text"]]
    return chunk


def test_overlap_is_the_share_of_the_shorter_passage_found_in_the_longer():
    passage = shingles("the revised eligibility policy be approved")
    assert (
        overlap(passage, shingles("RESOLVED: that the revised eligibility policy be approved today")) == 1.0
    )
    assert overlap(passage, shingles("an unrelated sentence about libraries")) == 0.0
    assert overlap(set(), passage) == 0.0
    assert probe("a bb ccc eligibility approved") == "eligibility approved ccc bb a"


def test_copies_are_linked_both_ways_and_forgotten_with_their_document(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "pack.md").write_text("# Agenda pack\n\n" + OTHER + "\n" + MINUTE)
    (papers / "minutes.md").write_text("# Minutes\n\n" + MINUTE)
    store = Store(tmp_path / "index", create=True)
    build_index([papers], store, FakeEmbedder())

    in_pack = _chunk_with(store, "pack.md", "eligibility policy")
    alone = _chunk_with(store, "minutes.md", "eligibility policy")
    libraries = _chunk_with(store, "pack.md", "libraries update")
    copies = store.copies([in_pack["chunk_id"], alone["chunk_id"], libraries["chunk_id"]])
    assert [row["chunk_id"] for row in copies[in_pack["chunk_id"]]] == [alone["chunk_id"]]
    assert [row["chunk_id"] for row in copies[alone["chunk_id"]]] == [in_pack["chunk_id"]]
    assert copies[libraries["chunk_id"]] == []

    (papers / "minutes.md").unlink()
    build_index([papers], store, FakeEmbedder())
    assert store.copies([in_pack["chunk_id"]]) == {in_pack["chunk_id"]: []}
    assert store.db.execute("SELECT COUNT(*) FROM chunk_copies").fetchone()[0] == 0
