"""The one near-duplicate measure."""

from __future__ import annotations

from indexer.text.overlap import overlap, shingles


def test_a_passage_inside_a_longer_one_overlaps_fully():
    short = shingles("the committee agreed the plan")
    assert overlap(short, shingles("minutes: the committee agreed the plan and noted the report")) == 1.0
    assert overlap(short, set()) == 0.0


def test_small_sets_are_compared_by_their_union():
    assert overlap({"chase", "report"}, {"chase", "report", "budget", "school"}) == 1.0
    assert overlap({"chase", "report"}, {"chase", "report", "budget", "school"}, min_size=5) == 0.5
