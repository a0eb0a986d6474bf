"""Papers from a council's site: the page links each citation to the council's own copy, at its page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import CORPUS
from tests.live_servers import ROOT, api_server
from tests.ui.test_browser import ask

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]

MINUTES = "full_council__2025-01-09__originals__Printed minutes 09th-Jan-2025 10.00 County Council.pdf"
SOURCE_URL = "https://democracy.council.example/documents/g9798/Printed%20minutes.pdf"
MEETING_URL = "https://democracy.council.example/ieListDocuments.aspx?CId=113&MId=9798"
METADATA = f"""[[document]]
match = "minutes.pdf"
council = "Kent County Council"
committee = "County Council"
doc_type = "minutes"
meeting_date = "2025-01-09"
source_url = "{SOURCE_URL}"
meeting_url = "{MEETING_URL}"
item_number = "5"
item_title = "Minutes"
"""


@pytest.fixture(scope="module")
def harvested_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real PDF with the metadata a harvest writes beside it, indexed and served."""
    folder = tmp_path_factory.mktemp("papers")
    shutil.copy(CORPUS / "kent" / MINUTES, folder / "minutes.pdf")
    (folder / "metadata.toml").write_text(METADATA, encoding="utf-8")
    store = folder.parent / "index"
    subprocess.run(
        [sys.executable, "-m", "indexer", str(folder), "--store", str(store)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )
    with api_server(store, folder.parent / "api.log") as served:
        yield served.url


def test_citations_link_to_the_councils_site_at_their_page(page, harvested_url):
    question = "What did the County Council resolve about devolution in January 2025?"
    body = httpx.post(f"{harvested_url}/ask", json={"question": question}, timeout=120).json()
    assert body["answered"] and body["citations"], body["answer"]
    cited = body["citations"][0]
    assert cited["source_url"] == SOURCE_URL and cited["meeting_url"] == MEETING_URL

    ask(page, harvested_url, question)
    link = page.locator("#citation-1 a.council-link")
    assert link.inner_text() == "on the council's site"
    assert link.get_attribute("href") == f"{SOURCE_URL}#page={cited['page_start']}"
    assert page.locator("#citation-1 a[href='" + MEETING_URL + "']").count() == 1
    # The local copy is still the citation's main link.
    assert page.locator("#citation-1 a.source-link").first.get_attribute("href").startswith("/documents/")


def test_papers_without_a_council_url_show_no_such_link(page, base_url):
    ask(page, base_url, "What did Kent County Council say about the English Devolution White Paper?")
    assert page.locator("a.council-link").count() == 0
