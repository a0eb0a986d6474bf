"""Browser-test fixtures: a real index of the bundled corpus, the real API on it, and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_servers import api_server

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


@pytest.fixture(scope="session")
def corpus_store(corpus_index) -> Path:
    """The session's index of the bundled corpus (built once by ``python -m indexer``; see tests/conftest.py)."""
    store, _ = corpus_index
    return Path(store.store_dir)


@pytest.fixture(scope="session")
def base_url(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real API serving the real index and the web page."""
    with api_server(corpus_store, tmp_path_factory.mktemp("api") / "api.log") as served:
        yield served.url


@pytest.fixture(scope="session")
def empty_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second API on a directory with no index, to check the page's message for that case."""
    empty = tmp_path_factory.mktemp("no-index")
    with api_server(empty / "store", empty / "api.log") as served:
        yield served.url


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
