"""Cited answers: extractive by default (sentences picked from the passages), generative when configured."""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from api.answer_types import AnswerType, expected_answer_types, preferred_answer_types
from api.citations import citation, quote_pages
from api.retrieval import Hit
from indexer import Store, sentence_spans, terms

logger = logging.getLogger(__name__)

MAX_SENTENCES = 3
MAX_PER_PASSAGE = 2
MIN_SENTENCE_WORDS = 4
HEADING_MAX_WORDS = 12
HEADING_CAPITALS_SHARE = 0.6
TITLE_MAX_WORDS = 20
TITLE_CASE_SHARE = 0.7
TYPED_ANSWER_BONUS = 1.5  # a sentence giving the kind of value asked for ("how much" -> a sum) is preferred
TYPED_ANSWER_PASSAGES = 5  # the passages searched for that kind of value before saying "not found"
TYPED_ANSWER_SHARED_WORDS = 2  # question words the sentence giving the value must share
UNIT_WEIGHT = 1.0  # a sentence's score adds this times its closest sentence window's cosine to the question


@dataclass
class Quote:
    marker: int
    hit: Hit
    char_start: int  # in the chunk text
    char_end: int
    score: float

    @property
    def text(self) -> str:
        return self.hit.row["text"][self.char_start : self.char_end]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences and bullet lines of a passage long enough to quote."""
    return [
        (start, end)
        for start, end in sentence_spans(text)
        if len(text[start:end].split()) >= MIN_SENTENCE_WORDS
    ]


def is_heading(sentence: str) -> bool:
    """A title line rather than a statement: short and unpunctuated, or mostly capitals."""
    words = sentence.split()
    letters = [c for c in sentence if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > HEADING_CAPITALS_SHARE:
        return True
    alphabetic = [w for w in words if w[:1].isalpha()]
    if alphabetic and len(words) < TITLE_MAX_WORDS:
        capitalised = sum(w[0].isupper() for w in alphabetic) / len(alphabetic)
        if capitalised > TITLE_CASE_SHARE:  # "Agenda Item No 3 English Devolution White Paper"
            return True
    return len(words) < HEADING_MAX_WORDS and not sentence.rstrip().endswith((".", "!", "?", ";", ":"))


def evidence_strength(hits: list[Hit]) -> float:
    """How well the best passages match the question: the highest dense similarity among the top three."""
    return max((h.dense for h in hits[:3]), default=0.0)


def missing_answer_types(question: str, hits: list[Hit]) -> list[AnswerType]:
    """The kinds of value the question asks for when no sentence of the top passages gives one about the
    question's subject (the papers discuss the topic but hold no such figure or date); empty otherwise.

    "About the subject" means sharing at least two of the question's content words: on the evaluation
    questions that caught 3 of the 14 unanswerable ones and none of the 140 answerable (one word: 2 and 0).
    """
    kinds = expected_answer_types(question)
    if not kinds:
        return []
    query = set(terms(question))
    needed = min(TYPED_ANSWER_SHARED_WORDS, len(query))
    for hit in hits[:TYPED_ANSWER_PASSAGES]:
        text = hit.row["text"]
        for start, end in sentences(text):
            sentence = text[start:end]
            if len(set(terms(sentence)) & query) >= needed and any(kind.given_by(sentence) for kind in kinds):
                return []
    return kinds


def unit_similarity(hit: Hit, start: int, end: int) -> float:
    """The cosine to the question of the closest sentence window (``indexer.units``) overlapping a span of
    the passage's text; 0 when the passage has none."""
    return max((cosine for cosine, (a, b) in hit.units if a < end and start < b), default=0.0)


def pick_quotes(question: str, hits: list[Hit]) -> list[Quote]:
    """The sentences that best answer the question, at most two per passage, in passage order.

    Each sentence gets its own marker, and so its own citation with its own page.
    """
    query = Counter(terms(question))
    if not query:
        return []
    kinds = preferred_answer_types(question)
    document_frequency: Counter[str] = Counter()
    for hit in hits:
        document_frequency.update(set(terms(hit.row["text"])))
    candidates: list[Quote] = []
    for rank, hit in enumerate(hits):
        for start, end in sentences(hit.row["text"]):
            sentence = hit.row["text"][start:end]
            words = terms(sentence)
            if not words or is_heading(sentence):
                continue
            shared = set(words) & set(query)
            # A sentence must share words with the question and also say something the question does not.
            if not shared or not set(words) - set(query):
                continue
            weight = sum(math.log(1 + len(hits) / (1 + document_frequency[w])) + 1 for w in shared)
            score = (
                weight / math.sqrt(len(words))
                + 1.0 / (rank + 2)
                + UNIT_WEIGHT * unit_similarity(hit, start, end)
            )
            if any(kind.given_by(sentence) for kind in kinds):
                score *= TYPED_ANSWER_BONUS
            candidates.append(Quote(0, hit, start, end, score))
    candidates.sort(key=lambda q: -q.score)
    chosen: list[Quote] = []
    per_passage: Counter[str] = Counter()
    said: set[str] = set()
    for quote in candidates:
        if per_passage[quote.hit.chunk_id] >= MAX_PER_PASSAGE:
            continue
        wording = " ".join(terms(quote.text))
        if wording in said:  # the same sentence in another passage (a report reprinted in its pack)
            continue
        said.add(wording)
        chosen.append(quote)
        per_passage[quote.hit.chunk_id] += 1
        if len(chosen) >= MAX_SENTENCES:
            break
    order = {hit.chunk_id: i for i, hit in enumerate(hits)}
    chosen.sort(key=lambda q: (order[q.hit.chunk_id], q.char_start))
    for marker, quote in enumerate(chosen, start=1):
        quote.marker = marker
    return chosen


def citation_for(store: Store, quote: Quote) -> dict[str, Any]:
    """An answer sentence's citation: its own page(s), not its passage's."""
    row = quote.hit.row
    pages = quote_pages(store, row, quote.char_start, quote.char_end)
    return citation(
        row,
        pages,
        quote.text,
        title=row.get("title"),
        section=row.get("section"),
        link_page=pages.first,
        marker=quote.marker,
        meeting_date=row.get("meeting_date"),
    )


def extractive_answer(store: Store, question: str, hits: list[Hit]) -> tuple[str, list[dict[str, Any]]]:
    """An answer made only of sentences from the passages, each followed by its citation marker."""
    quotes = pick_quotes(question, hits)
    parts = [f"{' '.join(q.text.split())} [{q.marker}]" for q in quotes]
    return " ".join(parts), [citation_for(store, quote) for quote in quotes]
