"""The HTTP contract on the bundled corpus with the real model."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.answerability import load_model
from api.limits import MAX_BODY_BYTES
from api.main import create_app
from indexer.config import Settings
from indexer.embedding import FakeEmbedder
from tests.api.citations import assert_quote_on_page, norm

KENT_MINUTES = "Minutes of Previous Meeting.pdf"


def test_health(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["documents"] == 22 and body["chunks"] > 1000
    assert body["search_snapshot"] is True  # the index run left one, and nothing has changed since


def test_health_without_an_index_is_503_with_the_build_command(tmp_path):
    client = TestClient(
        create_app(Settings().updated(index={"store_dir": tmp_path / "none"}), embedder=FakeEmbedder())
    )
    response = client.get("/health")
    assert response.status_code == 503
    assert "python -m indexer" in response.json()["error"]
    assert client.get("/search", params={"q": "roads"}).status_code == 503


def test_search_returns_cited_results(client):
    body = client.get(
        "/search", params={"q": "English Devolution White Paper priority programme", "k": 5}
    ).json()
    assert body["query"].startswith("English") and 0 < len(body["results"]) <= 5
    for result in body["results"]:
        for field in (
            "chunk_id",
            "text",
            "score",
            "document_id",
            "source",
            "title",
            "council",
            "committee",
            "meeting_date",
            "doc_type",
            "section",
            "page_start",
            "page_end",
            "page_label",
            "url",
        ):
            assert field in result
    top = body["results"][0]
    assert top["council"] == "Kent County Council"
    assert re.fullmatch(rf"/documents/{top['document_id']}/file#page={top['page_start']}", top["url"])


def test_each_result_marks_its_sentences_closest_to_the_query_on_their_own_page(client):
    results = client.get("/search", params={"q": "How is highways maintenance funded?", "k": 10}).json()[
        "results"
    ]
    marked = [r for r in results if r["highlight"]]
    assert len(marked) >= 5, [r["text"][:60] for r in results]
    for result in marked:
        highlight = result["highlight"]
        assert result["text"][highlight["char_start"] : highlight["char_end"]] == highlight["text"]
        assert len(highlight["text"]) < len(result["text"].strip())  # a part of the passage, not all of it
        if result["page_start"] is not None:  # inside the passage's pages, on its own page(s)
            assert (
                result["page_start"] <= highlight["page_start"] <= highlight["page_end"] <= result["page_end"]
            )
            citation = {**highlight, "quote": highlight["text"], "document_id": result["document_id"]}
            assert_quote_on_page(client, {**citation, "chunk_id": result["chunk_id"]})


def test_keyword_acronyms_are_found(client):
    for acronym in ("SENAR", "EHCP", "CSE"):
        results = client.get("/search", params={"q": acronym, "k": 5}).json()["results"]
        assert any(acronym in r["text"] for r in results), acronym


def test_filters_really_filter(client):
    def search(**params):
        return client.get("/search", params={"q": "budget and council tax", "k": 20, **params}).json()[
            "results"
        ]

    assert {r["committee"] for r in search(committee="Cabinet")} == {"Cabinet"}
    assert {r["doc_type"] for r in search(doc_type="minutes")} == {"minutes"}
    dated = search(date_from="2022-01-01", date_to="2022-12-31")
    assert dated and all("2022-01-01" <= r["meeting_date"] <= "2022-12-31" for r in dated)
    assert search(committee="No Such Committee") == []
    assert search(date_from="2030-01-01") == []
    for council in ("Kent County Council", "Birmingham City Council"):
        assert {r["council"] for r in search(council=council)} == {council}
    assert search(council="No Such Council") == []
    echoed = client.get(
        "/search", params={"q": "budget", "council": "Kent County Council", "date_to": "2025-12-31"}
    )
    assert echoed.json()["filters"] == {"council": "Kent County Council", "date_to": "2025-12-31"}


def test_minutes_inside_a_pack_filter_by_their_own_date(client):
    results = client.get(
        "/search",
        params={"q": "child sexual exploitation", "date_from": "2022-03-30", "date_to": "2022-03-30"},
    ).json()["results"]
    assert results and all(r["meeting_date"] == "2022-03-30" for r in results)
    assert any("Clair Graham" in r["text"] for r in results)


def test_a_question_naming_a_time_prefers_that_meeting(client):
    results = client.get("/search", params={"q": "action notes in March 2022", "k": 3}).json()["results"]
    assert results[0]["meeting_date"].startswith("2022-03")


def test_near_duplicates_are_returned_once_with_alternates(client):
    # The SEND stocktake is printed inside the 20 July 2022 pack and also stands on its own.
    results = client.get(
        "/search", params={"q": "SEND Local Offer website visitors each month against target", "k": 10}
    ).json()["results"]
    stocktake = [r for r in results[:5] if r["source"].endswith("send-app-stocktake.txt")]
    assert stocktake and all(r["alternates"] for r in stocktake), [r["source"] for r in results]
    for result in stocktake:
        alternate_sources = {a["source"] for a in result["alternates"]}
        assert any(
            s.endswith("2022-07-20_education-childrens-social-care-os_agenda-pack.txt")
            for s in alternate_sources
        )
    ids = {r["chunk_id"] for r in results}
    assert not ids & {a["chunk_id"] for r in results for a in r["alternates"]}


def test_boilerplate_does_not_crowd_out_substance(client):
    results = client.get("/search", params={"q": "what was discussed at the meeting", "k": 10}).json()[
        "results"
    ]
    boilerplate = [
        r for r in results if r["section"] and re.search(r"WEBCAST|APOLOGIES|DECLARATION", r["section"])
    ]
    assert len(boilerplate) <= 2


def test_ask_answers_with_citations_whose_quotes_are_on_their_pages(client):
    body = client.post(
        "/ask", json={"question": "What did the Cabinet resolve about the minutes of 9 January 2025?"}
    ).json()
    assert body["answered"], body["answer"]
    assert re.search(r"\[\d+\]", body["answer"])
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers == {c["marker"] for c in body["citations"]}
    for citation in body["citations"]:
        assert_quote_on_page(client, citation)


@pytest.mark.parametrize(
    "question",
    [
        "What do the diversion and out of court disposals for young people involve?",
        "What does the inspector conclude about the duty to cooperate?",
        "How is the Statement of Community Involvement treated by the planning inspector?",
        "Which resolution of Cabinet noted a forecast capital underspend?",
    ],
)
def test_citation_quotes_are_verbatim_on_their_pages(client, question):
    body = client.post("/ask", json={"question": question}).json()
    assert body["answered"] and body["citations"], body["answer"]  # else the loop below checks nothing
    for citation in body["citations"]:
        assert_quote_on_page(client, citation)


def test_unanswerable_question_says_not_found_and_names_what_was_searched(client):
    body = client.post(
        "/ask", json={"question": "What colour will the new Birmingham trams be painted?"}
    ).json()
    assert body["answered"] is False and body["citations"] == []
    assert body["answer"].startswith("Searched the 22 indexed documents")
    assert "Birmingham City Council" in body["answer"] and "2017" in body["answer"]
    # It says what is missing: words of the question that none of the passages found uses.
    assert body["answer"].endswith("none of the passages found mentions “colour” or “trams”.")
    assert 0 <= body["confidence"] < load_model().threshold


def test_a_near_miss_without_the_figure_asked_for_is_not_answered(client):
    """The papers describe the youth offending service's out of court disposals, but never say what they
    cost."""
    body = client.post(
        "/ask", json={"question": "How much did the out of court disposals programme cost?"}
    ).json()
    assert body["answered"] is False and body["citations"] == [] and body["passages"]
    assert "Out of Court" in " ".join(p["text"] for p in body["passages"])
    assert body["answer"].startswith("The passages found in the 22 indexed documents")
    assert body["answer"].endswith("none gives a sum of money.")
    answered = client.post(
        "/ask",
        json={"question": "How much notional SEN funding do mainstream schools receive?"},
    ).json()
    assert answered["answered"] is True
    assert any("£161m" in c["quote"] for c in answered["citations"])


def test_ask_respects_filters_and_names_them(client):
    body = client.post(
        "/ask", json={"question": "What was agreed about devolution?", "committee": "Nonexistent Panel"}
    ).json()
    assert body["answered"] is False and "committee Nonexistent Panel" in body["answer"]


@pytest.mark.parametrize(
    "narrowed", [{"doc_type": "minutes"}, {"council": "Kent County Council"}, {"council": "Nowhere Council"}]
)
def test_a_decision_question_takes_every_filter(client, narrowed):
    # The decision records have no council or doc_type column of their own: these filters used to be a 500.
    response = client.post(
        "/ask", json={"question": "What did the councillors resolve on devolution?", **narrowed}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    registry = {d["document_id"]: d for d in client.get("/documents").json()["documents"]}
    for citation in body["citations"]:
        document = registry[citation["document_id"]]
        assert all(document[key] == value for key, value in narrowed.items())
    if narrowed.get("council") == "Nowhere Council":
        assert body["answered"] is False and "Nowhere Council" in body["answer"]


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("get", "/search?q=", None),
        ("get", "/search?q=%20%20", None),
        ("get", "/search", None),
        ("get", "/search?q=" + "x" * 600, None),
        ("get", "/search?q=roads&k=0", None),
        ("get", "/search?q=roads&k=1000", None),
        ("get", "/search?q=roads&k=ten", None),
        ("get", "/search?q=roads&date_from=2022-13-01", None),
        ("get", "/search?q=roads&date_to=yesterday", None),
        ("get", "/search?q=roads&doc_type=novel", None),
        ("post", "/ask", {}),
        ("post", "/ask", {"question": ""}),
        ("post", "/ask", {"question": "roads", "k": 0}),
        ("post", "/ask", {"question": "roads", "date_from": "01/02/2022"}),
        ("post", "/ask", {"question": 42}),
        ("get", "/documents/0123456789abcdef", None),
        ("get", "/documents/not-an-id", None),
        ("get", "/documents/..%2F..%2Fetc%2Fpasswd/file", None),
        ("get", "/documents/0123456789abcdef/file", None),
        ("get", "/chunks/0123456789abcdef-0001", None),
    ],
)
def test_bad_input_gets_a_4xx_with_a_message(client, method, url, payload):
    response = client.post(url, json=payload) if method == "post" else client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code, response.text)
    assert response.json()["error"]


def test_malformed_json_body_is_a_4xx(client):
    response = client.post("/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]


def test_documents_pages_and_files(client):
    documents = client.get("/documents").json()["documents"]
    assert len(documents) == 22
    minutes = next(d for d in documents if d["source"].endswith(KENT_MINUTES))
    detail = client.get(f"/documents/{minutes['document_id']}").json()
    assert detail["meeting_date"] == "2025-01-30" and detail["pages"][1]["page_label"] == "2"
    assert any(s["title"] for s in detail["sections"])
    page = client.get(f"/documents/{minutes['document_id']}/pages/2").json()
    assert "Members agreed to refer the decision to full Council" in norm(page["text"])
    assert client.get(f"/documents/{minutes['document_id']}/pages/99").status_code == 404
    pdf = client.get(f"/documents/{minutes['document_id']}/file")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_chunk_view_highlights_the_passage(client):
    result = client.get("/search", params={"q": "Clair Graham VRU workshops for elected Members"}).json()[
        "results"
    ][0]
    chunk = client.get(f"/chunks/{result['chunk_id']}").json()
    assert chunk["context"][chunk["highlight_start"] : chunk["highlight_end"]] == chunk["text"]


def test_an_oversized_body_is_refused_before_it_is_read(tmp_path):
    client = TestClient(
        create_app(Settings().updated(index={"store_dir": tmp_path / "none"}), embedder=FakeEmbedder())
    )
    big = {"question": "x" * (MAX_BODY_BYTES + 10)}
    response = client.post("/ask", json=big)
    assert response.status_code == 413 and "64 KB" in response.json()["error"]

    def chunks():  # no Content-Length: the cap holds while the body arrives
        for _ in range(40):
            yield b"x" * 4096

    streamed = client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_one_agenda_item_fills_at_most_two_places_and_lists_the_rest_under_them(client):
    params = {"q": "youth offending service plan priorities", "k": 10, "per_item": 2}
    results = client.get("/search", params=params).json()["results"]
    items: dict[tuple, int] = {}
    for result in results:
        if result["section"]:
            key = (result["document_id"], result["part_title"], result["section"].split(" › ")[0])
            items[key] = items.get(key, 0) + 1
    assert items and max(items.values()) <= 2, items
    listed = [more for r in results for more in r["more_from_item"]]
    assert listed, "the item's other passages are listed under it"
    shown = {r["chunk_id"] for r in results}
    assert not shown & {more["chunk_id"] for more in listed}
    for result in results:
        for more in result["more_from_item"]:
            assert more["section"].split(" › ")[0] == result["section"].split(" › ")[0]
            assert more["url"]
