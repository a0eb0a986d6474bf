"""``FOLDER/metadata.toml``: the site's own facts about each harvested file, in the form the indexer reads.

One ``[[document]]`` per file, whose ``match`` is the file's exact path relative to the folder, with
``title, council, committee, doc_type, meeting_date, pack_date, source`` and the provenance fields
``source_url, meeting_url, item_number, item_title, site_committee_id``. The file is rewritten whole, atomically,
after every meeting, so it always describes exactly the files that are there.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from indexer.harvest.errors import HarvestError
from indexer.harvest.state import HarvestState, write_atomically

logger = logging.getLogger(__name__)

METADATA_FILE = "metadata.toml"
HEADER = "# Written by `python -m indexer.harvest`"
CORE_FIELDS = ("title", "council", "committee", "doc_type", "meeting_date", "pack_date", "source")
PROVENANCE_FIELDS = ("source_url", "meeting_url", "item_number", "item_title", "site_committee_id")


def check_owner(folder: Path) -> None:
    """Refuse to overwrite a metadata file that a person wrote (it would lose their facts)."""
    path = folder / METADATA_FILE
    if path.is_file() and not path.read_text(encoding="utf-8", errors="replace").startswith(HEADER):
        raise HarvestError(
            f"{path} was not written by the harvester; harvest into an empty folder or move that file away"
        )


def write_metadata(folder: Path, state: HarvestState) -> int:
    """Rewrite ``metadata.toml`` for every harvested file present in the folder; returns how many."""
    entries = [r for r in state.documents.values() if (folder / r["path"]).is_file()]
    entries.sort(key=lambda r: r["path"])
    lines = [
        f"{HEADER} from {state.base_url}; it is rewritten by every harvest, so edits here are lost.",
        "# One [[document]] per file; `match` is the file's path relative to this folder.",
        "",
    ]
    lines += _tables("document", entries, CORE_FIELDS + PROVENANCE_FIELDS)
    write_atomically(folder / METADATA_FILE, "\n".join(lines).encode("utf-8"))
    return len(entries)


def _tables(name: str, entries: list[dict[str, Any]], fields: tuple[str, ...]) -> list[str]:
    lines = []
    for record in entries:
        lines += [f"[[{name}]]", f"match = {toml_string(record['path'])}"]
        for field in fields:
            value = record["meta"].get(field)
            if value not in (None, ""):
                lines.append(f"{field} = {toml_string(str(value))}")
        lines.append("")
    return lines


def toml_string(value: str) -> str:
    """A TOML basic string (TOML 1.0, "Basic strings"): backslash, quote and control characters escaped."""
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
