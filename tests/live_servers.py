"""Real servers for tests, each a subprocess on a free loopback port: `chroma run` and `python -m api`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx

from api.cli import serve_command

ROOT = Path(__file__).resolve().parents[1]
CHROMA_START_TIMEOUT_S = 60
API_START_TIMEOUT_S = 240  # every worker loads the model before it answers, on two busy cores


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def children(process: subprocess.Popen[bytes]) -> list[int]:
    """The ids of a process's child processes (Linux)."""
    found: list[int] = []
    for task in Path(f"/proc/{process.pid}/task").glob("*"):
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running(
    command: list[str], ready_url: str, log_path: Path, timeout_s: float, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command`` (with ``env`` added to this environment), wait until ``ready_url`` answers (any
    status below 500, or 503), and stop it after."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=os.environ | (env or {})
        )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}:\n{tail(log_path)}")
            try:
                if httpx.get(ready_url, timeout=2).status_code in (*range(200, 500), 503):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{ready_url} did not answer within {timeout_s} s:\n{tail(log_path)}")
            time.sleep(0.3)
        yield process
    finally:
        stop(process)


@contextmanager
def chroma_server(data_dir: Path) -> Iterator[str]:
    """A real `chroma run` (the binary the chromadb package installs) on loopback; yields its URL."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chromadb package's `chroma` command is not installed beside this Python"
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [chroma, "run", "--path", str(data_dir / "data"), "--host", "127.0.0.1", "--port", str(port)]
    with running(command, f"{url}/api/v2/heartbeat", data_dir / "chroma.log", CHROMA_START_TIMEOUT_S):
        yield url


class Served(NamedTuple):
    url: str
    process: subprocess.Popen[bytes]


@contextmanager
def api_server(
    store_dir: Path,
    log_path: Path,
    *options: str,
    env: dict[str, str] | None = None,
    timeout_s: float = API_START_TIMEOUT_S,
) -> Iterator[Served]:
    """``python -m api`` on a free loopback port over ``store_dir`` (with more CLI ``options``), ready once
    /health answers (200, or 503 when there is no index there); stopped after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = serve_command(store_dir, port)
    with running(
        [*command, *options], f"{url}/health", log_path, timeout_s, {"HF_HUB_OFFLINE": "1"} | (env or {})
    ) as process:
        yield Served(url, process)
