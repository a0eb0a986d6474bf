"""The answerability features, model and not-found messages (no model of meaning, no index)."""

from __future__ import annotations

import sqlite3

from api.answerability import (
    FEATURES,
    Evidence,
    assess,
    load_model,
    not_found_message,
    years_in,
)
from api.coverage import question_words, same_word, weighted_share
from api.retrieval import Hit
from indexer import stem, word_rarity

SEARCHED = "the 3 indexed documents"


def _hit(text: str, dense: float = 0.7, meeting_date: str | None = "2024-05-15", section: str = "") -> Hit:
    row = {"chunk_id": text[:8], "text": text, "meeting_date": meeting_date, "section": section}
    return Hit(text[:8], 1.0, row, dense=dense)


def test_a_word_in_another_form_is_the_same_word_but_a_short_stem_must_match_exactly():
    assert same_word(stem("considered"), stem("consideration"))
    assert same_word(stem("library"), stem("libraries"))
    assert not same_word(stem("car"), stem("care"))  # too short to match by prefix
    assert not same_word(stem("planning"), stem("plants"))


def test_weighted_share_counts_rare_words_for_more():
    wanted = [stem("tram"), stem("school")]
    rarity = {stem("tram"): 0.9, stem("school"): 0.1}
    assert weighted_share(wanted, "The schools were visited.", rarity) == 0.1 / 1.0
    assert weighted_share(wanted, "Trams and schools.", rarity) == 1.0
    assert weighted_share([], "anything") == 1.0


def test_question_words_leave_out_stop_words_paper_words_asking_words_and_years():
    words = question_words("How many members did the committee say were on the library panel in 2023?")
    assert set(words.values()) == {"library", "panel"}


def test_a_year_span_mentions_both_years():
    assert years_in("the 2021/22 budget and 2025-26 plans") == {"2021", "2022", "2025", "2026"}


def test_features_say_what_the_passages_miss():
    hits = [_hit("The library opening hours were considered in 2022/23 and extended.", dense=0.62)]
    evidence = assess("When was consideration given to the library's opening hours in 2023?", hits)
    assert evidence.values["strength"] == 0.62
    assert evidence.values["year_missing"] == 0.0  # 2022/23 mentions 2023
    assert evidence.uncovered == []  # "consideration" is covered by "considered"
    missing = assess("What did the library panel decide in 2019 about parking charges?", hits)
    assert missing.values["year_missing"] == 1.0 and missing.years_missing == ["2019"]
    assert "parking" in missing.uncovered and "library" not in missing.uncovered
    dated = assess("What was said at the meeting on 4 March 2025 about the library?", hits)
    assert dated.values["date_missing"] == 1.0 and dated.dates_missing == ["2025-03-04"]
    assert assess("What was said at the meeting on 15 May 2024?", hits).values["date_missing"] == 0.0


def test_words_that_ask_for_a_sum_are_not_missing_words_but_the_sum_is():
    hits = [_hit("The library refurbishment was approved by the panel, subject to funding.")]
    evidence = assess("What was the price of the library refurbishment?", hits)
    assert evidence.uncovered == []
    assert evidence.values["type_missing"] == 1.0


def test_missing_words_come_rarest_first():
    hits = [_hit("Street lighting on the ring road is to be replaced.")]
    rarity = {stem("lighting"): 0.2, stem("tram"): 1.0, stem("depot"): 0.6, stem("new"): 0.2}
    evidence = assess("Is the new tram depot lighting to be replaced?", hits, rarity)
    assert evidence.uncovered == ["tram", "depot"]  # "new" is missing too, but too common to name


def test_not_found_names_the_missing_meeting_then_year_then_words_then_kind():
    def message(**changes: object) -> str:
        fields = {"values": {}, "uncovered": [], "years_missing": [], "dates_missing": [], **changes}
        return not_found_message(Evidence(**fields), SEARCHED, {"2024-05-15", "2022-07-20"}, ["sum of money"])  # type: ignore[arg-type]

    assert (
        message(dates_missing=["2025-03-04"]) == f"No papers of a meeting on 4 March 2025 are in {SEARCHED}."
    )
    assert message(years_missing=["2019"]) == (
        f"No papers of a meeting in 2019 are in {SEARCHED} (the indexed meetings run from 2022 to 2024)."
    )
    assert message(years_missing=["2022"], uncovered=["car", "mayor", "fleet"]).endswith(
        "none of the passages found mentions “car” or “mayor”."
    )
    assert message().endswith("touch on this, but none gives a sum of money.")
    assert not_found_message(None, SEARCHED, set(), []) == f"No passage in {SEARCHED} answers this."


def test_the_committed_model_reads_these_features_and_weighs_them_the_right_way():
    model = load_model()
    base = {"strength": 0.62, "year_missing": 0.0, "date_missing": 0.0, "type_missing": 0.0}

    def probability(**changes: float) -> float:
        return model.probability(Evidence({**base, **changes}, [], [], []))

    assert len(model.weights) == len(FEATURES)
    assert probability(strength=0.8) > probability() > probability(strength=0.4)
    for gap in ("year_missing", "date_missing", "type_missing"):
        assert probability(**{gap: 1.0}) < probability()
    assert 0 < model.threshold < 1


def test_word_rarity_reads_the_lexical_index_and_is_the_same_scale_at_any_size():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE chunks (chunk_id TEXT)")
    db.execute("CREATE VIRTUAL TABLE chunks_fts USING fts5(embed_text, tokenize = 'porter unicode61')")
    texts = ["the school library", "school transport", "school meals", "a library"]
    for text in texts:
        db.execute("INSERT INTO chunks VALUES (?)", [text])
        db.execute("INSERT INTO chunks_fts (embed_text) VALUES (?)", [text])
    rarity = word_rarity(db, [stem("school"), stem("libraries"), stem("tram")])
    assert rarity[stem("tram")] == 1.0  # no chunk uses it
    assert 0 < rarity[stem("school")] < rarity[stem("libraries")] < 1.0
    assert word_rarity(db, []) == {}


def test_coverage_by_bisection_agrees_with_comparing_every_pair():
    """``covered`` looks forms up instead of comparing every pair; the answer must be the pairwise one."""
    import random

    from api.coverage import PREFIX_CHARS, covered

    rng = random.Random(0)
    for _ in range(3000):
        stems = {
            "".join(rng.choice("abc") for _ in range(rng.randint(1, 8))) for _ in range(rng.randint(0, 20))
        }
        wanted = [
            "".join(rng.choice("abc") for _ in range(rng.randint(1, 8))) for _ in range(rng.randint(0, 5))
        ]
        pairwise = {
            s
            for s in wanted
            if s in stems or (len(s) >= PREFIX_CHARS and any(same_word(s, other) for other in stems))
        }
        assert covered(wanted, stems) == pairwise, (wanted, stems)
