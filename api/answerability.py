"""Whether the papers answer a question: a small logistic model over the evidence, and what is missing.

The features say how well the passages found meet the question, never which question it is:

- ``strength``: the best dense similarity among the top three passages;
- ``year_missing``: the question names a year that no top passage mentions or was held in ("2021/22"
  mentions 2022);
- ``date_missing``: the same for a full date ("the meeting on 4 March 2025");
- ``type_missing``: the question asks for a kind of value (a sum, a date...) that no sentence on its subject
  gives (``api.answer.missing_answer_types``).

Word coverage (how many of the question's words the passages use) is computed for the not-found message,
but it is not a feature: on the dev questions it ran the wrong way (answerable questions, paraphrased, use
fewer of the papers' words than near misses do), and a model that learned that would refuse plain questions.

The weights, the scaling and the operating point are data (``answerability.json``), fitted on the dev
questions only by ``python -m evals answerability`` and chosen so that at most 5% of dev's answerable
questions are turned away.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from api.answer import evidence_strength, missing_answer_types
from api.answer_types import expected_answer_types
from api.coverage import YEAR, covered, question_words, stems_of
from api.retrieval import Hit
from indexer import find_dates

MODEL_FILE = Path(__file__).with_name("answerability.json")
FEATURES = ("strength", "year_missing", "date_missing", "type_missing")
PASSAGES = 5  # the top passages the features read (what /ask answers from by default)
# A missing word is named in the not-found message only if it is this rare in the index: that no passage
# found uses "new" (rarity 0.24 in the bundled index) says nothing, that none uses "trams" (1.0) does.
MIN_NAMED_RARITY = 0.4
_YEAR_SPAN = re.compile(r"\b((?:19|20)\d{2})\s?[/-]\s?(\d{2})\b")  # 2021/22, 2025-26


@dataclass(frozen=True)
class Evidence:
    """What the passages found say about a question."""

    values: dict[str, float]
    uncovered: list[str]  # the question's rare content words no top passage uses, as the question spells them
    years_missing: list[str]  # years the question names that no top passage mentions or is dated in
    dates_missing: list[str]  # dates (YYYY-MM-DD) the question names that no top passage gives or is dated

    def vector(self) -> list[float]:
        return [self.values[name] for name in FEATURES]


@dataclass(frozen=True)
class Model:
    weights: list[float]
    bias: float
    means: list[float]
    scales: list[float]
    threshold: float  # answer when the probability is at least this

    def probability(self, evidence: Evidence) -> float:
        z = self.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, evidence.vector(), self.means, self.scales, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    if list(data["features"]) != list(FEATURES):
        raise ValueError(f"{path}: features {data['features']} are not {list(FEATURES)}; retrain it")
    return Model(
        [float(w) for w in data["weights"]],
        float(data["bias"]),
        [float(m) for m in data["means"]],
        [float(s) or 1.0 for s in data["scales"]],
        float(data["threshold"]),
    )


def years_in(text: str) -> set[str]:
    """The years a text mentions, with the second year of a span ("2021/22" gives 2021 and 2022)."""
    years = set(YEAR.findall(text))
    years.update(f"{first[:2]}{second}" for first, second in _YEAR_SPAN.findall(text))
    return years


def assess(question: str, hits: list[Hit], rarity: Mapping[str, float] | None = None) -> Evidence:
    """The features of the question against its top passages, and what they miss of it; ``rarity``
    (``indexer.word_rarity`` of ``question_words``) orders the missing words, rarest first."""
    top = hits[:PASSAGES]
    wanted = question_words(question)
    used = covered(
        wanted, set().union(*(stems_of(f"{h.row.get('section') or ''} {h.row['text']}") for h in top))
    )
    passage_years = set().union(
        *(years_in(f"{h.row['text']} {h.row.get('meeting_date') or ''}") for h in top)
    )
    years_missing = [y for y in dict.fromkeys(YEAR.findall(question)) if y not in passage_years]
    passage_dates = {h.row.get("meeting_date") for h in top} | {
        d for h in top for d in find_dates(h.row["text"])
    }
    dates_missing = [d for d in dict.fromkeys(find_dates(question)) if d not in passage_dates]
    values = {
        "strength": evidence_strength(top),
        "year_missing": 1.0 if years_missing else 0.0,
        "date_missing": 1.0 if dates_missing else 0.0,
        "type_missing": 1.0 if top and missing_answer_types(question, top) else 0.0,
    }
    asking = {w for kind in expected_answer_types(question) for w in kind.asking_words(question)}
    weight = {s: (rarity or {}).get(s, 1.0) for s in wanted}
    missing = sorted(
        (s for s in wanted if s not in used and wanted[s] not in asking and weight[s] >= MIN_NAMED_RARITY),
        key=lambda s: -weight[s],
    )
    return Evidence(values, [wanted[s] for s in missing], years_missing, dates_missing)


MAX_NAMED_WORDS = 2


def _quoted(words: list[str]) -> str:
    named = [f"“{w}”" for w in words[:MAX_NAMED_WORDS]]
    return " or ".join(named)


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def not_found_message(
    evidence: Evidence | None, searched: str, meeting_dates: set[str], kinds: list[str]
) -> str:
    """Why the papers do not answer, in words: what was searched and what is missing from it.

    In this order: a meeting date or a year of which no papers are indexed; then the question's rarest
    words that no passage found uses; then the kind of value asked for that no passage gives."""
    if evidence is None:
        return f"No passage in {searched} answers this."
    years = {d[:4] for d in meeting_dates}
    span = f" (the indexed meetings run from {min(years)} to {max(years)})" if len(years) > 1 else ""
    absent_dates = [d for d in evidence.dates_missing if d not in meeting_dates]
    if absent_dates:
        return f"No papers of a meeting on {_long_date(absent_dates[0])} are in {searched}."
    absent_years = [y for y in evidence.years_missing if y not in years]
    if absent_years:
        return f"No papers of a meeting in {absent_years[0]} are in {searched}{span}."
    if evidence.uncovered:
        return f"Searched {searched}: none of the passages found mentions {_quoted(evidence.uncovered)}."
    if kinds:
        return f"The passages found in {searched} touch on this, but none gives a {' or '.join(kinds)}."
    if evidence.dates_missing or evidence.years_missing:
        when = _long_date(evidence.dates_missing[0]) if evidence.dates_missing else evidence.years_missing[0]
        return f"Searched {searched}: the passages found are on this subject, but none is of {when}."
    return f"No passage in {searched} answers this."
