"""Committees a question names that no indexed paper is of (made-up committees and questions)."""

from __future__ import annotations

from api.committees import absent_committee_message, named_committees, unindexed_committees

INDEXED = [
    "Housing and Neighbourhoods Overview and Scrutiny Committee",
    "Cabinet",
    "Planning Sub-Committee",
]


def test_a_committee_is_named_without_the_question_words_or_a_possessive():
    named = named_committees(
        "What did Borsetshire's Audit and Governance Committee say about allotment rents?"
    )
    assert [c.name for c in named] == ["Audit and Governance Committee"]
    assert [c.name for c in named_committees("Did the Licensing Sub-Committee grant it?")] == [
        "Licensing Sub-Committee"
    ]


def test_lower_case_committees_and_other_bodies_are_not_named():
    assert named_committees("Has the committee ever looked at parking charges?") == []
    assert named_committees("What did the Transformation Board report in May?") == []


def test_an_indexed_committee_named_in_short_or_in_part_is_indexed():
    for question in (
        "What did the Housing and Neighbourhoods O&S Committee recommend?",
        "What did the Housing Scrutiny Committee conclude about parking charges?",
        "Which applications did the Planning Sub-Committee refuse?",
    ):
        assert unindexed_committees(question, INDEXED, []) == [], question


def test_a_committee_that_is_not_indexed_is_reported_unless_a_passage_names_it():
    question = "What did the Audit and Governance Committee say about allotment rents?"
    assert unindexed_committees(question, INDEXED, ["The allotment rents were set by Cabinet."]) == [
        "Audit and Governance Committee"
    ]
    passage = "The report was considered by the Audit and\nGovernance Committee on 3 May."
    assert unindexed_committees(question, INDEXED, [passage]) == []
    # A committee that shares a word with an indexed one is still another committee.
    assert unindexed_committees("What did the Housing Appeals Committee decide?", INDEXED, []) == [
        "Housing Appeals Committee"
    ]


def test_the_message_names_what_was_searched_and_the_committees_that_are_indexed():
    message = absent_committee_message("Audit and Governance Committee", "the 3 indexed documents", INDEXED)
    assert message == (
        "No papers of the Audit and Governance Committee are in the 3 indexed documents, and no passage "
        "found names it; the indexed committees are: Cabinet; Housing and Neighbourhoods Overview and "
        "Scrutiny Committee; Planning Sub-Committee."
    )
    many = [f"Committee {n:02d}" for n in range(9)]
    assert absent_committee_message("X Committee", "the index", many).endswith(
        "Committee 04; Committee 05; and 3 more."
    )
