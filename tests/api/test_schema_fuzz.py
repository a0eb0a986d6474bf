"""Schemathesis in process, over a small index of generated papers: every check, on every operation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api.main import create_app
from indexer.config import Settings
from indexer.embedding import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.index import Store
from tests.conftest import write_pdf

MINUTES = """BIRMINGHAM CITY COUNCIL

1000 hours on Wednesday, 30 March 2022, Council House

Action Notes

1. HOME TO SCHOOL TRANSPORT

RESOLVED:

- The update was noted.
- Officers undertook to report back on driver vacancies by June 2022.

The meeting ended at 12.00 hours.
"""


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    folder = tmp_path_factory.mktemp("papers")
    (folder / "minutes.md").write_text(MINUTES)
    write_pdf(folder / "report.pdf", ["Highways report on potholes.", "RESOLVED that the plan be approved."])
    embedder = FakeEmbedder()
    store = Store(tmp_path_factory.mktemp("index"), create=True)
    build_index([folder], store, embedder)
    app = create_app(Settings().updated(index={"store_dir": store.store_dir}), store=store, embedder=embedder)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_every_operation_keeps_its_contract(api_schema):
    # Driven through Hypothesis directly: schemathesis' pytest plugin does not load under this pytest.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,  # the same cases every run
        )
        def call(case):
            case.call_and_validate()  # every check schemathesis has

        call()
