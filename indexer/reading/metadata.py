"""Document-level metadata: from the folder's metadata file first, then the file name, then the text."""

from __future__ import annotations

import fnmatch
import logging
import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

from indexer.errors import IndexerError
from indexer.models import DocumentMeta, Page
from indexer.reading.committees import register_lineages, titlecase
from indexer.text.dates import first_date
from indexer.text.spans import plain

logger = logging.getLogger(__name__)

METADATA_FILE = "metadata.toml"
FIELDS = {
    "title",
    "council",
    "committee",
    "doc_type",
    "meeting_date",
    "pack_date",
    "source",
    # a council's file-name convention: a regex with groups ``title`` and ``body``, and body -> committee
    "file_name",
    "file_name_committees",
    # provenance, from the publisher's site
    "source_url",
    "meeting_url",
    "item_number",
    "item_title",
    "site_committee_id",
}
DOC_TYPES = ("agenda", "minutes", "report", "appendix", "presentation", "pack")

_ISO_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_DOC_TYPE_WORDS = [
    ("minutes", "minutes"),
    ("action notes", "minutes"),
    ("public reports pack", "pack"),
    ("agenda pack", "pack"),
    ("supplement", "pack"),
    ("frontsheet", "agenda"),
    ("agenda", "agenda"),
    ("appendix", "appendix"),
    ("presentation", "presentation"),
    ("stocktake", "presentation"),
    ("report", "report"),
]
_COMMITTEE_LINE = re.compile(
    r"(OVERVIEW\s*(AND|&)\s*SCRUTINY|COMMITTEE|^\s*CABINET\s*$|^\s*COUNTY COUNCIL\s*$)"
)


def load_metadata(root: Path) -> list[dict[str, Any]]:
    """Entries of ``metadata.toml`` in the indexed folder (none if there is no such file)."""
    path = root / METADATA_FILE
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IndexerError(f"{path}: invalid metadata file ({exc})") from exc
    entries = data.get("document", [])
    for entry in entries:
        unknown = set(entry) - FIELDS - {"match"}
        if "match" not in entry or unknown:
            raise IndexerError(
                f"{path}: each [[document]] needs 'match' and only {sorted(FIELDS)}; got {entry}"
            )
        if "file_name" in entry:
            try:
                entry["file_name"] = re.compile(entry["file_name"])
            except re.error as exc:
                raise IndexerError(
                    f"{path}: file_name {entry['file_name']!r} is not a regex ({exc})"
                ) from exc
    register_lineages(data.get("committee", []), str(path))
    return entries


def metadata_for(rel_path: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge every entry whose glob matches the path; later entries win."""
    merged: dict[str, Any] = {}
    for entry in entries:
        if fnmatch.fnmatch(rel_path, entry["match"]):
            merged.update({k: v for k, v in entry.items() if k != "match"})
    return merged


def infer_meta(rel_path: str, pages: list[Page], overrides: dict[str, Any]) -> DocumentMeta:
    """Work out title, committee, type and dates of a document."""
    name = PurePosixPath(rel_path).stem
    convention = overrides.get("file_name")
    named = convention.match(name) if convention is not None else None
    named_title = named.groupdict().get("title") if named else None
    first_text = pages[0].text if pages else ""

    title = overrides.get("title") or named_title or _title_from_text(first_text)
    title = title or name
    name_date = _ISO_IN_NAME.search(name)
    pack_date = overrides.get("pack_date") or (name_date.group(1) if name_date else None)
    pack_date = pack_date or first_date(first_text[:2000])
    committee = overrides.get("committee")
    body = named.groupdict().get("body") if named else None
    if not committee and body:
        names = overrides.get("file_name_committees") or {}
        committee = names.get(body, body.replace("_", " ").title())
    committee = committee or _committee_from_text(first_text)
    doc_type = overrides.get("doc_type") or doc_type_from_title(f"{title} {name}")
    if doc_type not in DOC_TYPES:
        raise IndexerError(f"{rel_path}: doc_type {doc_type!r} is not one of {DOC_TYPES}")
    return DocumentMeta(
        title=title,
        council=overrides.get("council"),
        committee=committee,
        doc_type=doc_type,
        meeting_date=overrides.get("meeting_date") or pack_date,
        pack_date=pack_date,
        source_note=overrides.get("source"),
        source_url=overrides.get("source_url"),
        meeting_url=overrides.get("meeting_url"),
        item_number=_text_or_none(overrides.get("item_number")),
        item_title=overrides.get("item_title"),
    )


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def doc_type_from_title(title: str) -> str:
    lowered = title.lower().replace("_", " ").replace("-", " ")
    for word, doc_type in _DOC_TYPE_WORDS:
        if word in lowered:
            return doc_type
    return "report"


def _title_from_text(text: str) -> str | None:
    for line in text.splitlines()[:15]:
        cleaned = plain(line, drop_symbols=True)
        if len(cleaned) > 8 and not cleaned.lower().startswith(("members are reminded", "from:", "by:")):
            return cleaned[:200]
    return None


def _committee_from_text(text: str) -> str | None:
    for line in text.splitlines()[:20]:
        cleaned = plain(line, drop_symbols=True)
        if _COMMITTEE_LINE.search(cleaned.upper()) and len(cleaned) < 150:
            return titlecase(cleaned.split(":")[0].split(" – ")[0])
    return None
