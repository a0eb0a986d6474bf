"""A loopback replica of a council's ModernGov site, for the harvester's tests: real HTTP on 127.0.0.1.

It serves what a ModernGov site serves, in the same shapes: ``mgWebService.asmx`` XML (element names as in
the saved Manchester responses of DemocracyClub/LGSF ``lgsf/minutes/tests/fixtures/*.xml``), the HTML pages
``mgListCommittees.aspx``, ``mgCommitteeDetails.aspx?ID=``, ``ieListMeetings.aspx?CId=``,
``ieListDocuments.aspx?CId=&MId=`` (Kent's layout: ``table.mgItemTable``, ``td.mgItemNumberCell``,
``p.mgAiTitleTxt``, item papers at ``documents/s<id>/``, meeting papers at ``documents/g<meeting id>/``), and
the documents themselves, with ETag and Last-Modified and honest 304s. Every request is logged, and faults can
be injected per document or path: an HTML page served as a PDF, a truncated PDF, a 404, a redirect to a login
page, a connection dropped mid-body, a stall, or a few 503s before an answer.
"""

from __future__ import annotations

import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

BASE_TIME_S = 1_735_689_600  # 2025-01-01T00:00:00Z: Last-Modified of version 1 of everything


@dataclass
class Doc:
    title: str
    body: bytes
    attachment_id: str | None = None  # item papers; meeting papers (packs, minutes) have none
    pack_type: int = 0  # ModernGov's ?T= of meeting papers: 0 frontsheet, 1 minutes, 9 supplement, 10 pack
    version: int = 1

    def replace(self, body: bytes) -> None:
        """A new upload of the same document: new bytes, new ETag, a later Last-Modified."""
        self.body = body
        self.version += 1


@dataclass
class Item:
    number: str
    title: str
    docs: list[Doc] = field(default_factory=list)
    item_id: str = ""


@dataclass
class Meeting:
    meeting_id: str
    when: date
    time: str = "10.00 am"
    status: str = "Confirmed"
    items: list[Item] = field(default_factory=list)
    papers: list[Doc] = field(default_factory=list)


@dataclass
class Committee:
    committee_id: str
    title: str
    meetings: list[Meeting] = field(default_factory=list)
    expired: bool = False


@dataclass
class Fault:
    """What to do instead of serving the thing: html_as_pdf, truncate, 404, login, drop, stall, 503."""

    kind: str
    times: int | None = None  # how many requests it applies to; None: all
    stall_s: float = 30.0


@dataclass
class Logged:
    path: str
    status: int
    headers: dict[str, str]
    at_s: float = field(default_factory=time.monotonic)  # when the answer was sent


class Replica:
    def __init__(self, committees: list[Committee]) -> None:
        self.committees = committees
        self.log: list[Logged] = []
        self.faults: dict[str, Fault] = {}  # by document title or by request path (no query)
        self.webservice_enabled = True
        self.stalled = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def start(self) -> Replica:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- looking things up ---

    def doc(self, title: str) -> Doc:
        for _, meeting in self.meetings():
            for doc in meeting.papers + [d for item in meeting.items for d in item.docs]:
                if doc.title == title:
                    return doc
        raise KeyError(title)

    def meetings(self) -> list[tuple[Committee, Meeting]]:
        return [(c, m) for c in self.committees for m in c.meetings]

    def doc_url(self, title: str) -> str:
        """The static public link of a document, as the meeting page gives it."""
        for _, meeting in self.meetings():
            for doc in meeting.papers + [d for item in meeting.items for d in item.docs]:
                if doc.title == title:
                    return f"{self.base_url}/{_doc_href(meeting, doc)}"
        raise KeyError(title)

    def requests_since(self, start: int) -> list[Logged]:
        with self._lock:
            return self.log[start:]

    def record(self, entry: Logged) -> None:
        with self._lock:
            self.log.append(entry)

    def take_fault(self, *keys: str) -> Fault | None:
        with self._lock:
            for key in keys:
                fault = self.faults.get(key)
                if fault is None:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        del self.faults[key]
                return fault
        return None


def _doc_href(meeting: Meeting, doc: Doc) -> str:
    if doc.attachment_id:
        return f"documents/s{doc.attachment_id}/{quote(doc.title)}.pdf"
    return f"documents/g{meeting.meeting_id}/{quote(doc.title)}.pdf?T={doc.pack_type}"


def etag_for(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:20]}"'


def _handler(replica: Replica) -> type[BaseHTTPRequestHandler]:
    from tests.indexer.harvest import replica_pages as pages

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ReplicaModernGov/1.0"

        def log_message(self, format: str, *args: object) -> None:  # quiet: the log list is what tests read
            pass

        def do_GET(self) -> None:
            split = urlsplit(self.path)
            path, query = unquote(split.path), {k.lower(): v[0] for k, v in parse_qs(split.query).items()}
            fault = replica.take_fault(path)
            if fault is not None and fault.kind in ("404", "503"):
                return self._send(int(fault.kind), b"<html><body>Error</body></html>", "text/html")
            found = pages.route(replica, path, query)
            if found is None:
                return self._send(404, b"<html><body><h1>Page not found</h1></body></html>", "text/html")
            body, content_type, version, doc = found
            if doc is not None:
                fault = replica.take_fault(doc.title) or fault
                if fault is not None:
                    return self._fault(fault, body)
            self._send(
                200,
                body,
                content_type,
                etag_for(body),
                formatdate(BASE_TIME_S + version * 86_400, usegmt=True),
            )

        def _fault(self, fault: Fault, body: bytes) -> None:
            if fault.kind in ("404", "503"):
                self._send(int(fault.kind), b"<html><body>Error</body></html>", "text/html")
            elif fault.kind == "html_as_pdf":
                page = (
                    b"<!DOCTYPE html><html><head><title>Error</title></head><body>Server Error</body></html>"
                )
                self._send(200, page, "application/pdf")
            elif fault.kind == "truncate":
                self._send(200, body[: len(body) // 2], "application/pdf")
            elif fault.kind == "login":
                self.send_response(302)
                self.send_header("Location", f"/mgLogin.aspx?ReturnUrl={quote(self.path)}")
                self.send_header("Content-Length", "0")
                replica.record(Logged(self.path, 302, dict(self.headers)))
                self.end_headers()
            elif fault.kind in ("drop", "stall"):
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(body)))
                replica.record(Logged(self.path, 200, dict(self.headers)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                if fault.kind == "stall":
                    replica.stalled.set()
                    time.sleep(fault.stall_s)
                self.close_connection = True
            else:
                raise ValueError(fault.kind)

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str,
            etag: str | None = None,
            modified: str | None = None,
        ) -> None:
            if status == 200 and etag and self._not_modified(etag, modified):
                status, body = 304, b""
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            if modified:
                self.send_header("Last-Modified", modified)
            # Logged before the body goes out: a client that has its answer must find the request in the log.
            replica.record(Logged(self.path, status, dict(self.headers)))
            self.end_headers()
            self.wfile.write(body)

        def _not_modified(self, etag: str, modified: str | None) -> bool:
            """RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since otherwise."""
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                return (
                    etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
                )
            since = self.headers.get("If-Modified-Since")
            if since and modified:
                try:
                    return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
                except (TypeError, ValueError):
                    return False
            return False

    return Handler


def escape(text: str) -> str:
    return html.escape(text, quote=True)
