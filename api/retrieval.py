"""Hybrid retrieval: dense kNN (chroma) and BM25 (FTS5) fused by reciprocal rank, then de-duplicated."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from indexer import DUPLICATE_OVERLAP, MONTHS, Embedder, Store, overlap, shingles

RRF_K = 60
CANDIDATES = 60
BOILERPLATE_FACTOR = 0.35
DATE_BOOST = 1.5

_BOILERPLATE_SECTION = re.compile(
    r"notice of recording|webcast|apologies|declarations? of (disclosable )?(pecuniary )?interest|"
    r"date (and time )?of (the )?(next|future)? ?meetings?|request\(?s?\)? for call in|other urgent business|"
    r"authority to chair",
    re.IGNORECASE,
)
_BOILERPLATE_TEXT = re.compile(
    r"webcast|apologies|declare|interests?\b|call[- ]in|urgent business|future meetings|next meeting|"
    r"authority to act|none\.?$",
    re.IGNORECASE | re.MULTILINE,
)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d{2}|19\d{2})\b")
_LAST_MONTH = re.compile(rf"\blast\s+({_MONTH_NAMES})\b", re.IGNORECASE)


def rrf(rankings: Iterable[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion: each id scores the sum of 1 / (k + rank) over the rankings that hold it."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item_id in enumerate(ranking, start=1):
            scores[item_id] = scores.get(item_id, 0.0) + 1.0 / (k + rank)
    return scores


@dataclass
class Hit:
    """A retrieved chunk with its scores and registry row."""

    chunk_id: str
    score: float
    row: dict[str, Any]
    dense: float = 0.0  # cosine similarity, 0 when only lexical search found it
    lexical: float = 0.0  # BM25, 0 when only dense search found it
    alternates: list[dict[str, Any]] = field(default_factory=list)


def date_hint(query: str, today: date | None = None) -> tuple[int, int] | None:
    """A date range a question names ("in March 2022", "the 2017 meeting", "last April"), as YYYYMMDD ints."""
    today = today or date.today()
    match = _MONTH_YEAR.search(query)
    if match:
        month, year = MONTHS[match.group(1).lower()], int(match.group(2))
        return year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
    match = _LAST_MONTH.search(query)
    if match:
        month = MONTHS[match.group(1).lower()]
        year = today.year if month < today.month else today.year - 1
        return year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
    years = [int(y) for y in _YEAR.findall(query)]
    if len(years) == 1:
        return years[0] * 10000 + 101, years[0] * 10000 + 1231
    return None


def is_boilerplate(row: dict[str, Any]) -> bool:
    """A standing item (webcast notice, apologies, declarations...): judged by the passage's own words too,
    so a paper filed under a standing item's heading by mistake is not buried."""
    section = row.get("section") or ""
    return bool(_BOILERPLATE_SECTION.search(section) and _BOILERPLATE_TEXT.search(row["text"][:600]))


class Retriever:
    """Searches one index with one embedder; ``mode`` picks hybrid, dense or lexical for comparisons."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder

    def search(
        self,
        query: str,
        k: int = 10,
        filters: dict[str, Any] | None = None,
        mode: str = "hybrid",
        dedup: bool = True,
        use_date_hint: bool = True,
        demote_boilerplate: bool = True,
    ) -> list[Hit]:
        filters = {key: value for key, value in (filters or {}).items() if value}
        pool = max(CANDIDATES, k * 3)
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if mode in ("hybrid", "dense"):
            vector = self.embedder.encode([query])[0]
            dense = self.store.dense_search(vector, pool, filters)
        if mode in ("hybrid", "lexical"):
            lexical = self.store.lexical_search(query, pool, filters)

        scores = rrf([[chunk_id for chunk_id, _ in ranking] for ranking in (dense, lexical)])
        dense_of = dict(dense)
        lexical_of = dict(lexical)
        rows = self.store.chunks(list(scores))
        hint = date_hint(query) if use_date_hint else None
        mentions_boilerplate = bool(_BOILERPLATE_SECTION.search(query))
        hits = []
        for chunk_id, score in scores.items():
            row = rows.get(chunk_id)
            if row is None:
                continue
            if demote_boilerplate and is_boilerplate(row) and not mentions_boilerplate:
                score *= BOILERPLATE_FACTOR
            if hint and row.get("meeting_date_int") and hint[0] <= row["meeting_date_int"] <= hint[1]:
                score *= DATE_BOOST
            hits.append(Hit(chunk_id, score, row, dense_of.get(chunk_id, 0.0), lexical_of.get(chunk_id, 0.0)))
        hits.sort(key=lambda h: (-h.score, h.chunk_id))
        if dedup:
            hits = self._collapse_duplicates(hits, k)[:k]
            self._find_copies(hits)
        return hits[:k]

    def _find_copies(self, hits: list[Hit]) -> None:
        """List copies of each result in other documents, even those that ranked too low to be seen."""
        copies = self.store.copies([hit.chunk_id for hit in hits])
        for hit in hits:
            known = {hit.chunk_id} | {alt["chunk_id"] for alt in hit.alternates}
            hit.alternates.extend(row for row in copies[hit.chunk_id] if row["chunk_id"] not in known)

    def _collapse_duplicates(self, hits: list[Hit], k: int) -> list[Hit]:
        """The same passage in a pack and on its own is returned once, with the other copies as alternates."""
        kept: list[tuple[Hit, set[tuple[str, ...]]]] = []
        for hit in hits:
            trigrams = shingles(hit.row["text"])
            for other, other_trigrams in kept:
                if (
                    other.row["document_id"] != hit.row["document_id"]
                    and overlap(trigrams, other_trigrams) >= DUPLICATE_OVERLAP
                ):
                    other.alternates.append(hit.row)
                    break
            else:
                kept.append((hit, trigrams))
                if len(kept) >= k * 2:
                    break
        return [hit for hit, _ in kept]


def citation_url(row: dict[str, Any]) -> str:
    """Where a citation opens: the PDF at its page, or the text viewer scrolled to the passage."""
    document_id = row["document_id"]
    if row.get("document_kind") == "pdf":
        page = row.get("page_start")
        return f"/documents/{document_id}/file#page={page}" if page else f"/documents/{document_id}/file"
    return f"/view.html?document={document_id}&chunk={row['chunk_id']}"
