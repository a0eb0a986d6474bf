"""What kind of answer a question expects, and whether a sentence gives one.

"How much did it cost?" is answered by a sum of money, "what percentage" by a percentage, "how many" by a
number, "how long" by a duration and "when" by a date. A passage on the right topic that holds no such value
does not answer the question: this is how the papers' near misses are told apart from answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer import MONTHS

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"dozen|half|majority|unanimous(?:ly)?"
)


@dataclass(frozen=True)
class AnswerType:
    name: str  # said in the not-found message: "... but none gives a sum of money."
    question: re.Pattern[str]
    value: re.Pattern[str]

    def expected_by(self, question: str) -> bool:
        return bool(self.question.search(question))

    def given_by(self, sentence: str) -> bool:
        return bool(self.value.search(sentence))

    def asking_words(self, question: str) -> set[str]:
        """The question's words that ask for this kind of value ("what was the price", "how much ... cost"),
        which a passage need not use to answer it."""
        words: set[str] = set()
        for match in self.question.finditer(question):
            words.update(re.findall(r"[a-z0-9]+", match.group(0).lower()))
        if self.name == "sum of money":
            words.update(w for w in re.findall(r"[a-z]+", question.lower()) if _MONEY.match(w))
        return words


_MONEY_WORDS = (
    r"cost|spen[dt]|budget|fund|grant|sav|money|pa(?:y|id)|worth|value|price|rais|tax|levy|income|fee|"
    r"charg|invest|borrow|debt|overspend|deficit"
)

_MONEY = re.compile(rf"(?:{_MONEY_WORDS})\w*$")

ANSWER_TYPES = (
    AnswerType(
        "sum of money",
        re.compile(
            rf"\bhow much\b(?!\s+of\b)(?=.*\b(?:{_MONEY_WORDS})\w*)|"
            rf"\bwhat (?:is|was|were|will be) the (?:\w+ ){{0,3}}(?:cost|value|price|spend|budget)s?\b",
            re.IGNORECASE,
        ),
        re.compile(r"£\s?\d|\d\s?(?:m|bn|k)\b|\b(?:million|billion|pounds?)\b", re.IGNORECASE),
    ),
    AnswerType(
        "percentage",
        re.compile(
            r"\bwhat (?:percentage|proportion|share)\b|\bper ?cent(?:age)? of\b|\bhow much of\b",
            re.IGNORECASE,
        ),
        re.compile(r"\d\s?%|\d\s?per ?cent\b|\b(?:" + _NUMBER_WORDS + r") per ?cent\b", re.IGNORECASE),
    ),
    AnswerType(
        "duration",
        re.compile(r"\bhow long\b|\bwaiting times?\b", re.IGNORECASE),
        re.compile(
            r"\b(?:\d+|" + _NUMBER_WORDS + r")\s*(?:-\s*\d+\s*)?(?:hours?|days?|weeks?|months?|years?)\b",
            re.IGNORECASE,
        ),
    ),
    AnswerType(
        "number",
        re.compile(
            r"\bhow many\b|\b(?:what|which) (?:is|was|were) the (?:\w+ ){0,3}(?:number|rate|total)\b",
            re.IGNORECASE,
        ),
        re.compile(r"\d|\b(?:" + _NUMBER_WORDS + r")\b", re.IGNORECASE),
    ),
    AnswerType(
        "date",
        re.compile(r"^\s*(?:when|by when|on what date|what date)\b", re.IGNORECASE),
        re.compile(
            r"\b(?:" + _MONTH_NAMES + r")\b|\b(?:19|20)\d{2}\b|\d{1,2}/\d{1,2}/\d{2,4}", re.IGNORECASE
        ),
    ),
)


def expected_answer_types(question: str) -> list[AnswerType]:
    """The kinds of value a question asks for ("when ... and how much ..." asks for two); none when any
    statement on the topic may answer it."""
    return [kind for kind in ANSWER_TYPES if kind.expected_by(question)]


# Who: a person named with a title ("Councillor Jane Doe", "Mr Smith", "Professor Ann Example") or
# given a role in brackets ("Sam Taylor (Chair)"). Preferred when picking a sentence only: a passage may
# name its people without either, so a missing name is no sign that the papers do not answer.
PERSON = AnswerType(
    "person",
    re.compile(
        r"^\s*(?:who|whom)\b|^\s*which (?:councillors?|members?|officers?|person|people)\b", re.IGNORECASE
    ),
    re.compile(
        r"\b(?:Councillors?|Cllrs?|Mrs|Mr|Ms|Miss|Dr|Professor|Prof|Sir|Dame|Lord|Lady)\.?\s+[A-Z][a-z]+"
        r"|[A-Z][a-z]+ [\[(](?:Chair|Vice[- ]Chair|Deputy Chair|Chairman|Chairwoman)[\])]"
    ),
)


def preferred_answer_types(question: str) -> list[AnswerType]:
    """The kinds of value a sentence answering the question is preferred for: those the question expects,
    and a person for a "who" question."""
    return [*expected_answer_types(question), *([PERSON] if PERSON.expected_by(question) else [])]
