"""ModernGov's XML and HTML read into records; file names, TOML strings and the PDF check, without a server."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from indexer.harvest.errors import HarvestError, SiteFormatError
from indexer.harvest.layout import meeting_folder, safe_file_name, unique_path
from indexer.harvest.metadata_file import check_owner, toml_string
from indexer.harvest.moderngov import Committee, doc_type_for, parse_committees, parse_meeting, parse_meetings
from indexer.harvest.pages import document_key, parse_long_date, parse_meeting_page, parse_meetings_page
from indexer.harvest.site import normalise_base_url
from indexer.harvest.validate import pdf_problem
from tests.indexer.harvest.conftest import kent_site, made_pdf
from tests.indexer.harvest.replica_pages import meeting_html, meetings_html

COMMITTEES = b"""<?xml version="1.0" encoding="utf-8"?>
<committees>
  <committeescount> 3</committeescount>
  <committee><committeeid>51</committeeid><committeetitle>Licensing Sub-Committee</committeetitle>
    <committeedeleted>True</committeedeleted><committeeexpired>False</committeeexpired></committee>
  <committee><committeeid>52</committeeid><committeetitle>Scrutiny Committee (2017 &amp;amp; after)</committeetitle>
    <committeedeleted>False</committeedeleted><committeeexpired>True</committeeexpired></committee>
  <committee><committeeid>53</committeeid><committeetitle>Cabinet</committeetitle>
    <committeedeleted>False</committeedeleted><committeeexpired>False</committeeexpired></committee>
</committees>"""

MEETINGS = b"""<?xml version="1.0" encoding="utf-8"?>
<getmeetings><meetingscount> 3</meetingscount><committee><committeeid>53</committeeid>
  <committeemeetings>
    <meeting><meetingid>7</meetingid><meetingdate>04/03/2025</meetingdate><meetingstatus>Confirmed</meetingstatus></meeting>
    <meeting><meetingid>5</meetingid><meetingdate>12/12/2019</meetingdate><meetingstatus>Confirmed</meetingstatus></meeting>
    <meeting><meetingid>6</meetingid><meetingdate>13/01/2025</meetingdate><meetingstatus>Cancelled</meetingstatus></meeting>
  </committeemeetings></committee></getmeetings>"""

MEETING = b"""<?xml version="1.0" encoding="utf-8"?>
<meeting><meetingid>7</meetingid><agendapublished>True</agendapublished><agendaitems>
  <agendaitem><agendaitemtitle>Council&amp;#39;s Budget</agendaitemtitle><agendaitemnumber>12</agendaitemnumber>
    <fulldisplaynumberformat>5.</fulldisplaynumberformat><isrestricted>False</isrestricted><linkeddocuments>
      <linkeddoc><attachmentid>901</attachmentid><title>Budget report</title><isurl>False</isurl>
        <url>https://council.example/mgConvert2PDF.aspx?ID=901</url><isrestricted>False</isrestricted></linkeddoc>
      <linkeddoc><attachmentid>902</attachmentid><title>Exempt appendix</title><isurl>False</isurl>
        <url>https://council.example/mgConvert2PDF.aspx?ID=902</url><isrestricted>True</isrestricted></linkeddoc>
      <linkeddoc><attachmentid>903</attachmentid><title>Consultation site</title><isurl>True</isurl>
        <url>https://consult.example/</url><isrestricted>False</isrestricted></linkeddoc>
    </linkeddocuments></agendaitem>
  <agendaitem><agendaitemtitle>Exempt item</agendaitemtitle><isrestricted>True</isrestricted><linkeddocuments>
      <linkeddoc><attachmentid>904</attachmentid><title>Exempt</title><url>https://council.example/x</url></linkeddoc>
    </linkeddocuments></agendaitem>
</agendaitems></meeting>"""

CABINET = Committee("53", "Cabinet")


def test_committees_leave_out_deleted_ones_and_unescape_twice_escaped_text():
    committees = parse_committees(COMMITTEES, "u")
    assert [(c.committee_id, c.title, c.expired) for c in committees] == [
        ("52", "Scrutiny Committee (2017 & after)", True),
        ("53", "Cabinet", False),
    ]


def test_meetings_are_filtered_by_date_here_even_when_the_site_ignores_the_range():
    meetings = parse_meetings(MEETINGS, "u", CABINET, date(2025, 1, 1), date(2025, 12, 31))
    assert [(m.meeting_id, m.meeting_date, m.cancelled) for m in meetings] == [
        ("6", "2025-01-13", True),
        ("7", "2025-03-04", False),
    ]


def test_a_meetings_public_documents_with_their_items():
    papers = parse_meeting(MEETING, "u")
    assert papers.agenda_published is True
    [doc] = papers.documents
    assert (doc.title, doc.item_number, doc.item_title, doc.attachment_id) == (
        "Budget report",
        "5",
        "Council's Budget",
        "901",
    )


def test_xml_escaped_inside_an_asmx_string_wrapper_is_read_too():
    wrapped = (
        b'<?xml version="1.0"?><string xmlns="http://tempuri.org/">'
        + COMMITTEES.replace(b"&", b"&amp;").replace(b"<", b"&lt;")
        + b"</string>"
    )
    assert [c.title for c in parse_committees(wrapped, "u")] == [
        "Scrutiny Committee (2017 & after)",
        "Cabinet",
    ]


def test_an_html_error_page_is_not_taken_for_xml():
    with pytest.raises(SiteFormatError, match="not ModernGov XML"):
        parse_committees(b"<html><body>Service Unavailable</body>", "u")
    with pytest.raises(SiteFormatError, match="expected <getmeetings>"):
        parse_meetings(COMMITTEES, "u", CABINET, date(2025, 1, 1), date(2025, 12, 31))


def test_the_meeting_page_gives_items_their_documents_and_the_meetings_own_papers():
    cabinet = kent_site()[1]
    meeting = cabinet.meetings[1]
    page_url = "https://democracy.example/ieListDocuments.aspx?CId=115&MId=9702&Ver=4"
    papers = parse_meeting_page(meeting_html(cabinet, meeting).encode(), page_url)
    assert papers.heading == "Cabinet - Tuesday, 4th March, 2025 10.00 am"
    by_title = {d.title: d for d in papers.documents}
    assert len(papers.documents) == 9 and not any("IssueHistory" in d.url for d in papers.documents)
    appendix = by_title["APPENDIX A - Planning Inspectors Report on the Examination of the KMWLP 2024-39"]
    assert (appendix.item_number, appendix.item_title) == (
        "9",
        "Adoption of the Kent Minerals and Waste Local Plan 2024-2039",
    )
    assert appendix.url.startswith("https://democracy.example/documents/s")
    frontsheet = by_title["Agenda frontsheet 04th-Mar-2025 10.00 Cabinet"]
    assert (
        frontsheet.item_number is None
        and "/documents/g9702/" in frontsheet.url
        and frontsheet.url.endswith("?T=0")
    )


def test_the_meetings_page_lists_meetings_in_range_and_marks_cancelled_ones():
    cabinet = kent_site()[1]
    cabinet.meetings[0].status = "Cancelled"
    meetings = parse_meetings_page(
        meetings_html(cabinet).encode(), CABINET, date(2025, 1, 1), date(2025, 3, 10)
    )
    assert [(m.meeting_id, m.meeting_date, m.cancelled) for m in meetings] == [
        ("9701", "2025-01-30", True),
        ("9702", "2025-03-04", False),
    ]


def test_one_key_for_an_attachment_however_it_is_linked():
    assert document_key("https://x/documents/s128001/Report.pdf") == document_key(
        "https://x/mgConvert2PDF.aspx?ID=128001"
    )
    assert document_key("https://x/documents/g9/Agenda frontsheet.pdf?T=0") != document_key(
        "https://x/documents/g9/Printed minutes.pdf?T=1"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 Mar 2025 10.00 am", date(2025, 3, 4)),
        ("Tuesday, 4th March, 2025 10.00 am", date(2025, 3, 4)),
        ("Constitution", None),
    ],
)
def test_long_dates(text, expected):
    assert parse_long_date(text) == expected


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("Public reports pack 13th-Mar-2025 15.00 Cabinet", "pack"),
        ("Item 3 Supplement - English Devolution White Paper report", "pack"),
        ("Agenda frontsheet 04th-Mar-2025 10.00 Cabinet", "agenda"),
        ("Printed minutes 09th-Jan-2025 10.00 County Council", "minutes"),
        ("Minutes of Previous Meeting", "minutes"),
        ("APPENDIX A - Planning Inspectors Report", "appendix"),
        ("SEND stocktake presentation", "presentation"),
        ("Cabinet QPR Q3 Cover", "report"),
    ],
)
def test_doc_types_from_moderngov_labels(title, doc_type):
    assert doc_type_for(title) == doc_type


def test_file_names_are_safe_and_free_of_glob_characters():
    assert safe_file_name("Item 3: Budget [draft] *final*?.pdf") == "Item 3 Budget draft final.pdf"
    assert safe_file_name("../../etc/passwd") == "etc passwd.pdf"
    assert safe_file_name("  ") == "document.pdf"
    taken: set[str] = set()
    assert unique_path("cabinet/2025-03-04", "Report.pdf", taken) == "cabinet/2025-03-04/Report.pdf"
    assert unique_path("cabinet/2025-03-04", "report.pdf", taken) == "cabinet/2025-03-04/report (2).pdf"
    folders: dict[str, str] = {}
    assert meeting_folder("Cabinet", "2025-03-04", "1", folders) == "cabinet/2025-03-04"
    assert meeting_folder("Cabinet", "2025-03-04", "2", folders) == "cabinet/2025-03-04-m2"
    assert meeting_folder("Policy & Resources Cabinet Committee", "2025-03-04", "3", folders).startswith(
        "policy_resources_cabinet_committee/"
    )


@pytest.mark.parametrize(
    "value", ['say "hi"', "back\\slash", "two\nlines\ttab", "£1.2m – Children’s", "bell\x07"]
)
def test_toml_strings_read_back_as_written(value):
    assert tomllib.loads(f"x = {toml_string(value)}")["x"] == value


def test_the_pdf_check(tmp_path: Path):
    cases = {
        "good.pdf": made_pdf("A complete document."),
        "html.pdf": b"<!DOCTYPE html><html><body>Server Error</body></html>",
        "cut.pdf": made_pdf("A document cut short. " * 200)[:-600],
        "empty.pdf": b"",
        "zip.pdf": b"PK\x03\x04 not a pdf",
    }
    problems = {}
    for name, body in cases.items():
        (tmp_path / name).write_bytes(body)
        problems[name] = pdf_problem(
            tmp_path / name, "text/html" if name == "html.pdf" else "application/pdf"
        )
    assert problems["good.pdf"] is None
    assert problems["html.pdf"] == "HTML page served as a PDF (text/html)"
    assert str(problems["cut.pdf"]).startswith("truncated PDF")
    assert problems["empty.pdf"] == "empty response (0 bytes)"
    assert str(problems["zip.pdf"]).startswith("not a PDF")


def test_base_urls_and_a_hand_written_metadata_file(tmp_path: Path):
    assert (
        normalise_base_url("democracy.kent.gov.uk/mgListCommittees.aspx") == "https://democracy.kent.gov.uk"
    )
    assert normalise_base_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    with pytest.raises(HarvestError):
        normalise_base_url("ftp://council.example")
    (tmp_path / "metadata.toml").write_text('[[document]]\nmatch = "*"\ncouncil = "Mine"\n')
    with pytest.raises(HarvestError, match="was not written by the harvester"):
        check_owner(tmp_path)


def test_service_links_are_made_absolute_with_the_sites_scheme(tmp_path: Path):
    from indexer.harvest.client import PoliteClient
    from indexer.harvest.site import ModernGovSite
    from indexer.harvest.state import HarvestState

    site = ModernGovSite("https://democracy.example", PoliteClient(), HarvestState.load(tmp_path))
    assert (
        site.absolute("http://democracy.example/mgConvert2PDF.aspx?ID=9")
        == "https://democracy.example/mgConvert2PDF.aspx?ID=9"
    )
    assert site.absolute("mgConvert2PDF.aspx?ID=9") == "https://democracy.example/mgConvert2PDF.aspx?ID=9"
    assert site.absolute("http://elsewhere.example/a.pdf") == "http://elsewhere.example/a.pdf"
