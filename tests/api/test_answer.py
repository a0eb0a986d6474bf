"""Fast unit tests of the answer and retrieval helpers (no model, no index)."""

from __future__ import annotations

from datetime import date

import pytest

from api.answer import is_heading, pick_quotes, sentences
from api.retrieval import Hit, date_hint, is_boilerplate


def test_sentences_span_pdf_line_breaks_but_stop_at_bullets_and_blank_lines():
    text = "The Kent Mineral and Waste Plan adopted\nin 2016 needs review. Members agreed:\n- to approve the plan now\n\nA new paragraph that is long enough."
    found = [text[a:b] for a, b in sentences(text)]
    assert found == [
        "The Kent Mineral and Waste Plan adopted\nin 2016 needs review.",
        "to approve the plan now",
        "A new paragraph that is long enough.",
    ]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Agenda Item No 3 English Devolution White Paper (Pages 1 - 18)", True),
        ("HOME TO SCHOOL TRANSPORT (11.00 – 11.20)", True),
        ("285. English Devolution White Paper (Item 3)", True),
        ("RESOLVED that the minutes be signed.", False),
        ("Mr Gough proposed, and Mr Brady seconded that Mr G Cooke be elected to Chair the meeting.", False),
    ],
)
def test_headings_are_told_from_statements(line, heading):
    assert is_heading(line) is heading


def _hit(chunk_id: str, text: str) -> Hit:
    return Hit(chunk_id, 1.0, {"chunk_id": chunk_id, "text": text})


def test_quotes_are_verbatim_numbered_and_never_a_restated_question():
    hits = [
        _hit("a-0001", "Short Breaks Review\n\nThe short breaks contracts will expire in March 2025."),
        _hit("b-0001", "Short breaks contracts. Unrelated sentence about libraries and parks."),
    ]
    quotes = pick_quotes("When do the short breaks contracts expire?", hits)
    assert [q.marker for q in quotes] == list(range(1, len(quotes) + 1))
    assert quotes[0].text == "The short breaks contracts will expire in March 2025."
    for quote in quotes:
        assert quote.text in quote.hit.row["text"]
        assert quote.text != "Short breaks contracts."  # says nothing the question does not


def test_date_hints():
    today = date(2026, 11, 22)
    assert date_hint("what was agreed in March 2022?", today) == (20220301, 20220331)
    assert date_hint("the 2017 meeting", today) == (20170101, 20171231)
    assert date_hint("what happened last April", today) == (20260401, 20260431)
    assert date_hint("last December's decision", today) == (20251201, 20251231)
    assert date_hint("between 2017 and 2022", today) is None
    assert date_hint("no time here", today) is None


def test_standing_items_need_both_heading_and_words():
    assert is_boilerplate({"section": "2 APOLOGIES", "text": "Apologies were received from Cllr Smith."})
    # A paper filed under a standing item's heading by mistake is not buried.
    assert not is_boilerplate(
        {"section": "12 OTHER URGENT BUSINESS", "text": "Short breaks budget is £1.6m."}
    )
