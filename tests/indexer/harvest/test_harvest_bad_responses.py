"""Bad responses are named with their URL and reason, never written where the indexer reads, and the rest completes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.indexer.harvest.helpers import EXPECTED_FILES, metadata, papers_in
from tests.indexer.harvest.replica import Fault, Meeting, Replica

REPORT = "Cabinet Report 4 March 2025"
REPORT_PATH = f"cabinet/2025-03-04/{REPORT}.pdf"


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault("html_as_pdf"), "HTML page served as a PDF (application/pdf)"),
        (Fault("truncate"), "truncated PDF (no %%EOF marker"),
        (Fault("404"), "HTTP 404"),
        (Fault("login"), "redirected to a login page ("),
    ],
    ids=["html-as-pdf", "truncated", "404", "login-redirect"],
)
def test_a_bad_document_is_reported_not_written_and_the_rest_completes(
    run_harvest, replica: Replica, tmp_path: Path, fault: Fault, reason: str
):
    replica.faults[REPORT] = fault
    report = run_harvest()
    folder = tmp_path / "papers"
    assert not report.ok
    assert [(p.url, p.title) for p in report.failed] == [(replica.doc_url(REPORT), REPORT)]
    assert report.failed[0].reason.startswith(reason), report.failed[0].reason
    assert report.failed[0].meeting_url.endswith("ieListDocuments.aspx?CId=115&MId=9702&Ver=4")
    assert papers_in(folder) == EXPECTED_FILES - {REPORT_PATH}
    assert REPORT_PATH not in metadata(folder)
    assert not list((folder / ".harvest/tmp").iterdir())
    assert f"failed: {replica.doc_url(REPORT)}: {report.failed[0].reason}" in report.summary_lines()

    del replica.faults[REPORT]
    again = run_harvest()
    assert again.ok and again.new == [REPORT_PATH] and len(again.unchanged) == 19


def test_a_bad_body_for_a_document_already_held_keeps_the_good_copy(run_harvest, replica: Replica, tmp_path):
    run_harvest()
    good = (tmp_path / "papers" / REPORT_PATH).read_bytes()
    replica.doc(REPORT).replace(b"%PDF-1.7\n" + b"x" * 5000)  # a new upload, cut short
    report = run_harvest()
    assert report.failed[0].reason.startswith("truncated PDF") and report.changed == []
    assert (tmp_path / "papers" / REPORT_PATH).read_bytes() == good and REPORT_PATH in metadata(
        tmp_path / "papers"
    )


def test_a_meeting_with_no_documents_yet_is_named_and_is_not_a_failure(run_harvest, replica: Replica):
    cabinet = next(c for c in replica.committees if c.title == "Cabinet")
    cabinet.meetings.append(Meeting("9704", date(2025, 3, 27)))
    report = run_harvest()
    assert report.ok and report.meetings == 7 and len(report.new) == 20
    [empty] = report.empty_meetings
    assert empty.title == "Cabinet 2025-03-27" and empty.url.endswith(
        "ieListDocuments.aspx?CId=115&MId=9704&Ver=4"
    )
    assert empty.reason == "no documents published yet (agenda not published)"
    assert f"no documents yet: Cabinet 2025-03-27 {empty.url}" in report.summary_lines()


def test_a_cancelled_meeting_is_named_and_not_fetched(run_harvest, replica: Replica):
    cabinet = next(c for c in replica.committees if c.title == "Cabinet")
    cabinet.meetings.append(Meeting("9705", date(2025, 3, 27), status="Cancelled"))
    report = run_harvest()
    assert report.ok and [p.title for p in report.cancelled_meetings] == ["Cabinet 2025-03-27"]
    assert not any("MId=9705" in entry.path or "lMeetingId=9705" in entry.path for entry in replica.log)


def test_a_meeting_whose_papers_cannot_be_read_is_reported_and_the_others_complete(
    run_harvest, replica, tmp_path
):
    replica.webservice_enabled = False
    replica.faults["/ieListDocuments.aspx"] = Fault("404", times=1)  # the first meeting page only
    report = run_harvest()
    assert len(report.failed) == 1 and "meeting unreadable: HTTP 404" in report.failed[0].reason
    assert report.failed[0].title == "County Council 2025-01-09"
    assert papers_in(tmp_path / "papers") == {
        p for p in EXPECTED_FILES if not p.startswith("county_council/2025-01-09/")
    }


def test_server_errors_are_retried_and_then_succeed(run_harvest, replica: Replica):
    replica.faults[REPORT] = Fault("503", times=2)
    report = run_harvest()
    assert report.ok and REPORT_PATH in report.new
    statuses = [
        e.status for e in replica.log if e.path == replica.doc_url(REPORT).removeprefix(replica.base_url)
    ]
    assert statuses == [503, 503, 200]


def test_unknown_committee_is_one_clear_error(run_harvest):
    from indexer.harvest import HarvestError

    with pytest.raises(HarvestError, match="has no committee 'Planning'"):
        run_harvest(committees=["Planning"])
