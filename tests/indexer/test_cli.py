"""``python -m indexer`` as a user runs it: one line per bad file, a summary, and honest exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from indexer.config import PROJECT_ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.model
def test_bad_files_are_named_the_rest_indexed_and_the_exit_code_is_1(tmp_path, make_pdf):
    folder = tmp_path / "papers"
    make_pdf("papers/report.pdf", ["A report on highways and potholes across the county."])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 nothing else")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    result = _run(str(folder), "--store", str(tmp_path / "index"))
    assert result.returncode == 1, result.stderr
    assert "skipped broken.pdf: corrupt or unreadable PDF" in result.stderr
    assert "skipped notes.docx: unsupported file type .docx" in result.stderr
    assert "Traceback" not in result.stderr
    assert "1 added" in result.stdout and "2 failed" in result.stdout and "chunks/s" in result.stdout

    again = _run(str(folder / "report.pdf"), "--store", str(tmp_path / "index"), "--json")
    report = json.loads(again.stdout)
    assert again.returncode == 0 and report["unchanged"] == ["report.pdf"] and report["documents"] == 1


def test_a_missing_path_is_one_line_and_exit_2(tmp_path):
    result = _run(str(tmp_path / "nowhere"), "--store", str(tmp_path / "index"))
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_path_is_reported_before_the_model_loads(tmp_path):
    # With a model that cannot load, only a check made before loading it can name the missing path.
    result = _run(
        str(tmp_path / "nowhere"), "--store", str(tmp_path / "index"), "--model", str(tmp_path / "no-model")
    )
    assert result.returncode == 2
    assert "nowhere: no such file or folder" in result.stderr
    assert "cannot load embedding model" not in result.stderr


def test_misuse_is_a_usage_error():
    result = _run("--batch-size", "0")
    assert result.returncode == 2 and "Usage" in result.stderr
