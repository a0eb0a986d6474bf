"""A new council's conventions come from its metadata file: lineages, file names, the header of its minutes."""

from __future__ import annotations

import pytest

from indexer.errors import IndexerError
from indexer.layout.structure import find_parts
from indexer.models import DocumentMeta
from indexer.reading.committees import canonical_committee
from indexer.reading.metadata import infer_meta, load_metadata, metadata_for

METADATA = """
[[document]]
match = "*"
council = "Riverside Borough Council"
file_name = '^(?P<date>\\d{8})_(?P<body>[A-Z]+)_(?P<title>.+)$'
file_name_committees = { PLAN = "Planning Committee" }

[[committee]]
id = "riverside-planning"
council = "Riverside Borough Council"
names = ["Development Control Committee", "Planning Committee"]
"""


def test_a_new_councils_lineage_and_file_names_are_data(tmp_path):
    (tmp_path / "metadata.toml").write_text(METADATA, encoding="utf-8")
    entries = load_metadata(tmp_path)
    name = "20240117_PLAN_Minutes of the meeting.pdf"
    meta = infer_meta(name, [], metadata_for(name, entries))
    assert (meta.title, meta.committee, meta.council) == (
        "Minutes of the meeting",
        "Planning Committee",
        "Riverside Borough Council",
    )
    # The committee's old name joins its lineage; another council's committee of that name does not.
    assert canonical_committee("Development Control Committee", "Riverside Borough Council") == (
        "riverside-planning",
        "Planning Committee",
    )
    assert canonical_committee("Development Control Committee", "Hillside District Council")[0] != (
        "riverside-planning"
    )


def test_a_malformed_lineage_or_file_name_is_named(tmp_path):
    (tmp_path / "metadata.toml").write_text('[[committee]]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(IndexerError, match="needs an 'id' and a list of 'names'"):
        load_metadata(tmp_path)
    (tmp_path / "metadata.toml").write_text("[[document]]\nmatch = '*'\nfile_name = '(['\n", encoding="utf-8")
    with pytest.raises(IndexerError, match="is not a regex"):
        load_metadata(tmp_path)


def test_minutes_start_at_their_councils_printed_name():
    text = "Agenda item 4\n\nRIVERSIDE BOROUGH COUNCIL\n\nMINUTES of a meeting of the Planning Committee held on 17 January 2024.\n\n1. Apologies\n"
    meta = DocumentMeta(title="Pack", council="Riverside Borough Council", doc_type="pack")
    minutes = [p for p in find_parts(text, meta) if p.char_start > 0]
    assert minutes and text[minutes[0].char_start :].lstrip().startswith("RIVERSIDE BOROUGH COUNCIL")


def test_without_a_known_council_any_councils_printed_name_opens_its_minutes():
    text = "Agenda item 4\n\nHILLSIDE DISTRICT COUNCIL\n\nMINUTES of a meeting of the Cabinet held on 17 January 2024.\n\n1. Apologies\n"
    meta = DocumentMeta(title="Pack", doc_type="pack")
    minutes = [p for p in find_parts(text, meta) if p.char_start > 0]
    assert minutes and text[minutes[0].char_start :].lstrip().startswith("HILLSIDE DISTRICT COUNCIL")
