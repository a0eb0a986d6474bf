"""Committees under one stable id across renamings, so a search by committee finds its whole history."""

from __future__ import annotations

import re

from indexer.reading.metadata import titlecase

# Committee lineages: every name a committee has had, in order, share one id; the last name is shown.
# Birmingham's education scrutiny committee was renamed in 2022 and in 2024.
LINEAGES: dict[str, tuple[str, ...]] = {
    "birmingham-education-os": (
        "Schools, Children and Families Overview and Scrutiny Committee",  # to 2022
        "Education and Children's Social Care Overview and Scrutiny Committee",  # 2022-2024
        "Education, Children and Young People Overview and Scrutiny Committee",  # from 2024
    ),
    "kent-cabinet": ("Cabinet",),
    "kent-county-council": ("Full Council", "County Council"),  # one body; Kent prints "County Council"
}
# Names that say nothing of their council ("Cabinet") join a lineage only when the paper's council is given.
_COUNCIL_SCOPED = {"kent-cabinet": "kent", "kent-county-council": "kent"}
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


_KNOWN = {normalise_name(name): committee_id for committee_id, names in LINEAGES.items() for name in names}


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
