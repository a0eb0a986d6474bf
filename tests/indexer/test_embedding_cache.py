"""The vector cache returns what the model returns, embeds each text once, and keeps models apart."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.embedding import FakeEmbedder
from indexer.embedding_cache import CachedEmbedder


class CountingEmbedder(FakeEmbedder):
    def __init__(self, dimension: int = 64) -> None:
        super().__init__(dimension)
        self.encoded: list[str] = []

    def encode(self, texts, batch_size=32, progress=None):
        self.encoded.extend(texts)
        return super().encode(texts, batch_size, progress)


TEXTS = [
    "The committee noted the report.",
    "RESOLVED that the budget be approved.",
    "Apologies were received.",
]


def test_a_text_is_embedded_once_and_read_back_unchanged(tmp_path) -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, tmp_path / "vectors.sqlite")
    first = cached.encode(TEXTS)
    again = cached.encode([TEXTS[2], "A new text.", TEXTS[0]])
    assert inner.encoded == [*TEXTS, "A new text."]
    np.testing.assert_array_equal(again[0], first[2])
    np.testing.assert_array_equal(again[2], first[0])
    np.testing.assert_array_equal(first, FakeEmbedder().encode(TEXTS))
    assert (cached.hits, cached.misses) == (2, 4)


def test_the_cache_outlives_the_process_and_counts_progress(tmp_path) -> None:
    CachedEmbedder(CountingEmbedder(), tmp_path / "vectors.sqlite").encode(TEXTS)
    inner = CountingEmbedder()
    seen: list[int] = []
    vectors = CachedEmbedder(inner, tmp_path / "vectors.sqlite").encode(TEXTS * 2, progress=seen.append)
    assert inner.encoded == []
    assert sum(seen) == 6
    assert vectors.shape == (6, 64)


def test_duplicates_in_one_call_and_empty_calls(tmp_path) -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, tmp_path / "vectors.sqlite")
    vectors = cached.encode([TEXTS[0], TEXTS[0]])
    np.testing.assert_array_equal(vectors[0], vectors[1])
    assert cached.encode([]).shape == (0, 64)


def test_two_models_do_not_share_vectors(tmp_path) -> None:
    path = tmp_path / "vectors.sqlite"
    CachedEmbedder(CountingEmbedder(64), path).encode(TEXTS)
    other = CountingEmbedder(32)
    assert CachedEmbedder(other, path).encode(TEXTS).shape == (3, 32)
    assert other.encoded == TEXTS


@pytest.mark.slow
def test_the_real_model_behind_the_cache_gives_its_own_vectors(tmp_path, real_embedder) -> None:
    inner = getattr(real_embedder, "inner", real_embedder)
    cached = CachedEmbedder(inner, tmp_path / "vectors.sqlite")
    fresh = inner.encode(TEXTS)
    np.testing.assert_allclose(cached.encode(TEXTS), fresh, atol=1e-5)
    np.testing.assert_allclose(cached.encode(TEXTS), fresh, atol=1e-5)
    assert cached.hits == 3


def test_the_cache_offers_what_the_wrapped_embedder_offers(tmp_path):
    """Parsing ahead in a worker asks the embedder for its token counter; a cached one must hand it over."""
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    counter = cached.token_counter()
    text = "The committee resolved to note the report."
    assert counter.count_tokens(text) == inner.count_tokens(text)
    assert cached.count_tokens(text) == inner.count_tokens(text)
    with pytest.raises(AttributeError):
        cached.no_such_thing  # noqa: B018 - the attribute access is the test
