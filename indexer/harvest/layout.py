"""Where a harvested document goes: ``<committee>/<YYYY-MM-DD>/<the document's own title>.pdf``.

Names are safe on every common file system and free of glob characters (``*?[]``), so each file's path is
also an exact ``match`` in ``metadata.toml``. A path, once given to a URL, is kept in the harvest state, so
a later run never renames a file the index already knows.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

MAX_NAME_CHARS = 120
# Kept: letters, digits, spaces and - _ . , ( ) & ' +. Everything else becomes a space.
_UNSAFE = re.compile(r"[^\w \-.,()&'+]", re.UNICODE)
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def committee_slug(title: str) -> str:
    """'Policy & Resources Cabinet Committee' -> 'policy_resources_cabinet_committee'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return _SLUG_UNSAFE.sub("_", ascii_title.lower()).strip("_")[:80] or "committee"


def safe_file_name(title: str, suffix: str = ".pdf") -> str:
    """A document title made into a file name: 'Item 3: Budget [draft]' -> 'Item 3 Budget draft.pdf'."""
    name = unicodedata.normalize("NFC", title)
    name = " ".join(_UNSAFE.sub(" ", name).split()).strip(" .")
    if name.lower().endswith(suffix):
        name = name[: -len(suffix)].rstrip(" .")
    return f"{name[:MAX_NAME_CHARS].rstrip(' .') or 'document'}{suffix}"


def meeting_folder(committee_title: str, meeting_date: str, meeting_id: str, taken: dict[str, str]) -> str:
    """``cabinet/2025-03-04``; a second meeting of the same committee that day gets ``-m<meeting id>``.

    ``taken`` maps folders already in use to their meeting ids (from the state and from this run).
    """
    folder = f"{committee_slug(committee_title)}/{meeting_date}"
    if taken.get(folder, meeting_id) != meeting_id:
        folder = f"{folder}-m{meeting_id}"
    taken.setdefault(folder, meeting_id)
    return folder


def unique_path(folder: str, file_name: str, taken_paths: set[str]) -> str:
    """``folder/file_name``, with " (2)", " (3)"... when another document already has it (ignoring case)."""
    path = PurePosixPath(file_name)
    stem, suffix = path.stem, path.suffix
    lowered = {p.lower() for p in taken_paths}
    candidate = str(PurePosixPath(folder) / file_name)
    counter = 2
    while candidate.lower() in lowered:
        candidate = str(PurePosixPath(folder) / f"{stem} ({counter}){suffix}")
        counter += 1
    taken_paths.add(candidate)
    return candidate
