"""Records drawn from the real papers: decisions, commitments and agenda items checked against the text."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest

from evals.decisions import (
    check_split,
    evaluate_decisions,
    load_document,
    load_gold,
    meetings_in_test,
    score_document,
)
from indexer.embedding import FakeEmbedder
from indexer.layout.agenda import agenda_page_spans
from indexer.models import DocumentMeta, Page, ParsedDocument, Part
from indexer.pipeline import parse_file
from indexer.reading.committees import canonical_committee
from indexer.reading.metadata import load_metadata, metadata_for
from indexer.records.extract import extract_records, link_commitments
from indexer.records.models import Commitment, Evidence, Records
from tests.conftest import CORPUS

PACK_2017 = "birmingham/2017-07-12_schools-children-families-os_agenda-pack.txt"
PACK_2022 = "birmingham/2022-07-20_education-childrens-social-care-os_agenda-pack.txt"
STOCKTAKE_2022 = "birmingham/2022-07-20_education-childrens-social-care-os_send-app-stocktake.txt"
PORTFOLIO_2022 = "birmingham/2022-09-07_education-childrens-social-care-os_portfolio-report.txt"
PACK_2024 = "birmingham/2024-05-15_education-children-young-people-os_agenda-pack.txt"
CABINET_MINUTES = "kent/cabinet__2025-03-04__originals__Minutes of Previous Meeting.pdf"
COUNCIL_MINUTES = (
    "kent/full_council__2025-01-09__originals__Printed minutes 09th-Jan-2025 10.00 County Council.pdf"
)
CABINET_AGENDA = "kent/cabinet__2025-03-04__originals__Agenda frontsheet 04th-Mar-2025 10.00 Cabinet.pdf"
ALL = [PACK_2017, PACK_2022, STOCKTAKE_2022, PORTFOLIO_2022, PACK_2024, CABINET_MINUTES, COUNCIL_MINUTES]


@cache
def document(rel_path: str) -> ParsedDocument:
    return load_document(CORPUS, rel_path)


@cache
def records(rel_path: str) -> Records:
    return extract_records(document(rel_path))


def decision(rel_path: str, starts_with: str):
    found = [d for d in records(rel_path).decisions if " ".join(d.quote.split()).startswith(starts_with)]
    assert len(found) == 1, f"{len(found)} decisions start with {starts_with!r}"
    return found[0]


def commitment(rel_path: str, containing: str, source: str | None = None) -> Commitment:
    found = [
        c
        for c in records(rel_path).commitments
        if containing in c.what and (source is None or c.source == source)
    ]
    assert len(found) == 1, f"{len(found)} commitments contain {containing!r}"
    return found[0]


def agenda_item(rel_path: str, number: str):
    return next(a for a in records(rel_path).agenda_items if a.item_number == number)


def line_of(rel_path: str, char: int) -> int:
    return document(rel_path).full_text.count("\n", 0, char) + 1


# --- Every record cites its text exactly ------------------------------------------------------------------


@pytest.mark.parametrize("rel_path", [*ALL, CABINET_AGENDA])
def test_every_quote_is_the_exact_text_of_its_span(rel_path: str) -> None:
    text = document(rel_path).full_text
    extracted = records(rel_path)
    for record in [*extracted.agenda_items, *extracted.decisions, *extracted.commitments]:
        assert record.quote == text[record.char_start : record.char_end]
        assert record.quote == record.quote.strip() and record.quote
        assert record.document_id == document(rel_path).document_id


@pytest.mark.parametrize("rel_path", [CABINET_MINUTES, COUNCIL_MINUTES])
def test_a_pdf_decision_quote_is_on_its_cited_pages(rel_path: str) -> None:
    pages = {p.page_number: p for p in document(rel_path).pages}
    for found in records(rel_path).decisions:
        first, last = pages[found.page_number], pages[found.page_number_end]
        assert first.char_start <= found.char_start and found.char_end <= last.char_end


# --- Birmingham, 20 July 2022 pack (action notes of 30 March 2022) ----------------------------------------


def test_2022_resolutions_are_dated_by_the_meeting_they_record() -> None:
    cancelled = decision(PACK_2022, "The meeting scheduled for Wednesday 6 April 2022")
    assert (cancelled.meeting_date, cancelled.item_number, cancelled.item_title) == (
        "2022-03-30",
        "10",
        "DATE OF NEXT MEETING",
    )
    assert cancelled.kind == "resolved"
    assert line_of(PACK_2022, cancelled.char_start) == 362
    assert cancelled.page_number is None and cancelled.pack_pages == (5, 16)  # pages printed on the agenda
    assert cancelled.committee_id == "birmingham-education-os"


def test_2022_a_noting_lead_in_is_joined_to_each_of_its_bullets() -> None:
    assert not [d for d in records(PACK_2022).decisions if d.quote.startswith("The update was noted")]
    tickets = decision(PACK_2022, "The Committee to write to the Commonwealth Games Programme Director")
    assert (tickets.kind, tickets.item_number, line_of(PACK_2022, tickets.char_start)) == (
        "resolved",
        "7",
        273,
    )
    assert tickets.text is not None
    assert tickets.text.startswith("RESOLVED: The update was noted and the Committee to write to the")


def test_2022_agreement_in_the_narrative_is_a_decision() -> None:
    agreed = decision(PACK_2022, "it was agreed that the committee reconvene after the AGM")
    assert (agreed.kind, agreed.item_number, agreed.meeting_date) == ("agreed", "9", "2022-03-30")


def test_2022_undertaking_repeated_under_resolved_is_one_commitment() -> None:
    workshops = commitment(PACK_2022, "undertook to have a discussion with the lead officer for the VRU")
    assert workshops.who == "Clair Graham"
    assert (workshops.item_number, workshops.meeting_date) == ("6", "2022-03-30")
    assert line_of(PACK_2022, workshops.char_start) == 228  # the formal record under RESOLVED
    assert (workshops.status, workshops.status_source) == ("open", "none stated")
    assert "open by default" in (workshops.status_note or "")


def test_2022_requested_information_is_a_commitment() -> None:
    funding = commitment(PACK_2022, "Information on where the interim funding has been spent")
    assert (funding.item_number, funding.who, funding.source) == ("8", None, "minutes")


def test_2022_agenda_items_with_printed_page_ranges() -> None:
    notes, send = agenda_item(PACK_2022, "6"), agenda_item(PACK_2022, "7")
    assert (notes.title, notes.first_page, notes.last_page) == ("ACTION NOTES", 5, 16)
    assert (send.title, send.first_page, send.last_page) == ("SEND", 17, 66)
    assert (send.time_start, send.time_end) == ("10.05", "11.00")
    assert "Parent Carer Forum also in attendance" in (send.attendees or "")
    assert agenda_item(PACK_2022, "9").title == "YOUTH JUSTICE PLAN"
    assert (agenda_item(PACK_2022, "10").first_page, agenda_item(PACK_2022, "10").last_page) == (119, 132)


def test_2022_page_spans_follow_the_agenda_ranges() -> None:
    text = document(PACK_2022).full_text
    spans = {
        (first, last): (start, end) for start, end, first, last in agenda_page_spans(document(PACK_2022))
    }
    minutes_part = next(p for p in document(PACK_2022).parts if p.doc_type == "minutes")
    assert spans[(5, 16)] == (minutes_part.char_start, minutes_part.char_end)
    assert text[spans[(17, 17)][0] :].lstrip().startswith("Accelerated Progress Plan - Stocktake")
    assert "Page 17 of 132" in text[slice(*spans[(17, 17)])]  # the printed footer closes page 17
    assert text[spans[(67, 76)][0] :].startswith("Home To School Transport - Update")
    assert text[spans[(77, 118)][0] :].startswith("BIRMINGHAM YOUTH OFFENDING SERVICE")
    assert spans[(119, 132)][1] == len(text)


# --- Birmingham, 15 May 2024 pack (minutes of 10 April 2024 and the action tracker) -----------------------


def test_2024_decisions() -> None:
    tracker_noted = decision(PACK_2024, "The action tracker be noted.")
    assert (tracker_noted.kind, tracker_noted.item_number, tracker_noted.meeting_date) == (
        "noted",
        "6",
        "2024-04-10",
    )
    agreed = decision(PACK_2024, "The Chair commented that there were currently two items")
    assert agreed.kind == "agreed" and agreed.quote.endswith("The Committee agreed to this.")
    assert agreed.pack_pages == (5, 10)


def test_2024_commitment_is_completed_by_the_later_action_tracker() -> None:
    chase = commitment(PACK_2024, "The Strategic Director to chase up a response", source="minutes")
    assert chase.source == "minutes" and line_of(PACK_2024, chase.char_start) == 140
    assert (chase.who, chase.due_date, chase.meeting_date) == (
        "The Strategic Director",
        "2024-04-23",
        "2024-04-10",
    )
    assert (chase.status, chase.status_source, chase.status_date) == (
        "completed",
        "later evidence",
        "2024-05-15",
    )
    assert "E-mailed information on 7 May 2024" in (chase.status_note or "")
    assert chase.evidence[0].kind == "tracker" and chase.evidence[0].row_date == "2024-04-10"


def test_2024_commitment_still_outstanding_in_the_tracker_stays_open_with_evidence() -> None:
    strategies = next(
        c
        for c in records(PACK_2024).commitments
        if c.source == "minutes"
        and c.what.startswith("The Attendance, Exclusions, Attainment and Achievement")
    )
    assert (strategies.status, strategies.status_source) == ("open", "later evidence")
    assert "no update given" in (strategies.status_note or "")


def test_2024_tracker_row_broken_over_a_page_is_one_row() -> None:
    row = commitment(PACK_2024, "The increase in behavioural problems")
    assert "schools to be included in the Early Years Education Entitlement item" in row.what
    assert (row.meeting_date, row.item_title, row.status, row.status_source) == (
        "2023-10-18",
        "Hidden Children",
        "completed",
        "tracker",
    )
    assert row.update == "Work Programme updated accordingly."
    assert (line_of(PACK_2024, row.char_start), line_of(PACK_2024, row.char_end)) == (286, 292)
    assert row.pack_pages == (11, 20)


def test_2024_outstanding_tracker_row() -> None:
    row = commitment(PACK_2024, "to bring work at early stages of planning")
    assert (row.who, row.meeting_date, row.status, row.update) == (
        "The Director, Children and Families",
        "2023-10-18",
        "in progress",
        "Ongoing.",
    )


def test_2024_agenda_ranges_from_table_cells() -> None:
    plan = agenda_item(PACK_2024, "8")
    assert (plan.title, plan.first_page, plan.last_page) == (
        "IMPROVING SERVICES FOR CHILDREN AND FAMILIES PLAN UPDATE",
        21,
        78,
    )
    assert (plan.time_start, plan.time_end) == ("10.05", "11.00")
    assert (agenda_item(PACK_2024, "5").first_page, agenda_item(PACK_2024, "6").last_page) == (5, 20)
    assert agenda_item(PACK_2024, "7").first_page is None  # no paper: no range


# --- Birmingham, 12 July 2017 pack (action notes of 26 April and 2 May 2017) ------------------------------


def test_2017_resolutions_of_two_meetings() -> None:
    report_back = decision(PACK_2017, "To report back to the Committee in six months 18th October 2017.")
    assert (report_back.meeting_date, report_back.item_number, report_back.kind) == (
        "2017-04-26",
        "4",
        "resolved",
    )
    not_called_in = decision(PACK_2017, "That the decision made by Cabinet on the 18<sup>th</sup> April 2017")
    assert not_called_in.meeting_date == "2017-05-02" and line_of(PACK_2017, not_called_in.char_start) == 438
    assert (not_called_in.outcome, not_called_in.votes) == ("carried", {"for": 7, "against": 2, "abstain": 1})
    assert not_called_in.quote.endswith("with one abstention).")  # the letter is not this decision
    assert not [d for d in records(PACK_2017).decisions if d.quote.startswith("However, a letter")]
    concerns = [d for d in records(PACK_2017).decisions if d.meeting_date == "2017-05-02" and d.text]
    concerns = [d for d in concerns if "highlighting the following concerns:" in (d.text or "")]
    assert [line_of(PACK_2017, d.char_start) for d in concerns] == [440, 447]
    assert concerns[1].quote.rstrip().endswith("decisions are 'called-in'.")  # carried on after a gap
    notes = decision(PACK_2017, "The action notes of the meeting held on the 22 March 2017 were confirmed.")
    assert notes.kind == "resolved"


def test_2017_commitments() -> None:
    suggestions = commitment(PACK_2017, "Members to provide any other suggestions")
    assert (suggestions.who, suggestions.due_date, suggestions.item_number) == ("Members", "2017-05-05", "8")
    report_back = next(
        c for c in records(PACK_2017).commitments if c.item_number == "4" and c.meeting_date == "2017-04-26"
    )
    assert (report_back.due_date, report_back.status, report_back.status_source) == (
        "2017-10-18",
        "scheduled",
        "later evidence",
    )
    assert "Children Missing from Home and Care" in (report_back.status_note or "")


def test_2017_agenda_items_whose_numbers_were_lost() -> None:
    journey, programme = agenda_item(PACK_2017, "8"), agenda_item(PACK_2017, "10")
    assert journey.number_inferred and (journey.first_page, journey.last_page) == (19, 58)
    assert journey.title == "THE EDUCATION AND CHILDREN'S SOCIAL CARE IMPROVEMENT JOURNEY"
    assert programme.number_inferred and (programme.title, programme.first_page) == ("WORK PROGRAMME", 111)
    assert (agenda_item(PACK_2017, "9").time_start, agenda_item(PACK_2017, "9").time_end) == ("3.30", "4.15")


def test_2017_page_spans_use_printed_footers() -> None:
    text = document(PACK_2017).full_text
    spans = {
        (first, last): (start, end) for start, end, first, last in agenda_page_spans(document(PACK_2017))
    }
    first_minutes = next(p for p in document(PACK_2017).parts if p.doc_type == "minutes")
    start, end = spans[(11, 18)]  # between the footers "Page 10 of 116" and "Page 18 of 116"
    assert (
        text[start:end]
        .strip()
        .startswith(text[first_minutes.char_start : first_minutes.char_start + 30].strip())
    )
    assert "Page\t18\tof\t116" in text[start:end]
    assert (6, 6) in spans and (19, 31) in spans
    assert text[spans[(111, 116)][0] :].startswith(
        "# Schools, Children and Families O&S Committee: Work Programme"
    )


# --- Birmingham papers that are not minutes ---------------------------------------------------------------


@pytest.mark.parametrize("rel_path", [STOCKTAKE_2022, PORTFOLIO_2022])
def test_a_presentation_or_report_records_no_decisions(rel_path: str) -> None:
    assert records(rel_path).decisions == [] and records(rel_path).commitments == []


# --- Kent Cabinet, minutes of 30 January 2025 -------------------------------------------------------------


def test_kent_cabinet_lettered_resolutions() -> None:
    capital = decision(CABINET_MINUTES, "Agree the Capital budget changes.")
    assert (capital.kind, capital.item_number, capital.page_number, capital.meeting_date) == (
        "resolved",
        "88",
        10,
        "2025-01-30",
    )
    assert capital.text == "RESOLVED that Cabinet agree to agree the Capital budget changes."
    assert (capital.committee, capital.committee_id) == ("Cabinet", "kent-cabinet")
    assert decision(CABINET_MINUTES, "Note the forecast revenue overspend of £23.3m").kind == "noted"
    assert not [d for d in records(CABINET_MINUTES).decisions if d.quote.rstrip().endswith("agree to:")]
    minutes = decision(CABINET_MINUTES, "the minutes of the meeting on 9 January 2025")
    assert (minutes.item_number, minutes.page_number, minutes.page_label) == ("86", 1, "1")
    assert (minutes.text or "").startswith("RESOLVED that the minutes of the meeting on 9 January 2025")


def test_kent_cabinet_multi_part_resolution_across_a_page_break() -> None:
    parts = [d for d in records(CABINET_MINUTES).decisions if d.item_number == "91"]
    assert [(d.quote.split()[0], d.page_number) for d in parts] == [
        ("Adopt", 15),
        ("Delegate", 15),
        ("Delegate", 16),
    ]
    assert all((d.text or "").startswith("RESOLVED that Cabinet agree to ") for d in parts)
    assert parts[1].quote.rstrip().endswith("lifetime of the document; and")
    assert (parts[1].text or "").endswith("lifetime of the document.")


def test_kent_cabinet_reported_decision_of_another_body_is_not_recorded() -> None:
    assert not [
        d for d in records(CABINET_MINUTES).decisions if "refer the decision to full Council" in d.quote
    ]
    assert len([d for d in records(CABINET_MINUTES).decisions if d.item_number == "88"]) == 6


@pytest.mark.parametrize("rel_path", [CABINET_MINUTES, COUNCIL_MINUTES])
def test_pdfium_text_gives_the_kent_minutes_the_same_decisions_as_pypdf(rel_path: str) -> None:
    """A decision running over a page, past the printed page number, is one decision with either reader."""
    quotes = {
        reader: [
            " ".join(d.quote.split())
            for d in extract_records(load_document(CORPUS, rel_path, reader)).decisions
        ]
        for reader in ("pypdf", "pdfium")
    }
    assert quotes["pdfium"] == quotes["pypdf"] and quotes["pypdf"]


def test_kent_cabinet_commitment_to_report_back() -> None:
    update = commitment(CABINET_MINUTES, "a detailed update would be brought back to Cabinet")
    assert (update.item_number, update.page_number, update.due, update.status) == (
        "87",
        5,
        "in due course",
        "open",
    )


# --- Kent County Council, minutes of 9 January 2025 -------------------------------------------------------


def test_kent_council_election_of_chair() -> None:
    nomination = decision(COUNCIL_MINUTES, "that Mr G Cooke be elected to Chair the meeting.")
    assert (nomination.kind, nomination.outcome, nomination.item_number, nomination.item_title) == (
        "motion_carried",
        "carried",
        None,
        "Election of Chair",
    )
    assert (
        nomination.motion
        == "Mr Gough proposed, and Mr Brady seconded that Mr G Cooke be elected to Chair the meeting."
    )
    assert nomination.page_number == 1
    assert not [d for d in records(COUNCIL_MINUTES).decisions if d.quote.startswith("Agreed")]
    elected = decision(COUNCIL_MINUTES, "Mr Cooke be elected to Chair the meeting.")
    assert (elected.kind, elected.outcome, elected.text) == (
        "resolved",
        None,
        "RESOLVED that Mr Cooke be elected to Chair the meeting.",
    )


def test_kent_council_amendments_and_the_substantive_motion_are_kept_apart() -> None:
    votes = [d for d in records(COUNCIL_MINUTES).decisions if d.outcome and d.item_number == "285"]
    assert [(v.kind, v.page_number) for v in votes] == [
        ("motion_carried", 5),
        ("amendment_carried", 5),
        ("amendment_lost", 5),
        ("amendment_lost", 7),
        ("amendment_lost", 8),
        ("amendment_lost", 9),
    ]
    # The outcome lines are no records of their own: each joins the motion it decides.
    assert not [d for d in records(COUNCIL_MINUTES).decisions if "Amendment lost" in d.quote]
    hood = votes[2]
    assert hood.votes == {"for": 14, "against": 45, "abstain": 4}
    assert hood.motion == (
        "Mr Hood proposed and Mr Baldock seconded the following amendment to the substantive motion "
        "set out in paragraph 15:"
    )
    # The part the amendment adds, not its restated parts; it runs over the page break.
    assert hood.quote.startswith("Comment that the Council does not support the proposal")
    assert (hood.page_number, hood.page_number_end) == (5, 6)
    assert hood.text == (
        "County Council is asked to: Comment that the Council does not support the proposal for Kent and "
        "Medway to be included in the Devolution Priority Programme and that it would prefer to commence "
        "the Foundation Strategic Authority route in the fastest possible timeframe"
    )
    motion = votes[0]
    assert motion.votes == {"for": 39, "against": 19, "abstain": 1}
    assert motion.quote.startswith("County Council is asked to:")
    assert " ".join(motion.quote.split()).endswith(
        "(5) Expects there to be as much transparency as possible in this process."
    )
    resolved = [
        d for d in records(COUNCIL_MINUTES).decisions if d.page_number == 10 and d.item_number == "285"
    ]
    assert [(d.kind, d.outcome) for d in resolved] == [
        ("resolved", None),
        ("resolved", None),
        ("noted", None),
        ("noted", None),
        ("resolved", None),
    ]
    assert (resolved[-1].text or "") == (
        "RESOLVED that the County Council expects there to be as much transparency as possible in this process."
    )


def test_kent_agenda_front_sheet_items_with_pages() -> None:
    minutes = agenda_item(CABINET_AGENDA, "3")
    assert (minutes.title, minutes.first_page, minutes.last_page) == (
        "Minutes of the Meeting held on 30 January 2025",
        1,
        18,
    )
    budget = agenda_item(CABINET_AGENDA, "5")
    assert (budget.first_page, budget.last_page, budget.page_number) == (19, 24, 1)
    assert agenda_item(CABINET_AGENDA, "7").title.endswith("at Seashells and Millmead Family Hubs")
    assert agenda_page_spans(document(CABINET_AGENDA)) == []  # a PDF's pages are known exactly


# --- Committees under one id across renamings -------------------------------------------------------------


def test_birmingham_committee_renamings_share_one_id() -> None:
    load_metadata(CORPUS)  # the lineages are the corpus's data
    names = [
        "Schools, Children and Families O&S",
        "Education and Children's Social Care O&S",
        "Education, Children and Young People O&S",
        "SCHOOLS, CHILDREN AND FAMILIES OVERVIEW AND SCRUTINY (O&S) COMMITTEE",
        "Education and Children's Social Care Overview and Scrutiny Committee",
    ]
    assert {canonical_committee(name) for name in names} == {
        ("birmingham-education-os", "Education, Children and Young People Overview and Scrutiny Committee")
    }


def test_kent_bodies_are_separate_and_unknown_names_get_a_slug() -> None:
    load_metadata(CORPUS)
    assert canonical_committee("Cabinet", "Kent County Council") == ("kent-cabinet", "Cabinet")
    assert canonical_committee("County Council", "Kent County Council") == (
        "kent-county-council",
        "County Council",
    )
    assert canonical_committee("Health and Social Care O&S Committee", "Birmingham City Council")[0] == (
        "birmingham-health-and-social-care-os"
    )
    assert canonical_committee(None) == (None, None)


# --- Answers to questions and linking across papers -------------------------------------------------------


def _minutes_document(text: str, meeting_date: str, document_id: str = "doc") -> ParsedDocument:
    meta = DocumentMeta(
        title="Minutes", council="Kent County Council", committee="County Council", doc_type="minutes"
    )
    page = Page(page_index=0, text=text, page_number=1, char_start=0, page_source="pdf")
    part = Part(0, len(text), "minutes", "Minutes", meeting_date)
    return ParsedDocument(document_id, "sha", "pdf", meta, [page], [part])


def test_an_answer_to_a_question_that_promises_something_is_a_commitment() -> None:
    text = (
        "12. Questions\n(Item 5)\n\n"
        "In response to a question from Mr Hook about school transport, the Cabinet Member for Education "
        "said that the figures would be circulated to Members before the next meeting.\n"
    )
    found = extract_records(_minutes_document(text, "2025-01-09")).commitments
    assert len(found) == 1
    assert (found[0].source, found[0].who, found[0].item_number) == (
        "answer",
        "the Cabinet Member for Education",
        "12",
    )
    assert found[0].due == "before the next meeting" and found[0].due_date is None


def test_recommendations_and_lettered_resolutions_in_minutes() -> None:
    text = (
        "5. Budget\n(Item 3)\n\nRESOLVED that Cabinet recommends to Council that the budget be approved.\n\n"
        "6. Plans\n(Item 4)\n\nRESOLVED that:\n(a) the plan be adopted; and\n(b) the report be noted.\n"
    )
    found = extract_records(_minutes_document(text, "2025-01-01")).decisions
    assert [(d.item_number, d.kind, d.quote) for d in found] == [
        ("5", "recommended", "Cabinet recommends to Council that the budget be approved."),
        ("6", "resolved", "the plan be adopted; and"),
        ("6", "noted", "the report be noted."),
    ]
    assert found[1].text == "RESOLVED that the plan be adopted."
    assert {d.committee_id for d in found} == {"kent-county-council"}


def _evidence(text: str, meeting_date: str, status: str, row_date: str | None = None) -> Evidence:
    return Evidence(
        document_id="later",
        char_start=0,
        char_end=len(text),
        quote=text,
        meeting_date=meeting_date,
        kind="tracker",
        text=text,
        status=status,
        row_date=row_date,
        update="E-mailed on 3 March 2025.",
    )


def test_link_commitments_uses_only_later_matching_evidence() -> None:
    text = (
        "14. Budget\n(Item 6)\n\n"
        "The Director undertook to provide the breakdown of home to school transport costs.\n"
    )
    made = extract_records(_minutes_document(text, "2025-01-09")).commitments
    assert len(made) == 1 and made[0].status == "open"
    row = "The breakdown of home to school transport costs to be provided"
    earlier = _evidence(row, "2025-01-01", "completed")
    unrelated = _evidence("Library opening hours to be reviewed by officers", "2025-02-01", "completed")
    assert link_commitments(made, [earlier, unrelated])[0].status == "open"
    linked = link_commitments(
        made, [earlier, unrelated, _evidence(row, "2025-03-04", "completed", "2025-01-09")]
    )[0]
    assert (linked.status, linked.status_source, linked.status_date) == (
        "completed",
        "later evidence",
        "2025-03-04",
    )
    assert "transport" in (linked.status_note or "") and "E-mailed on 3 March 2025." in (
        linked.status_note or ""
    )


# --- Against the hand-annotated gold ----------------------------------------------------------------------


def test_decisions_meet_the_precision_and_recall_bar() -> None:
    result = evaluate_decisions(CORPUS)
    assert (result["splits"]["dev"].gold, result["splits"]["test"].gold, result["splits"]["all"].gold) == (
        29,
        34,
        63,
    )
    for split in ("dev", "test"):  # the bar: 0.95 on test
        tally = result["splits"][split]
        assert tally.recall >= 0.95 and tally.precision >= 0.95 and tally.page_accuracy >= 0.95


def test_the_gold_split_follows_the_committed_rule() -> None:
    assert check_split(load_gold(), meetings_in_test()) == []
    tampered = [{**g, "split": "dev"} if g["split"] == "test" else g for g in load_gold()]
    assert len(check_split(tampered, meetings_in_test())) == 34


def test_the_evaluation_counts_misses_and_false_positives() -> None:
    gold = [g for g in load_gold() if g["source"] == PACK_2024]
    extracted = records(PACK_2024).decisions
    perfect = score_document(document(PACK_2024), gold, extracted)
    assert (perfect.matched, perfect.extracted) == (len(gold), len(extracted))
    minutes_start = next(p for p in document(PACK_2024).parts if p.doc_type == "minutes").char_start
    stray = replace(
        extracted[0], char_start=minutes_start, char_end=minutes_start + 60
    )  # the minutes' header
    worse = score_document(document(PACK_2024), gold, [*extracted[3:], stray])
    assert (worse.matched, worse.extracted) == (len(gold) - 3, len(extracted) - 2)
    assert worse.recall < 1 and worse.precision < 1 and len(worse.false_positives) == 1


def test_another_bodys_minutes_printed_in_a_pack_keep_their_own_meeting_and_committee() -> None:
    # The Cabinet's minutes of 30 January 2025, as if printed in the County Council's pack of 13 March.
    path = CORPUS / CABINET_MINUTES
    overrides = {
        **metadata_for(CABINET_MINUTES, load_metadata(CORPUS)),
        "committee": "County Council",
        "doc_type": "pack",
        "meeting_date": "2025-03-13",
    }
    pack, _ = parse_file(path, CABINET_MINUTES, path.read_bytes(), overrides, FakeEmbedder(), 180, 254, 20)
    assert canonical_committee(pack.meta.committee, pack.meta.council)[0] == "kent-county-council"
    found = extract_records(pack).decisions
    assert len(found) == 13
    assert {(d.meeting_date, d.committee_id, d.committee) for d in found} == {
        ("2025-01-30", "kent-cabinet", "Cabinet")
    }
