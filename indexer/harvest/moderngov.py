"""ModernGov's public web service (``mgWebService.asmx``): its URLs, and its XML read into plain records.

Formats, as published by ModernGov sites and read by open-source scrapers of them:

- Operations and parameters (``GetCommittees``, ``GetMeetings?lCommitteeId=&sFromDate=&sToDate=`` with
  dd/mm/yyyy dates, ``GetMeeting?lMeetingId=``), answered as plain XML to an HTTP GET:
  github.com/symroe/CouncillorData ``README.md`` and ``parameters.txt``; github.com/DemocracyClub/LGSF
  ``lgsf/minutes/scrapers.py`` (``ModGovMinutesScraper``).
- Element names and shapes (``committees/committee/committeeid|committeetitle|committeedeleted|
  committeeexpired``; ``getmeetings/committee/committeemeetings/meeting/meetingid|meetingdate|meetingstatus``;
  ``meeting/agendapublished|agendaitems/agendaitem/agendaitemtitle|agendaitemnumber|fulldisplaynumberformat|
  isrestricted|linkeddocuments/linkeddoc/attachmentid|title|url|isurl|isrestricted``): the saved Manchester
  responses in DemocracyClub/LGSF ``lgsf/minutes/tests/fixtures/{committees,meetings,meeting_with_minutes,
  meeting_no_minutes}.xml``.
- Quirks: some installs ignore ``sFromDate``/``sToDate`` and return a committee's whole history, so meetings
  are filtered here by date as well; text may carry entities escaped twice (``&amp;#39;``), so it is unescaped
  once more after parsing (a worked Lambeth example and a multi-council reader in the code search corpus).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from indexer.harvest.errors import SiteFormatError

UK_DATE = "%d/%m/%Y"


@dataclass(frozen=True)
class Committee:
    committee_id: str
    title: str
    expired: bool = False


@dataclass
class Meeting:
    meeting_id: str
    committee: Committee
    meeting_date: str  # ISO YYYY-MM-DD
    status: str = ""
    time: str = ""

    @property
    def cancelled(self) -> bool:
        return self.status.strip().lower() in ("cancelled", "canceled", "withdrawn")


@dataclass
class Document:
    """A document the site links from a meeting: on an agenda item, or at meeting level (packs, minutes)."""

    url: str
    title: str
    item_number: str | None = None
    item_title: str | None = None
    attachment_id: str | None = None


@dataclass
class MeetingPapers:
    """What a meeting has published so far; ``documents`` is empty until its agenda is out."""

    documents: list[Document] = field(default_factory=list)
    agenda_published: bool | None = None
    heading: str = ""


# --- URLs ---------------------------------------------------------------------------------------------


def webservice_url(base_url: str, operation: str, **params: str) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url}/mgWebService.asmx/{operation}{query}"


def committees_url(base_url: str) -> str:
    # lDays is ignored by most installs but some refuse a GetCommittees with no parameter at all.
    return webservice_url(base_url, "GetCommittees", lDays="0")


def meetings_url(base_url: str, committee_id: str, date_from: date, date_to: date) -> str:
    return webservice_url(
        base_url,
        "GetMeetings",
        lCommitteeId=committee_id,
        sFromDate=date_from.strftime(UK_DATE),
        sToDate=date_to.strftime(UK_DATE),
    )


def meeting_url(base_url: str, meeting_id: str) -> str:
    return webservice_url(base_url, "GetMeeting", lMeetingId=meeting_id)


def meeting_page_url(base_url: str, committee_id: str, meeting_id: str) -> str:
    """The meeting's public page (what a citation's "on the council's site" opens)."""
    return f"{base_url}/ieListDocuments.aspx?CId={committee_id}&MId={meeting_id}&Ver=4"


# --- XML ----------------------------------------------------------------------------------------------


def parse_committees(xml: bytes, url: str) -> list[Committee]:
    """Committees that still exist (deleted ones left out; expired ones kept and marked)."""
    root = _root(xml, url, "committees")
    committees = []
    for node in root.iter("committee"):
        committee_id, title = _text(node, "committeeid"), _text(node, "committeetitle")
        if not committee_id or not title or _flag(node, "committeedeleted"):
            continue
        committees.append(Committee(committee_id, title, expired=_flag(node, "committeeexpired")))
    return committees


def parse_meetings(
    xml: bytes, url: str, committee: Committee, date_from: date, date_to: date
) -> list[Meeting]:
    """A committee's meetings in the date range, oldest first (filtered here too: some sites ignore it)."""
    root = _root(xml, url, "getmeetings")
    meetings = []
    for node in root.iter("meeting"):
        meeting_id = _text(node, "meetingid")
        when = parse_uk_date(_text(node, "meetingdate"))
        if not meeting_id or when is None or not date_from <= when <= date_to:
            continue
        meetings.append(
            Meeting(
                meeting_id,
                committee,
                when.isoformat(),
                status=_text(node, "meetingstatus"),
                time=_text(node, "meetingtime"),
            )
        )
    return sorted(meetings, key=lambda m: (m.meeting_date, m.meeting_id))


def parse_meeting(xml: bytes, url: str) -> MeetingPapers:
    """Agenda items and their public linked documents (restricted ones and plain web links left out)."""
    root = _root(xml, url, "meeting")
    papers = MeetingPapers(agenda_published=_flag(root, "agendapublished"))
    seen: set[str] = set()
    for item in root.iter("agendaitem"):
        if _flag(item, "isrestricted"):
            continue
        number = _text(item, "fulldisplaynumberformat").rstrip(".") or _text(item, "agendaitemnumber") or None
        item_title = _text(item, "agendaitemtitle") or None
        for doc in item.iter("linkeddoc"):
            doc_url = _text(doc, "url")
            if not doc_url or doc_url in seen or _flag(doc, "isurl") or _flag(doc, "isrestricted"):
                continue
            seen.add(doc_url)
            papers.documents.append(
                Document(
                    url=doc_url,
                    title=_text(doc, "title") or item_title or "document",
                    item_number=number,
                    item_title=item_title,
                    attachment_id=_text(doc, "attachmentid") or None,
                )
            )
    return papers


def parse_uk_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), UK_DATE).date()
    except ValueError:
        return None


def _root(xml: bytes, url: str, tag: str) -> Element:
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise SiteFormatError(url, f"not ModernGov XML ({exc})") from exc
    if _local(root.tag) == "string" and (root.text or "").lstrip().startswith("<"):
        # ASP.NET web services may answer a GET with the document escaped inside <string xmlns="...">.
        return _root((root.text or "").encode("utf-8"), url, tag)
    if _local(root.tag) != tag:
        raise SiteFormatError(url, f"expected <{tag}>, got <{_local(root.tag)}>")
    for node in root.iter():  # some installs wrap the answer in a namespace; the names are what matter
        node.tag = _local(node.tag)
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(node: Element, tag: str) -> str:
    child = node.find(tag)
    if child is None or child.text is None:
        return ""
    return " ".join(html.unescape(child.text).split())


def _flag(node: Element, tag: str) -> bool:
    return _text(node, tag).lower() == "true"


# --- what kind of paper ---------------------------------------------------------------------------------

_DOC_TYPES = [
    (re.compile(r"reports? pack|agenda pack|supplement", re.I), "pack"),
    (re.compile(r"frontsheet|^agenda\b", re.I), "agenda"),
    (re.compile(r"minutes|decisions|action notes", re.I), "minutes"),
    (re.compile(r"\b(appendix|annex|annexe|schedule)\b", re.I), "appendix"),
    (re.compile(r"presentation|slides", re.I), "presentation"),
]


def doc_type_for(title: str) -> str:
    """The indexer's doc_type from ModernGov's own labels ("Public reports pack", "Printed minutes", ...)."""
    for pattern, doc_type in _DOC_TYPES:
        if pattern.search(title):
            return doc_type
    return "report"
