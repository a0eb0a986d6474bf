"""Search hits shaped as the API's results, each with its citation link."""

from __future__ import annotations

from api.citations import citation_url, quote_pages
from api.retrieval import Hit
from api.schemas import Alternate, Highlight, ItemPassage, SearchResult
from indexer import Store


def highlight_of(store: Store, hit: Hit) -> Highlight | None:
    """The passage's sentences closest to the query, on their own page(s)."""
    span = hit.highlight
    if span is None:
        return None
    start, end = span
    pages = quote_pages(store, hit.row, start, end)
    return Highlight(
        char_start=start,
        char_end=end,
        text=hit.row["text"][start:end],
        page_start=pages.first,
        page_end=pages.last,
        page_label=pages.first_label,
    )


def result_of(store: Store, hit: Hit) -> SearchResult:
    """A hit as a /search result: the passage, its document, meeting and pages, the sentences closest to
    the query, and its copies elsewhere."""
    row = hit.row
    return SearchResult(
        chunk_id=row["chunk_id"],
        text=row["text"],
        score=round(hit.score, 6),
        document_id=row["document_id"],
        source=row.get("source"),
        title=row.get("title"),
        council=row.get("council"),
        committee=row.get("committee"),
        meeting_date=row.get("meeting_date"),
        doc_type=row["doc_type"],
        section=row.get("section"),
        page_start=row.get("page_start"),
        page_end=row.get("page_end"),
        page_label=row.get("page_label_start"),
        url=citation_url(row),
        page_source=row.get("page_source"),
        part_title=row.get("part_title"),
        line_start=row.get("line_start"),
        line_end=row.get("line_end"),
        source_url=row.get("source_url"),
        meeting_url=row.get("meeting_url"),
        highlight=highlight_of(store, hit),
        alternates=[
            Alternate(
                chunk_id=alt["chunk_id"],
                document_id=alt["document_id"],
                source=alt.get("source"),
                title=alt.get("title"),
                page_start=alt.get("page_start"),
                page_end=alt.get("page_end"),
                url=citation_url(alt),
            )
            for alt in hit.alternates
        ],
        more_from_item=[
            ItemPassage(
                chunk_id=more["chunk_id"],
                text=more["text"],
                section=more.get("section"),
                page_start=more.get("page_start"),
                page_end=more.get("page_end"),
                page_label=more.get("page_label_start"),
                url=citation_url(more),
            )
            for more in hit.more_from_item
        ],
    )
