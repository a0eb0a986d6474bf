"""Committees a question names that no indexed paper is of: the papers cannot say what such a body did.

A committee is named the way the papers name one: capitalised words ending in Committee or Sub-Committee
("the Audit and Governance Committee", "the Planning O&S Committee"). Boards, panels and forums are left
out: on the dev questions every one named (three improvement boards) was answered by the papers of the
committees they report to. It counts as
indexed when its content words are all words of one indexed committee's name, in any form, so "the
Children's O&S Committee" is the indexed "Children's Overview and Scrutiny Committee". A committee that is
not indexed but that a passage found names by name ("... was considered by the X Committee") is not
reported: the papers of another body may say what it did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from indexer import stem

_CAPITAL = r"(?:[A-Z][A-Za-z'’\-]*|O&S)"
_LINK = r"(?:,?\s+(?:and|&|of|for|on|the)\s+|,?\s+)"
NAMED_BODY = re.compile(rf"\b({_CAPITAL}(?:{_LINK}{_CAPITAL})*?)\s+(Sub-Committee|Committee)\b")
# Words that open a question or a sentence, capitalised for that reason alone.
_OPENING_WORDS = (
    "what which who whom whose when where why how did does do has have had was were is are will would "
    "could can should in at on by for the a an"
)
_OPENERS = frozenset(_OPENING_WORDS.split())
_LINK_WORDS = frozenset("and of for on the sub".split())  # noqa: SIM905
_ALIASES = {"o&s": "overview scrutiny"}  # how committee names are shortened


@dataclass(frozen=True)
class NamedCommittee:
    name: str  # as the question writes it, without an opening word or a possessive ("Kent's")
    words: frozenset[str]  # its content words, stemmed


def content_words(name: str) -> frozenset[str]:
    """A committee name's words that tell it apart, stemmed: no linking words, no 'committee'."""
    text = name.lower()
    for short, long in _ALIASES.items():
        text = text.replace(short, long)
    words = re.findall(r"[a-z]+", text.replace("’", "'").replace("'s", ""))
    return frozenset(stem(w) for w in words if w not in _LINK_WORDS and w != "committee")


def named_committees(question: str) -> list[NamedCommittee]:
    """The committees the question names, in its order."""
    found = []
    for match in NAMED_BODY.finditer(question):
        words = match.group(1).split()
        while words and (words[0].lower() in _OPENERS or re.search(r"['’]s$", words[0])):
            words = words[1:]  # "What", "Did", "Kent's": the question's, not the committee's
        if not words:
            continue
        name = f"{' '.join(words)} {match.group(2)}"
        found.append(NamedCommittee(name, content_words(name)))
    return found


def unindexed_committees(question: str, indexed: Iterable[str], passage_texts: Iterable[str]) -> list[str]:
    """The committees the question names that are none of ``indexed`` and that no passage names."""
    known = [content_words(name) for name in indexed]
    texts = [" ".join(t.lower().split()) for t in passage_texts]
    absent = []
    for committee in named_committees(question):
        if not committee.words or any(committee.words <= words for words in known):
            continue
        spelled = " ".join(committee.name.lower().split())
        if any(spelled in text for text in texts):
            continue
        absent.append(committee.name)
    return absent


MAX_LISTED = 6  # indexed committees named in the message; the rest are counted


def absent_committee_message(absent: str, searched: str, indexed: Iterable[str]) -> str:
    """'No papers of the X are in <searched>, and no passage found names it; the indexed committees are …'."""
    names = sorted(set(indexed))
    listed = "; ".join(names[:MAX_LISTED])
    more = f"; and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
    which = f"; the indexed committees are: {listed}{more}" if names else ""
    return f"No papers of the {absent} are in {searched}, and no passage found names it{which}."
