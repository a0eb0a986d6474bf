"""The harvester's fixtures: a loopback replica of Kent's ModernGov site serving the bundled Kent PDFs.

Two committees (County Council, Cabinet) and six meetings: three whose papers are the 17 Kent PDFs in
``corpus/kent/``, named and grouped as Kent published them, and three whose papers are small PDFs made here.
No test reaches any address but loopback: a guard refuses every other connection.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF

from indexer.config import PROJECT_ROOT
from indexer.harvest import HarvestOptions, PoliteClient
from indexer.harvest.harvester import Harvester
from indexer.harvest.report import HarvestReport
from tests.indexer.harvest.replica import Committee, Doc, Item, Meeting, Replica

KENT = PROJECT_ROOT / "corpus" / "kent"
FROM, TO = date(2025, 1, 1), date(2025, 3, 31)


def kent_pdf(name: str) -> bytes:
    return next(KENT.glob(f"*__{name}.pdf")).read_bytes()


def made_pdf(*lines: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.multi_cell(180, 8, line)
    return bytes(pdf.output())


def kent_site() -> list[Committee]:
    ids = iter(range(128_000, 129_000))

    def item(number: str, title: str, *names: str) -> Item:
        docs = [Doc(name, kent_pdf(name), attachment_id=str(next(ids))) for name in names]
        return Item(number, title, docs, item_id=f"7{number}{len(names)}")

    council = Committee("113", "County Council")
    council.meetings = [
        Meeting(
            "9600",
            date(2025, 1, 9),
            items=[
                item("1", "Apologies for Absence"),
                item(
                    "3",
                    "English Devolution White Paper",
                    "Devolution White Paper - County Council Report - FINAL",
                    "Appendix A - 16.12.24 Ministerial Letter",
                    "Appendix B - Devolution Framework 2024",
                ),
            ],
            papers=[
                Doc(
                    "Agenda frontsheet 09th-Jan-2025 10.00 County Council",
                    kent_pdf("Agenda frontsheet 09th-Jan-2025 10.00 County Council"),
                    pack_type=0,
                ),
                Doc(
                    "Item 3 Supplement - English Devolution White Paper report 09th-Jan-2025 10.00 County Council",
                    kent_pdf(
                        "Item 3 Supplement - English Devolution White Paper report 09th-Jan-2025 10.00 County Council"
                    ),
                    pack_type=9,
                ),
                Doc(
                    "Printed minutes 09th-Jan-2025 10.00 County Council",
                    kent_pdf("Printed minutes 09th-Jan-2025 10.00 County Council"),
                    pack_type=1,
                ),
            ],
        ),
        Meeting(
            "9601",
            date(2025, 2, 13),
            items=[
                Item(
                    "5",
                    "Revenue Budget 2025-26 and Medium Term Financial Plan",
                    [
                        Doc(
                            "Budget 2025-26 report",
                            made_pdf("Revenue Budget 2025-26", "The net revenue budget."),
                            attachment_id=str(next(ids)),
                        )
                    ],
                    item_id="951",
                )
            ],
        ),
        Meeting(
            "9602",
            date(2025, 3, 20),
            papers=[
                Doc(
                    "Printed minutes 20th-Mar-2025 10.00 County Council",
                    made_pdf("Minutes of the County Council, 20 March 2025"),
                    pack_type=1,
                )
            ],
        ),
    ]
    cabinet = Committee("115", "Cabinet")
    cabinet.meetings = [
        Meeting(
            "9701",
            date(2025, 1, 30),
            items=[
                Item(
                    "6",
                    "Draft Revenue and Capital Budget",
                    [
                        Doc(
                            "Draft Budget report to Cabinet",
                            made_pdf("Draft Revenue and Capital Budget 2025-26", "Cabinet, 30 January 2025"),
                            attachment_id=str(next(ids)),
                        )
                    ],
                    item_id="961",
                )
            ],
        ),
        Meeting(
            "9702",
            date(2025, 3, 4),
            items=[
                item("4", "Minutes of the Meeting held on 30 January 2025", "Minutes of Previous Meeting"),
                item(
                    "6",
                    "Scrutiny Committee call-in: Family Hubs",
                    "Scrutiny Committee - call-in Family Hubs Report to Cabinet - FINAL",
                ),
                item(
                    "7",
                    "Late changes to the 2025-26 budget",
                    "Cabinet Report 4 March 2025",
                    "Appendix 1 Cabinet - Budget Update",
                ),
                item(
                    "8",
                    "Quarterly Performance Report, Quarter 3 2024/25",
                    "Cabinet QPR Q3 Cover",
                    "QPR Q3 Cabinet appendix 1",
                ),
                item(
                    "9",
                    "Adoption of the Kent Minerals and Waste Local Plan 2024-2039",
                    "Adoption of the Kent Minerals and Waste Local Plan 2024-2039",
                    "APPENDIX A - Planning Inspectors Report on the Examination of the KMWLP 2024-39",
                ),
            ],
            papers=[
                Doc(
                    "Agenda frontsheet 04th-Mar-2025 10.00 Cabinet",
                    kent_pdf("Agenda frontsheet 04th-Mar-2025 10.00 Cabinet"),
                    pack_type=0,
                )
            ],
        ),
        Meeting(
            "9703",
            date(2025, 3, 13),
            time="3.00 pm",
            papers=[
                Doc(
                    "Agenda frontsheet 13th-Mar-2025 15.00 Cabinet",
                    kent_pdf("Agenda frontsheet 13th-Mar-2025 15.00 Cabinet"),
                    pack_type=0,
                ),
                Doc(
                    "Public reports pack 13th-Mar-2025 15.00 Cabinet",
                    kent_pdf("Public reports pack 13th-Mar-2025 15.00 Cabinet"),
                    pack_type=10,
                ),
            ],
        ),
    ]
    return [council, cabinet]


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection from this process to an address outside 127.0.0.0/8 or ::1."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and not (str(host).startswith("127.") or host in ("::1", "localhost")):
            raise AssertionError(f"test tried to reach {address}: only loopback is allowed")
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def replica() -> Iterator[Replica]:
    site = Replica(kent_site()).start()
    yield site
    site.stop()


@pytest.fixture
def run_harvest(tmp_path: Path, replica: Replica) -> Callable[..., HarvestReport]:
    """Harvest the replica in process (no delay, quick retries) into ``tmp_path/papers``."""

    def _run(folder: Path | None = None, **overrides: object) -> HarvestReport:
        options = HarvestOptions(
            base_url=replica.base_url,
            folder=folder or tmp_path / "papers",
            date_from=overrides.pop("date_from", FROM),  # type: ignore[arg-type]
            date_to=overrides.pop("date_to", TO),  # type: ignore[arg-type]
            committees=overrides.pop("committees", ["County Council", "Cabinet"]),  # type: ignore[arg-type]
            council="Kent County Council",
            prune=bool(overrides.pop("prune", False)),
        )
        client_args = {"delay_s": 0.0, "backoff_s": 0.01, "retries": 2} | overrides
        with PoliteClient(**client_args) as client:  # type: ignore[arg-type]
            return Harvester(options, client).run()

    return _run
