"""Retrieval's own rules: one agenda item need not fill the top k; the dates a question names."""

from __future__ import annotations

from datetime import date

from api.query import date_hint
from api.retrieval import Hit, diversify, item_of


def _hit(chunk_id: str, section: str | None, document_id: str = "doc", **row) -> Hit:
    return Hit(chunk_id, 1.0, {"chunk_id": chunk_id, "document_id": document_id, "section": section, **row})


def test_at_most_two_passages_of_an_item_and_the_rest_listed_under_the_last_shown():
    hits = [
        _hit("a1", "8 TRANSPORT › Routes"),
        _hit("a2", "8 TRANSPORT"),
        _hit("a3", "8 TRANSPORT › Drivers"),
        _hit("b1", "9 YOUTH JUSTICE"),
        _hit("a4", "8 TRANSPORT"),
        _hit("c1", None),
        _hit("c2", None),
        _hit("d1", "8 TRANSPORT", document_id="other"),
    ]
    shown = diversify(hits, k=5, max_per_item=2)
    assert [h.chunk_id for h in shown] == ["a1", "a2", "b1", "c1", "c2"]
    assert [row["chunk_id"] for row in shown[1].more_from_item] == ["a3", "a4"]
    assert not shown[0].more_from_item


def test_a_minute_item_is_its_own_item_inside_the_packs_paper():
    pack = {
        "document_id": "p",
        "title": "Pack",
        "doc_type": "minutes",
        "part_title": "Action Notes of 30 March",
    }
    first = item_of({**pack, "section": "6 ACTION NOTES › 2 APOLOGIES"})
    second = item_of({**pack, "section": "6 ACTION NOTES › 5 TRANSPORT › RESOLVED"})
    assert first is not None and second is not None and first != second
    report = {"document_id": "r", "title": "Report", "doc_type": "report", "part_title": "Report"}
    assert item_of({**report, "section": "2 Finance › 2.1 Budget"}) == item_of(
        {**report, "section": "2 Finance"}
    )
    assert item_of({**report, "section": None}) is None


def test_dates_a_question_names():
    today = date(2025, 6, 1)
    assert date_hint("minutes of 30 March 2022", today) == (20220330, 20220330)
    assert date_hint("in March 2022", today) == (20220301, 20220331)
    assert date_hint("the 2017 meeting", today) == (20170101, 20171231)
    assert date_hint("last April", today) == (20250401, 20250431)
    assert date_hint("budget for 2022/23", today) is None  # a financial year names no meeting
    assert date_hint("what is planned", today) is None
