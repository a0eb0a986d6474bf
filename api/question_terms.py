"""What a question names: people and places, numbers, full dates, committees and councils."""

from __future__ import annotations

import re
from datetime import date

from indexer import MONTHS

# A capitalised word after the first is a name ("Harborne", "Lordswood"); these capitalised words are not.
_NOT_NAMES = frozenset(
    [
        "i",
        "mr",
        "mrs",
        "ms",
        "dr",
        "cllr",
        "councillor",
        "what",
        "when",
        "where",
        "which",
        "who",
        "how",
        "did",
        "does",
        "is",
        "was",
        "were",
        "the",
        "a",
        "an",
        "in",
        "on",
        "of",
        "for",
        "to",
        "and",
    ]
)
_NAME = re.compile(r"(?<![\w'’])([A-Z][a-zA-Z'’-]+)")
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,.]*\d|\d)(?:st|nd|rd|th)?(?![\w])")
# "the Planning Committee", "Birmingham's Audit Sub-Committee", "the Health and Wellbeing Board".
_COMMITTEE = re.compile(
    r"((?:[A-Z][\w&'’,-]*\s+(?:(?:and|of|for|&)\s+)?){0,7})"
    r"(Committee|Sub-Committee|Board|Panel|Forum|Cabinet)\b"
)
_LEADING_WORDS = frozenset(
    [
        "after",
        "before",
        "since",
        "following",
        "during",
        "at",
        "in",
        "on",
        "did",
        "does",
        "do",
        "was",
        "were",
        "has",
        "have",
        "had",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "is",
        "are",
        "will",
        "would",
        "could",
        "should",
        "can",
        "according",
        "whether",
        "the",
        "a",
        "an",
    ]
)
_COUNCIL = re.compile(
    r"\b((?:[A-Z][\w'’-]+\s+){1,3})(?:City\s+|County\s+|Borough\s+|District\s+|Metropolitan\s+)?Council\b"
)
_POSSESSIVE = re.compile(r"\b([A-Z][a-z]+)(?:'s|’s)\b")
_FULL_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\b")


def names_in(question: str) -> list[str]:
    """Capitalised words after the first word: the names a question asks about."""
    words = _NAME.findall(question)
    first = question.split()[0] if question.split() else ""
    return list(
        dict.fromkeys(
            w for w in words if w.lower() not in _NOT_NAMES and not question.startswith(w) and w != first
        )
    )


def numbers_in(question: str) -> list[str]:
    return list(dict.fromkeys(m.group(1).replace(",", "") for m in _NUMBER.finditer(question)))


def committees_named(question: str) -> list[str]:
    """The committees a question names ("the Planning Committee"), as written."""
    return [_strip_leading(m.group(0)) for m in _COMMITTEE.finditer(question)]


def _strip_leading(phrase: str) -> str:
    """A captured name without the question's opening words ("After Cabinet" is Cabinet)."""
    words = phrase.split()
    while len(words) > 1 and words[0].lower() in _LEADING_WORDS:
        words = words[1:]
    return " ".join(words)


def full_dates(question: str) -> list[str]:
    """The full dates a question names ("on 15 June 2022"), as YYYY-MM-DD."""
    found = []
    for day, month, year in _FULL_DATE.findall(question):
        try:
            found.append(date(int(year), MONTHS[month.lower()], int(day)).isoformat())
        except (KeyError, ValueError):
            continue
    return found
