"""What the index covers, and what a question asks for that the passages found do not: key terms no
passage mentions, or a period or committee of which no meeting is indexed."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from api.answer import terms
from api.question_terms import (
    _COUNCIL,
    _POSSESSIVE,
    _strip_leading,
    committees_named,
    full_dates,
    names_in,
    numbers_in,
)
from api.records import topic_words
from api.retrieval import Hit, date_hint
from indexer import Store

_COMMITTEE_FILLER = frozenset(
    [
        "the",
        "and",
        "of",
        "for",
        "committee",
        "sub",
        "board",
        "panel",
        "forum",
        "cabinet",
        "council",
        "city",
        "county",
        "borough",
        "district",
        "overview",
        "scrutiny",
        "s",
    ]
)


@dataclass
class TermStats:
    """Chunk-level document frequencies of the index's content words (stemmed as api.answer.terms does)."""

    chunks: int
    frequency: Counter[str]

    def idf(self, term: str) -> float:
        """log((1 + N) / (1 + df)): 0 for a word in every passage, highest for one in none."""
        return math.log((1 + self.chunks) / (1 + self.frequency.get(term, 0)))

    @property
    def max_idf(self) -> float:
        return math.log(1 + self.chunks)


@dataclass
class IndexCoverage:
    """The meetings of the index: which committee met when, for "no meeting of X is indexed"."""

    committees: dict[str, list[str]] = field(default_factory=dict)  # name -> sorted meeting dates
    councils: list[str] = field(default_factory=list)
    councils_of: dict[str, list[str]] = field(default_factory=dict)  # committee name -> its councils

    def dates(self) -> list[str]:
        return sorted({d for dates in self.committees.values() for d in dates})

    def describe(self) -> str:
        """'Kent County Council: Cabinet (2025); Birmingham City Council: ... (2017, 2022)': each council's
        committees with the years of their meetings."""
        groups: dict[str, list[str]] = {}
        for name, dates in sorted(self.committees.items()):
            years = sorted({d[:4] for d in dates})
            label = f"{name} ({', '.join(years)})" if years else name
            for council in self.councils_of.get(name) or [""]:
                groups.setdefault(council, []).append(label)
        return "; ".join(
            f"{council}: {', '.join(labels)}" if council else ", ".join(labels)
            for council, labels in sorted(groups.items())
        )


_CACHE: dict[tuple[str, int, int], tuple[TermStats, IndexCoverage]] = {}
_LOCK = threading.Lock()


def index_facts(store: Store) -> tuple[TermStats, IndexCoverage]:
    """Term statistics and meeting coverage of an index, computed once per index state (cached)."""
    stats = store.stats()
    key = (str(store.store_dir), stats.get("documents", 0), stats.get("chunks", 0))
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = (_term_stats(store), _index_coverage(store))
        return _CACHE[key]


def _term_stats(store: Store) -> TermStats:
    frequency: Counter[str] = Counter()
    chunks = 0
    for document in store.documents():
        for row in store.document_chunks(document["document_id"]):
            chunks += 1
            frequency.update(set(terms(passage_words(row))))
    return TermStats(chunks, frequency)


def _index_coverage(store: Store) -> IndexCoverage:
    committees: dict[str, set[str]] = {}
    councils_of: dict[str, set[str]] = {}
    for meeting in store.meetings():
        name = meeting.get("committee")
        if name:
            committees.setdefault(name, set())
            if meeting.get("meeting_date"):
                committees[name].add(meeting["meeting_date"])
    documents = store.documents()
    for document in documents:
        name = document.get("committee")
        if name:
            committees.setdefault(name, set())
            if document.get("meeting_date"):
                committees[name].add(document["meeting_date"])
            if document.get("council"):
                councils_of.setdefault(name, set()).add(document["council"])
    councils = sorted({d["council"] for d in documents if d.get("council")})
    return IndexCoverage(
        {name: sorted(dates) for name, dates in committees.items()},
        councils,
        {name: sorted(names) for name, names in councils_of.items()},
    )


# Words of how a question asks, never of what it is about ("how much", "how often").
_ASKING_WORDS = frozenset(
    ["much", "many", "long", "often", "far", "soon", "well", "ever", "yet", "still", "also"]
)


def _mentioned(term: KeyTerm, words: set[str]) -> bool:
    """Whether any word is a form of the term: the same stem, or a longer word built on it."""
    root = term.stem.rstrip("e") if len(term.stem) > 4 else term.stem
    return any(
        w == term.word.lower() or (len(root) >= 4 and w.startswith(root)) or terms(w) == [term.stem]
        for w in words
    )


def passage_words(row: dict[str, Any]) -> str:
    """A passage's text with the facts that place it (title, committee, section), as a reader sees them."""
    return " ".join(
        str(row.get(key) or "") for key in ("title", "committee", "part_title", "section", "text")
    )


@dataclass(frozen=True)
class KeyTerm:
    word: str  # as the question spells it
    stem: str
    idf: float


def key_terms(question: str, stats: TermStats) -> list[KeyTerm]:
    """The words that say what a question is about (no scaffolding), rarest first."""
    found: dict[str, KeyTerm] = {}
    for word in topic_words(question):
        for stem in terms(word):
            if stem not in found:
                found[stem] = KeyTerm(word, stem, stats.idf(stem))
    return sorted(found.values(), key=lambda t: (-t.idf, t.stem))


def other_councils(question: str, coverage: IndexCoverage) -> list[str]:
    """Councils or places the question names that are not an indexed council ("Essex County Council",
    "Bedfordshire's scheme"): another council's business."""
    indexed = {w for council in coverage.councils for w in _distinctive(council)}
    named = [_strip_leading(m.group(0)) for m in _COUNCIL.finditer(question)]
    named += _POSSESSIVE.findall(question)
    return [n for n in dict.fromkeys(named) if _distinctive(n) and not _distinctive(n) & indexed]


def committee_indexed(name: str, coverage: IndexCoverage) -> bool:
    """Whether a named committee matches an indexed one: their distinctive words overlap (or, for a bare
    "Cabinet"/"Committee", any committee of that kind is indexed)."""
    wanted = _distinctive(name)
    kind = name.split()[-1].lower()
    # A council's place name in the phrase ("Birmingham's Cabinet") narrows it to that council's committees.
    places = {
        council: _distinctive(council) & wanted
        for council in coverage.councils
        if _distinctive(council) & wanted
    }
    wanted -= {w for words in places.values() for w in words}
    for indexed in coverage.committees:
        if places and not set(coverage.councils_of.get(indexed, [])) & set(places):
            continue
        words = _distinctive(indexed)
        if wanted and wanted & words:
            return True
        if not wanted and kind in indexed.lower():
            return True
    return False


def _distinctive(name: str) -> set[str]:
    return {
        t
        for w in re.findall(r"[a-z]+", name.lower())
        if w not in _COMMITTEE_FILLER and len(w) > 2
        for t in terms(w)
    }


def period_asked(question: str) -> tuple[int, int] | None:
    """The meeting period a question names, as YYYYMMDD ints (see api.retrieval.date_hint)."""
    return date_hint(question, date.today())


def period_indexed(period: tuple[int, int], coverage: IndexCoverage) -> bool:
    low, high = period
    return any(low <= int(d.replace("-", "")) <= high for d in coverage.dates() if len(d) == 10)


def describe_period(period: tuple[int, int]) -> str:
    low, high = str(period[0]), str(period[1])
    if low[:4] == high[:4] and low[4:6] == "01" and high[4:6] == "12":
        return low[:4]
    month = date(int(low[:4]), int(low[4:6]), 1)
    return f"{month:%B %Y}"


@dataclass
class Coverage:
    """What the nearest passages lack for one question."""

    missing_terms: list[KeyTerm] = field(default_factory=list)  # no passage found has the stem
    # The missing terms that no passage found mentions in any form ("upgraded" mentions "upgrade"),
    # without the words of how a question asks ("how much"): what the not-found message names.
    unmentioned_terms: list[KeyTerm] = field(default_factory=list)
    unindexed_terms: list[KeyTerm] = field(default_factory=list)  # no passage in the index mentions them
    unmet_committees: list[str] = field(default_factory=list)
    # A named committee with no indexed meeting that no passage found even mentions: out of scope.
    committee_out_of_scope: bool = False
    unmet_period: tuple[int, int] | None = None
    covered_share: float = 1.0  # idf-weighted share of key terms the passages mention
    best_sentence_share: float = 0.0  # the same, within the best single sentence
    names_share: float = 1.0
    numbers_share: float = 1.0
    period_in_text: bool = False
    other_councils: list[str] = field(default_factory=list)  # councils named that are not indexed
    dates_unindexed: list[str] = field(default_factory=list)  # full dates named with no indexed meeting
    best_passage_share: float = 0.0  # idf-weighted share of key terms within the best single passage


def assess(question: str, hits: list[Hit], store: Store) -> Coverage:
    """Which of the question's terms, names, numbers and constraints the passages (and the index) meet."""
    from api.answer import sentences

    stats, index = index_facts(store)
    keys = key_terms(question, stats)
    texts = [passage_words(h.row) for h in hits]
    found = set(terms(" ".join(texts)))
    weight = sum(t.idf for t in keys)
    coverage = Coverage()
    coverage.missing_terms = [t for t in keys if t.stem not in found]
    coverage.unindexed_terms = [t for t in keys if stats.frequency.get(t.stem, 0) == 0]
    passage_words_found = set(re.findall(r"[a-z0-9]+", " ".join(texts).lower()))
    coverage.unmentioned_terms = [
        t
        for t in coverage.missing_terms
        if t.word.lower() not in _ASKING_WORDS and not _mentioned(t, passage_words_found)
    ]
    if weight > 0:
        coverage.covered_share = sum(t.idf for t in keys if t.stem in found) / weight
        best = 0.0
        for hit in hits:
            text = hit.row["text"]
            for start, end in sentences(text):
                words = set(terms(text[start:end]))
                best = max(best, sum(t.idf for t in keys if t.stem in words) / weight)
        coverage.best_sentence_share = best
        coverage.best_passage_share = max(
            (sum(t.idf for t in keys if t.stem in set(terms(text))) / weight for text in texts), default=0.0
        )
    joined = " ".join(texts).lower()
    names = names_in(question)
    if names:
        coverage.names_share = sum(n.lower() in joined for n in names) / len(names)
    numbers = numbers_in(question)
    if numbers:
        flat = joined.replace(",", "")
        coverage.numbers_share = sum(n in flat for n in numbers) / len(numbers)
    coverage.unmet_committees = [c for c in committees_named(question) if not committee_indexed(c, index)]
    coverage.committee_out_of_scope = any(
        " ".join(c.lower().split()[-2:]) not in " ".join(joined.split()) for c in coverage.unmet_committees
    )
    coverage.other_councils = other_councils(question, index)
    indexed_dates = set(index.dates())
    coverage.dates_unindexed = [d for d in full_dates(question) if d not in indexed_dates]
    period = period_asked(question)
    if period is not None:
        year = str(period[0])[:4]
        coverage.period_in_text = year in joined
        if not period_indexed(period, index):
            coverage.unmet_period = period
    return coverage
