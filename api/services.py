"""What the routes share: settings, the index (opened lazily) and the embedder."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request

from api.errors import ApiError, IndexUnavailableError
from api.schemas import DOC_TYPES
from indexer import Embedder, IndexNotFoundError, Settings, Store, load_embedder, parse_iso


@dataclass
class Services:
    settings: Settings
    store: Store | None = None
    embedder: Embedder | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get_store(self) -> Store:
        """The index; opened on first use, so an index built after start-up is picked up."""
        if self.store is None:
            with self.lock:
                if self.store is None:
                    try:
                        self.store = Store(
                            self.settings.index.store_dir, chroma_url=self.settings.index.chroma_url
                        )
                    except IndexNotFoundError as exc:
                        raise IndexUnavailableError(str(exc)) from exc
        if self.store.stats()["documents"] == 0:
            raise IndexUnavailableError(
                f"the index in {self.settings.index.store_dir} is empty: build it with "
                f"`python -m indexer corpus --store {self.settings.index.store_dir}`"
            )
        return self.store

    def get_embedder(self) -> Embedder:
        if self.embedder is None:
            with self.lock:
                if self.embedder is None:
                    self.embedder = load_embedder(self.settings.index.model_name_or_path())
        return self.embedder


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def build_filters(
    committee: str | None,
    doc_type: str | None,
    date_from: str | date | None,
    date_to: str | date | None,
    council: str | None = None,
) -> dict[str, Any]:
    """Validated filters for the store; a malformed one is a 422 with a message."""
    filters: dict[str, Any] = {}
    if committee:
        filters["committee"] = committee
    if council:
        filters["council"] = council
    if doc_type:
        if doc_type not in DOC_TYPES:
            raise ApiError(f"doc_type must be one of {', '.join(DOC_TYPES)}; got {doc_type!r}", 422)
        filters["doc_type"] = doc_type
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value in (None, ""):
            continue
        try:
            parsed = value if isinstance(value, date) else parse_iso(str(value))
        except ValueError as exc:
            raise ApiError(f"{name} must be a date as YYYY-MM-DD; got {value!r}", 422) from exc
        filters[name] = int(parsed.strftime("%Y%m%d"))
    return filters


def describe_corpus(store: Store) -> str:
    """'the 22 indexed documents (Birmingham City Council, Kent County Council; 2017–2025)'."""
    documents = store.documents()
    councils = sorted({council for d in documents if (council := d.get("council"))})
    years = sorted({date[:4] for d in documents if (date := d.get("meeting_date"))})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (years[0] if years else "undated")
    who = ", ".join(councils) if councils else "unknown councils"
    return f"the {len(documents)} indexed documents ({who}; {span})"


def meeting_dates(store: Store) -> set[str]:
    """The meeting dates (YYYY-MM-DD) of the indexed documents."""
    return {date for d in store.documents() if (date := d.get("meeting_date"))}


def describe_filters(filters: dict[str, Any]) -> str:
    words = []
    if filters.get("committee"):
        words.append(f"committee {filters['committee']}")
    if filters.get("council"):
        words.append(filters["council"])
    if filters.get("doc_type"):
        words.append(f"type {filters['doc_type']}")
    if filters.get("date_from") or filters.get("date_to"):
        low = _int_date(filters.get("date_from")) or "the start"
        high = _int_date(filters.get("date_to")) or "now"
        words.append(f"meetings from {low} to {high}")
    return f", limited to {' and '.join(words)}" if words else ""


def _int_date(value: int | None) -> str | None:
    if not value:
        return None
    text = str(value)
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"
