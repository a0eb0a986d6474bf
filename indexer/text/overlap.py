"""Near-duplicates: two texts are copies when most of the smaller one's features are found in the other.

One measure for both uses: copies of a passage across documents (word trigrams, ``store/copies.py`` and
the search's collapse of duplicates) and a commitment repeated under RESOLVED (stemmed content words,
``records/commitments.py``).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Set

_WORD = re.compile(r"[a-z0-9]+")

Shingles = set[tuple[str, ...]]


def shingles(text: str, size: int = 3) -> Shingles:
    """The text's word n-grams (trigrams by default), lower-cased."""
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))}


def overlap(a: Set[Hashable], b: Set[Hashable], min_size: int = 1) -> float:
    """Share of the smaller set found in the other (1.0 when one text is contained in the other); 0 when
    either is empty. A smaller set of fewer than ``min_size`` features says too little about containment:
    then the share of the union (Jaccard) is used instead."""
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < min_size:
        return len(a & b) / len(a | b)
    return len(a & b) / min(len(a), len(b))
