"""What a harvest did, for people (a few lines) and for scripts (``--json``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Problem:
    """A URL that gave nothing usable, and why, in words fit for one line."""

    url: str
    reason: str
    title: str | None = None
    meeting_url: str | None = None


@dataclass
class HarvestReport:
    site: str
    folder: str
    source: str = ""
    committees: list[str] = field(default_factory=list)
    meetings: int = 0
    documents: int = 0  # harvested files in the folder after this run
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    empty_meetings: list[Problem] = field(default_factory=list)
    cancelled_meetings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    vanished: list[dict[str, str]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requests: int = 0
    bytes_downloaded: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    index: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """False when any document, meeting or the indexing failed: the exit code says so.

        A meeting with no documents yet, or a cancelled one, is named but is not a failure: agendas appear
        about a week before a meeting, so a nightly run over the weeks ahead would otherwise always fail.
        """
        index_failed = self.index is not None and self.index.get("returncode", 0) != 0
        return not self.failed and not self.interrupted and not index_failed

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}

    def summary_lines(self) -> list[str]:
        """The summary: one line of counts, then one line per thing a person should look at."""
        lines = [
            f"harvested {self.site} ({self.source}) into {self.folder}: {_count(len(self.committees), 'committee')}, "
            f"{_count(self.meetings, 'meeting')}, {_count(self.documents, 'document')} | this run: {len(self.new)} new, "
            f"{len(self.changed)} changed, {len(self.unchanged)} unchanged, {len(self.failed)} failed, "
            f"{len(self.vanished)} vanished | {self.requests} requests, {_size(self.bytes_downloaded)} "
            f"downloaded in {self.seconds:.1f} s"
        ]
        lines += [f"changed (downloaded again): {path}" for path in self.changed]
        lines += [f"failed: {p.url}: {p.reason}" for p in self.failed]
        lines += [f"no documents yet: {p.title} {p.url}" for p in self.empty_meetings]
        lines += [f"cancelled: {p.title} {p.url}" for p in self.cancelled_meetings]
        lines += [f"skipped: {p.url}: {p.reason}" for p in self.skipped]
        lines += [
            f"vanished from the site (kept; --prune deletes): {v['path']} ({v['url']})" for v in self.vanished
        ]
        lines += [f"pruned: {path}" for path in self.pruned]
        lines += [f"note: {note}" for note in self.notes]
        if self.interrupted:
            lines.append("interrupted: run the same command again to resume")
        return lines


def _size(n_bytes: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{n_bytes} bytes"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
