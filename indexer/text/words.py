"""The words of a query or passage that carry meaning: one stop-word list and one stemmer for the project.

The stemmer is Porter's, from PyStemmer, the algorithm SQLite's FTS5 ``porter`` tokenizer applies to the
lexical index, so a word matched by answer picking, record search or linking is matched the same way there.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

STOPWORDS = frozenset(
    """
    a all an and any are as at be by did do does for from had has have how i in is it its me of on or our so
    that the their them then there these they this to was we were what when where which who whom why will
    with about can could would should been being into
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Words nearly every committee paper uses, so they say nothing about which passage or record is meant.
PAPER_WORDS = frozenset({"committee", "committees", "council", "meeting", "meetings", "members"})

_WORD = re.compile(r"\w+", re.UNICODE)
_ALPHANUMERIC = re.compile(r"[a-z0-9]+")
_PORTER = Stemmer.Stemmer("porter")


def content_words(text: str) -> list[str]:
    """Lower-cased words of the text that are not stop words, in order."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Porter's stem of a lower-case word ("chasing" and "chase" give "chase")."""
    return str(_PORTER.stemWord(word.strip("'’-")))


def terms(text: str, ignore: frozenset[str] = PAPER_WORDS, min_chars: int = 2) -> list[str]:
    """Stemmed content words of the text, in order: no stop words, no ``ignore`` words, none shorter
    than ``min_chars``."""
    return [
        stem(w)
        for w in _ALPHANUMERIC.findall(text.lower())
        if len(w) >= min_chars and w not in STOPWORDS and w not in ignore
    ]
