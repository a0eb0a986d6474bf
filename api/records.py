"""Decisions and commitments ranked for a query, and shaped as cited results like those of /search.

Ranking fuses two rankings by reciprocal rank, as /search does: BM25 over the record's words (FTS5, with
its Porter stemming) and the cosine between the query and the record's own vector. A record keeps to the
topic when its words cover the query's content words (not one shared word: "school transport" is not
"school attainment"), or when it is close in meaning; a topic the papers never decided on finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Literal, TypeVar, overload

import numpy as np

from api.citations import citation
from api.retrieval import DATE_BOOST, date_hint, rrf
from indexer import (
    AgendaItemRow,
    CommitmentRow,
    DecisionRow,
    Embedder,
    EvidenceRow,
    PageRange,
    RecordRow,
    SearchableRecordTable,
    Store,
    content_words,
    plain,
    stem,
)

# A record that does not cover the query's words must be at least this close in meaning to be listed.
MIN_DENSE_ONLY_SIMILARITY = 0.55  # chosen on the dev record topics (evals/record_search.py)
# The share of the query's content words a record must contain (stemmed) to count as a lexical match.
MIN_WORD_COVERAGE = 1.0

Row = TypeVar("Row", bound=RecordRow)


@dataclass
class RankedRecord(Generic[Row]):
    """A record row with its fused score and the two scores fused."""

    row: Row
    score: float = 0.0
    lexical: float = 0.0  # BM25, 0 when no word matched
    dense: float = 0.0  # cosine similarity to the query


@overload
def rank_records(
    store: Store,
    embedder: Embedder | None,
    table: Literal["decisions"],
    query: str | None,
    filters: dict[str, Any],
    k: int,
    lexical_query: str | None = None,
    **narrow: Any,
) -> list[RankedRecord[DecisionRow]]: ...
@overload
def rank_records(
    store: Store,
    embedder: Embedder | None,
    table: Literal["commitments"],
    query: str | None,
    filters: dict[str, Any],
    k: int,
    lexical_query: str | None = None,
    **narrow: Any,
) -> list[RankedRecord[CommitmentRow]]: ...
def rank_records(
    store: Store,
    embedder: Embedder | None,
    table: SearchableRecordTable,
    query: str | None,
    filters: dict[str, Any],
    k: int,
    lexical_query: str | None = None,
    **narrow: Any,
) -> list[RankedRecord[Any]]:
    """The k best ``decisions`` or ``commitments`` for a query, or the k most recent without one.

    ``lexical_query`` (default: the query) is what BM25 matches: a question's topic words, say, so that
    "did Cabinet resolve" does not favour every record that says "RESOLVED that Cabinet".
    Copies of one record in two papers (the same words, meeting and committee) are listed once.
    """
    rows: list[RecordRow] = [*store.records(table, filters, **narrow)]
    if not query or embedder is None:
        rows.sort(key=lambda r: (r.get("meeting_date") or "", r["document_id"], -r["position"]), reverse=True)
        return _distinct([RankedRecord(row) for row in rows])[:k]
    lexical = store.record_lexical_search(table, lexical_query or query)
    coverage = word_coverage(store, table, lexical_query or query)
    vector = embedder.encode([query])[0]
    dense = {row["record_id"]: _cosine(row.get("vector"), vector) for row in rows}
    lexical = {i: score for i, score in lexical.items() if coverage.get(i, 0.0) >= MIN_WORD_COVERAGE}
    candidates = [
        r for r in rows if r["record_id"] in lexical or dense[r["record_id"]] >= MIN_DENSE_ONLY_SIMILARITY
    ]
    by_lexical = sorted(
        (r for r in candidates if r["record_id"] in lexical), key=lambda r: -lexical[r["record_id"]]
    )
    by_dense = sorted(candidates, key=lambda r: -dense[r["record_id"]])
    scores = rrf([[r["record_id"] for r in ranking] for ranking in (by_lexical, by_dense)])
    hint = date_hint(query)
    ranked = []
    for row in candidates:
        score = scores[row["record_id"]]
        if hint and (day := row.get("meeting_date_int")) and hint[0] <= day <= hint[1]:
            score *= DATE_BOOST
        ranked.append(RankedRecord(row, score, lexical.get(row["record_id"], 0.0), dense[row["record_id"]]))
    ranked.sort(key=lambda r: (-r.score, r.row["record_id"]))
    return _distinct(ranked)[:k]


def word_coverage(store: Store, table: SearchableRecordTable, query: str) -> dict[str, float]:
    """The share of the query's content words (each matched with the index's stemming) in each record."""
    words = list(dict.fromkeys(content_words(query)))
    if not words:
        return {}
    hits: dict[str, int] = {}
    for word in words:
        for record_id in store.record_lexical_search(table, word):
            hits[record_id] = hits.get(record_id, 0) + 1
    return {record_id: count / len(words) for record_id, count in hits.items()}


def distinct_rows(rows: list[Row]) -> list[Row]:
    """Rows of one meeting listed once each: copies of a record in two of its papers share a key."""
    seen: set[str] = set()
    kept = []
    for row in rows:
        if row["dedup_key"] not in seen:
            seen.add(row["dedup_key"])
            kept.append(row)
    return kept


def _distinct(ranked: list[RankedRecord[Row]]) -> list[RankedRecord[Row]]:
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for record in ranked:
        key = (record.row.get("committee_id"), record.row.get("meeting_date"), record.row["dedup_key"])
        if key not in seen:
            seen.add(key)
            kept.append(record)
    return kept


def _cosine(stored: np.ndarray | None, vector: np.ndarray) -> float:
    if stored is None or stored.shape != vector.shape:
        return 0.0
    return float(np.dot(stored, vector))


# ---- shapes ----------------------------------------------------------------------------------------


def citation_of(row: RecordRow) -> dict[str, Any]:
    """Where a record is, in the shape /search uses: the exact page where it is known; in a text pack, the
    range of pack pages the agenda gives (``page_source`` "agenda"); the passage that holds it."""
    exact = PageRange.of_record(row)
    pack = PageRange(pages[0], pages[1]) if (pages := row.get("pack_pages")) else PageRange()
    return citation(
        row,
        exact if exact.known else pack,
        row["quote"],
        title=row.get("document_title"),
        section=_item_section(row),
        link_page=exact.first,
        page_source=row.get("page_source"),
    )


def _item_section(row: Mapping[str, Any]) -> str | None:
    """'8 Home to school transport': the item a record is under, as far as its kind of row names it
    (an agenda item has its number here, its title being its own; evidence has neither)."""
    return " ".join(str(p) for p in (row.get("item_number"), row.get("item_title")) if p) or None


def decision_result(ranked: RankedRecord[DecisionRow]) -> dict[str, Any]:
    row = ranked.row
    return {
        "decision_id": row["decision_id"],
        "kind": row["kind"],
        "text": row.get("text") or plain(row["quote"]),
        "outcome": row.get("outcome"),
        "motion": row.get("motion"),
        "votes": row.get("votes"),
        **_meeting_fields(row),
        **citation_of(row),
        "score": round(ranked.score, 6),
    }


def commitment_result(store: Store, ranked: RankedRecord[CommitmentRow]) -> dict[str, Any]:
    row = ranked.row
    return {
        "commitment_id": row["commitment_id"],
        "who": row.get("who"),
        "what": plain(row["what"]),
        "due": row.get("due"),
        "due_date": row.get("due_date"),
        "status": row["status"],
        "status_note": row.get("status_note"),
        "status_source": row["status_source"],
        "status_date": row.get("status_date"),
        "origin": row.get("origin"),
        "update": row.get("update"),
        **_meeting_fields(row),
        **citation_of(row),
        "evidence": [evidence_result(e) for e in store.evidence(row.get("evidence_ids") or [])],
        "score": round(ranked.score, 6),
    }


def evidence_result(row: EvidenceRow) -> dict[str, Any]:
    return {
        "kind": row["kind"],
        "meeting_date": row.get("meeting_date"),
        "text": plain(row["text"]),
        "status": row.get("status"),
        "row_date": row.get("row_date"),
        "update": row.get("update"),
        **citation_of(row),
    }


def agenda_item_result(row: AgendaItemRow) -> dict[str, Any]:
    printed = row.get("first_page") is not None
    return {
        "item_id": row["item_id"],
        "item_number": row.get("item_number"),
        "number_inferred": bool(row.get("number_inferred")),
        "item_title": row["title"],
        "description": row.get("description"),
        "attendees": row.get("attendees"),
        "time_start": row.get("time_start"),
        "time_end": row.get("time_end"),
        "first_page": row.get("first_page"),
        "last_page": row.get("last_page"),
        "pages_from": "agenda" if printed else None,
        **citation_of(row),
    }


def _meeting_fields(row: DecisionRow | CommitmentRow) -> dict[str, Any]:
    return {
        "meeting_id": row.get("meeting_id"),
        "meeting_date": row.get("meeting_date"),
        "committee": row.get("committee"),
        "committee_id": row.get("committee_id"),
        "item_number": row.get("item_number"),
        "item_title": row.get("item_title"),
    }


# ---- answers led by decisions ------------------------------------------------------------------------

# A question about what a body decided: "What did Cabinet resolve ...", "Was the plan agreed?".
_DECISION_QUESTION = re.compile(
    r"\b(?:decid\w*|decision\w*|resolv\w*|resolution\w*|agree[sd]?|agreement|vot(?:e|ed|es|ing)|approv\w*)\b",
    re.IGNORECASE,
)
_VERBS = {
    "resolved": "resolved",
    "noted": "noted",
    "agreed": "agreed",
    "recommended": "recommended",
}
_RESOLVED_LEAD = re.compile(r"^RESOLVED\s*(?:[:\-–]\s*|that\s+|\b)", re.IGNORECASE)
MAX_DECISION_CHARS = 400
# How questions ask, and the bodies every decision is made by: they say nothing of the topic.
_QUESTION_WORDS = frozenset(
    re.findall(
        r"\w+",
        "the and was were what when where which who whom why how did does had has have about for from "
        "into that this these those there their they its with any can could would should been being will "
        "our committee committees council cabinet meeting meetings members member made make taken take "
        "anything something said say tell happen happened",
    )
)


def asks_for_decision(question: str) -> bool:
    """Whether a question asks what was decided, resolved or agreed."""
    return bool(_DECISION_QUESTION.search(question))


def topic_words(question: str) -> list[str]:
    """The question's words that say what it is about (not how it asks: no intent or common words)."""
    words = re.findall(r"[a-z0-9]+", _DECISION_QUESTION.sub(" ", question.lower()))
    return list(dict.fromkeys(w for w in words if len(w) > 2 and w not in _QUESTION_WORDS))


def on_topic(row: DecisionRow, words: list[str]) -> bool:
    """Whether a record shares a topic word with the question (its words or its item's title)."""
    text = f"{row.get('item_title') or ''} {row.get('quote') or ''}".lower()
    return bool({stem(w) for w in words} & {stem(w) for w in re.findall(r"[a-z0-9]+", text)})


def decision_sentence(row: DecisionRow, marker: int) -> str:
    """'On 30 March 2022 the Education ... Committee resolved: “…” [1]'."""
    body = plain(row["quote"])  # the part's own words read best inside an answer
    if row.get("kind") in _VERBS:
        body = _RESOLVED_LEAD.sub("", body, count=1) or body
    if len(body) > MAX_DECISION_CHARS:
        body = body[: MAX_DECISION_CHARS - 1].rsplit(" ", 1)[0] + "…"
    body = body[:1].upper() + body[1:]
    who = _body_name(row.get("committee"))
    when = f"On {_long_date(day)} " if (day := row.get("meeting_date")) else ""
    kind, outcome = row.get("kind"), row.get("outcome")
    if kind and kind.startswith(("amendment", "motion")):
        article = "an amendment" if kind.startswith("amendment") else "a motion"
        result = f", which was {outcome}" if outcome else ""
        return f"{when}{who} voted on {article}{result}: “{body}” [{marker}]"
    verb = _VERBS.get(kind or "", "decided")
    return f"{when}{who} {verb}: “{body}” [{marker}]"


def _body_name(committee: str | None) -> str:
    if not committee:
        return "the meeting"
    return committee if len(committee.split()) == 1 else f"the {committee}"


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"
