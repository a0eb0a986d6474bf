"""Fast unit tests of the answer and retrieval helpers (no model, no index)."""

from __future__ import annotations

from datetime import date

import pytest

from api.answer import is_heading, missing_answer_types, pick_quotes, sentences
from api.answer_types import ANSWER_TYPES, expected_answer_types
from api.retrieval import Hit, date_hint, is_boilerplate


def test_sentences_span_pdf_line_breaks_but_stop_at_bullets_and_blank_lines():
    text = "The Tree Planting Strategy adopted\nin 2016 needs review. Members agreed:\n- to approve the plan now\n\nA new paragraph that is long enough."
    found = [text[a:b] for a, b in sentences(text)]
    assert found == [
        "The Tree Planting Strategy adopted\nin 2016 needs review.",
        "to approve the plan now",
        "A new paragraph that is long enough.",
    ]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Agenda Item No 3 Cemeteries and Crematoria (Pages 1 - 18)", True),
        ("PARKS AND OPEN SPACES (11.00 – 11.20)", True),
        ("285. Cemeteries and Crematoria (Item 3)", True),
        ("RESOLVED that the minutes be signed.", False),
        ("Mr Smith proposed, and Ms Jones seconded, that the allotment rents be frozen for a year.", False),
    ],
)
def test_headings_are_told_from_statements(line, heading):
    assert is_heading(line) is heading


def _hit(chunk_id: str, text: str) -> Hit:
    return Hit(chunk_id, 1.0, {"chunk_id": chunk_id, "text": text})


def test_quotes_are_verbatim_numbered_and_never_a_restated_question():
    hits = [
        _hit(
            "a-0001",
            "Grounds Maintenance Review\n\nThe grounds maintenance contracts will expire in June 2027.",
        ),
        _hit("b-0001", "Grounds maintenance contracts. Unrelated sentence about libraries and parks."),
    ]
    quotes = pick_quotes("When do the grounds maintenance contracts expire?", hits)
    assert [q.marker for q in quotes] == list(range(1, len(quotes) + 1))
    assert quotes[0].text == "The grounds maintenance contracts will expire in June 2027."
    for quote in quotes:
        assert quote.text in quote.hit.row["text"]
        assert quote.text != "Grounds maintenance contracts."  # says nothing the question does not


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
        {"section": "12 OTHER URGENT BUSINESS", "text": "Grounds maintenance budget is £1.6m."}
    )


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("How much did the bus shelter repairs cost the council?", ["sum of money"]),
        ("What is the yearly value of the cleaning contract?", ["sum of money"]),
        ("How much of the backlog would the extra staff clear, and when?", ["percentage"]),
        (
            "When would the library survey report back, and how much of the bill would grants meet?",
            ["percentage", "date"],
        ),
        ("What share of bus routes run on time?", ["percentage"]),
        ("How long do tenants wait for a housing repair?", ["duration"]),
        ("How many members voted in favour of the motion?", ["number"]),
        ("By when should the parking review be finished?", ["date"]),
        ("How much has the count of bus passes risen since 2019?", []),  # a count or a share: either answers
        ("What was resolved about the allotment rents?", []),
    ],
)
def test_questions_say_what_kind_of_value_answers_them(question, kinds):
    assert [kind.name for kind in expected_answer_types(question)] == kinds


@pytest.mark.parametrize(
    ("sentence", "kind", "given"),
    [
        ("The bridge repairs budget (£845,000 a year overall) isn't changing.", "sum of money", True),
        ("Savings of 12.5m are required next year.", "sum of money", True),
        ("The budget pressures on bridge repairs are rising.", "sum of money", False),
        ("A growth bid for 100% of what is needed.", "percentage", True),
        ("Most children were in mainstream schools.", "percentage", False),
        ("Children wait 18 weeks on average.", "duration", True),
        ("The motion was carried unanimously.", "number", True),
        ("The draft is due in September.", "date", True),
    ],
)
def test_sentences_say_whether_they_give_that_kind_of_value(sentence, kind, given):
    (answer_type,) = [t for t in ANSWER_TYPES if t.name == kind]
    assert answer_type.given_by(sentence) is given


def test_a_figure_about_the_subject_is_needed_before_a_how_much_question_is_answered():
    question = "How much did the street lighting control system upgrade cost?"
    topic_only = _hit("c0", "The street lighting control system upgrade went live in March after testing.")
    figure_elsewhere = _hit("c1", "Waste collection costs rose by £4.2m this year.")
    assert [k.name for k in missing_answer_types(question, [topic_only, figure_elsewhere])] == [
        "sum of money"
    ]
    answered = _hit("c2", "The street lighting system upgrade cost £310,000, met from reserves.")
    assert missing_answer_types(question, [topic_only, answered]) == []
    assert missing_answer_types("What happened to the street lighting upgrade?", [topic_only]) == []


@pytest.mark.parametrize(
    ("question", "text", "answer"),
    [
        (
            "How much money is set aside each year to repair the county's footbridges?",
            "Demand for repairs to the county's footbridges is high and rising each year. "
            "Repairs to the county's footbridges are funded within the wider highways budget each year. "
            "The budget for the county's footbridges is £845,000 a year.",
            "£845,000",
        ),
        (  # a "who" question prefers a sentence naming a person
            "Which councillor took the chair for June's site visit?",
            "The chair thanked the officers for arranging the June site visit. "
            "The chair said the June visit had gone well. "
            "Councillor Amira Patel [Chair] met residents there and walked the route with them.",
            "Councillor Amira Patel",
        ),
    ],
)
def test_a_sentence_giving_the_kind_of_answer_asked_for_is_preferred(question, text, answer):
    quotes = pick_quotes(question, [_hit("c0", text)])  # at most two sentences from one passage
    assert any(answer in quote.text for quote in quotes), [q.text for q in quotes]


def test_a_passage_naming_no_person_is_no_sign_of_a_missing_answer():
    assert missing_answer_types("Who chaired the visit?", [_hit("p1", "The visit went well.")]) == []
