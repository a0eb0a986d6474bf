"""The typed rows say exactly which keys the store's reads return (they are plain dicts at run time)."""

from __future__ import annotations

from indexer import ChunkColumns, ChunkRow, DocumentRow, PageRow
from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store


def test_the_row_types_name_the_keys_of_the_rows_read(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "minutes.md").write_text("# Minutes\n\n5. LIBRARIES\n\nThe libraries update was noted.\n")
    store = Store(tmp_path / "index", create=True)
    build_index([papers], store, FakeEmbedder())

    (document,) = store.documents()
    assert set(document) == set(DocumentRow.__annotations__)
    assert store.document(document["document_id"]) == document
    pages = store.pages(document["document_id"])
    assert pages and all(set(page) == set(PageRow.__annotations__) for page in pages)
    columns = store.document_chunks(document["document_id"])
    assert columns and all(set(row) == set(ChunkColumns.__annotations__) for row in columns)
    rows = store.chunks([row["chunk_id"] for row in columns])
    assert rows and all(set(row) == set(ChunkRow.__annotations__) for row in rows.values())
