"""The OpenAPI contract holds on the served API: schemathesis with every check, against the bundled corpus."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from indexer.config import PROJECT_ROOT

pytestmark = [pytest.mark.model, pytest.mark.slow]
START_TIMEOUT_S = 180
RUN_TIMEOUT_S = 1200
SEED = 1  # schemathesis' own seed: the same requests on every run


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(corpus_index):
    """``python -m api`` on loopback over the session's index of the bundled corpus."""
    store, _ = corpus_index
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "api",
            "--store",
            str(store.store_dir),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=PROJECT_ROOT,
        env=os.environ | {"HF_HUB_OFFLINE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else "server exited"
            time.sleep(0.5)
        else:
            pytest.fail(f"the API did not start within {START_TIMEOUT_S} s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


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
