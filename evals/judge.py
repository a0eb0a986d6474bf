"""Turn what a system returned into judged ids: pages for page-level runs, gold quotes for passage-level runs."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from evals.gold import Question, normalise, quote_key, span_ids
from indexer import ChunkRow, PageRow, Store

# A chunk that holds at least this share of a quote, cut at the chunk's start or end, counts as holding
# it: a quote that crosses a chunk boundary is split between two chunks, and the larger part is >= half.
MIN_QUOTE_SHARE = 0.5
QUOTE_PREFIX = "quote:"


def quote_unit(quote: str) -> str:
    """The passage-level id of a gold quote; copies of one quote in several documents share it."""
    return f"{QUOTE_PREFIX}{quote_key(quote)}"


def holds_quote(passage: str, quote: str, min_share: float = MIN_QUOTE_SHARE) -> bool:
    """Whether a passage contains the quote, or a boundary-cut part of it at least ``min_share`` long.

    Both are compared whitespace-normalised. The part must be a prefix of the quote ending the passage,
    or a suffix of it starting the passage, so a common phrase elsewhere in the passage does not count.
    """
    text, wanted = normalise(passage), normalise(quote)
    if not wanted:
        return False
    if wanted in text:
        return True
    shortest = max(1, math.ceil(len(wanted) * min_share))
    for length in range(len(wanted) - 1, shortest - 1, -1):
        if text.endswith(wanted[:length]) or text.startswith(wanted[-length:]):
            return True
    return False


def passage_qrels(question: Question) -> dict[str, int]:
    """Passage-level qrels: one unit per distinct gold quote."""
    return {quote_unit(e.quote): 1 for e in question.evidence}


class Judge:
    """Maps store rows to page-level ids; caches each document's pages."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pages: dict[str, list[PageRow]] = {}

    def pages(self, document_id: str) -> list[PageRow]:
        if document_id not in self._pages:
            self._pages[document_id] = self.store.pages(document_id)
        return self._pages[document_id]

    def page_ids(self, row: ChunkRow) -> list[str]:
        """The page-level ids a chunk covers (see evals.gold.span_ids)."""
        return span_ids(
            row["document_id"], self.pages(row["document_id"]), row["char_start"], row["char_end"]
        )

    def is_paged(self, row: ChunkRow, quote: str = "") -> bool:
        """Whether the quoted text of a chunk (or, failing that, its start) is on a page with a known number."""
        offset = max(row["text"].find(quote), 0) if quote else 0
        at = row["char_start"] + offset
        for page in self.pages(row["document_id"]):
            if page["char_start"] <= at < page["char_start"] + len(page["text"]):
                return page["page_number"] is not None
        return False

    def page_ranking(self, rows: Iterable[ChunkRow]) -> list[str]:
        """Distinct page ids in the order the chunks were ranked: a page ranks where its best chunk does (MaxP)."""
        ranking: dict[str, None] = {}
        for row in rows:
            for page_id in self.page_ids(row):
                ranking.setdefault(page_id, None)
        return list(ranking)


def passage_ranking(rows: Iterable[ChunkRow], question: Question) -> list[str]:
    """Chunks relabelled by the gold quotes they hold, so a run is judged per quote, not per chunk.

    A chunk holding no gold quote keeps its own id. Repeats are dropped, keeping the best rank, so two
    overlapping chunks that both hold a quote count once.
    """
    quotes = {quote_unit(e.quote): e.quote for e in question.evidence}
    ranking: dict[str, None] = {}
    for row in rows:
        held = [unit for unit, quote in quotes.items() if holds_quote(row["text"], quote)]
        for unit in held or [row["chunk_id"]]:
            ranking.setdefault(unit, None)
    return list(ranking)


def expand_alternates(hits: Iterable[Any]) -> list[ChunkRow]:
    """Each hit's row followed by the rows of the copies that deduplication folded into it.

    The API returns those copies with the hit ("also in ..."), so they count as retrieved, right after it.
    """
    rows: list[ChunkRow] = []
    for hit in hits:
        rows.append(hit.row)
        rows.extend(hit.alternates)
    return rows


def citation_correct(
    citation: dict[str, Any], gold_page_ids: set[str], question: Question, chunk_text: str | None, paged: bool
) -> bool:
    """A citation is right when the pages it names include a gold page, or, where the cited text has no
    page number (``paged`` False), when its passage holds a gold quote.

    Pages are judged as the API reports them, since that is what the reader is sent to.
    """
    document_id = citation["document_id"]
    first, last = citation.get("page_start"), citation.get("page_end")
    if paged:
        if first is None:
            return False
        pages = range(first, (last if last is not None else first) + 1)
        return any(f"{document_id}#p{number}" in gold_page_ids for number in pages)
    if chunk_text is None:
        return False
    return any(holds_quote(chunk_text, e.quote) for e in question.evidence)
