"""Small units inside each passage, embedded in context ("late chunking"), so a one-sentence question is
compared with sentences as well as with a whole 180-token passage.

A unit is a window of ``UNIT_SENTENCES`` consecutive sentences (a shorter passage is one unit). Its vector is
the mean of the model's token vectors that fall inside it, taken from the same forward pass that embeds the
whole passage (its heading context included), then normalised: no text is encoded twice, and a unit's
tokens have seen the whole passage. A search scores a passage by its best unit (``api.retrieval``).

The learned ranker (``api.ranker``) reads a passage's best-unit cosine as a feature. Chosen on the dev
questions only: with it, the ranker's cross-validated dev MRR@10 is 0.771 against 0.763 without it (the
hand-set boosts: 0.735). Two-sentence windows pooled this way cost no extra encoding; three-sentence windows
embedded on their own scored about the same as a third fusion leg but encode 1.7 times the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.text.spans import sentence_spans

UNIT_SENTENCES = 2
MIN_UNIT_TOKENS = 3  # a window with fewer tokens inside it (or past the model's cut) gets no vector
UNIT_VERSION = "1"  # bump when units change, so cached unit vectors are not reused


@dataclass(frozen=True)
class Units:
    """A passage's units: their spans (characters of the embedded text) and unit-length vectors."""

    spans: list[tuple[int, int]]
    vectors: np.ndarray  # (units, dimension) float32


def unit_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """The sentence windows of ``text[start:]``, as spans of ``text``; the whole of it when it is short."""
    sentences = sentence_spans(text, start)
    if len(sentences) <= UNIT_SENTENCES:
        return [(start, len(text))] if text[start:].strip() else []
    return [
        (sentences[i][0], sentences[i + UNIT_SENTENCES - 1][1])
        for i in range(len(sentences) - UNIT_SENTENCES + 1)
    ]


def pool_units(
    tokens: np.ndarray, offsets: np.ndarray, spans: Sequence[tuple[int, int]], fallback: np.ndarray
) -> Units:
    """Mean-pool one text's token vectors (``tokens``, with their character ``offsets``; special and
    padding tokens have empty offsets) over each span. Spans with too few tokens are dropped; when none is
    left, the text's own vector (``fallback``) is its one unit, spanning the whole text."""
    offsets = np.asarray(offsets).reshape(-1, 2)[: len(tokens)]
    real = offsets[:, 1] > offsets[:, 0]
    kept: list[tuple[int, int]] = []
    vectors: list[np.ndarray] = []
    for start, end in spans:
        inside = real & (offsets[:, 0] >= start) & (offsets[:, 1] <= end)
        if int(inside.sum()) < MIN_UNIT_TOKENS:
            continue
        pooled = tokens[: len(offsets)][inside].mean(axis=0)
        norm = float(np.linalg.norm(pooled))
        if norm:
            kept.append((int(start), int(end)))
            vectors.append(pooled / norm)
    if not vectors:
        whole = (int(spans[0][0]), int(spans[-1][1])) if spans else (0, 0)
        return Units([whole], np.asarray(fallback, dtype=np.float32).reshape(1, -1))
    return Units(kept, np.asarray(vectors, dtype=np.float32))


def can_pool_units(embedder: object) -> bool:
    """Whether the embedder gives units: a vector cache does when the embedder it wraps does."""
    inner = getattr(embedder, "inner", None)
    return hasattr(embedder, "encode_units") and (inner is None or can_pool_units(inner))


def embed_with_units(
    embedder: object, embed_texts: Sequence[str], texts: Sequence[str], batch_size: int = 32
) -> tuple[np.ndarray, list[Units] | None]:
    """Passages' vectors and, when the embedder can pool units, their units with spans in the passage's own
    ``text`` (each embedded text is its context, then the text). An embedder without ``encode_units``
    gives vectors only (None): searches then score such passages by their whole vector."""
    encode_units = getattr(embedder, "encode_units", None) if can_pool_units(embedder) else None
    if encode_units is None:
        return np.asarray(embedder.encode(embed_texts, batch_size=batch_size)), None  # type: ignore[attr-defined]
    starts = [
        len(embedded) - len(text) if embedded.endswith(text) else 0
        for embedded, text in zip(embed_texts, texts, strict=True)
    ]
    spans = [unit_spans(embedded, start) for embedded, start in zip(embed_texts, starts, strict=True)]
    vectors, units = encode_units(embed_texts, spans, batch_size=batch_size)
    in_text = [
        Units([(max(a - start, 0), max(b - start, 0)) for a, b in u.spans], u.vectors)
        for u, start in zip(units, starts, strict=True)
    ]
    return np.asarray(vectors, dtype=np.float32), in_text
