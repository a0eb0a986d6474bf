"""How much of a question a passage covers: its content words, matched in any form, weighted by rarity."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from functools import lru_cache

from indexer import PAPER_WORDS, STOPWORDS, stem

# Words that say what kind of answer is wanted, not what it is about: no passage need use them.
ASKING_WORDS = frozenset(
    "many much say said says tell told ask asked happen happened give gave given".split()  # noqa: SIM905
)
PREFIX_CHARS = 5  # two stems this long that extend one another are one word in another form
MIN_WORD_CHARS = 3
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_WORD = re.compile(r"[a-z0-9]+")


def question_words(question: str) -> dict[str, str]:
    """The question's content words, stem to the word as written (first spelling wins)."""
    words: dict[str, str] = {}
    for word in _WORD.findall(question.lower()):
        short = len(word) < MIN_WORD_CHARS
        ignored = word in STOPWORDS or word in PAPER_WORDS or word in ASKING_WORDS
        if not short and not ignored and not YEAR.fullmatch(word):
            words.setdefault(stem(word), word)  # years are judged against dates too, in assess
    return words


def same_word(a: str, b: str) -> bool:
    """Two stems of one word in any form: equal, or one extends the other and both are long enough."""
    if a == b:
        return True
    return min(len(a), len(b)) >= PREFIX_CHARS and (a.startswith(b) or b.startswith(a))


def covered(wanted: Iterable[str], stems: AbstractSet[str]) -> set[str]:
    """The wanted stems that ``stems`` holds in any form (``same_word``).

    A stem that extends a wanted one is found by bisecting the sorted stems, and one that it extends by
    looking up its prefixes, rather than by comparing every pair: the learned ranker asks this of some
    200 passages a query, and its features cost 11 ms a query comparing pairs, 3-5 ms this way."""
    found = {s for s in wanted if s in stems}
    rest = [s for s in set(wanted) - found if len(s) >= PREFIX_CHARS]
    if not rest:
        return found
    ordered = sorted(stems)
    for s in rest:
        if any(s[:n] in stems for n in range(PREFIX_CHARS, len(s))):
            found.add(s)  # the passage uses a shorter form of the word
            continue
        at = bisect_left(ordered, s)
        if at < len(ordered) and ordered[at].startswith(s):
            found.add(s)  # the passage uses a longer form
    return found


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text.lower()))


def stems_of(text: str) -> frozenset[str]:
    """The stems of a text's words (cached: the same passages come back query after query)."""
    return _stems(text)


def weighted_share(wanted: Iterable[str], text: str, rarity: Mapping[str, float] | None = None) -> float:
    """The share of the wanted stems the text uses in any form, each weighted by its rarity (1 when not
    given); 1 when nothing is wanted."""
    weights = {s: (rarity or {}).get(s, 1.0) for s in wanted}
    total = sum(weights.values())
    if not total:
        return 1.0
    return sum(weights[s] for s in covered(weights, stems_of(text))) / total
