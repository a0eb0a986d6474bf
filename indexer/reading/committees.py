"""Committees under one stable id across renamings, so a search by committee finds its whole history."""

from __future__ import annotations

import re
from typing import Any

from indexer.errors import IndexerError

# Committee lineages come from the [[committee]] tables of the metadata files read (``register_lineages``):
# every name a committee has had, in order, shares one id; the last name is shown. A lineage given a
# council is joined only by papers of that council (so another council's "Cabinet" stays apart).
LINEAGES: dict[str, tuple[str, ...]] = {}
_COUNCIL_SCOPED: dict[str, str] = {}
_KNOWN: dict[str, str] = {}
_COUNCIL_WORDS = re.compile(r"\b(city|county|borough|district|metropolitan)?\s*council\b", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """A committee name reduced to its distinctive words: no markup, "O&S", "committee" or punctuation."""
    text = re.sub(r"<[^>]+>|[#*_`]", " ", name).lower()
    text = text.replace("&", " and ").replace("’", "'")
    text = re.sub(r"\(\s*o\s*and\s*s\s*\)", " ", text)
    text = re.sub(r"\boverview\s+and\s+scrutiny\b|\bo\s+and\s+s\b", " os ", text)
    text = re.sub(r"\s[–-]\s.*$", " ", text)  # "... COMMITTEE – PUBLIC MEETING"
    text = re.sub(r"\b(the|committee|meeting|public)\b|'s\b|'", " ", text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(text.split())


def register_lineages(entries: list[dict[str, Any]], where: str = "metadata file") -> None:
    """Learn committee lineages from ``[[committee]]`` tables: ``id``, ``names`` (oldest first), ``council``."""
    for entry in entries:
        committee_id, names = entry.get("id"), entry.get("names")
        if not isinstance(committee_id, str) or not isinstance(names, list) or not names:
            raise IndexerError(
                f"{where}: each [[committee]] needs an 'id' and a list of 'names'; got {entry}"
            )
        LINEAGES[committee_id] = tuple(str(n) for n in names)
        council_key = _council_key(entry.get("council"))
        if council_key:
            _COUNCIL_SCOPED[committee_id] = council_key
        _KNOWN.update({normalise_name(str(name)): committee_id for name in names})


def canonical_committee(name: str | None, council: str | None = None) -> tuple[str | None, str | None]:
    """(committee_id, display name) for a committee name as printed on a paper.

    Names of one lineage share an id and show the lineage's latest name. Unknown names get a slug of
    their distinctive words (prefixed by the council's first word when the council is given).
    """
    if not name or not name.strip():
        return None, None
    key = normalise_name(name)
    council_key = _council_key(council)
    committee_id = _KNOWN.get(key) or _KNOWN.get(f"{key} os")
    scope = _COUNCIL_SCOPED.get(committee_id or "")
    if committee_id and (scope is None or scope == council_key):
        return committee_id, LINEAGES[committee_id][-1]
    slug = "-".join(key.split()) or "committee"
    if council_key and not slug.startswith(council_key):
        slug = f"{council_key}-{slug}"
    return slug, _display(name)


def _council_key(council: str | None) -> str | None:
    if not council:
        return None
    words = _COUNCIL_WORDS.sub(" ", council).lower().split()
    return re.sub(r"[^a-z0-9]+", "", words[0]) if words else None


def _display(name: str) -> str:
    cleaned = " ".join(re.sub(r"<[^>]+>|[#*_`]", " ", name).split())
    return titlecase(cleaned).replace("(o&s)", "(O&S)") if cleaned.isupper() else cleaned


def titlecase(text: str) -> str:
    """'EDUCATION AND CHILDREN'S SOCIAL CARE' -> "Education and Children's Social Care"."""
    small = {"and", "of", "the", "for", "in", "on", "to"}
    words = []
    for index, word in enumerate(text.lower().split()):
        words.append(word if index and word in small else word[:1].upper() + word[1:])
    return " ".join(words).replace("O&s", "O&S")
