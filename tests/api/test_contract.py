"""The OpenAPI contract holds on the served API: schemathesis with every check, against the bundled corpus."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_servers import api_server

pytestmark = [pytest.mark.model, pytest.mark.slow]
RUN_TIMEOUT_S = 1200
SEED = 1  # schemathesis' own seed: the same requests on every run


@pytest.fixture(scope="module")
def served(corpus_index, tmp_path_factory):
    """``python -m api`` on loopback over the session's index of the bundled corpus."""
    store, _ = corpus_index
    with api_server(Path(store.store_dir), tmp_path_factory.mktemp("contract") / "api.log") as server:
        yield server.url


def test_schemathesis_finds_no_failure_with_every_check(served, tmp_path):
    command = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    result = subprocess.run(
        [
            command,
            "run",
            f"{served}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "30",
            "--seed",
            str(SEED),
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stdout[-6000:]
