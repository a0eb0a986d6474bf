"""The typed rows say exactly which keys the store's reads return (they are plain dicts at run time)."""

from __future__ import annotations

from indexer import (
    AgendaItemRow,
    ChunkColumns,
    ChunkRow,
    CommitmentRow,
    DecisionRow,
    DocumentRow,
    EvidenceRow,
    MeetingDocumentRow,
    MeetingRow,
    PageRow,
    RecordRow,
)
from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store

METADATA = '[[document]]\nmatch = "*"\ncouncil = "Kent County Council"\ncommittee = "Highways Committee"\n'
MINUTES = """MINUTES of a meeting of the Highways Committee held in the Council Chamber, Maidstone on Thursday, \
9 January 2025.

1. Potholes
(Item 3)

1. The Director of Highways undertook to provide the breakdown of pothole repair costs by district.

RESOLVED that the pothole repair programme be approved.
"""
TRACKER = """HIGHWAYS COMMITTEE ACTION TRACKER

Date\tItem\tAction\tOwner\tStatus\tUpdate
09/01/2025\tPotholes\tBreakdown of pothole repair costs by district to be provided\tDirector of Highways\t\
Completed\tE-mailed on 3 February 2025.
"""
AGENDA = """HIGHWAYS COMMITTEE

Thursday, 1 May 2025 at 10.00 am

AGENDA

1. Apologies for absence

2. Potholes update (Pages 5 - 10)
The Director of Highways to provide an update.
"""


def _keys(row_type: type) -> set[str]:
    return set(row_type.__annotations__)


def test_the_row_types_name_the_keys_of_the_rows_read(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "minutes.md").write_text("# Minutes\n\n5. LIBRARIES\n\nThe libraries update was noted.\n")
    store = Store(tmp_path / "index", create=True)
    build_index([papers], store, FakeEmbedder())

    (document,) = store.documents()
    assert set(document) == _keys(DocumentRow)
    assert store.document(document["document_id"]) == document
    pages = store.pages(document["document_id"])
    assert pages and all(set(page) == _keys(PageRow) for page in pages)
    columns = store.document_chunks(document["document_id"])
    assert columns and all(set(row) == _keys(ChunkColumns) for row in columns)
    rows = store.chunks([row["chunk_id"] for row in columns])
    assert rows and all(set(row) == _keys(ChunkRow) for row in rows.values())


def test_the_record_row_types_name_the_keys_of_the_records_read(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "metadata.toml").write_text(METADATA)
    (papers / "minutes-2025-01-09.txt").write_text(MINUTES)
    (papers / "tracker-2025-03-04.txt").write_text(TRACKER)
    (papers / "agenda-2025-05-01.txt").write_text(AGENDA)
    store = Store(tmp_path / "index", create=True)
    build_index([papers], store, FakeEmbedder())

    read = {
        AgendaItemRow: store.records("agenda_items"),
        DecisionRow: store.records("decisions"),
        CommitmentRow: store.records("commitments"),
    }
    read[EvidenceRow] = store.evidence([i for row in read[CommitmentRow] for i in row["evidence_ids"]])
    for row_type, records in read.items():
        assert records, row_type.__name__
        assert [set(row) for row in records] == [_keys(row_type)] * len(records), row_type.__name__
    # The shared type holds what every kind of record row has, and nothing more.
    assert _keys(RecordRow) == set.intersection(*(_keys(row_type) for row_type in read))

    meetings = store.meetings()
    assert meetings and all(set(meeting) == _keys(MeetingRow) for meeting in meetings)
    documents = [document for meeting in meetings for document in meeting["documents"]]
    assert documents and all(set(document) == _keys(MeetingDocumentRow) for document in documents)
    assert store.meeting(meetings[0]["meeting_id"]) == meetings[0]
