"""The learned ranker: loading its weights, and ranking the fused candidates with them when asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api import retrieval
from api.ranker import FEATURES, Ranker, load_ranker
from api.retrieval import Retriever
from indexer.config import PROJECT_ROOT
from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store

PAPER = (
    PROJECT_ROOT
    / "corpus"
    / "birmingham"
    / "2022-09-07_education-childrens-social-care-os_portfolio-report.txt"
)
QUERY = "school places and the number of pupils"


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder = tmp_path_factory.mktemp("ranker")
    papers = folder / "papers"
    papers.mkdir()
    (papers / PAPER.name).write_text(PAPER.read_text(encoding="utf-8"), encoding="utf-8")
    store = Store(folder / "store", create=True)
    embedder = FakeEmbedder()
    build_index([papers], store, embedder)
    return Retriever(store, embedder)


def _weights(**named: float) -> Ranker:
    return Ranker([named.get(name, 0.0) for name in FEATURES], [0.0] * len(FEATURES), [1.0] * len(FEATURES))


def test_a_missing_ranker_file_means_no_ranker_and_a_stale_one_is_refused(tmp_path: Path):
    assert load_ranker(tmp_path / "absent.json") is None
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"features": ["fused"], "weights": [1.0], "means": [0.0], "scales": [1.0]}))
    with pytest.raises(ValueError, match="retrain"):
        load_ranker(stale)
    fitted = tmp_path / "fitted.json"
    fitted.write_text(
        json.dumps(
            {"features": list(FEATURES), "weights": [1.0] * 7, "means": [0.5] * 7, "scales": [0.0] * 7}
        )
    )
    assert load_ranker(fitted) == Ranker([1.0] * 7, [0.5] * 7, [1.0] * 7)  # a zero scale counts as one


def test_the_learned_ranking_orders_the_candidates_by_the_rankers_score(retriever, monkeypatch):
    candidates = retriever.candidates(QUERY, retrieval.CANDIDATES)
    assert len(candidates) > 10
    best_lexical = max(c.lexical for c in candidates)
    by_lexical = sorted(candidates, key=lambda c: (-c.lexical / best_lexical, c.chunk_id))
    monkeypatch.setattr(retrieval, "load_ranker", lambda: _weights(lexical=1.0))
    learned = retriever.search(QUERY, k=8, dedup=False, learned=True)
    assert [h.chunk_id for h in learned] == [c.chunk_id for c in by_lexical[:8]]
    assert [h.score for h in learned] == pytest.approx([c.lexical / best_lexical for c in by_lexical[:8]])
    # Weighted the other way, the same candidates come in another order: the weights decide it.
    monkeypatch.setattr(retrieval, "load_ranker", lambda: _weights(lexical=-1.0))
    reversed_ = retriever.search(QUERY, k=8, dedup=False, learned=True)
    assert [h.chunk_id for h in reversed_] != [h.chunk_id for h in learned]


def test_without_a_ranker_the_learned_search_is_the_boosted_one(retriever, monkeypatch):
    monkeypatch.setattr(retrieval, "load_ranker", lambda: None)
    boosted = retriever.search(QUERY, k=8, learned=False)
    assert [h.chunk_id for h in retriever.search(QUERY, k=8)] == [h.chunk_id for h in boosted]


def test_standing_items_past_the_first_two_move_below_the_rest():
    from api.retrieval import Hit, _capped

    hits = [Hit(name, 1.0, {}) for name in ("a", "s1", "s2", "b", "s3", "c")]  # type: ignore[arg-type]
    capped = _capped(hits, {"s1", "s2", "s3"}, 2)
    assert [h.chunk_id for h in capped] == ["a", "s1", "s2", "b", "c", "s3"]
    assert _capped(hits, set(), 2) == hits
