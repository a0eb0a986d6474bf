"""Settings: one object in groups, every field still read from its flat CP_* variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from indexer.config import Settings


def test_each_group_reads_its_variables(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CP_STORE_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CP_EMBEDDING_CACHE", str(tmp_path / "vectors.sqlite"))
    monkeypatch.setenv("CP_PORT", "8123")
    monkeypatch.setenv("CP_LLM_MODEL", "a-model")
    monkeypatch.setenv("CP_LLM_TIMEOUT_S", "2.5")
    monkeypatch.setenv("CP_HARVEST_DELAY_S", "0.25")
    monkeypatch.setenv("CP_EVAL_CACHE_DIR", str(tmp_path / "evals"))
    settings = Settings()
    assert settings.index.store_dir == tmp_path / "index"
    assert settings.index.embedding_cache == tmp_path / "vectors.sqlite"
    assert settings.api.port == 8123
    assert (settings.llm.model, settings.llm.timeout_s) == ("a-model", 2.5)
    assert settings.harvest.delay_s == 0.25
    assert settings.evals.cache_dir == tmp_path / "evals"


def test_updated_changes_one_group_and_validates(monkeypatch) -> None:
    monkeypatch.delenv("CP_PORT", raising=False)
    base = Settings()
    changed = base.updated(index={"store_dir": "/tmp/elsewhere"}, api={"port": 9000})
    assert changed.index.store_dir == Path("/tmp/elsewhere")
    assert changed.api.port == 9000
    assert base.api.port == 8000 and changed.llm == base.llm
    with pytest.raises(ValidationError):
        base.updated(api={"port": 0})
    with pytest.raises(ValueError, match="no settings group"):
        base.updated(indexing={"store_dir": "x"})


def test_a_bad_variable_fails_with_its_name(monkeypatch) -> None:
    monkeypatch.setenv("CP_EMBED_BATCH_SIZE", "0")
    with pytest.raises(ValidationError, match="embed_batch_size"):
        Settings()
