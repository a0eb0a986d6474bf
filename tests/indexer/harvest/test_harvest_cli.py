"""``python -m indexer.harvest`` as a user runs it: exit codes, one-line errors, --json, and interrupted runs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from indexer.config import PROJECT_ROOT
from indexer.harvest.validate import pdf_problem
from tests.indexer.harvest.helpers import EXPECTED_FILES, metadata, papers_in
from tests.indexer.harvest.replica import Fault, Replica

REPORT = "Cabinet Report 4 March 2025"
REPORT_PATH = f"cabinet/2025-03-04/{REPORT}.pdf"
RANGE = ["--from", "2025-01-01", "--to", "2025-03-31"]


def command(replica_url: str, folder: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "indexer.harvest",
        replica_url,
        str(folder),
        "--no-index",
        "--delay-s",
        "0",
        *args,
    ]


def run(replica_url: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(replica_url, folder, *args), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )


def wait_for_part_file(temp_dir: Path, timeout_s: float) -> bool:
    """True once a download has written some bytes into ``temp_dir`` (so a kill now is mid-download)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for part in temp_dir.iterdir() if temp_dir.is_dir() else []:
            try:
                if part.stat().st_size > 0:
                    return True
            except FileNotFoundError:  # a finished download, renamed into place meanwhile
                continue
        time.sleep(0.05)
    return False


def test_json_summary_and_exit_code_1_when_a_document_failed(replica: Replica, tmp_path: Path):
    replica.faults[REPORT] = Fault("404")
    result = run(replica.base_url, tmp_path / "papers", "--json", "-c", "Cabinet", "-c", "113", *RANGE)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] is False and summary["committees"] == ["Cabinet", "County Council"]
    assert summary["failed"] == [
        {
            "url": replica.doc_url(REPORT),
            "reason": "HTTP 404 Not Found",
            "title": REPORT,
            "meeting_url": f"{replica.base_url}/ieListDocuments.aspx?CId=115&MId=9702&Ver=4",
        }
    ]
    assert len(summary["new"]) == 19 and summary["index"] is None


def test_plain_summary_on_a_clean_run_and_exit_0(replica: Replica, tmp_path: Path):
    result = run(
        replica.base_url, tmp_path / "papers", "-c", "Cabinet", "--from", "2025-03-10", "--to", "2025-03-31"
    )
    assert result.returncode == 0, result.stderr
    assert "2 new, 0 changed, 0 unchanged, 0 failed, 0 vanished" in result.stdout


def test_misuse_and_expected_failures_are_one_line_and_exit_2(replica: Replica, tmp_path: Path):
    bad_date = run(replica.base_url, tmp_path / "a", "--from", "4 March")
    assert bad_date.returncode == 2 and "is not a date (YYYY-MM-DD)" in bad_date.stderr

    unknown = run(replica.base_url, tmp_path / "b", "-c", "Planning Committee")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    assert (
        unknown.stderr.strip().splitlines()[-1].startswith("error: ") and "has no committee" in unknown.stderr
    )

    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{free.getsockname()[1]}"
    refused = run(nobody, tmp_path / "c", "--retries", "0")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "cannot list the committees" in refused.stderr and "connection failed" in refused.stderr


def test_a_connection_dropped_mid_body_leaves_no_half_file_and_the_next_run_resumes(
    run_harvest, replica, tmp_path
):
    replica.faults[REPORT] = Fault("drop")
    report = run_harvest()
    folder = tmp_path / "papers"
    assert [p.reason for p in report.failed] == ["connection dropped mid-response (after 3 attempts)"]
    assert papers_in(folder) == EXPECTED_FILES - {REPORT_PATH} and not list(
        (folder / ".harvest/tmp").iterdir()
    )

    del replica.faults[REPORT]
    before = len(replica.log)
    resumed = run_harvest()
    documents = [e for e in replica.requests_since(before) if "/documents/" in e.path and e.status == 200]
    assert resumed.ok and resumed.new == [REPORT_PATH] and len(documents) == 1
    assert papers_in(folder) == EXPECTED_FILES


def test_a_run_killed_mid_download_leaves_no_half_files_and_the_next_run_resumes(
    run_harvest, replica, tmp_path
):
    folder = tmp_path / "papers"
    replica.faults[REPORT] = Fault("stall", stall_s=60)
    child = subprocess.Popen(
        command(replica.base_url, folder, *RANGE, "-c", "County Council", "-c", "Cabinet"),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert replica.stalled.wait(timeout=120), "the harvest never reached the stalled document"
        assert wait_for_part_file(folder / ".harvest/tmp", timeout_s=60), "no download was under way"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    del replica.faults[REPORT]

    done_before_kill = papers_in(folder)
    assert REPORT_PATH not in done_before_kill and done_before_kill < EXPECTED_FILES
    for path in done_before_kill:  # every file the indexer could see is whole
        assert pdf_problem(folder / path) is None, path
    assert set(metadata(folder)) <= done_before_kill
    assert list((folder / ".harvest/tmp").iterdir()), "the half download stays hidden in .harvest/tmp"

    resumed = run_harvest()
    assert resumed.ok and set(resumed.new) == EXPECTED_FILES - done_before_kill
    assert set(resumed.unchanged) == done_before_kill
    assert "removed half-downloaded files left by an interrupted run" in resumed.notes
    assert papers_in(folder) == EXPECTED_FILES and set(metadata(folder)) == EXPECTED_FILES
    assert not list((folder / ".harvest/tmp").iterdir())
