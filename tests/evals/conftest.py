"""A tiny corpus with known quotes on known pages and lines, its gold questions, and a fake-embedded index."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_fixtures import PDF_PAGES, QUESTIONS, TEXT_LINES, write_questions

from evals.gold import Corpus, load_questions


@pytest.fixture
def tiny_corpus(tmp_path: Path, make_pdf) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    make_pdf("corpus/minutes.pdf", PDF_PAGES)
    (root / "notes.txt").write_text("\n".join(TEXT_LINES) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def tiny_questions_file(tmp_path: Path) -> Path:
    return write_questions(tmp_path / "questions.jsonl", QUESTIONS)


@pytest.fixture
def tiny_questions(tiny_questions_file: Path):
    return load_questions([tiny_questions_file])


@pytest.fixture
def tiny_gold(tiny_corpus: Path, tiny_questions):
    return tiny_questions, Corpus(tiny_corpus)


@pytest.fixture
def tiny_index(tmp_path: Path, tiny_corpus: Path, fake_embedder):
    from indexer.pipeline import build_index
    from indexer.store.index import Store

    store = Store(tmp_path / "index", create=True)
    report = build_index([tiny_corpus], store, fake_embedder)
    assert not report.failed, report.failed
    return store
