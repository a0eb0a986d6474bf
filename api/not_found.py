"""Honest "not found" replies: what was searched and what it lacks, and, for a question about a decision
no record holds, where the item was on the agenda instead."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from api.answer import sentences, terms
from api.coverage import Coverage, IndexCoverage, describe_period
from api.records import citation_of, topic_words
from api.retrieval import Hit
from indexer import Store

MAX_TERMS_NAMED = 3
MAX_AGENDA_MENTIONS = 3
# An agenda item is about the question's topic when its title holds at least this share of the topic words.
AGENDA_TITLE_SHARE = 0.5
NEAREST_NOTE = "The nearest passages found; they do not answer the question."
# A sentence that records a decision ("RESOLVED that ...", "Members agreed ...").
_DECIDED = re.compile(
    r"\b(?:resolved|agreed|decided|approved|endorsed|carried|voted|rejected)\b", re.IGNORECASE
)
# A question asking what a body resolved, decided or agreed (the verbs; "the decision maker" is not one).
_ASKS_RESOLVED = re.compile(
    r"\b(?:decid(?:e|ed|es)|resolv(?:e|ed|es)|agree[sd]?|approv(?:e|ed|es)|vot(?:e|ed)\s+(?:on|for|to))\b",
    re.IGNORECASE,
)


def asks_what_was_resolved(question: str) -> bool:
    """Whether a question asks what a body resolved or decided (not merely mentions a decision)."""
    return bool(_ASKS_RESOLVED.search(question))


def _quoted(words: list[str]) -> str:
    quoted = [f"“{w}”" for w in words]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def coverage_message(
    searched: str, coverage: Coverage, index: IndexCoverage, kinds_missing: list[str]
) -> str:
    """The not-found message: what was searched, then what it lacks that the question asks for."""
    if coverage.unmet_committees:
        period = (
            f" or of any committee in {describe_period(coverage.unmet_period)}"
            if coverage.unmet_period is not None
            else ""
        )
        opening = (
            f"No meeting of the {coverage.unmet_committees[0]}{period} is indexed; {searched} hold papers of "
            f"{index.describe()}."
        )
    elif coverage.dates_unindexed:
        day = date.fromisoformat(coverage.dates_unindexed[0])
        opening = (
            f"No meeting on {day.day} {day:%B %Y} is indexed; {searched} hold papers of {index.describe()}."
        )
    elif coverage.other_councils:
        opening = (
            f"No paper of {coverage.other_councils[0]} is indexed; {searched} are papers of "
            f"{' and '.join(index.councils) or 'unknown councils'}."
        )
    elif coverage.unmet_period is not None:
        opening = (
            f"No meeting in {describe_period(coverage.unmet_period)} is indexed; {searched} hold papers of "
            f"{index.describe()}."
        )
    elif kinds_missing:
        opening = (
            f"The passages found in {searched} touch on this, but none gives a {' or '.join(kinds_missing)}."
        )
    else:
        opening = f"No passage in {searched} answers this."
    unindexed = [t.word for t in coverage.unindexed_terms if t in coverage.unmentioned_terms][
        :MAX_TERMS_NAMED
    ]
    nearest_only = [t.word for t in coverage.unmentioned_terms if t not in coverage.unindexed_terms]
    parts = [opening]
    if unindexed:
        parts.append(f"No indexed passage mentions {_quoted(unindexed)}.")
    if nearest_only:
        parts.append(f"The nearest passages do not mention {_quoted(nearest_only[:MAX_TERMS_NAMED])}.")
    return " ".join(parts)


def records_a_decision(question: str, hits: list[Hit]) -> bool:
    """Whether a passage found holds a sentence recording a decision on the question's topic."""
    words = {t for w in topic_words(question) for t in terms(w)}
    if not words:
        return False
    needed = min(2, len(words))
    for hit in hits:
        text = hit.row["text"]
        for start, end in sentences(text):
            sentence = text[start:end]
            if _DECIDED.search(sentence) and len(words & set(terms(sentence))) >= needed:
                return True
    return False


def agenda_mentions(store: Store, question: str, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The agenda items whose titles name the question's topic, newest meeting first (one per meeting)."""
    words = {t for w in topic_words(question) for t in terms(w)}
    if not words:
        return []
    needed = max(1, round(len(words) * AGENDA_TITLE_SHARE + 1e-9))
    scored = []
    for row in store.records("agenda_items", {k: v for k, v in filters.items() if k != "doc_type"}):
        shared = len(words & set(terms(row.get("title") or "")))
        if shared >= needed:
            scored.append((shared, row))
    best: dict[Any, tuple[int, dict[str, Any]]] = {}
    for shared, row in scored:
        key = row.get("meeting_id") or (row.get("committee"), row.get("meeting_date"))
        if key not in best or shared > best[key][0]:
            best[key] = (shared, row)
    rows = [row for _, row in best.values()]
    rows.sort(key=lambda r: (r.get("meeting_date") or "", r.get("item_number") or ""), reverse=True)
    return [agenda_mention(row) for row in rows[:MAX_AGENDA_MENTIONS]]


def agenda_mention(row: dict[str, Any]) -> dict[str, Any]:
    """An agenda item as the /ask reply lists it: meeting, item, title, pack pages and a link."""
    where = citation_of({**row, "quote": row.get("title") or ""})
    first, last = row.get("first_page"), row.get("last_page")
    return {
        "meeting_date": row.get("meeting_date"),
        "committee": row.get("committee"),
        "item_number": row.get("item_number"),
        "item_title": row.get("title"),
        "document_id": row["document_id"],
        "source": row.get("source"),
        "title": row.get("document_title"),
        "pack_pages": [first, last if last is not None else first] if first is not None else None,
        "page_start": where["page_start"],
        "page_end": where["page_end"],
        "url": where["url"],
    }


_TOPIC = re.compile(
    r"\b(?:about|on|regarding|concerning|over|for)\s+(?:the\s+)?([^?!.]{3,80}?)\s*(?:[?!.]+\s*)?$",
    re.IGNORECASE,
)


def no_resolution_message(question: str, mentions: list[dict[str, Any]]) -> str:
    """'No resolution on X is recorded in the indexed minutes. It was on the agenda of ...'."""
    match = _TOPIC.search(question.strip())
    topic = match.group(1) if match else (mentions[0].get("item_title") if mentions else None) or "this"
    places = [_place(m) for m in mentions]
    lead = "It was on the agenda of" if len(places) == 1 else "It was on the agendas of, newest first,"
    return f"No resolution on {topic} is recorded in the indexed minutes. {lead} {'; '.join(places)}."


def _place(mention: dict[str, Any]) -> str:
    who = mention.get("committee") or "a meeting"
    when = ""
    if mention.get("meeting_date"):
        day = date.fromisoformat(mention["meeting_date"])
        when = f" on {day.day} {day:%B %Y}"
    details = []
    if mention.get("item_number"):
        details.append(f"item {mention['item_number']}")
    if mention.get("item_title"):
        details.append(f"“{' '.join(mention['item_title'].split())}”")
    pages = mention.get("pack_pages")
    if pages:
        details.append(
            f"pack pages {pages[0]}–{pages[1]}" if pages[1] != pages[0] else f"pack page {pages[0]}"
        )
    return f"the {who}{when}" + (f" ({', '.join(details)})" if details else "")
