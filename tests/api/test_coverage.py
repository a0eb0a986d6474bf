"""Coverage of a question by its passages and by the index, and the not-found messages built from it."""

from __future__ import annotations

from collections import Counter

import pytest

from api.coverage import (
    Coverage,
    IndexCoverage,
    KeyTerm,
    TermStats,
    committee_indexed,
    committees_named,
    describe_period,
    key_terms,
    names_in,
    numbers_in,
    period_indexed,
)
from api.not_found import agenda_mention, coverage_message, no_resolution_message, records_a_decision
from api.retrieval import Hit

INDEX = IndexCoverage(
    {
        "Cabinet": ["2025-01-30", "2025-03-04"],
        "Libraries and Leisure Overview and Scrutiny Committee": ["2019-06-05", "2021-02-10"],
    },
    ["Northshire County Council", "Southport City Council"],
    {
        "Cabinet": ["Northshire County Council"],
        "Libraries and Leisure Overview and Scrutiny Committee": ["Southport City Council"],
    },
)


def test_key_terms_drop_scaffolding_and_put_the_rarest_first():
    from api.answer import terms

    stem = {word: terms(word)[0] for word in ("library", "opening", "hours")}
    stats = TermStats(100, Counter({stem["library"]: 40, stem["opening"]: 10, stem["hours"]: 30}))
    found = key_terms("What did the committee decide about library opening hours and the harbour?", stats)
    assert [t.word for t in found] == ["harbour", "opening", "hours", "library"]
    assert found[0].idf == pytest.approx(stats.max_idf)  # in no passage at all


def test_names_and_numbers_a_question_asks_about():
    assert names_in("Did Councillor Amberley attend the Harbourside meeting in May?") == [
        "Amberley",
        "Harbourside",
        "May",
    ]
    assert numbers_in("Was the 2,500 figure for 2019 or 12 months?") == ["2500", "2019", "12"]


@pytest.mark.parametrize(
    ("question", "named", "indexed"),
    [
        ("What did the Planning Committee approve?", ["Planning Committee"], False),
        ("What did the Libraries Scrutiny Committee ask for?", ["Libraries Scrutiny Committee"], True),
        ("What did Cabinet agree?", ["Cabinet"], True),
        ("After Cabinet met, what was agreed?", ["Cabinet"], True),
        ("What did Northshire's Cabinet agree?", ["Northshire's Cabinet"], True),
        ("What did Southport's Cabinet agree?", ["Southport's Cabinet"], False),
        ("What did the Health and Wellbeing Board agree?", ["Health and Wellbeing Board"], False),
        ("what was agreed about parks?", [], None),
    ],
)
def test_a_named_committee_is_matched_against_the_indexed_ones(question, named, indexed):
    assert committees_named(question) == named
    if named:
        assert committee_indexed(named[0], INDEX) is indexed


def test_other_councils_and_full_dates_are_read_from_the_question():
    from api.coverage import full_dates, other_councils

    assert other_councils("Did Eastmoor District Council propose it?", INDEX) == ["Eastmoor District Council"]
    assert other_councils("How does Westfield's scheme work?", INDEX) == ["Westfield"]
    assert other_councils("What did Northshire County Council agree?", INDEX) == []
    assert other_councils("What did Northshire's Cabinet agree?", INDEX) == []
    assert full_dates("Who spoke on 5 June 2019 and on the 21st March 2025?") == ["2019-06-05", "2025-03-21"]
    assert full_dates("In June 2019") == []
    message = coverage_message("the papers", Coverage(dates_unindexed=["2019-06-06"]), INDEX, [])
    assert message.startswith("No meeting on 6 June 2019 is indexed; the papers hold papers of")
    other = coverage_message("the papers", Coverage(other_councils=["Eastmoor District Council"]), INDEX, [])
    assert other == (
        "No paper of Eastmoor District Council is indexed; the papers are papers of Northshire County Council and "
        "Southport City Council."
    )


def test_periods_are_matched_against_indexed_meeting_dates():
    assert period_indexed((20190101, 20191231), INDEX)
    assert not period_indexed((20230101, 20231231), INDEX)
    assert describe_period((20230101, 20231231)) == "2023"
    assert describe_period((20250301, 20250331)) == "March 2025"
    assert INDEX.describe() == (
        "Northshire County Council: Cabinet (2025); "
        "Southport City Council: Libraries and Leisure Overview and Scrutiny Committee (2019, 2021)"
    )


def _term(word: str, idf: float = 3.0) -> KeyTerm:
    return KeyTerm(word, word, idf)


def test_not_found_names_the_terms_no_passage_mentions():
    missing = [_term("tram"), _term("colour")]
    coverage = Coverage(missing_terms=missing, unmentioned_terms=missing, unindexed_terms=[_term("tram")])
    message = coverage_message("the 3 indexed documents", coverage, INDEX, [])
    assert message == (
        "No passage in the 3 indexed documents answers this. No indexed passage mentions “tram”. "
        "The nearest passages do not mention “colour”."
    )


def test_a_term_counts_as_mentioned_in_any_of_its_forms():
    from api.coverage import _mentioned

    upgrade = KeyTerm("upgrade", "upgrade", 3.0)
    assert _mentioned(upgrade, {"the", "system", "upgraded"})
    assert _mentioned(KeyTerm("hours", "hour", 2.0), {"hour"})
    assert not _mentioned(upgrade, {"grade", "up"})


def test_not_found_says_which_committee_or_period_has_no_indexed_meeting():
    committee = coverage_message("the papers", Coverage(unmet_committees=["Planning Committee"]), INDEX, [])
    assert committee.startswith(
        "No meeting of the Planning Committee is indexed; the papers hold papers of Northshire County Council: "
        "Cabinet (2025)"
    )
    both = Coverage(unmet_committees=["Planning Committee"], unmet_period=(20230101, 20231231))
    assert coverage_message("the papers", both, INDEX, []).startswith(
        "No meeting of the Planning Committee or of any committee in 2023 is indexed;"
    )
    period = coverage_message("the papers", Coverage(unmet_period=(20230101, 20231231)), INDEX, [])
    assert period.startswith("No meeting in 2023 is indexed;")
    assert "Libraries and Leisure Overview and Scrutiny Committee (2019, 2021)" in period
    typed = coverage_message("the papers", Coverage(), INDEX, ["sum of money"])
    assert typed == "The passages found in the papers touch on this, but none gives a sum of money."


def _hit(text: str) -> Hit:
    return Hit("c-0001", 1.0, {"chunk_id": "c-0001", "text": text})


def test_a_recorded_decision_on_the_topic_is_told_from_a_mention():
    question = "What was decided about the library opening hours?"
    assert records_a_decision(question, [_hit("RESOLVED that the library opening hours be extended.")])
    assert not records_a_decision(
        question, [_hit("The library opening hours report is attached for members.")]
    )
    assert not records_a_decision(question, [_hit("Members agreed the parks budget without debate.")])


def test_no_resolution_lists_the_agenda_items_newest_first_with_their_pack_pages():
    rows = [
        {
            "document_id": "d1",
            "document_kind": "text",
            "chunk_id": "d1-0003",
            "meeting_date": "2024-05-15",
            "committee": "Libraries Committee",
            "item_number": "6",
            "title": "Library Opening Hours",
            "first_page": 21,
            "last_page": 34,
            "pack_pages": [21, 34],
            "page_source": "agenda",
        },
        {
            "document_id": "d2",
            "document_kind": "pdf",
            "meeting_date": "2022-01-12",
            "committee": "Cabinet",
            "item_number": "4",
            "title": "Opening hours of libraries",
            "page_number": 2,
        },
    ]
    mentions = [agenda_mention(r) for r in rows]
    assert mentions[0]["pack_pages"] == [21, 34] and mentions[0]["url"].startswith("/view.html?document=d1")
    assert mentions[1]["url"] == "/documents/d2/file#page=2" and mentions[1]["pack_pages"] is None
    message = no_resolution_message("What was resolved about library opening hours?", mentions)
    assert message == (
        "No resolution on library opening hours is recorded in the indexed minutes. It was on the agendas of, "
        "newest first, the Libraries Committee on 15 May 2024 (item 6, “Library Opening Hours”, pack pages 21–34); "
        "the Cabinet on 12 January 2022 (item 4, “Opening hours of libraries”)."
    )
