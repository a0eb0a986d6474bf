"""Answers that say plainly what the papers do not hold, in a real Chromium against the real API and index."""

from __future__ import annotations

import pytest

from tests.ui.pages import api_ask, ask, long_date, words

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]

# The bundled corpus puts this item on two agendas (Kent's Cabinet, Birmingham's scrutiny committee) and
# holds minutes of neither meeting, so no resolution about it is recorded.
NO_RESOLUTION = "What was resolved about home to school transport?"
# No committee of that name has papers in the bundled corpus.
UNINDEXED_COMMITTEE = "What did the Planning Committee decide in 2019?"


def test_a_decision_no_minutes_record_says_so_and_cites_the_agenda(page, base_url, screenshot):
    expected = api_ask(base_url, NO_RESOLUTION)
    assert expected["answered"] is False and expected["citations"] == []
    assert expected["answer"].startswith(
        "No resolution on home to school transport is recorded in the indexed minutes."
    )
    items = expected["agenda_items"]
    assert len(items) >= 2
    dates = [item["meeting_date"] for item in items]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert {item["committee"] for item in items} >= {
        "Cabinet",
        "Education and Children's Social Care Overview and Scrutiny Committee",
    }
    birmingham = next(i for i in items if i["meeting_date"] == "2022-07-20")
    assert birmingham["item_number"] == "8" and birmingham["pack_pages"]
    first, last = birmingham["pack_pages"]
    assert f"item 8, “{words(birmingham['item_title'])}”, pack pages {first}–{last}" in expected["answer"]

    ask(page, base_url, NO_RESOLUTION)
    notice = page.locator("#not-found")
    assert notice.is_visible() and page.locator("#answer").count() == 0
    assert notice.locator("h2").inner_text() == "No recorded resolution"
    assert words(notice.locator(".coverage").inner_text()) == words(expected["answer"])
    cards = page.locator("#agenda-items li")
    assert cards.count() == len(items)
    for index, item in enumerate(items):
        card = cards.nth(index)
        link = card.locator(".card-title a")
        assert link.get_attribute("href") == item["url"]
        assert f"Item {item['item_number']}" in link.inner_text()
        meta = card.locator(".meta").inner_text()
        assert item["committee"] in meta and long_date(item["meeting_date"]) in meta
        if item["pack_pages"]:
            assert f"Pack pages {item['pack_pages'][0]}–{item['pack_pages'][1]} (from the agenda)" in meta
    assert page.locator("#nearest h3").inner_text().startswith("Nearest passages")
    assert "do not answer the question" in page.locator("#nearest").inner_text()
    screenshot(page, "no-resolution")


def test_a_committee_with_no_indexed_papers_gets_the_coverage_message(page, base_url, screenshot):
    expected = api_ask(base_url, UNINDEXED_COMMITTEE)
    assert expected["answered"] is False and expected["citations"] == []
    assert expected["answer"].startswith(
        "No meeting of the Planning Committee or of any committee in 2019 is indexed;"
    )
    coverage = expected["coverage"]
    assert coverage["unindexed_committees"] == ["Planning Committee"]
    # It names the committees that are indexed, each with the years of its meetings.
    assert "Cabinet (2025)" in coverage["indexed"] and coverage["indexed"] in expected["answer"]

    ask(page, base_url, UNINDEXED_COMMITTEE)
    notice = page.locator("#not-found")
    assert notice.is_visible() and page.locator("#answer").count() == 0
    assert notice.locator("h2").inner_text() == "Not found in the papers"
    assert words(notice.locator(".coverage").inner_text()) == words(expected["answer"])
    assert page.locator("#agenda-items").count() == 0
    nearest = page.locator("#nearest li")
    assert nearest.count() == len(expected["passages"]) > 0
    assert page.locator("#nearest .hint").inner_text() == expected["passages_note"]
    screenshot(page, "coverage-not-found")
