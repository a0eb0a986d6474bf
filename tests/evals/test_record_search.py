"""Scoring record search on topic queries: what counts as relevant, precision@5, recall, empty lists."""

from __future__ import annotations

from evals.record_search import is_relevant, load_topics, score_topic, summary

SOURCE = "kent/minutes.pdf"


def _row(quote: str, page: int = 3, source: str = SOURCE) -> dict:
    return {"source": source, "quote": quote, "page_number": page, "page_number_end": page}


def test_a_record_is_relevant_by_source_page_and_quote() -> None:
    entry = {"source": SOURCE, "page_number": 3, "line": None, "quote": "Agree the   capital budget changes."}
    assert is_relevant(_row("Agree the capital budget changes."), entry)
    assert not is_relevant(_row("Agree the capital budget changes.", page=4), entry)
    assert not is_relevant(_row("Agree the capital budget changes.", source="other.pdf"), entry)
    assert not is_relevant(_row("Note the forecast capital underspend."), entry)


def test_precision_at_5_recall_and_the_empty_answer() -> None:
    relevant = [{"source": SOURCE, "page_number": 3, "quote": f"Decision {n} stands."} for n in range(3)]
    topic = {"id": "t", "query": "q", "split": "dev", "relevant": relevant}
    rows = [_row("Decision 0 stands."), _row("Unrelated."), _row("Decision 2 stands.")]
    score = score_topic(topic, rows)
    assert (score.precision_at_5, score.recall, score.empty_when_none) == (2 / 3, 2 / 3, None)
    none = score_topic({**topic, "relevant": []}, [])
    assert (none.precision_at_5, none.recall, none.empty_when_none) == (None, None, True)
    assert summary([score, none])["dev"] == {
        "topics": 2,
        "precision_at_5": 0.667,
        "recall": 0.667,
        "empty_when_none": "1/1",
    }


def test_the_committed_topics_are_split_and_name_their_records() -> None:
    topics = load_topics()
    assert len(topics) == 24 and {t["split"] for t in topics} == {"dev", "test"}
    assert all(e["source"] and e["quote"] for t in topics for e in t["relevant"])
