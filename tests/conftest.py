"""Shared fixtures: generated PDFs with known pages, fake and real embedders, and a real index of the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from fpdf import FPDF

from indexer.config import PROJECT_ROOT
from indexer.embedding import FakeEmbedder

CORPUS = PROJECT_ROOT / "corpus"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write_pdf(
    path: Path,
    pages: list[str],
    footers: list[str | None] | None = None,
    pdf_labels: tuple[str, int] | None = None,
    blank_pages: tuple[int, ...] = (),
) -> Path:
    """A PDF with the given text on each page, an optional printed footer per page, and optional /PageLabels.

    ``pdf_labels=("D", 5)`` makes the PDF itself label its pages 5, 6, ...; ``blank_pages`` (1-based)
    get a drawing but no text, like a scanned page.
    """
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    if FONT.exists():
        pdf.add_font("dejavu", fname=str(FONT))
        pdf.set_font("dejavu", size=11)
    else:  # pragma: no cover - Debian images ship DejaVu
        pdf.set_font("helvetica", size=11)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        if pdf_labels and number == 1:
            pdf.set_page_label(label_style=pdf_labels[0], label_start=pdf_labels[1])
        if number in blank_pages:
            pdf.rect(20, 20, 150, 200, style="F")
            continue
        pdf.set_xy(15, 20)
        pdf.multi_cell(180, 6, text)
        footer = footers[number - 1] if footers else None
        if footer:
            pdf.set_xy(15, 280)
            pdf.cell(180, 6, footer, align="C")
    pdf.output(str(path))
    return path


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    def _make(name: str, pages: list[str], **kwargs: object) -> Path:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_pdf(target, pages, **kwargs)  # type: ignore[arg-type]

    return _make


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    from indexer.config import Settings
    from indexer.embedding import load_embedder

    settings = Settings()
    return load_embedder(settings.index.model_name_or_path(), settings.index.embedding_cache)


BUILD_TIMEOUT_S = 1200  # about 90 s on a quiet machine, over 200 s on two busy cores


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory):
    """The bundled corpus indexed once per session, the way a user does it: ``python -m indexer --json``.

    Real model, persistent chromadb. ``CP_TEST_STORE=DIR`` reuses an index already built there.
    Returns the opened store and the run's report.
    """
    from indexer.store.index import Store

    reuse = os.environ.get("CP_TEST_STORE")
    store_dir = Path(reuse) if reuse else tmp_path_factory.mktemp("index") / "store"
    result = subprocess.run(
        [sys.executable, "-m", "indexer", str(CORPUS), "--store", str(store_dir), "--json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        env=os.environ | {"HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, f"indexing failed ({result.returncode}):\n{result.stderr[-3000:]}"
    report = json.loads(result.stdout, object_hook=lambda d: SimpleNamespace(**d))
    return Store(store_dir), report


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on a free loopback port, started once per session and stopped after it."""
    from tests.live_servers import chroma_server

    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url
