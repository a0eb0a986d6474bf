"""Units inside passages: sentence windows, pooled from the passage's own token vectors, stored beside it."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.config import Settings
from indexer.embedding import FakeEmbedder, SentenceTransformerEmbedder
from indexer.embedding_cache import CachedEmbedder
from indexer.onnx_embedding import OnnxEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store
from indexer.units import MIN_UNIT_TOKENS, embed_with_units, pool_units, unit_spans

CONTEXT = "Highways and Transport › Capital programme"
TEXT = (
    "The library will open on Saturdays from September. Volunteers will staff the front desk. "
    "The footbridge over the canal needs rebuilding at a cost of £2.4 million. Work starts in the spring."
)


def test_units_are_windows_of_two_sentences_after_the_context():
    embedded = f"{CONTEXT}\n{TEXT}"
    spans = unit_spans(embedded, len(CONTEXT) + 1)
    assert [embedded[a:b] for a, b in spans] == [
        "The library will open on Saturdays from September. Volunteers will staff the front desk.",
        "Volunteers will staff the front desk. The footbridge over the canal needs rebuilding at a cost of £2.4 million.",
        "The footbridge over the canal needs rebuilding at a cost of £2.4 million. Work starts in the spring.",
    ]
    assert unit_spans("One sentence only.") == [(0, 18)]
    assert unit_spans("   ") == []


def test_pooling_averages_the_tokens_inside_each_span_and_drops_thin_ones():
    tokens = np.eye(6, dtype=np.float32)
    offsets = np.array([(0, 0), (0, 3), (4, 7), (8, 11), (12, 15), (0, 0)])  # [CLS] four words [SEP]
    units = pool_units(tokens, offsets, [(0, 11), (12, 15)], fallback=np.ones(6))
    assert units.spans == [(0, 11)]  # the second span holds one token, fewer than MIN_UNIT_TOKENS
    expected = np.array([0, 1, 1, 1, 0, 0]) / np.sqrt(3)
    np.testing.assert_allclose(units.vectors[0], expected, atol=1e-6)
    assert MIN_UNIT_TOKENS == 3
    thin = pool_units(tokens, offsets, [(12, 15)], fallback=np.ones(6))
    assert thin.spans == [(12, 15)] and thin.vectors.shape == (1, 6)  # the text's own vector stands in


@pytest.mark.model
def test_the_real_models_give_the_same_units_and_the_right_one_wins():
    path = Settings().index.model_name_or_path()
    embedded = f"{CONTEXT}\n{TEXT}"
    results = []
    for embedder in (OnnxEmbedder(path), SentenceTransformerEmbedder(path)):
        vectors, units = embed_with_units(embedder, [embedded, "Short."], [TEXT, "Short."])
        np.testing.assert_allclose(vectors, embedder.encode([embedded, "Short."]), atol=1e-5)
        assert [TEXT[a:b][:14] for a, b in units[0].spans] == [
            "The library wi",
            "Volunteers wil",
            "The footbridge",
        ]
        query = embedder.encode(["How much will rebuilding the footbridge cost?"])[0]
        assert int(np.argmax(units[0].vectors @ query)) == 2  # the window that holds the answer
        results.append(units)
    onnx, torch = results
    for a, b in zip(onnx, torch, strict=True):
        assert a.spans == b.spans
        assert (a.vectors * b.vectors).sum(axis=1).min() >= 0.9999


def test_the_cache_keeps_units_and_embeds_nothing_twice(tmp_path):
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    spans = [unit_spans(TEXT)]
    first_vectors, first_units = cached.encode_units([TEXT], spans)
    again_vectors, again_units = cached.encode_units([TEXT], spans)
    assert (cached.hits, cached.misses) == (1, 1)
    np.testing.assert_array_equal(first_vectors, again_vectors)
    assert again_units[0].spans == first_units[0].spans
    np.testing.assert_array_equal(again_units[0].vectors, inner.encode_units([TEXT], spans)[1][0].vectors)


def test_the_index_stores_units_per_chunk_and_scores_a_chunk_by_its_best(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "capital.md").write_text(f"# Capital programme\n\n{TEXT}\n", encoding="utf-8")
    store = Store(tmp_path / "index", create=True)
    embedder = FakeEmbedder()
    build_index([papers], store, embedder)
    chunk_ids = [r[0] for r in store.db.execute("SELECT chunk_id FROM chunks")]
    assert store.db.execute("SELECT count(*) FROM chunk_units").fetchone()[0] == len(chunk_ids) > 0
    query = embedder.encode(["footbridge canal rebuilding cost million"])[0]
    best = {c: max(units) for c, units in store.unit_scores(query, chunk_ids).items()}
    chunk_id = next(c for c in chunk_ids if "footbridge" in store.chunks([c])[c]["text"])
    similarity, (start, end) = best[chunk_id]
    text = store.chunks([chunk_id])[chunk_id]["text"]
    assert "footbridge" in text[start:end]
    whole = embedder.encode([text[start:end]])[0] @ query
    assert similarity == pytest.approx(float(whole), abs=1e-3)  # float16 on disk: within a thousandth
    (papers / "capital.md").unlink()
    build_index([papers], store, embedder)
    assert store.db.execute("SELECT count(*) FROM chunk_units").fetchone()[0] == 0  # gone with its chunks


class WordsOnly:
    """An embedder of someone else's: vectors, and no units."""

    name, dimension, max_tokens = "words-only", 64, 254

    def encode(self, texts, batch_size=32, progress=None):
        return FakeEmbedder().encode(texts)

    def count_tokens(self, text):
        return len(text.split())


def test_an_embedder_without_units_is_used_for_vectors_alone_even_behind_the_cache(tmp_path):
    for embedder in (WordsOnly(), CachedEmbedder(WordsOnly(), tmp_path / "cache.sqlite")):
        vectors, units = embed_with_units(embedder, [TEXT], [TEXT])
        assert units is None
        np.testing.assert_array_equal(vectors, FakeEmbedder().encode([TEXT]))
