"""A harvest of the loopback replica, end to end in process: files, metadata.toml, re-runs, changes, vanishing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from indexer.harvest.validate import pdf_problem
from tests.indexer.harvest.conftest import made_pdf
from tests.indexer.harvest.helpers import EXPECTED_FILES, metadata, papers_in
from tests.indexer.harvest.replica import Replica


def test_full_harvest_of_two_committees_and_six_meetings(run_harvest, replica: Replica, tmp_path: Path):
    report = run_harvest()
    folder = tmp_path / "papers"
    assert report.ok and report.committees == ["County Council", "Cabinet"] and report.meetings == 6
    assert report.source == "web service and meeting pages"
    assert papers_in(folder) == EXPECTED_FILES and set(report.new) == EXPECTED_FILES
    for path in EXPECTED_FILES:
        assert pdf_problem(folder / path) is None
    assert (folder / "cabinet/2025-03-04/Cabinet Report 4 March 2025.pdf").read_bytes() == replica.doc(
        "Cabinet Report 4 March 2025"
    ).body

    meta = metadata(folder)
    assert set(meta) == EXPECTED_FILES
    report_4_march = meta["cabinet/2025-03-04/Cabinet Report 4 March 2025.pdf"]
    assert report_4_march["committee"] == "Cabinet" and report_4_march["site_committee_id"] == "115"
    assert (
        report_4_march["meeting_date"] == "2025-03-04" and report_4_march["council"] == "Kent County Council"
    )
    assert (
        report_4_march["item_number"] == "7"
        and report_4_march["item_title"] == "Late changes to the 2025-26 budget"
    )
    assert report_4_march["doc_type"] == "report" and report_4_march["title"] == "Cabinet Report 4 March 2025"
    assert report_4_march["source_url"] == replica.doc_url("Cabinet Report 4 March 2025")
    assert report_4_march["source_url"] in report_4_march["source"]
    assert report_4_march["meeting_url"] == f"{replica.base_url}/ieListDocuments.aspx?CId=115&MId=9702&Ver=4"

    pack = meta["cabinet/2025-03-13/Public reports pack 13th-Mar-2025 15.00 Cabinet.pdf"]
    assert (
        pack["doc_type"] == "pack" and "item_number" not in pack and "/documents/g9703/" in pack["source_url"]
    )
    assert (
        meta["county_council/2025-01-09/Printed minutes 09th-Jan-2025 10.00 County Council.pdf"]["doc_type"]
        == "minutes"
    )
    appendix = meta["county_council/2025-01-09/Appendix B - Devolution Framework 2024.pdf"]
    assert appendix["doc_type"] == "appendix" and appendix["item_title"] == "English Devolution White Paper"

    user_agents = {entry.headers.get("User-Agent", "") for entry in replica.log}
    assert len(user_agents) == 1 and user_agents.pop().startswith("committee-papers-harvester/")
    state = json.loads((folder / ".harvest/state.json").read_text())
    assert all(record["etag"] and record["sha256"] for record in state["documents"].values())


def test_a_rerun_downloads_nothing_every_request_is_answered_304(run_harvest, replica: Replica):
    run_harvest()
    before = len(replica.log)
    report = run_harvest()
    again = replica.requests_since(before)
    assert report.ok and report.new == [] and report.changed == [] and len(report.unchanged) == 20
    assert again and {entry.status for entry in again} == {304}
    assert all("If-None-Match" in entry.headers for entry in again)
    assert report.bytes_downloaded == 0
    assert "0 new, 0 changed, 20 unchanged, 0 failed" in report.summary_lines()[0]


def test_a_changed_document_is_the_only_one_transferred_and_the_summary_says_so(
    run_harvest, replica: Replica, tmp_path
):
    run_harvest()
    new_body = made_pdf("Late changes to the 2025-26 budget, corrected version")
    replica.doc("Cabinet Report 4 March 2025").replace(new_body)
    before = len(replica.log)
    report = run_harvest()
    transferred = [
        entry.path
        for entry in replica.requests_since(before)
        if entry.status == 200 and "/documents/" in entry.path
    ]  # the meeting page changed too (it prints the file's size), and is read again
    assert transferred == [replica.doc_url("Cabinet Report 4 March 2025").removeprefix(replica.base_url)]
    assert report.changed == ["cabinet/2025-03-04/Cabinet Report 4 March 2025.pdf"] and report.new == []
    assert (
        "changed (downloaded again): cabinet/2025-03-04/Cabinet Report 4 March 2025.pdf"
        in report.summary_lines()
    )
    assert (tmp_path / "papers/cabinet/2025-03-04/Cabinet Report 4 March 2025.pdf").read_bytes() == new_body


def test_a_vanished_document_is_reported_and_kept_until_pruned(run_harvest, replica: Replica, tmp_path):
    run_harvest()
    meeting = next(m for _, m in replica.meetings() if m.meeting_id == "9702")
    meeting.items = [item for item in meeting.items if item.number != "8"]  # the QPR item is withdrawn
    folder = tmp_path / "papers"
    report = run_harvest()
    gone = {"cabinet/2025-03-04/Cabinet QPR Q3 Cover.pdf", "cabinet/2025-03-04/QPR Q3 Cabinet appendix 1.pdf"}
    assert {v["path"] for v in report.vanished} == gone and report.ok
    assert gone <= papers_in(folder) and gone <= set(metadata(folder))
    assert any(
        line.startswith("vanished from the site (kept; --prune deletes)") for line in report.summary_lines()
    )

    pruned = run_harvest(prune=True)
    assert set(pruned.pruned) == gone and not gone & papers_in(folder) and not gone & set(metadata(folder))
    assert run_harvest().vanished == []


def test_without_the_web_service_the_pages_give_the_same_papers(run_harvest, replica: Replica, tmp_path):
    replica.webservice_enabled = False
    report = run_harvest()
    folder = tmp_path / "papers"
    assert report.ok and report.source == "HTML pages" and report.meetings == 6
    assert papers_in(folder) == EXPECTED_FILES
    assert any("web service unusable" in note for note in report.notes)
    appendix = metadata(folder)[
        "cabinet/2025-03-04/APPENDIX A - Planning Inspectors Report on the Examination of the KMWLP 2024-39.pdf"
    ]
    assert (
        appendix["item_number"] == "9"
        and appendix["item_title"] == "Adoption of the Kent Minerals and Waste Local Plan 2024-2039"
    )
    assert not any(entry.path.startswith("/mgWebService") and entry.status == 200 for entry in replica.log)


def test_one_committee_and_a_date_range(run_harvest, tmp_path):
    report = run_harvest(committees=["115"], date_from=date(2025, 3, 10))
    assert report.committees == ["Cabinet"] and report.meetings == 1
    assert papers_in(tmp_path / "papers") == {
        p for p in EXPECTED_FILES if p.startswith("cabinet/2025-03-13/")
    }


def test_provenance_goes_into_the_document_tables_the_indexer_reads(run_harvest, tmp_path):
    from indexer import load_metadata

    run_harvest(committees=["Cabinet"], date_from=date(2025, 3, 10))
    entries = load_metadata(tmp_path / "papers")  # the indexer reads every field the harvester writes
    assert len(entries) == 2
    assert all(e["source_url"] and e["meeting_url"] and e["site_committee_id"] == "115" for e in entries)
