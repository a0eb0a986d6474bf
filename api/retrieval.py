"""Hybrid retrieval: dense kNN (chroma) and BM25 (FTS5) fused by reciprocal rank, each candidate scored by
its best sentence window too (``indexer.units``), ranked by the learned ranker, then de-duplicated."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from api.coverage import question_words
from api.query import date_hint
from api.ranker import Candidate, features, load_ranker
from indexer import DUPLICATE_OVERLAP, ChunkRow, Embedder, Store, overlap, shingles

__all__ = ["DATE_BOOST", "RRF_K", "Hit", "Retriever", "date_hint", "item_of"]

RRF_K = 60
# Each leg's weight in the reciprocal-rank fusion, chosen on the dev questions: BM25 counted twice found
# more gold pages in the top 5 on both councils (Kent 0.806 -> 0.851, Birmingham 0.945 either way).
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 2.0
CANDIDATES = 60
BOILERPLATE_FACTOR = 0.35
DATE_BOOST = 1.5
MAX_PER_ITEM = 2  # with diversity asked for: passages of one agenda item in the top k
# Standing items (apologies, declarations...) the question does not ask about, kept in their places by the
# learned ranker; the rest move below every other passage, so three meetings' declarations of interests do
# not fill a top ten. The ranker itself does not read them (api/ranker.py).
MAX_STANDING_ITEMS = 2
SECTION_SEPARATOR = " › "

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


def rrf(
    rankings: Iterable[Sequence[str]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> dict[str, float]:
    """Reciprocal rank fusion: each id scores the sum of weight / (k + rank) over the rankings that hold
    it (every weight 1 unless given)."""
    scores: dict[str, float] = {}
    for position, ranking in enumerate(rankings):
        weight = weights[position] if weights is not None else 1.0
        for rank, item_id in enumerate(ranking, start=1):
            scores[item_id] = scores.get(item_id, 0.0) + weight / (k + rank)
    return scores


@dataclass
class Hit:
    """A retrieved chunk with its scores and registry row."""

    chunk_id: str
    score: float
    row: ChunkRow
    dense: float = 0.0  # cosine similarity, 0 when only lexical search found it
    lexical: float = 0.0  # BM25, 0 when only dense search found it
    alternates: list[ChunkRow] = field(default_factory=list)
    more_from_item: list[ChunkRow] = field(default_factory=list)  # same item, ranked below the top k
    # its sentence windows' cosines to the question and their spans in its text (``indexer.units``)
    units: tuple[tuple[float, tuple[int, int]], ...] = ()

    @property
    def highlight(self) -> tuple[int, int] | None:
        """The span of its text closest in meaning to the question: its best sentence window, or None
        when it has no units or its one unit is the whole passage."""
        if not self.units:
            return None
        _, (start, end) = max(self.units, key=lambda unit: unit[0])
        text = self.row["text"]
        return None if text[:start].strip() == "" and text[end:].strip() == "" else (start, end)


def is_boilerplate(row: ChunkRow) -> bool:
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
        max_per_item: int = 0,
        learned: bool = True,
    ) -> list[Hit]:
        """The k best passages. ``max_per_item`` (0: no limit) keeps one agenda item from filling the
        top k and lists its other passages under its shown ones (off by default: on the dev questions
        it cost Birmingham 5 points of hit@5, because the answer is often the item's third passage).
        ``learned`` (the default) ranks the candidates with the fitted ranker (api/ranker.py); without it,
        or without a ranker file, the hand-set boosts rank them (the fused score, times BOILERPLATE_FACTOR
        for a standing item, times DATE_BOOST in the period the question names)."""
        candidates = self.candidates(
            query, max(CANDIDATES, k * 3), filters, mode, use_date_hint, demote_boilerplate
        )
        ranker = load_ranker() if learned else None
        if ranker is None:  # the hand-set boosts
            scored = [
                (
                    c,
                    c.fused
                    * (BOILERPLATE_FACTOR if c.boilerplate else 1.0)
                    * (DATE_BOOST if c.date_match else 1.0),
                )
                for c in candidates
            ]
        else:
            wanted = list(question_words(query))
            rarity = self.store.word_rarity(wanted)
            vectors = features(candidates, wanted, rarity)
            scored = [(c, ranker.score(v)) for c, v in zip(candidates, vectors, strict=True)]
        hits = [Hit(c.chunk_id, score, c.row, c.dense, c.lexical, units=c.units) for c, score in scored]
        hits.sort(key=lambda h: (-h.score, h.chunk_id))
        if ranker is not None:
            standing = {c.chunk_id for c in candidates if c.boilerplate}
            hits = _capped(hits, standing, MAX_STANDING_ITEMS)
        if dedup:
            hits = self._collapse_duplicates(hits, k * 3 if max_per_item else k)
        if max_per_item:
            hits = diversify(hits, k, max_per_item)
        hits = hits[:k]
        if dedup:
            self._find_copies(hits)
        return hits

    def candidates(
        self,
        query: str,
        pool: int,
        filters: dict[str, Any] | None = None,
        mode: str = "hybrid",
        use_date_hint: bool = True,
        demote_boilerplate: bool = True,
    ) -> list[Candidate]:
        """The passages either leg finds in its top ``pool``, fused by reciprocal rank, with what ranks them."""
        filters = {key: value for key, value in (filters or {}).items() if value}
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        vector = None
        if mode in ("hybrid", "dense"):
            vector = self.embedder.encode([query])[0]
            dense = self.store.dense_search(vector, pool, filters)
        if mode in ("hybrid", "lexical"):
            lexical = self.store.lexical_search(query, pool, filters)
        scores = rrf(
            [[chunk_id for chunk_id, _ in ranking] for ranking in (dense, lexical)],
            weights=(DENSE_WEIGHT, LEXICAL_WEIGHT),
        )
        dense_of = dict(dense)
        lexical_of = dict(lexical)
        rows = self.store.chunks(list(scores))
        units = self.store.unit_scores(vector, list(rows)) if vector is not None else {}
        hint = date_hint(query) if use_date_hint else None
        mentions_boilerplate = bool(_BOILERPLATE_SECTION.search(query))
        found = []
        for chunk_id, score in scores.items():
            row = rows.get(chunk_id)
            if row is None:
                continue
            date = row.get("meeting_date_int")
            found.append(
                Candidate(
                    chunk_id,
                    row,
                    score,
                    dense_of.get(chunk_id, 0.0),
                    lexical_of.get(chunk_id, 0.0),
                    demote_boilerplate and is_boilerplate(row) and not mentions_boilerplate,
                    bool(hint and date and hint[0] <= date <= hint[1]),
                    max(u[0] for u in units[chunk_id])
                    if units.get(chunk_id)
                    else dense_of.get(chunk_id, 0.0),
                    tuple(units.get(chunk_id, ())),
                )
            )
        return found

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


def _capped(hits: list[Hit], standing: set[str], most: int) -> list[Hit]:
    """The hits in order, except that standing items after the first ``most`` go to the end, in order."""
    kept: list[Hit] = []
    moved: list[Hit] = []
    for hit in hits:
        if hit.chunk_id in standing and sum(h.chunk_id in standing for h in kept) >= most:
            moved.append(hit)
        else:
            kept.append(hit)
    return kept + moved


def item_of(row: ChunkRow) -> tuple[str, str | None, str] | None:
    """The agenda item a passage belongs to: its document, part and outermost heading (in minutes, the
    minute item under the pack's paper). None when it has no heading: then it stands alone."""
    path = (row.get("section") or "").split(SECTION_SEPARATOR)
    in_minutes = row.get("doc_type") == "minutes" and row.get("part_title") not in (None, row.get("title"))
    item = path[1] if in_minutes and len(path) > 1 else path[0]
    return (row["document_id"], row.get("part_title"), item) if item else None


def diversify(hits: list[Hit], k: int, max_per_item: int) -> list[Hit]:
    """At most ``max_per_item`` passages of one agenda item in the top k; the others of that item, in
    rank order, are kept under its last shown passage as ``more_from_item``."""
    shown: list[Hit] = []
    last_of: dict[tuple[str, str | None, str], Hit] = {}
    count: dict[tuple[str, str | None, str], int] = {}
    for hit in hits:
        key = item_of(hit.row)
        if key is not None and count.get(key, 0) >= max_per_item:
            last_of[key].more_from_item.append(hit.row)
            continue
        if len(shown) >= k:
            continue  # past the top k: only collecting what belongs under it
        shown.append(hit)
        if key is not None:
            count[key] = count.get(key, 0) + 1
            last_of[key] = hit
    return shown
