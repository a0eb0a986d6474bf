"""Browser-test fixtures: a real index of the bundled corpus, the real API on it, and Debian's Chromium."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
START_TIMEOUT_S = 180  # the API loads the model before it answers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def _start_api(store_dir: Path, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``python -m api`` on a free port; wait until /health answers (200, or 503 with no index)."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api",
                "--store",
                str(store_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the API exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code in (200, 503):
                return process, base_url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    _stop(process)
    raise RuntimeError(f"the API did not answer within {START_TIMEOUT_S} s:\n{_tail(log_path)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def corpus_store(corpus_index) -> Path:
    """The session's index of the bundled corpus (built once by ``python -m indexer``; see tests/conftest.py)."""
    store, _ = corpus_index
    return Path(store.store_dir)


@pytest.fixture(scope="session")
def base_url(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real API serving the real index and the web page."""
    process, url = _start_api(corpus_store, tmp_path_factory.mktemp("api") / "api.log")
    yield url
    _stop(process)


@pytest.fixture(scope="session")
def empty_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second API on a directory with no index, to check the page's message for that case."""
    empty = tmp_path_factory.mktemp("no-index")
    process, url = _start_api(empty / "store", empty / "api.log")
    yield url
    _stop(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh desktop-sized page; script errors on it fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(60_000)  # an answer embeds the question; the first one loads the model
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture
def screenshot():  # type: ignore[no-untyped-def]
    """Save a full-page screenshot of a main state to test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(target_page, name: str, full_page: bool = True) -> Path:  # type: ignore[no-untyped-def]
        path = SCREENSHOTS / f"{name}.png"
        target_page.screenshot(path=str(path), full_page=full_page)
        return path

    return save
