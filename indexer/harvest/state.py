"""What earlier harvests fetched, kept in ``FOLDER/.harvest/``: the indexer skips hidden folders, so it is never indexed.

``state.json`` holds, per document URL, where the file lives, its HTTP validators (ETag, Last-Modified), its
sha256 and the site's metadata for it; per page URL (web-service XML and HTML), the validators, with the body
kept beside it in ``pages/`` so that a 304 can be answered from the copy. A re-run therefore asks the site
"changed since?" for everything and transfers only what did; an interrupted run resumes from what was saved,
since the state is rewritten (atomically) after every document.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from indexer.harvest.errors import HarvestError

STATE_DIR = ".harvest"
STATE_FILE = "state.json"
VERSION = 1


class HarvestState:
    """Documents and pages seen by earlier runs; ``save()`` after every change keeps a kill harmless."""

    def __init__(self, folder: Path, data: dict[str, Any]) -> None:
        self.folder = folder
        self.dir = folder / STATE_DIR
        self.documents: dict[str, dict[str, Any]] = data.get("documents", {})
        self.pages: dict[str, dict[str, Any]] = data.get("pages", {})
        self.base_url: str | None = data.get("base_url")

    @classmethod
    def load(cls, folder: Path) -> HarvestState:
        path = folder / STATE_DIR / STATE_FILE
        if not path.is_file():
            return cls(folder, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HarvestError(
                f"{path}: unreadable harvest state ({exc}); delete it to start afresh"
            ) from exc
        if data.get("version") != VERSION:
            raise HarvestError(f"{path}: harvest state of version {data.get('version')}, expected {VERSION}")
        return cls(folder, data)

    @property
    def temp_dir(self) -> Path:
        """Where downloads land before they are checked and renamed (same file system as the folder)."""
        return self.dir / "tmp"

    def clear_temp(self) -> int:
        """Remove what a killed run left half-written; returns how many files."""
        if not self.temp_dir.is_dir():
            return 0
        removed = 0
        for leftover in self.temp_dir.iterdir():
            if leftover.is_file():
                leftover.unlink()
                removed += 1
        return removed

    def save(self) -> None:
        data = {
            "version": VERSION,
            "base_url": self.base_url,
            "documents": self.documents,
            "pages": self.pages,
        }
        write_atomically(self.dir / STATE_FILE, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))

    # --- cached pages ---

    def page_validators(self, url: str) -> tuple[str | None, str | None]:
        entry = self.pages.get(url)
        if not entry or not self._page_path(url).is_file():
            return None, None
        return entry.get("etag"), entry.get("last_modified")

    def cached_page(self, url: str) -> bytes:
        return self._page_path(url).read_bytes()

    def store_page(self, url: str, body: bytes, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            self.pages.pop(url, None)  # nothing to ask "changed since?" with, so no point keeping a copy
            return
        write_atomically(self._page_path(url), body)
        self.pages[url] = {"etag": etag, "last_modified": last_modified}

    def _page_path(self, url: str) -> Path:
        return self.dir / "pages" / hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
