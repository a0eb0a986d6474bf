"""One council's ModernGov site: the web service first, the HTML pages where it is missing or fails.

The web service gives committees, meetings in a date range and each meeting's agenda items with their linked
documents, as XML that does not change shape between councils. It does not list a meeting's own papers (agenda
frontsheet, reports pack, supplements, printed minutes); those are only on the meeting page, which is read too.
Where both name the same attachment, the page's static ``documents/s<id>/<Title>.pdf`` link is kept: it is the
link the public sees, and static files answer conditional requests where ``mgConvert2PDF.aspx`` may not.
Every page goes through the harvest state, so an unchanged one costs a 304 and is read from the saved copy.
"""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

from indexer.harvest.client import PoliteClient
from indexer.harvest.errors import FetchError, HarvestError, SiteFormatError
from indexer.harvest.moderngov import (
    Committee,
    Meeting,
    MeetingPapers,
    committees_url,
    meeting_page_url,
    meeting_url,
    meetings_url,
    parse_committees,
    parse_meeting,
    parse_meetings,
)
from indexer.harvest.pages import (
    committees_page_url,
    document_key,
    meetings_page_url,
    parse_committees_page,
    parse_meeting_page,
    parse_meetings_page,
)
from indexer.harvest.state import HarvestState

logger = logging.getLogger(__name__)


def normalise_base_url(url: str) -> str:
    """'democracy.kent.gov.uk/mgListCommittees.aspx' -> 'https://democracy.kent.gov.uk'."""
    url = url.strip()
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HarvestError(f"{url}: not a web address of a ModernGov site")
    path = parts.path.rstrip("/")
    if path.lower().endswith((".aspx", ".asmx", ".htm", ".html")):
        path = path.rsplit("/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{path}"


class ModernGovSite:
    """Committees, meetings and meeting papers of one site; ``source`` says what was read."""

    def __init__(self, base_url: str, client: PoliteClient, state: HarvestState) -> None:
        self.base_url = normalise_base_url(base_url)
        self.client = client
        self.state = state
        self.use_webservice = True
        self.notes: list[str] = []

    @property
    def source(self) -> str:
        return "web service and meeting pages" if self.use_webservice else "HTML pages"

    def committees(self) -> list[Committee]:
        if self.use_webservice:
            url = committees_url(self.base_url)
            try:
                return parse_committees(self._page(url), url)
            except (FetchError, SiteFormatError) as exc:
                self._fall_back(exc)
        url = committees_page_url(self.base_url)
        try:
            committees = parse_committees_page(self._page(url))
        except FetchError as exc:
            raise HarvestError(f"cannot list the committees of {self.base_url}: {exc}") from exc
        if not committees:
            raise HarvestError(f"{url}: no committees found; is this a ModernGov site?")
        return committees

    def meetings(self, committee: Committee, date_from: date, date_to: date) -> list[Meeting]:
        """Meetings in the range; raises FetchError when neither the service nor the page answers."""
        if self.use_webservice:
            url = meetings_url(self.base_url, committee.committee_id, date_from, date_to)
            try:
                return parse_meetings(self._page(url), url, committee, date_from, date_to)
            except (FetchError, SiteFormatError) as exc:
                self._fall_back(exc)
        page = self._page(meetings_page_url(self.base_url, committee.committee_id))
        return parse_meetings_page(page, committee, date_from, date_to)

    def papers(self, meeting: Meeting) -> tuple[MeetingPapers, list[FetchError]]:
        """The meeting's documents, and the page that could not be read (raises when nothing could)."""
        from_service: MeetingPapers | None = None
        service_error: FetchError | None = None
        if self.use_webservice:
            url = meeting_url(self.base_url, meeting.meeting_id)
            try:
                from_service = parse_meeting(self._page(url), url)
            except (FetchError, SiteFormatError) as exc:
                service_error = _as_fetch_error(exc)
            for doc in from_service.documents if from_service else []:
                doc.url = self.absolute(doc.url)
        page_url = self.meeting_page_url(meeting)
        try:
            from_page = parse_meeting_page(self._page(page_url), page_url)
        except FetchError as exc:
            if from_service is None:
                also = f"; web service: {service_error.reason}" if service_error else ""
                raise FetchError(page_url, f"meeting unreadable: {exc.reason}{also}") from exc
            return from_service, [exc]  # the items are known; the meeting's own packs are not
        if service_error is not None:
            self.notes.append(f"{service_error}; read the meeting page {page_url} instead")
        if from_service is None:
            return from_page, []
        return _merge(from_service, from_page), []

    def absolute(self, url: str) -> str:
        """A document link the service gave, made absolute; on this site's host, with this site's scheme.

        Some installs give their own documents as ``http://`` links behind an ``https://`` site; asking for
        them as https spares a redirect (or a plain-text request where the site has none).
        """
        url = urljoin(f"{self.base_url}/", url.strip())
        base, parts = urlsplit(self.base_url), urlsplit(url)
        if parts.netloc.lower() == base.netloc.lower() and parts.scheme != base.scheme:
            url = urlunsplit(parts._replace(scheme=base.scheme))
        return url

    def meeting_page_url(self, meeting: Meeting) -> str:
        return meeting_page_url(self.base_url, meeting.committee.committee_id, meeting.meeting_id)

    def _page(self, url: str) -> bytes:
        etag, last_modified = self.state.page_validators(url)
        fetched = self.client.get(url, etag=etag, last_modified=last_modified)
        if fetched.not_modified:
            return self.state.cached_page(url)
        self.state.store_page(url, fetched.body, fetched.etag, fetched.last_modified)
        return fetched.body

    def _fall_back(self, exc: FetchError | SiteFormatError) -> None:
        self.use_webservice = False
        note = f"web service unusable ({exc}); reading the HTML pages instead"
        logger.warning(note)
        self.notes.append(note)


def _merge(from_service: MeetingPapers, from_page: MeetingPapers) -> MeetingPapers:
    """The service's items and titles, with the page's static links and the meeting-level papers it adds."""
    on_page = {document_key(doc.url): doc for doc in from_page.documents}
    merged = MeetingPapers(agenda_published=from_service.agenda_published, heading=from_page.heading)
    for doc in from_service.documents:
        twin = on_page.pop(document_key(doc.url), None)
        if twin is not None:
            doc.url = twin.url
        merged.documents.append(doc)
    merged.documents.extend(on_page.values())
    return merged


def _as_fetch_error(exc: FetchError | SiteFormatError) -> FetchError:
    return exc if isinstance(exc, FetchError) else FetchError(exc.url, exc.reason)
