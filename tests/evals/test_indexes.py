"""The evaluation's index cache: an index built by another reader, backend or model is another index."""

from __future__ import annotations

from pathlib import Path

import evals.indexes as indexes
from indexer import Settings
from indexer.embedding import FakeEmbedder


class _Loaded(FakeEmbedder):
    """A fake that says where it was loaded from, as the real backends do."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source


def test_the_cache_folder_names_the_pdf_reader_and_the_models_source(tmp_path: Path):
    pypdf = Settings().updated(index={"pdf_text_reader": "pypdf"})
    pdfium = Settings().updated(index={"pdf_text_reader": "pdfium"})
    torch, onnx = _Loaded("/models/minilm"), _Loaded("/models/minilm#onnx")
    folders = {
        indexes.index_dir(tmp_path, "structured", torch, pypdf),
        indexes.index_dir(tmp_path, "structured", torch, pdfium),
        indexes.index_dir(tmp_path, "structured", onnx, pypdf),
        indexes.index_dir(tmp_path, "fixed", torch, pypdf),
    }
    assert len(folders) == 4
    assert indexes.index_dir(tmp_path, "structured", torch, pypdf) == indexes.index_dir(
        tmp_path,
        "structured",
        _Loaded("/models/minilm"),
        Settings().updated(index={"pdf_text_reader": "pypdf"}),
    )


def test_the_index_is_built_with_the_configured_pdf_reader(tmp_path: Path, tiny_corpus: Path, monkeypatch):
    readers = []
    build = indexes.build_index

    def spy(*args, **kwargs):
        readers.append(kwargs.get("pdf_text_reader"))
        return build(*args, **kwargs)

    monkeypatch.setattr(indexes, "build_index", spy)
    settings = Settings().updated(index={"pdf_text_reader": "pdfium"})
    store = indexes.ensure_index("structured", FakeEmbedder(), settings, tmp_path / "cache", tiny_corpus)
    assert readers == ["pdfium"]
    assert store.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] > 0
