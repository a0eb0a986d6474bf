"""What the replica answers at each ModernGov address: web-service XML, HTML pages and documents.

XML follows the saved Manchester responses in DemocracyClub/LGSF (``lgsf/minutes/tests/fixtures/committees.xml``,
``meetings.xml``, ``meeting_with_minutes.xml``, ``meeting_no_minutes.xml``); HTML follows Kent's
``ieListDocuments.aspx`` layout as read by github.com/lusavkaedu/council-assistant
``council_scraper/utils/scraping_utils.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from tests.indexer.harvest.replica import Committee, Doc, Meeting, _doc_href, escape

if TYPE_CHECKING:
    from tests.indexer.harvest.replica import Replica

XML = "text/xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
Found = tuple[bytes, str, int, Doc | None]


def route(replica: Replica, path: str, query: dict[str, str]) -> Found | None:
    """(body, content type, version for Last-Modified, the document served if any), or None for a 404."""
    lower = path.lower()
    if lower.startswith("/mgwebservice.asmx/"):
        if not replica.webservice_enabled:
            return None
        operation = lower.rsplit("/", 1)[-1]
        if operation == "getcommittees":
            return _page(committees_xml(replica), XML)
        if operation == "getmeetings":
            committee = _committee(replica, query.get("lcommitteeid", ""))
            return _page(meetings_xml(committee, query), XML) if committee else None
        if operation == "getmeeting":
            found = _meeting(replica, query.get("lmeetingid", ""))
            return _page(meeting_xml(replica, *found), XML) if found else None
        return None
    if lower == "/mglistcommittees.aspx":
        return _page(committees_html(replica), HTML)
    if lower == "/mgcommitteedetails.aspx":
        committee = _committee(replica, query.get("id", ""))
        return _page(committee_html(committee), HTML) if committee else None
    if lower == "/ielistmeetings.aspx":
        committee = _committee(replica, query.get("cid", "") or query.get("committeeid", ""))
        return _page(meetings_html(committee), HTML) if committee else None
    if lower == "/ielistdocuments.aspx":
        found = _meeting(replica, query.get("mid", ""))
        return _page(meeting_html(*found), HTML) if found else None
    if lower == "/mglogin.aspx":
        return _page(
            b"<html><head><title>Sign in</title></head><body><form>Password</form></body></html>", HTML
        )
    if lower == "/mgconvert2pdf.aspx":
        return _document(replica, lambda doc, _m: doc.attachment_id == query.get("id"))
    if lower.startswith("/documents/"):
        return _document(
            replica, lambda doc, meeting: f"/{_doc_href(meeting, doc)}".split("?")[0] == _quoted(path)
        )
    return None


def _quoted(path: str) -> str:
    return quote(path)


def _page(text: str | bytes, content_type: str) -> Found:
    body = text.encode("utf-8") if isinstance(text, str) else text
    return body, content_type, 1, None


def _document(replica: Replica, wanted: Callable[[Doc, Meeting], bool]) -> Found | None:
    for _, meeting in replica.meetings():
        for doc in meeting.papers + [d for item in meeting.items for d in item.docs]:
            if wanted(doc, meeting):
                return doc.body, "application/pdf", doc.version, doc
    return None


def _committee(replica: Replica, committee_id: str) -> Committee | None:
    return next((c for c in replica.committees if c.committee_id == committee_id), None)


def _meeting(replica: Replica, meeting_id: str) -> tuple[Committee, Meeting] | None:
    return next(((c, m) for c, m in replica.meetings() if m.meeting_id == meeting_id), None)


def _uk(when: date) -> str:
    return when.strftime("%d/%m/%Y")


# --- web service ------------------------------------------------------------------------------------


def committees_xml(replica: Replica) -> str:
    rows = "".join(
        f"  <committee>\n    <committeeid>{c.committee_id}</committeeid>\n"
        f"    <committeetitle>{escape(c.title)}</committeetitle>\n"
        f"    <committeedeleted>False</committeedeleted>\n    <committeeexpired>{c.expired}</committeeexpired>\n"
        f"    <committeecategory>Council and Cabinet</committeecategory>\n  </committee>\n"
        for c in replica.committees
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<committees>\n'
        f"  <committeescount> {len(replica.committees)}</committeescount>\n{rows}</committees>\n"
    )


def meetings_xml(committee: Committee, query: dict[str, str]) -> str:
    # Like some real installs, the date range is ignored: the whole history comes back.
    rows = "".join(
        f"      <meeting>\n        <meetingid>{m.meeting_id}</meetingid>\n"
        f"        <meetingdate>{_uk(m.when)}</meetingdate>\n        <meetingstatus>{m.status}</meetingstatus>\n"
        f"        <meetingtime>{m.time}</meetingtime>\n        <iswebcast>False</iswebcast>\n      </meeting>\n"
        for m in committee.meetings
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<getmeetings>\n'
        f"  <meetingscount> {len(committee.meetings)}</meetingscount>\n  <committeescount> 1</committeescount>\n"
        f"  <committee>\n    <committeeid>{committee.committee_id}</committeeid>\n"
        f"    <committeetitle>{escape(committee.title)}</committeetitle>\n"
        f"    <committeemeetingcount> {len(committee.meetings)}</committeemeetingcount>\n"
        f"    <committeemeetings>\n{rows}    </committeemeetings>\n  </committee>\n</getmeetings>\n"
    )


def meeting_xml(replica: Replica, committee: Committee, meeting: Meeting) -> str:
    items = []
    for item in meeting.items:
        docs = "".join(
            f"        <linkeddoc>\n          <attachmentid>{d.attachment_id}</attachmentid>\n"
            f"          <title>{escape(d.title)}</title>\n          <isurl>False</isurl>\n"
            f"          <url>{replica.base_url}/mgConvert2PDF.aspx?ID={d.attachment_id}</url>\n"
            f"          <isrestricted>False</isrestricted>\n          <publicationdate>{_uk(meeting.when)}"
            f"</publicationdate>\n          <committeetitle>{escape(committee.title)}</committeetitle>\n"
            f"          <ownertitle>{escape(item.title)}</ownertitle>\n        </linkeddoc>\n"
            for d in item.docs
        )
        items.append(
            f"    <agendaitem>\n      <agendaitemid>{item.item_id}</agendaitemid>\n"
            f"      <agendaitemtitle>{escape(item.title)}</agendaitemtitle>\n"
            f"      <agendaitemnumber>{item.number}</agendaitemnumber>\n"
            f"      <fulldisplaynumberformat>{item.number}.</fulldisplaynumberformat>\n"
            f"      <isrestricted>False</isrestricted>\n      <meetingdate>{_uk(meeting.when)}</meetingdate>\n"
            f"      <linkeddocuments>\n{docs}      </linkeddocuments>\n    </agendaitem>\n"
        )
    published = bool(meeting.items or meeting.papers)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<meeting>\n  <meetingid>{meeting.meeting_id}</meetingid>\n'
        f"  <meetingdate>{_uk(meeting.when)}</meetingdate>\n  <meetingstatus>{meeting.status}</meetingstatus>\n"
        f"  <meetingtime>{meeting.time}</meetingtime>\n"
        f"  <meetinglocation>Council Chamber, Sessions House, County Hall, Maidstone</meetinglocation>\n"
        f"  <agendaid>{meeting.meeting_id}</agendaid>\n  <agendapublished>{published}</agendapublished>\n"
        f"  <minutepublished>False</minutepublished>\n  <agendaitems>\n{''.join(items)}  </agendaitems>\n"
        f"</meeting>\n"
    )


# --- pages ------------------------------------------------------------------------------------------


def _html(title: str, content: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><title>{escape(title)}</title></head>\n<body>\n'
        f'<div id="modgov">\n{content}\n</div>\n</body></html>\n'
    )


def committees_html(replica: Replica) -> str:
    links = "".join(
        f'<li><a href="mgCommitteeDetails.aspx?ID={c.committee_id}">{escape(c.title)}</a></li>\n'
        for c in replica.committees
    )
    return _html(
        "Committee structure",
        f'<h1 class="mgMainTitleTxt">Committee structure</h1>\n<ul class="mgBulletList">\n{links}</ul>',
    )


def committee_html(committee: Committee) -> str:
    return _html(
        f"{committee.title} - Committee details",
        f'<h1 class="mgMainTitleTxt">{escape(committee.title)}</h1>\n'
        f'<ul class="mgActionList"><li><a href="ieListMeetings.aspx?CommitteeId={committee.committee_id}">'
        f"Browse meetings</a></li></ul>",
    )


def meetings_html(committee: Committee) -> str:
    links = "".join(
        f'<li><a href="ieListDocuments.aspx?CId={committee.committee_id}&amp;MId={m.meeting_id}&amp;Ver=4">'
        f"{m.when.day} {m.when.strftime('%b %Y')} {m.time}"
        f"{' CANCELLED' if m.status == 'Cancelled' else ''}</a></li>\n"
        for m in committee.meetings
    )
    return _html(
        f"Browse meetings - {committee.title}",
        f'<h1 class="mgMainTitleTxt">Browse meetings - {escape(committee.title)}</h1>\n<ul class="mgBulletList">\n{links}</ul>',
    )


def _size(doc: Doc) -> str:
    return f'<span class="mgFileSize">PDF {max(1, len(doc.body) // 1000)} KB</span>'


def meeting_html(committee: Committee, meeting: Meeting) -> str:
    day = meeting.when.day
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    heading = f"{committee.title} - {meeting.when.strftime('%A')}, {day}{suffix} {meeting.when.strftime('%B, %Y')} {meeting.time}"
    rows = []
    for item in meeting.items:
        first, more = (item.docs[0], item.docs[1:]) if item.docs else (None, [])
        title = f'<a href="mgIssueHistoryHome.aspx?IId=4{item.item_id}">{escape(item.title)}</a>'
        if first is not None:
            title += f' <a href="{_doc_href(meeting, first)}" class="mgAiTitleLnk">{_size(first)}</a>'
        extra = ""
        if more:
            links = "".join(
                f'<li><a href="{_doc_href(meeting, d)}" class="mgLinks">{escape(d.title)} {_size(d)}</a></li>'
                for d in more
            )
            extra = f'<p class="mgSubItemTitleTxt">Additional documents:</p>\n<ul class="mgActionList">{links}</ul>'
        rows.append(
            f'<tr>\n<td class="mgItemNumberCell"><p class="mgAiTitleTxt">{item.number}.</p></td>\n'
            f'<td><p class="mgAiTitleTxt">{title}</p>\n{extra}</td>\n</tr>'
        )
    papers = "".join(
        f'<li><a href="{_doc_href(meeting, d)}" class="mgLinks">{escape(d.title)} {_size(d)}</a></li>\n'
        for d in meeting.papers
    )
    table = (
        f'<table class="mgItemTable" summary="Table of items">\n<tr><th>No.</th><th>Item</th></tr>\n{"".join(rows)}\n</table>'
        if rows
        else "<p>The agenda for this meeting has not been published yet.</p>"
    )
    return _html(
        f"Agenda for {committee.title} on {datetime(meeting.when.year, meeting.when.month, day):%A, %d %B %Y}",
        f'<div class="mgHeader"><h1 class="mgMainTitleTxt">Agenda and minutes</h1></div>\n'
        f'<h2 class="mgSubTitleTxt">{escape(heading)}</h2>\n'
        f'<p class="mgSectionTitle">Venue: Council Chamber, Sessions House, County Hall, Maidstone.</p>\n'
        f'<h2 class="mgSectionTitle">Items</h2>\n{table}\n'
        f'<h2 class="mgSectionTitle">Documents</h2>\n<ul class="mgActionList">\n{papers}</ul>',
    )
