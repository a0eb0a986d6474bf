"""The web page in a real Chromium against the real API and a real index of the bundled corpus."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.ui.pages import api_ask, ask, long_date, words

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]

KENT_QUESTION = "What did Kent County Council say about the English Devolution White Paper?"
TRANSPORT_QUESTION = "What happened with home to school transport?"
UNANSWERABLE = "How tall is Mount Everest?"
PDF_LINK = re.compile(r"^/documents/[0-9a-f]{16}/file#page=(\d+)$")
VIEW_LINK = re.compile(r"^/view\.html\?document=[0-9a-f]{16}&chunk=([0-9a-f]{16}-\d{4,})$")


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


# --- asking -----------------------------------------------------------------------------------------------


def test_page_names_the_index(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready]")
    assert re.search(r"22 documents, [\d,]+ passages indexed", page.inner_text("#corpus"))
    assert page.get_attribute("html", "lang") == "en-GB"


def test_answer_has_markers_and_cited_passages(page, base_url, screenshot):
    ask(page, base_url, KENT_QUESTION)
    assert page.is_visible("#answer")
    markers = page.locator("#answer .marker a")
    citations = page.locator("#citations > li")
    assert markers.count() >= 1
    assert citations.count() == markers.count()
    assert query_of(page.url) == {"q": KENT_QUESTION}  # the question is in the address, so it can be shared

    expected = api_ask(base_url, KENT_QUESTION)
    committees = {p["chunk_id"]: p["committee"] for p in expected["passages"]}
    for index, citation in enumerate(expected["citations"]):
        card = citations.nth(index)
        meta = card.locator(".meta").inner_text()
        assert citation["title"] in card.locator(".card-title").inner_text()
        assert f"Meeting {long_date(citation['meeting_date'])}" in meta
        assert committees[citation["chunk_id"]] in meta  # the committee, joined in from the passages
        assert f"Page {citation['page_start']}" in meta
        if citation["page_label"] and citation["page_label"] != str(citation["page_start"]):
            assert f"(printed {citation['page_label']})" in meta
        assert words(card.locator("blockquote mark").inner_text()) == words(citation["quote"])
        assert markers.nth(index).get_attribute("href") == citation["url"]
    screenshot(page, "answer")


def test_pdf_citation_opens_the_cited_page(page, base_url):
    ask(page, base_url, KENT_QUESTION)
    marker = page.locator("#answer .marker a[href*='/file#page=']").first
    href = marker.get_attribute("href")
    match = PDF_LINK.match(href or "")
    assert match, href
    assert marker.get_attribute("target") == "_blank"
    with page.expect_popup() as popup_info:
        marker.click()
    popup = popup_info.value
    assert popup.url == base_url + href

    pdf = httpx.get(base_url + href.split("#")[0], timeout=30)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The cited sentence is on the page the link opens, not just somewhere in the document.
    citation = next(c for c in api_ask(base_url, KENT_QUESTION)["citations"] if c["url"] == href)
    page_text = httpx.get(
        f"{base_url}/documents/{citation['document_id']}/pages/{match.group(1)}", timeout=30
    )
    assert words(citation["quote"]) in words(page_text.json()["text"])


def test_text_citation_opens_the_viewer_with_the_passage_highlighted(page, base_url, screenshot):
    ask(page, base_url, TRANSPORT_QUESTION)
    links = page.locator("#answer .marker a[href^='/view.html']")
    assert links.count() >= 1
    link = links.first
    chunk_id = VIEW_LINK.match(link.get_attribute("href")).group(1)
    with page.expect_popup() as popup_info:
        link.click()
    viewer = popup_info.value
    viewer.set_viewport_size({"width": 1280, "height": 900})
    viewer.wait_for_selector("body[data-ready]")
    mark = viewer.locator("#context mark#passage")
    assert mark.is_visible()
    chunk = httpx.get(f"{base_url}/chunks/{chunk_id}", timeout=30).json()
    assert words(mark.inner_text()) == words(chunk["text"])
    assert viewer.inner_text("h1") == chunk["title"]
    assert long_date(chunk["meeting_date"]) in viewer.inner_text(".meta")
    assert chunk["section"] in viewer.inner_text(".section-name")
    assert viewer.get_attribute("#whole-file", "href") == f"/documents/{chunk['document_id']}/file"
    # Scrolled into view: the passage's top is inside the window, even when it starts below the first screen.
    box = mark.bounding_box()
    scroll_y = viewer.evaluate("window.scrollY")
    assert box is not None
    assert 0 <= box["y"] < 900, (box, scroll_y)
    if box["y"] + scroll_y > 900:
        assert scroll_y > 0
    assert viewer.evaluate("document.activeElement.id") == "passage"
    screenshot(viewer, "viewer", full_page=False)


def test_unanswerable_question_says_not_found(page, base_url, screenshot):
    ask(page, base_url, UNANSWERABLE)
    notice = page.locator("#not-found")
    assert notice.is_visible()
    expected = api_ask(base_url, UNANSWERABLE)
    assert expected["answered"] is False
    assert expected["answer"] in words(notice.inner_text())
    # It names what was searched and what is missing from it.
    assert "Searched the 22 indexed documents" in notice.inner_text()
    assert "2017–2025" in notice.inner_text()
    assert "none of the passages found mentions “" in words(notice.inner_text())
    assert page.locator("#answer").count() == 0
    screenshot(page, "not-found")


def test_mayors_car_is_not_found_and_the_notice_names_no_common_word(page, base_url):
    ask(page, base_url, "What is the price of the mayor's new car?")
    notice = page.locator("#not-found")
    assert notice.is_visible()
    text = words(notice.inner_text())
    assert "Searched the 22 indexed documents" in text or "in the 22 indexed documents" in text
    assert "“new”" not in text  # too common a word for its absence to say anything


def test_a_period_with_no_indexed_papers_gets_the_coverage_message(page, base_url, screenshot):
    ask(page, base_url, "What did the scrutiny committee discuss at its meeting on 3 February 2011?")
    notice = page.locator("#not-found")
    assert notice.is_visible()
    text = words(notice.inner_text())
    assert "No papers of a meeting on 3 February 2011 are in the 22 indexed documents" in text
    screenshot(page, "not-found-period")


def test_a_committee_with_no_indexed_papers_gets_the_coverage_message(page, base_url, screenshot):
    question = "What did the Licensing and Regulatory Committee decide about taxi fares?"
    ask(page, base_url, question)
    notice = page.locator("#not-found")
    assert notice.is_visible()
    text = words(notice.inner_text())
    assert "No papers of the Licensing and Regulatory Committee are in the 22 indexed documents" in text
    indexed = sorted({p["committee"] for p in httpx.get(f"{base_url}/documents").json()["documents"]})
    assert f"the indexed committees are: {'; '.join(indexed)}." in text
    assert api_ask(base_url, question)["confidence"] == 0.0
    screenshot(page, "not-found-committee")


def test_a_decision_question_with_no_recorded_resolution_says_so_and_cites_the_papers(
    page, base_url, screenshot
):
    """The bundled papers put home to school transport on an agenda and report on it, but no indexed minutes
    record a resolution on it."""
    ask(page, base_url, "What was resolved about home to school transport?")
    answer = page.locator("#answer")
    assert answer.is_visible()
    text = words(answer.inner_text())
    assert "Answer No resolution on this is recorded in the indexed minutes. The papers found say:" in text
    expected = api_ask(base_url, "What was resolved about home to school transport?")
    assert expected["answered"] is True and expected["citations"]
    # Where the item was on the agenda or reported: each citation names its meeting and its pages.
    assert all(c["meeting_date"] and (c["page_start"] or c.get("pack_pages")) for c in expected["citations"])
    assert page.locator("#citations > li").count() == len(expected["citations"])
    screenshot(page, "no-resolution")


# --- searching --------------------------------------------------------------------------------------------


def titles_and_committees(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    cards = page.locator("#search-results > li")
    return [
        (
            cards.nth(i).locator(".card-title a").inner_text(),
            cards.nth(i).locator(".meta .committee").inner_text(),
        )
        for i in range(cards.count())
    ]


def test_search_filter_changes_results_and_the_url(page, base_url, screenshot):
    page.goto(base_url + "/?mode=search")
    page.wait_for_selector("body[data-ready]")
    assert page.inner_text("#query-submit") == "Search"
    page.fill("#q", "school transport")
    page.press("#q", "Enter")
    page.wait_for_selector("#search-results")
    before = titles_and_committees(page)
    assert len({committee for _, committee in before}) > 1
    assert re.match(r"\d+ passages for “school transport”", page.inner_text("#result-count"))

    committee = "Education and Children's Social Care Overview and Scrutiny Committee"
    page.select_option("#committee", committee)  # a changed filter re-runs the search
    page.wait_for_function(
        "document.querySelector('#result-count')?.textContent.includes('Overview and Scrutiny')"
    )
    page.wait_for_selector("#search-results")
    after = titles_and_committees(page)
    assert after and after != before
    assert {c for _, c in after} == {committee}
    assert query_of(page.url) == {"mode": "search", "q": "school transport", "committee": committee}
    assert re.search(r"\d+ passages? for “school transport” \(Education", page.inner_text("#result-count"))
    # Each passage is shown around its sentences closest to the query, which are marked.
    served = httpx.get(
        f"{base_url}/search", params={"q": "school transport", "committee": committee, "k": 20}, timeout=30
    ).json()["results"]
    cards = page.locator("#search-results .result")
    assert cards.count() == len(served)
    for index, result in enumerate(served):
        if result["highlight"]:
            mark = cards.nth(index).locator(".snippet mark")
            assert words(mark.inner_text()) == words(result["highlight"]["text"])
    assert page.locator("#search-results .snippet mark").count() > 0
    assert page.locator("#search-results .snippet strong.term").count() > 0  # the query's words, in bold
    for alternate in page.locator("#search-results .alternates").all():
        assert alternate.inner_text().startswith("Same text also in: ")
        assert "http" not in alternate.inner_text()
        hrefs = alternate.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert all(href.startswith("/") for href in hrefs)
    screenshot(page, "search")

    # The address restores the same search: reload it in a new tab.
    shared = page.context.new_page()
    shared.goto(page.url)
    shared.wait_for_selector("#search-results")
    assert shared.input_value("#q") == "school transport"
    assert shared.input_value("#committee") == committee
    assert titles_and_committees(shared) == after


def test_the_council_filter_keeps_one_councils_papers(page, base_url):
    documents = httpx.get(f"{base_url}/documents", timeout=30).json()["documents"]
    kent_titles = {d["title"] for d in documents if d["council"] == "Kent County Council"}
    page.goto(base_url + "/?mode=search")
    page.wait_for_selector("body[data-ready]")
    options = page.locator("#council option").all_inner_texts()
    assert options == ["All councils", "Birmingham City Council", "Kent County Council"]
    page.fill("#q", "school places")
    page.press("#q", "Enter")
    page.wait_for_selector("#search-results")
    page.select_option("#council", "Kent County Council")  # a changed filter re-runs the search
    page.wait_for_function("new URL(location.href).searchParams.get('council') === 'Kent County Council'")
    page.wait_for_selector("#search-results")
    titles = [title.split("\n")[0] for title, _ in titles_and_committees(page)]  # less "(opens in a new tab)"
    assert titles and set(titles) <= kent_titles


def test_shared_url_with_type_and_dates_runs_the_search(page, base_url):
    page.goto(
        base_url + "/?mode=search&q=devolution&doc_type=minutes&date_from=2025-01-01&date_to=2025-01-31"
    )
    page.wait_for_selector("#search-results")
    assert page.input_value("#doc_type") == "minutes"
    assert page.input_value("#date_from") == "2025-01-01"
    assert page.input_value("#date_to") == "2025-01-31"
    assert page.get_attribute("#filters", "open") is not None
    metas = page.locator("#search-results .meta").all_inner_texts()
    assert metas and all("January 2025" in meta for meta in metas)
    types = page.locator("#search-results .doc-type").all_inner_texts()
    assert set(types) == {"Minutes"}


def test_back_button_restores_the_previous_search(page, base_url):
    page.goto(base_url + "/?mode=search&q=family+hubs")
    page.wait_for_selector("#search-results")
    page.select_option("#doc_type", "report")
    page.wait_for_function("location.search.includes('doc_type=report')")
    page.wait_for_selector("#search-results")
    page.go_back()
    page.wait_for_function("!location.search.includes('doc_type')")
    page.wait_for_selector("#search-results")
    assert page.input_value("#doc_type") == ""
    assert "(" not in page.inner_text("#result-count")  # no filter named in the count


def test_switching_mode_carries_the_question_over(page, base_url):
    ask(page, base_url, KENT_QUESTION)
    page.click("[data-mode=search]")
    page.wait_for_selector("#search-results")
    assert query_of(page.url) == {"mode": "search", "q": KENT_QUESTION}
    assert page.get_attribute("[data-mode=search]", "aria-current") == "page"
    assert page.get_attribute("[data-mode=ask]", "aria-current") is None


# --- errors -----------------------------------------------------------------------------------------------


def test_empty_index_shows_the_build_command(page, empty_base_url, screenshot):
    page.goto(empty_base_url + "/?q=anything")
    page.wait_for_selector("body[data-ready]")
    problem = page.locator("#index-problem")
    assert problem.is_visible()
    assert "There is no index to search yet" in problem.inner_text()
    command = problem.locator("pre code").inner_text()
    assert command.startswith("python -m indexer corpus --store ")
    assert page.evaluate(CONTRAST_CHECK) == []
    screenshot(page, "no-index")
    # Asking anyway explains the same thing in the results area.
    page.press("#q", "Enter")
    page.wait_for_selector("#error")
    assert "python -m indexer corpus --store" in page.inner_text("#error code")


def test_api_error_is_readable(page, base_url):
    page.goto(base_url + "/?mode=search&q=budget&doc_type=memo")
    page.wait_for_selector("#error")
    text = page.inner_text("#error")
    assert "The request failed" in text
    assert "doc_type" in text and "'minutes'" in text  # the field, and what it may be


def test_unreachable_server_is_explained(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready]")
    page.route("**/ask", lambda route: route.abort())
    page.fill("#q", KENT_QUESTION)
    page.press("#q", "Enter")
    page.wait_for_selector("#error")
    assert "The server cannot be reached" in page.inner_text("#error")


def test_loading_state_is_shown_and_announced(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready]")
    release = []
    page.route("**/ask", lambda route: release.append(route))
    page.fill("#q", KENT_QUESTION)
    page.press("#q", "Enter")
    page.wait_for_selector("#loading")
    assert page.get_attribute("#results", "aria-busy") == "true"
    assert "Looking for an answer" in page.inner_text("#status")
    while not release:  # the route handler runs while Playwright waits
        page.wait_for_timeout(50)
    release[0].continue_()
    page.wait_for_selector("#answer")
    assert page.get_attribute("#results", "aria-busy") == "false"
    assert page.inner_text("#status").startswith("Answer found, citing")


# --- keyboard, phones and accessibility ------------------------------------------------------------------


def test_tab_reaches_the_question_box_and_enter_asks(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready]")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.type(KENT_QUESTION)
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer")
    # Tab onwards reaches the first citation marker, in reading order.
    focused = ""
    for _ in range(15):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('.marker') ? 'marker' : ''")
        if focused:
            break
    assert focused == "marker"


def test_empty_question_is_explained_not_sent(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready]")
    page.press("#q", "Enter")
    assert page.is_visible("#q-problem")
    assert page.get_attribute("#q", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "q"


def test_phone_width_fits_without_sideways_scrolling(page, base_url, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    ask(page, base_url, TRANSPORT_QUESTION)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = page.locator("#query-submit").bounding_box()
    assert button is not None and button["height"] >= 44  # touch target
    screenshot(page, "phone-answer")
    page.goto(base_url + "/?mode=search&q=school+transport")
    page.wait_for_selector("#search-results")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "phone-search")


LABEL_CHECK = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter((field) => field.type !== 'hidden')
  .filter((field) => !(field.labels && field.labels.length) && !field.getAttribute('aria-label'))
  .map((field) => field.id || field.name)"""

# WCAG 2 contrast of every visible text element against the nearest opaque background behind it.
CONTRAST_CHECK = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.checkVisibility?.() || el.closest('.visually-hidden')) continue;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3);
    const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < 4.5) failures.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)} "${text}"`);
  }
  return failures;
}"""


@pytest.mark.parametrize(
    "path",
    [
        "/?q=" + KENT_QUESTION,
        "/?q=" + UNANSWERABLE,
        "/?mode=search&q=school+transport&doc_type=pack",
        "/?mode=search&q=budget&doc_type=memo",
    ],
    ids=["answer", "not-found", "search", "error"],
)
def test_labels_and_contrast(page, base_url, path):
    page.goto(base_url + path)
    page.wait_for_selector("#answer, #search-results, #not-found, #error")
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert page.evaluate(LABEL_CHECK) == []
    assert page.evaluate(CONTRAST_CHECK) == []
    assert page.get_attribute("#status", "aria-live") == "polite"


def test_viewer_contrast(page, base_url):
    passages = httpx.get(
        f"{base_url}/search", params={"q": "home to school transport", "k": 10}, timeout=30
    ).json()
    page.goto(base_url + next(r["url"] for r in passages["results"] if r["url"].startswith("/view.html")))
    page.wait_for_selector("#passage")
    assert page.evaluate(CONTRAST_CHECK) == []


def test_viewer_without_a_passage_explains(page, base_url):
    page.goto(base_url + "/view.html?document=0000000000000000&chunk=0000000000000000-0001")
    page.wait_for_selector("#error")
    assert "no passage 0000000000000000-0001" in page.inner_text("#error")


# --- decisions and commitments ----------------------------------------------------------------------------


def test_decision_and_commitment_tabs_follow_the_api(page, base_url):
    """Until the API has /decisions and /commitments their tabs stay hidden; once it has, they show."""
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready]")
    for name in ("decisions", "commitments"):
        exists = httpx.get(f"{base_url}/{name}", timeout=30).status_code not in (404, 405)
        assert page.is_visible(f"[data-mode={name}]") == exists, name


def test_decisions_timeline_shows_each_decision_with_its_meeting_and_pages(page, base_url, screenshot):
    """Read off the papers: Kent County Council's minutes of 9 January 2025 record the devolution
    resolutions on PDF page 10; the July 2022 Birmingham pack's action notes of 30 March 2022 (item 8,
    SENAR) sit in the pack pages 5-16 that its agenda gives."""
    page.goto(base_url + "/?mode=decisions&q=devolution&committee=County+Council")
    page.wait_for_selector("#timeline")
    expected = httpx.get(
        f"{base_url}/decisions", params={"q": "devolution", "committee": "County Council"}, timeout=30
    ).json()
    dates = page.locator("#timeline .timeline-date time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted({r["meeting_date"] for r in expected["results"]}) == ["2025-01-09"]
    assert page.locator("#timeline .decision").count() == expected["count"]
    assert page.inner_text("#result-count") == f"{expected['count']} decisions about “devolution”"
    endorses = page.locator("#timeline .decision", has_text="Endorses the ongoing joint work").first
    assert "9 January 2025" in page.locator("#timeline > li").first.inner_text()
    assert "Item 285" in endorses.inner_text()
    # The card reads the part with its lead-in; the part's verbatim words are quoted beneath it.
    text = endorses.locator(".decision-text").inner_text()
    assert text.startswith("RESOLVED that the County Council endorses the ongoing joint work")
    assert " ".join(endorses.locator("blockquote").inner_text().split()).startswith(
        "Endorses the ongoing joint work"
    )
    source = endorses.locator(".open-source a")
    assert source.get_attribute("href").endswith("/file#page=10")
    assert "page 10" in source.inner_text()
    assert page.evaluate(CONTRAST_CHECK) == []
    screenshot(page, "decisions")

    page.goto(base_url + "/?mode=decisions&q=NEXUS")
    page.wait_for_selector("#timeline")
    nexus = page.locator("#timeline .decision", has_text="NEXUS case management system").first
    assert "SENAR UPDATE" in nexus.inner_text()
    meeting = page.locator("#timeline > li", has_text="NEXUS case management system").first
    assert "30 March 2022" in meeting.locator(".timeline-date").inner_text()
    source = nexus.locator(".open-source a")
    assert source.get_attribute("href").startswith("/view.html?")
    assert "pack pages 5–16 (from the agenda)" in source.inner_text()


def test_commitments_filter_by_status_and_owner(page, base_url, screenshot):
    page.goto(base_url + "/?mode=commitments")
    page.wait_for_selector("#commitment-list")
    everything = httpx.get(f"{base_url}/commitments", timeout=30).json()
    assert page.locator("#commitment-list > li").count() == everything["count"] > 0
    statuses = page.locator("#c-status option").all_inner_texts()
    assert statuses[0] == "Any status" and {"open", "completed", "in progress"} <= set(statuses)

    page.select_option("#c-status", "in progress")
    page.wait_for_function("location.search.includes('status=in+progress')")
    in_progress = httpx.get(f"{base_url}/commitments", params={"status": "in progress"}, timeout=30).json()
    page.wait_for_function(
        f"document.querySelectorAll('#commitment-list > li').length === {in_progress['count']}"
    )
    card = page.locator("#commitment-list > li", has_text="bring work at early").first
    assert "The Director, Children and Families" in card.inner_text()
    assert "18 October 2023" in card.inner_text()
    source = card.locator(".open-source a")
    assert source.get_attribute("href").startswith("/view.html?")
    # Commitments carry the document's title; pages come from the pack's agenda.
    title = "Education, Children and Young People O&S Committee"
    assert title in source.inner_text()
    assert "pack pages 11–20 (from the agenda)" in source.inner_text()
    assert page.evaluate(CONTRAST_CHECK) == []
    screenshot(page, "commitments")

    page.fill("#c-owner", "Director")
    page.press("#c-owner", "Enter")
    page.wait_for_function("location.search.includes('owner=Director')")
    page.wait_for_function("document.querySelector('#result-count')?.textContent.includes('owner Director')")
    owned = httpx.get(
        f"{base_url}/commitments", params={"status": "in progress", "owner": "Director"}, timeout=30
    ).json()
    assert page.locator("#commitment-list > li").count() == owned["count"] >= 1
