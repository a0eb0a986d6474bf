"""The shared text helpers: one sentence splitter, one markup stripper."""

from __future__ import annotations

from indexer.text.spans import plain, sentence_spans


def test_sentences_of_a_range_keep_offsets_in_the_whole_text():
    text = "Heading\n\nThe Committee agreed the plan. Officers would report back.\n- a bullet line\n"
    start = text.index("The")
    found = [text[a:b] for a, b in sentence_spans(text, start, len(text))]
    assert found == ["The Committee agreed the plan.", "Officers would report back.", "a bullet line"]


def test_a_line_break_inside_a_sentence_does_not_end_it():
    text = "The Kent Mineral and Waste Plan adopted\nin 2016 needs review.\n(a) to approve it"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "The Kent Mineral and Waste Plan adopted\nin 2016 needs review.",
        "(a) to approve it",
    ]


def test_plain_strips_markup_and_keeps_symbols_in_running_text():
    assert (
        plain("### **Item 3** updated 9<sup>th</sup> June (open >7 days)")
        == "Item 3 updated 9th June (open >7 days)"
    )


def test_a_heading_also_loses_stray_markdown_symbols():
    assert plain("<u>Cabinet_Report</u> *draft*", drop_symbols=True) == "Cabinet Report draft"
