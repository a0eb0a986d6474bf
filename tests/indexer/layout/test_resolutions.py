"""Resolutions as structures, on minutes laid out as no council in the corpus lays them out."""

from __future__ import annotations

from indexer.layout.resolutions import find_resolutions
from indexer.models import DocumentMeta, Page, ParsedDocument, Part
from indexer.records.extract import extract_records
from indexer.text.spans import plain


def _parts(text: str) -> list[tuple[str, list[str]]]:
    found = []
    for resolution in find_resolutions(text, 0, len(text)):
        for part in resolution.parts:
            lead_ins = [plain(text[s:e]) for s, e in part.lead_ins]
            found.append((plain(text[part.start : part.end]), lead_ins))
    return found


def _two_pages(first: str, second: str) -> ParsedDocument:
    meta = DocumentMeta(title="Minutes", council="Anytown Borough Council", committee="Licensing Committee")
    pages = [
        Page(page_index=0, text=first, page_number=1, char_start=0, page_source="pdf"),
        Page(page_index=1, text=second, page_number=2, char_start=len(first) + 1, page_source="pdf"),
    ]
    text = first + "\n" + second
    return ParsedDocument(
        "doc", "sha", "pdf", meta, pages, [Part(0, len(text), "minutes", "Minutes", "2026-05-01")]
    )


def test_nested_parts_are_read_with_every_lead_in_above_them() -> None:
    text = (
        "RESOLVED that the Committee:\n"
        "1. approves the policy;\n"
        "2. agrees that:\n"
        "   (i) fees rise by 2%;\n"
        "   (ii) the review is annual; and\n"
        "3. notes the consultation.\n"
    )
    assert _parts(text) == [
        ("approves the policy;", ["the Committee:"]),
        ("fees rise by 2%;", ["the Committee:", "agrees that:"]),
        ("the review is annual; and", ["the Committee:", "agrees that:"]),
        ("notes the consultation.", ["the Committee:"]),
    ]


def test_a_stub_with_nothing_under_it_is_no_part() -> None:
    assert _parts("RESOLVED that:\n\nThe Chair thanked officers.\n") == [("The Chair thanked officers.", [])]
    assert _parts("RESOLVED that the Council:\n") == []


def test_a_part_carried_over_a_page_break_cites_its_first_page_and_reads_whole() -> None:
    first = "7. Taxi licensing\n(Item 4)\n\nRESOLVED that the Committee agree to:\n\n(a) adopt the policy; and\n(b) ask officers to consult the trade on"
    second = "\n12\n\nthe new fees before June.\n\nThe meeting ended at 11.00 am.\n"
    decisions = extract_records(_two_pages(first, second)).decisions
    assert [(d.page_number, d.page_number_end) for d in decisions] == [(1, 1), (1, 2)]
    assert decisions[1].text == (
        "RESOLVED that the Committee agree to ask officers to consult the trade on the new fees before June."
    )


def test_a_bare_outcome_line_is_never_a_record_and_a_named_motion_keeps_its_own_words() -> None:
    first = (
        "4. Budget\n(Item 2)\n\n"
        "1. Agreed.\n\n"
        "2. The Chair put the motion to extend the meeting to the vote and it was carried.\n"
    )
    decisions = extract_records(_two_pages(first, "\n")).decisions
    assert [(d.kind, d.quote.startswith("The Chair put the motion to extend")) for d in decisions] == [
        ("motion_carried", True)
    ]


def test_a_bare_agreement_in_the_narrative_is_no_record() -> None:
    first = (
        "5. Street trading\n(Item 3)\n\n"
        "Members discussed the report. It was agreed unanimously.\n\n"
        "It was agreed that officers consult traders on the new zones.\n"
    )
    decisions = extract_records(_two_pages(first, "\n")).decisions
    assert [(d.kind, plain(d.quote)) for d in decisions] == [
        ("agreed", "It was agreed that officers consult traders on the new zones.")
    ]
