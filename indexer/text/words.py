"""The words of a query or passage that carry meaning, shared by lexical search and answer picking."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """
    a an and are as at be by did do does for from had has have how i in is it its me of on or our so that
    the their them then there these they this to was we were what when where which who whom why will with
    about any can could would should been being into
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_WORD = re.compile(r"\w+", re.UNICODE)


def content_words(text: str) -> list[str]:
    """Lower-cased words of the text that are not stop words, in order."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
