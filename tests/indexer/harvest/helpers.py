"""What the harvester's tests look at: the files the indexer would read and the facts metadata.toml gives."""

from __future__ import annotations

import tomllib
from pathlib import Path

EXPECTED_FILES = {
    "county_council/2025-01-09/Agenda frontsheet 09th-Jan-2025 10.00 County Council.pdf",
    "county_council/2025-01-09/Appendix A - 16.12.24 Ministerial Letter.pdf",
    "county_council/2025-01-09/Appendix B - Devolution Framework 2024.pdf",
    "county_council/2025-01-09/Devolution White Paper - County Council Report - FINAL.pdf",
    "county_council/2025-01-09/Item 3 Supplement - English Devolution White Paper report 09th-Jan-2025 10.00 County Council.pdf",
    "county_council/2025-01-09/Printed minutes 09th-Jan-2025 10.00 County Council.pdf",
    "county_council/2025-02-13/Budget 2025-26 report.pdf",
    "county_council/2025-03-20/Printed minutes 20th-Mar-2025 10.00 County Council.pdf",
    "cabinet/2025-01-30/Draft Budget report to Cabinet.pdf",
    "cabinet/2025-03-04/Agenda frontsheet 04th-Mar-2025 10.00 Cabinet.pdf",
    "cabinet/2025-03-04/Minutes of Previous Meeting.pdf",
    "cabinet/2025-03-04/Scrutiny Committee - call-in Family Hubs Report to Cabinet - FINAL.pdf",
    "cabinet/2025-03-04/Cabinet Report 4 March 2025.pdf",
    "cabinet/2025-03-04/Appendix 1 Cabinet - Budget Update.pdf",
    "cabinet/2025-03-04/Cabinet QPR Q3 Cover.pdf",
    "cabinet/2025-03-04/QPR Q3 Cabinet appendix 1.pdf",
    "cabinet/2025-03-04/Adoption of the Kent Minerals and Waste Local Plan 2024-2039.pdf",
    "cabinet/2025-03-04/APPENDIX A - Planning Inspectors Report on the Examination of the KMWLP 2024-39.pdf",
    "cabinet/2025-03-13/Agenda frontsheet 13th-Mar-2025 15.00 Cabinet.pdf",
    "cabinet/2025-03-13/Public reports pack 13th-Mar-2025 15.00 Cabinet.pdf",
}


def papers_in(folder: Path) -> set[str]:
    """Files the indexer would read: everything but hidden paths and the metadata file."""
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file()
        and p.name != "metadata.toml"
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def metadata(folder: Path) -> dict[str, dict[str, str]]:
    """Each file's facts from metadata.toml's [[document]] tables, by path."""
    data = tomllib.loads((folder / "metadata.toml").read_text(encoding="utf-8"))
    merged: dict[str, dict[str, str]] = {}
    for entry in data.get("document", []):
        merged.setdefault(entry["match"], {}).update(entry)
    return merged
