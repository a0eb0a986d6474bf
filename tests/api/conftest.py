"""An API client over the real index of the bundled corpus."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from indexer.config import Settings


@pytest.fixture(scope="session")
def client(corpus_index, real_embedder) -> TestClient:
    store, _ = corpus_index
    app = create_app(
        Settings().updated(index={"store_dir": store.store_dir}), store=store, embedder=real_embedder
    )
    return TestClient(app)
