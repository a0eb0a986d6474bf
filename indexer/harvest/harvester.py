"""A harvest: committees -> meetings in a date range -> each meeting's documents -> files + metadata.toml.

Each document is fetched conditionally, checked (a complete PDF, not an HTML page), and only then renamed into
place; the state and the metadata file are saved as it goes, so a run stopped at any point leaves a folder
the indexer can read and a state the next run resumes from. Documents earlier runs fetched that the site no
longer lists are reported as vanished, and deleted only with ``prune``.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from indexer.harvest.client import PoliteClient
from indexer.harvest.errors import FetchError, HarvestError
from indexer.harvest.layout import meeting_folder, safe_file_name, unique_path
from indexer.harvest.metadata_file import check_owner, write_metadata
from indexer.harvest.moderngov import Committee, Document, Meeting, doc_type_for
from indexer.harvest.report import HarvestReport, Problem
from indexer.harvest.site import ModernGovSite, normalise_base_url
from indexer.harvest.state import HarvestState
from indexer.harvest.validate import pdf_problem

logger = logging.getLogger(__name__)

NOT_PDF_SUFFIXES = (
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".rtf",
    ".odt",
    ".txt",
    ".htm",
    ".html",
)


@dataclass
class HarvestOptions:
    base_url: str
    folder: Path
    date_from: date
    date_to: date
    committees: list[str] = field(default_factory=list)  # names or ids; none means every current committee
    council: str | None = None
    prune: bool = False


def select_committees(available: list[Committee], wanted: list[str], site: str) -> list[Committee]:
    """The committees asked for by id or name (exact, else a unique part of it); all current ones if none."""
    if not wanted:
        return [c for c in available if not c.expired]
    chosen: list[Committee] = []
    for name in wanted:
        needle = name.strip().casefold()
        matches = [c for c in available if c.committee_id == name.strip()]
        matches = matches or [c for c in available if c.title.casefold() == needle]
        matches = matches or [c for c in available if needle in c.title.casefold()]
        if len(matches) > 1:
            current = [c for c in matches if not c.expired]
            matches = current if len(current) == 1 else matches
        if not matches:
            raise HarvestError(f"{site} has no committee {name!r} (give its name or its id)")
        if len(matches) > 1:
            names = "; ".join(f"{c.title} (id {c.committee_id})" for c in matches[:8])
            raise HarvestError(f"{name!r} matches {len(matches)} committees of {site}: {names}")
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen


class Harvester:
    def __init__(self, options: HarvestOptions, client: PoliteClient) -> None:
        normalise_base_url(options.base_url)  # a bad address fails before anything is written
        self.options = options
        self.folder = options.folder.resolve()
        self.client = client
        self.folder.mkdir(parents=True, exist_ok=True)
        check_owner(self.folder)
        self.state = HarvestState.load(self.folder)
        self.site = ModernGovSite(options.base_url, client, self.state)
        if self.state.base_url and self.state.base_url != self.site.base_url:
            raise HarvestError(
                f"{self.folder} holds papers harvested from {self.state.base_url}; use another folder for "
                f"{self.site.base_url}"
            )
        self.state.base_url = self.site.base_url
        self.report = HarvestReport(site=self.site.base_url, folder=str(self.folder))
        self._folders = {
            str(PurePosixPath(r["path"]).parent): r["meeting_id"] for r in self.state.documents.values()
        }
        self._paths = {r["path"] for r in self.state.documents.values()}
        self._seen_urls: set[str] = set()
        self._covered_meetings: set[str] = set()
        self._listed: dict[str, set[str]] = {}  # committee id -> meeting ids it listed in the range

    def run(self, on_progress: Callable[[int, int], None] | None = None) -> HarvestReport:
        """Harvest every meeting in range; ``on_progress(meetings done, meetings in all)`` after each."""
        started = time.monotonic()
        if self.state.clear_temp():
            self.report.notes.append("removed half-downloaded files left by an interrupted run")
        try:
            committees = select_committees(
                self.site.committees(), self.options.committees, self.site.base_url
            )
            self.report.committees = [c.title for c in committees]
            meetings = self._meetings(committees)
            self.report.meetings = len(meetings)
            for done, meeting in enumerate(meetings, start=1):
                self._harvest_meeting(meeting)
                self._save()
                if on_progress:
                    on_progress(done, len(meetings))
            self._find_vanished()
        except KeyboardInterrupt:
            self.report.interrupted = True
        finally:
            self._save()
            self.report.source = self.site.source
            self.report.notes += self.site.notes
            self.report.requests = self.client.requests
            self.report.bytes_downloaded = self.client.bytes_read
            self.report.seconds = time.monotonic() - started
        return self.report

    def _meetings(self, committees: list[Committee]) -> list[Meeting]:
        meetings: list[Meeting] = []
        for committee in committees:
            try:
                listed = self.site.meetings(committee, self.options.date_from, self.options.date_to)
            except FetchError as exc:
                self.report.failed.append(Problem(exc.url, f"meetings of {committee.title}: {exc.reason}"))
                continue
            self._listed[committee.committee_id] = {m.meeting_id for m in listed}
            meetings += listed
        return sorted(meetings, key=lambda m: (m.meeting_date, m.committee.title))

    def _harvest_meeting(self, meeting: Meeting) -> None:
        page_url = self.site.meeting_page_url(meeting)
        label = f"{meeting.committee.title} {meeting.meeting_date}"
        if meeting.cancelled:
            self._covered_meetings.add(meeting.meeting_id)
            self.report.cancelled_meetings.append(Problem(page_url, "meeting cancelled", title=label))
            return
        try:
            papers, problems = self.site.papers(meeting)
        except FetchError as exc:
            self.report.failed.append(Problem(exc.url, exc.reason, title=label, meeting_url=page_url))
            return
        self.report.failed += [Problem(p.url, p.reason, title=label, meeting_url=page_url) for p in problems]
        if not problems:
            self._covered_meetings.add(meeting.meeting_id)
        if not papers.documents:
            reason = "no documents published yet" + (
                " (agenda not published)" if papers.agenda_published is False else ""
            )
            self.report.empty_meetings.append(Problem(page_url, reason, title=label))
            return
        for document in papers.documents:
            if document.url not in self._seen_urls:
                self._seen_urls.add(document.url)
                self._harvest_document(meeting, document, page_url)

    def _harvest_document(self, meeting: Meeting, document: Document, page_url: str) -> None:
        url_path = urlsplit(document.url).path.lower()
        if url_path.endswith(NOT_PDF_SUFFIXES):
            reason = f"not a PDF ({url_path.rsplit('.', 1)[-1]}); the indexer reads PDFs"
            self.report.skipped.append(
                Problem(document.url, reason, title=document.title, meeting_url=page_url)
            )
            return
        record = self.state.documents.get(document.url)
        if record is None:
            folder = meeting_folder(
                meeting.committee.title, meeting.meeting_date, meeting.meeting_id, self._folders
            )
            path = unique_path(folder, safe_file_name(document.title), self._paths)
            record = {"path": path}
        target = self.folder / record["path"]
        have_file = target.is_file()
        try:
            fetched = self.client.download(
                document.url,
                self.state.temp_dir,
                etag=record.get("etag") if have_file else None,
                last_modified=record.get("last_modified") if have_file else None,
            )
        except FetchError as exc:
            self.report.failed.append(
                Problem(exc.url, exc.reason, title=document.title, meeting_url=page_url)
            )
            return
        if fetched.not_modified:
            self.report.unchanged.append(record["path"])
        else:
            assert fetched.temp_path is not None
            problem = pdf_problem(fetched.temp_path, fetched.content_type)
            if problem:
                fetched.temp_path.unlink(missing_ok=True)
                self.report.failed.append(
                    Problem(document.url, problem, title=document.title, meeting_url=page_url)
                )
                return
            if have_file and fetched.sha256 == record.get("sha256"):
                fetched.temp_path.unlink(missing_ok=True)  # same bytes: the site just did not say so
                self.report.unchanged.append(record["path"])
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(fetched.temp_path, target)
                (self.report.changed if have_file else self.report.new).append(record["path"])
                record.update(sha256=fetched.sha256, bytes=fetched.bytes_read, fetched_at=_now())
            record.update(etag=fetched.etag, last_modified=fetched.last_modified)
        record.update(
            meeting_id=meeting.meeting_id,
            committee_id=meeting.committee.committee_id,
            meeting_date=meeting.meeting_date,
            meta=self._meta(meeting, document, page_url),
        )
        self.state.documents[document.url] = record
        self.state.save()

    def _meta(self, meeting: Meeting, document: Document, page_url: str) -> dict[str, str | None]:
        council = self.options.council
        host = urlsplit(self.site.base_url).netloc
        return {
            "title": document.title,
            "council": council,
            "committee": meeting.committee.title,
            "doc_type": doc_type_for(document.title),
            "meeting_date": meeting.meeting_date,
            "pack_date": meeting.meeting_date,
            "source": f"{council or host} ModernGov papers, harvested from {document.url}",
            "source_url": document.url,
            "meeting_url": page_url,
            "item_number": document.item_number,
            "item_title": document.item_title,
            "site_committee_id": meeting.committee.committee_id,
        }

    def _find_vanished(self) -> None:
        """Documents of a meeting read in full this run (or of a meeting no longer listed) that are gone."""
        for url, record in sorted(self.state.documents.items(), key=lambda kv: kv[1]["path"]):
            if url in self._seen_urls or not (self.folder / record["path"]).is_file():
                continue
            listed = self._listed.get(record["committee_id"])
            in_range = (
                self.options.date_from.isoformat()
                <= record["meeting_date"]
                <= self.options.date_to.isoformat()
            )
            meeting_gone = listed is not None and in_range and record["meeting_id"] not in listed
            if record["meeting_id"] in self._covered_meetings or meeting_gone:
                self.report.vanished.append({"path": record["path"], "url": url})
        if self.options.prune:
            for vanished in self.report.vanished:
                (self.folder / vanished["path"]).unlink(missing_ok=True)
                self.state.documents.pop(vanished["url"], None)
                _remove_empty_parents(self.folder / vanished["path"], self.folder)
                self.report.pruned.append(vanished["path"])

    def _save(self) -> None:
        self.state.save()
        self.report.documents = write_metadata(self.folder, self.state)


def harvest(
    options: HarvestOptions, client: PoliteClient, on_progress: Callable[[int, int], None] | None = None
) -> HarvestReport:
    """Harvest a ModernGov site into ``options.folder``; see ``Harvester``."""
    return Harvester(options, client).run(on_progress)


def _remove_empty_parents(path: Path, stop: Path) -> None:
    parent = path.parent
    while parent != stop and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
