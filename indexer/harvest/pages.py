"""ModernGov's HTML pages, for what the web service does not give and for sites where it is switched off.

Page shapes, as published by ModernGov sites and read by open-source scrapers of them:

- ``mgListCommittees.aspx`` links each committee as ``mgCommitteeDetails.aspx?ID=<id>``, and
  ``ieListMeetings.aspx?CId=<id>&Year=0`` lists its meetings as ``ieListDocuments.aspx?CId=&MId=`` links whose
  text is the date ("4 Mar 2025 10.00 am"): the Southampton and Westminster scrapers in the code search corpus.
- ``ieListDocuments.aspx?CId=&MId=`` (the meeting page): a heading "Cabinet - Tuesday, 4th March, 2025
  10.00 am"; a ``table.mgItemTable`` whose rows hold ``td.mgItemNumberCell`` and ``p.mgAiTitleTxt``; item
  documents as ``documents/s<attachment id>/<Title>.pdf`` (with "Additional documents:" lists), and
  meeting-level documents (agenda frontsheet, public reports pack, supplements, printed minutes) as
  ``documents/g<meeting id>/<Title>.pdf``: github.com/lusavkaedu/council-assistant
  ``council_scraper/utils/scraping_utils.py`` (a scraper of democracy.kent.gov.uk), and Kent's page
  https://democracy.kent.gov.uk/ieListDocuments.aspx?CId=113&MId=9798&Ver=4.
- Links to ``mgIssueHistoryHome.aspx?IId=`` (an item's key-decision history) and ``ieDecisionDetails.aspx``
  are pages, not documents, and are not followed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from indexer.harvest.moderngov import Committee, Document, Meeting, MeetingPapers

_COMMITTEE_LINK = re.compile(r"mgCommitteeDetails\.aspx\?ID=(\d+)", re.I)
_MEETING_LINK = re.compile(r"ieListDocuments\.aspx\?(?:.*&)?MId=(\d+)", re.I)
_ITEM_DOC = re.compile(r"/documents/s(\d+)/[^/]+$", re.I)
_MEETING_DOC = re.compile(r"/documents/g(\d+)/[^/]+$", re.I)
_CONVERTED_DOC = re.compile(r"mgConvert2PDF\.aspx\?ID=(\d+)", re.I)
_FILE_SIZE = re.compile(r"\s*\(?\s*(PDF|DOC|DOCX|XLS|XLSX|RTF)\s*,?\s*[\d.]+\s*[KMG]B\s*\)?\s*$", re.I)
_LINK_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9}),?\s+(\d{4})")


def committees_page_url(base_url: str) -> str:
    return f"{base_url}/mgListCommittees.aspx"


def meetings_page_url(base_url: str, committee_id: str) -> str:
    return f"{base_url}/ieListMeetings.aspx?CId={committee_id}&Year=0"


def parse_committees_page(page: bytes) -> list[Committee]:
    soup = BeautifulSoup(page, "html.parser")
    committees: dict[str, Committee] = {}
    for link in soup.find_all("a", href=True):
        match = _COMMITTEE_LINK.search(str(link["href"]))
        title = _clean(link.get_text(" ", strip=True))
        if match and title and match.group(1) not in committees:
            committees[match.group(1)] = Committee(match.group(1), title)
    return list(committees.values())


def parse_meetings_page(page: bytes, committee: Committee, date_from: date, date_to: date) -> list[Meeting]:
    soup = BeautifulSoup(page, "html.parser")
    meetings: dict[str, Meeting] = {}
    for link in soup.find_all("a", href=True):
        match = _MEETING_LINK.search(str(link["href"]))
        text = link.get_text(" ", strip=True)
        when = parse_long_date(text)
        if not match or when is None or not date_from <= when <= date_to:
            continue
        status = "Cancelled" if re.search(r"cancel+ed|withdrawn", text, re.I) else ""
        meetings.setdefault(match.group(1), Meeting(match.group(1), committee, when.isoformat(), status))
    return sorted(meetings.values(), key=lambda m: (m.meeting_date, m.meeting_id))


def parse_meeting_page(page: bytes, page_url: str) -> MeetingPapers:
    """Every public document the meeting page links, with its agenda item where it sits in one."""
    soup = BeautifulSoup(page, "html.parser")
    heading = soup.find(class_="mgSubTitleTxt") or soup.find(["h1", "h2"])
    papers = MeetingPapers(heading=_clean(heading.get_text(" ", strip=True)) if heading else "")
    seen: set[str] = set()
    for row in soup.select("table.mgItemTable tr"):
        number_cell = row.find("td", class_="mgItemNumberCell")
        cells = row.find_all("td", recursive=False)
        if number_cell is None or len(cells) < 2:
            continue
        number = _clean(number_cell.get_text(" ", strip=True)).rstrip(".") or None
        title_node = cells[1].find("p", class_="mgAiTitleTxt")
        item_title = _clean(title_node.get_text(" ", strip=True)) if title_node else None
        for link in cells[1].find_all("a", href=True):
            _add(papers, seen, link, page_url, number, item_title or None)
    for link in soup.find_all("a", href=True):  # the meeting's own papers, outside the items table
        _add(papers, seen, link, page_url, None, None)
    return papers


def document_key(url: str) -> str:
    """One key for the same attachment however it is linked: ``documents/s123/...`` and ``...?ID=123``."""
    path = unquote(urlsplit(url).path)
    if match := _ITEM_DOC.search(path):
        return f"s{match.group(1)}"
    if match := _CONVERTED_DOC.search(url):
        return f"s{match.group(1)}"
    if match := _MEETING_DOC.search(path):  # a meeting's papers share its g-number; the name tells them apart
        return f"g{match.group(1)}/{path.rsplit('/', 1)[-1]}"
    return url


def parse_long_date(text: str) -> date | None:
    """'4 Mar 2025 10.00 am', 'Tuesday, 4th March, 2025 10.00 am' -> date(2025, 3, 4)."""
    match = _LINK_DATE.search(text)
    if not match:
        return None
    day, month, year = match.groups()
    for fmt in ("%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(f"{day} {month} {year}", fmt).date()
        except ValueError:
            continue
    return None


def _add(
    papers: MeetingPapers,
    seen: set[str],
    link: Tag,
    page_url: str,
    number: str | None,
    item_title: str | None,
) -> None:
    url = urljoin(page_url, str(link["href"]).strip())
    path = unquote(urlsplit(url).path)
    item_doc, meeting_doc = _ITEM_DOC.search(path), _MEETING_DOC.search(path)
    converted = _CONVERTED_DOC.search(url)
    if not (item_doc or meeting_doc or converted):
        return
    key = document_key(url)
    if key in seen:
        return
    seen.add(key)
    file_title = path.rsplit("/", 1)[-1].rsplit(".", 1)[0] if (item_doc or meeting_doc) else ""
    link_title = _clean(link.get_text(" ", strip=True))
    papers.documents.append(
        Document(
            url=url,
            # The file is named after the document's own title; the link text is often the item's title.
            title=_clean(file_title) or link_title or item_title or "document",
            item_number=number,
            item_title=item_title,
            attachment_id=id_match.group(1) if (id_match := item_doc or converted) else None,
        )
    )


def _clean(text: str) -> str:
    """Single spaces, and no trailing "PDF 151 KB" that ModernGov prints after a document's name."""
    return _FILE_SIZE.sub("", " ".join(text.split())).strip()
