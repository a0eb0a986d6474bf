"""Meetings, decisions and commitments over HTTP, on the bundled corpus with the real model.

The facts checked here were read off the papers: the 20 July 2022 Birmingham pack prints the action notes
of 30 March 2022 as pack pages 5-16 (agenda item 6), and its minute 8 (SENAR update) requested follow-up
on the NEXUS system; Kent Cabinet's minutes of 30 January 2025 agree the capital budget changes on page 10.
"""

from __future__ import annotations

import re

import pytest

from tests.api.citations import assert_quote_on_page

PACK_2022 = "birmingham/2022-07-20_education-childrens-social-care-os_agenda-pack.txt"
NEXUS = (
    "Feedback and follow-up information on NEXUS case management system as the Committee had been given "
    "assurances regarding the 365 Travel Assist IT system that may be cancelled."
)
CITATION_FIELDS = ("document_id", "source", "title", "page_start", "page_end", "page_label", "quote", "url")


def _assert_on_its_page_or_passage(client, cited: dict) -> None:
    """An exact page holds the quote verbatim; a text pack's passage holds it, within the agenda's range."""
    document = client.get(f"/documents/{cited['document_id']}").json()
    if document["kind"] == "pdf":
        assert cited["page_source"] == "pdf"
        assert cited["url"] == f"/documents/{cited['document_id']}/file#page={cited['page_start']}"
        text = "\n".join(
            client.get(f"/documents/{cited['document_id']}/pages/{n}").json()["text"]
            for n in range(cited["page_start"], cited["page_end"] + 1)
        )
        assert cited["quote"] in text
    else:
        chunk = client.get(f"/chunks/{cited['chunk_id']}").json()
        # The passage holds the quote, or (a long agenda entry) the passage where it begins.
        assert cited["quote"] in chunk["text"] or cited["quote"].splitlines()[0] in chunk["text"]
        assert cited["url"] == f"/view.html?document={cited['document_id']}&chunk={cited['chunk_id']}"
        if cited.get("page_source") == "agenda":
            assert chunk["page_start"] <= cited["page_start"] <= cited["page_end"] <= chunk["page_end"]


def test_decisions_about_nexus_find_the_30_march_2022_request(client):
    body = client.get("/decisions", params={"q": "NEXUS"}).json()
    assert body["query"] == "NEXUS" and body["count"] == len(body["results"]) >= 1
    top = body["results"][0]
    for field in ("decision_id", "kind", "text", "outcome", "meeting_date", "committee", "item_number"):
        assert field in top
    assert all(field in top for field in CITATION_FIELDS)
    assert top["quote"] == NEXUS
    assert top["text"] == f"RESOLVED: The update was noted, and the following was requested: {NEXUS}"
    assert (top["kind"], top["meeting_date"], top["item_number"]) == ("resolved", "2022-03-30", "8")
    assert top["item_title"].startswith("SEND") and "SENAR UPDATE" in top["item_title"]
    assert top["source"] == PACK_2022 and top["committee_id"] == "birmingham-education-os"
    # The pack's text has no page numbers there; the agenda prints the action notes as pages 5-16.
    assert (top["page_start"], top["page_end"], top["page_label"], top["page_source"]) == (
        5,
        16,
        None,
        "agenda",
    )
    _assert_on_its_page_or_passage(client, top)


def test_a_kent_decision_is_cited_on_its_pdf_page(client):
    results = client.get("/decisions", params={"q": "capital budget changes", "committee": "Cabinet"}).json()[
        "results"
    ]
    top = results[0]
    assert top["quote"] == "Agree the Capital budget changes."
    assert (top["meeting_date"], top["item_number"], top["page_start"], top["page_label"]) == (
        "2025-01-30",
        "88",
        10,
        "10",
    )
    _assert_on_its_page_or_passage(client, top)


def test_decisions_without_a_query_are_newest_first_and_filters_hold(client):
    everything = client.get("/decisions", params={"k": 200}).json()["results"]
    dates = [d["meeting_date"] for d in everything]
    assert dates == sorted(dates, reverse=True) and len(everything) >= 60
    lineage = client.get("/decisions", params={"committee": "birmingham-education-os", "k": 200}).json()[
        "results"
    ]
    assert {d["committee_id"] for d in lineage} == {"birmingham-education-os"}
    # One lineage across the committee's renamings: 2017, 2022 and 2024 minutes.
    assert {d["meeting_date"][:4] for d in lineage} == {"2017", "2022", "2024"}
    assert len({d["committee"] for d in lineage}) >= 2
    printed = client.get("/decisions", params={"committee": "Cabinet", "k": 200}).json()["results"]
    assert printed and {d["committee"] for d in printed} == {"Cabinet"}
    spring = client.get("/decisions", params={"date_from": "2022-01-01", "date_to": "2022-12-31"}).json()
    assert spring["count"] == 12 and {d["meeting_date"] for d in spring["results"]} == {"2022-03-30"}
    assert client.get("/decisions", params={"committee": "No Such Committee"}).json()["results"] == []


def test_commitments_filter_by_status_and_owner(client):
    open_ = client.get("/commitments", params={"status": "open", "k": 200}).json()["results"]
    assert open_ and {c["status"] for c in open_} == {"open"}
    nexus = next(c for c in open_ if "NEXUS" in c["what"])
    assert (nexus["meeting_date"], nexus["item_number"], nexus["origin"], nexus["status_source"]) == (
        "2022-03-30",
        "8",
        "minutes",
        "none stated",
    )
    for field in ("who", "what", "due", "status", "status_note", "status_source", "evidence"):
        assert field in nexus
    completed = client.get("/commitments", params={"status": "completed", "k": 200}).json()["results"]
    chase = next(
        c for c in completed if c["what"].startswith("The Strategic Director to chase up a response")
    )
    assert (chase["status_source"], chase["status_date"], chase["who"]) == (
        "later evidence",
        "2024-05-15",
        "The Strategic Director",
    )
    assert "E-mailed information on 7 May 2024" in chase["status_note"]
    evidence = chase["evidence"][0]
    assert (evidence["kind"], evidence["row_date"]) == ("tracker", "2024-04-10")
    _assert_on_its_page_or_passage(client, evidence)
    _assert_on_its_page_or_passage(client, chase)
    owned = client.get("/commitments", params={"owner": "strategic director", "k": 200}).json()["results"]
    assert owned and all("strategic director" in c["who"].lower() for c in owned)


def test_commitments_ranked_by_a_query(client):
    results = client.get("/commitments", params={"q": "interim funding spent", "k": 3}).json()["results"]
    assert results[0]["what"] == "Information on where the interim funding has been spent."


def test_meetings_list_the_30_march_2022_meeting_under_the_birmingham_lineage(client):
    body = client.get("/meetings").json()
    assert body["count"] == len(body["meetings"])
    meeting = next(m for m in body["meetings"] if m["meeting_id"] == "birmingham-education-os-2022-03-30")
    assert (meeting["committee_id"], meeting["meeting_date"]) == ("birmingham-education-os", "2022-03-30")
    assert (meeting["decisions"], meeting["commitments"], meeting["items"]) == (12, 8, 0)
    (document,) = meeting["documents"]
    assert document["source"] == PACK_2022 and document["roles"] == ["minutes"]
    lineage = client.get("/meetings", params={"committee": "birmingham-education-os"}).json()["meetings"]
    assert {m["meeting_date"] for m in lineage} >= {"2017-04-26", "2022-03-30", "2022-07-20", "2024-05-15"}
    assert {m["committee_id"] for m in lineage} == {"birmingham-education-os"}
    cabinet = client.get("/meetings", params={"committee": "kent-cabinet", "date_from": "2025-03-01"}).json()
    assert [m["meeting_date"] for m in cabinet["meetings"]] == ["2025-03-04", "2025-03-13"]


def test_a_meeting_has_agenda_items_with_their_printed_page_ranges(client):
    meeting = client.get("/meetings/birmingham-education-os-2022-07-20").json()
    items = {i["item_number"]: i for i in meeting["agenda_items"]}
    notes, send = items["6"], items["7"]
    assert (notes["item_title"], notes["first_page"], notes["last_page"], notes["pages_from"]) == (
        "ACTION NOTES",
        5,
        16,
        "agenda",
    )
    assert (send["first_page"], send["last_page"], send["time_start"], send["time_end"]) == (
        17,
        66,
        "10.05",
        "11.00",
    )
    assert "Parent Carer Forum also in attendance" in send["attendees"]
    assert items["1"]["first_page"] is None and items["1"]["pages_from"] is None  # no paper, no range
    for item in meeting["agenda_items"]:
        assert item["page_source"] == "agenda" and item["page_start"] == 1  # the agenda is on pack pages 1-4
        _assert_on_its_page_or_passage(client, item)
    assert meeting["decisions"] == [] and meeting["commitments"] == []

    recorded = client.get("/meetings/birmingham-education-os-2022-03-30").json()
    assert len(recorded["decisions"]) == 12 and len(recorded["commitments"]) == 8
    assert any(d["quote"] == NEXUS and d["item_number"] == "8" for d in recorded["decisions"])

    kent = client.get("/meetings/kent-cabinet-2025-03-04").json()
    minutes = next(i for i in kent["agenda_items"] if i["item_number"] == "3")
    assert (minutes["item_title"], minutes["first_page"], minutes["last_page"]) == (
        "Minutes of the Meeting held on 30 January 2025",
        1,
        18,
    )
    assert minutes["page_source"] == "pdf"
    assert client.get("/meetings/kent-cabinet-1999-01-01").status_code == 404


def test_asking_what_was_resolved_leads_with_a_dated_cited_decision(client):
    body = client.post(
        "/ask",
        json={"question": "What was resolved about hearing the results of the youth violence research?"},
    ).json()
    assert body["answered"]
    assert body["answer"].startswith(
        "On 30 March 2022 the Education and Children's Social Care Overview and Scrutiny Committee resolved: "
        "“The Peer Researcher(s) to come back and give the Committee an overview and results of the youth "
        "violence research.”"
    )
    first = body["citations"][0]
    assert first["marker"] == 1 and first["quote"].startswith("The Peer Researcher(s) to come back")
    assert (first["page_start"], first["pack_pages"], first["page_source"]) == (None, [5, 16], "agenda")
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers == {c["marker"] for c in body["citations"]}
    for citation in body["citations"]:
        assert_quote_on_page(client, citation)


def test_asking_what_cabinet_resolved_cites_the_decision_on_its_page(client):
    body = client.post(
        "/ask", json={"question": "Which resolution did Cabinet pass on the capital budget?"}
    ).json()
    assert body["answer"].startswith(
        "On 30 January 2025 Cabinet resolved: “Agree the Capital budget changes.” [1]"
    )
    first = body["citations"][0]
    assert (first["quote"], first["page_start"], first["page_end"]) == (
        "Agree the Capital budget changes.",
        10,
        10,
    )
    for citation in body["citations"]:
        assert_quote_on_page(client, citation)


def test_a_decision_question_the_papers_do_not_answer_is_not_answered(client):
    body = client.post(
        "/ask", json={"question": "What was decided about the colour of the new trams?"}
    ).json()
    assert body["answered"] is False and body["citations"] == []
    filtered = client.post(
        "/ask",
        json={
            "question": "Which resolution asked for youth violence research results?",
            "doc_type": "report",
        },
    ).json()
    assert not filtered["answer"].startswith("On 30 March 2022")  # decisions come from minutes only


def test_search_results_say_how_their_pages_are_known(client):
    results = client.get("/search", params={"q": "Clair Graham VRU workshops for elected Members"}).json()[
        "results"
    ]
    top = results[0]
    assert (top["page_start"], top["page_end"], top["page_source"]) == (5, 16, "agenda")
    kent = client.get(
        "/search", params={"q": "Agree the Capital budget changes", "committee": "kent-cabinet"}
    )
    assert {r["committee"] for r in kent.json()["results"]} == {"Cabinet"}
    assert all(r["page_source"] == "pdf" for r in kent.json()["results"])


def test_a_reversed_date_range_matches_nothing(client):
    # The schema cannot say that date_from must come first, so the range is taken as given: empty.
    response = client.get("/decisions?date_from=2023-01-01&date_to=2022-01-01")
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/decisions?k=0",
        "/decisions?k=1000",
        "/decisions?k=ten",
        "/decisions?date_from=2022-13-01",
        "/decisions?date_to=yesterday",
        "/decisions?q=" + "x" * 600,
        "/commitments?status=done",
        "/commitments?status=open&k=-1",
        "/commitments?owner=" + "x" * 300,
        "/commitments?date_from=30/03/2022",
        "/meetings?date_to=2022-02-30",
        "/meetings/Not%20An%20Id",
        "/meetings/birmingham-education-os-1999-01-01",
        "/meetings/..%2F..%2Fetc",
    ],
)
def test_bad_record_requests_get_a_4xx_with_a_message(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code, response.text)
    assert response.json()["error"]


def test_a_meeting_lists_its_decisions_in_minute_order(client):
    council = client.get("/meetings/kent-county-council-2025-01-09").json()
    decisions = council["decisions"]
    assert [d["kind"] for d in decisions][:3] == ["motion_carried", "resolved", "motion_carried"]
    pages = [d["page_start"] for d in decisions]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 10
    lost = [d for d in decisions if d["kind"] == "amendment_lost"]
    assert [d["votes"]["against"] for d in lost] == [45, 43, 45, 40]
    assert all(d["outcome"] == "lost" and d["motion"].endswith("paragraph 15:") for d in lost)


def test_record_search_keeps_to_every_word_of_the_topic(client):
    # "transfer" alone matches one Cabinet decision; "transfer" with a word no record has matches none.
    transfer = client.get("/decisions", params={"q": "transfer adult social care"}).json()
    assert transfer["results"] and all("transfer" in r["text"].lower() for r in transfer["results"][:1])
    assert transfer["results"][0]["item_number"] == "90"
    nothing = client.get("/decisions", params={"q": "transfer of zeppelin moorings"}).json()
    assert (nothing["count"], nothing["results"]) == (0, [])
    assert nothing["message"] == "no decision in the index is about 'transfer of zeppelin moorings'"
