"""``FOLDER/metadata.toml``: the site's own facts about each harvested file, in the form the indexer reads.

One ``[[document]]`` per file, whose ``match`` is the file's exact path relative to the folder, with
``title, council, committee, doc_type, meeting_date, pack_date, source`` and the provenance fields
``source_url, meeting_url, item_number, item_title, committee_id``. The file is rewritten whole, atomically,
after every meeting, so it always describes exactly the files that are there.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from indexer.harvest.errors import HarvestError
from indexer.harvest.state import HarvestState, write_atomically

logger = logging.getLogger(__name__)

METADATA_FILE = "metadata.toml"
HEADER = "# Written by `python -m indexer.harvest`"
CORE_FIELDS = ("title", "council", "committee", "doc_type", "meeting_date", "pack_date", "source")
PROVENANCE_FIELDS = ("source_url", "meeting_url", "item_number", "item_title", "committee_id")


def check_owner(folder: Path) -> None:
    """Refuse to overwrite a metadata file that a person wrote (it would lose their facts)."""
    path = folder / METADATA_FILE
    if path.is_file() and not path.read_text(encoding="utf-8", errors="replace").startswith(HEADER):
        raise HarvestError(
            f"{path} was not written by the harvester; harvest into an empty folder or move that file away"
        )


def provenance_supported() -> bool:
    """Whether the installed indexer reads the provenance fields in ``[[document]]``.

    Today's indexer rejects a metadata file with any field it does not know, so the answer is asked of the
    indexer itself, through its public ``load_metadata``, on a one-entry file: that keeps working across the
    reorganisation of its modules, and the fields move into ``[[document]]`` the day it accepts them.
    """
    from indexer import IndexerError, load_metadata

    probe = ["[[document]]", 'match = "probe.pdf"'] + [f'{name} = "probe"' for name in PROVENANCE_FIELDS]
    with tempfile.TemporaryDirectory(prefix="cp-harvest-probe-") as folder:
        (Path(folder) / METADATA_FILE).write_text("\n".join(probe) + "\n", encoding="utf-8")
        try:
            load_metadata(Path(folder))
        except IndexerError:
            return False
    return True


def write_metadata(folder: Path, state: HarvestState, *, with_provenance: bool) -> int:
    """Rewrite ``metadata.toml`` for every harvested file present in the folder; returns how many.

    When the indexer does not read the provenance fields yet, they go in a ``[[provenance]]`` table per file
    instead (same ``match``), which today's indexer ignores, so the file still says everything the site said.
    """
    entries = [r for r in state.documents.values() if (folder / r["path"]).is_file()]
    entries.sort(key=lambda r: r["path"])
    lines = [
        f"{HEADER} from {state.base_url}; it is rewritten by every harvest, so edits here are lost.",
        "# One [[document]] per file; `match` is the file's path relative to this folder.",
        "",
    ]
    fields = CORE_FIELDS + (PROVENANCE_FIELDS if with_provenance else ())
    lines += _tables("document", entries, fields)
    if not with_provenance:
        lines += [
            "# The installed indexer does not read these fields yet; they are kept here for when it does.",
            "",
        ]
        lines += _tables("provenance", entries, PROVENANCE_FIELDS)
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
