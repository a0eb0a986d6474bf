"""One evaluation end to end: open (or build) the indexes, run every system, and describe the run."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from api.retrieval import Retriever
from evals.gold import Corpus, Question, load_questions
from evals.indexes import ensure_index, indexer_fingerprint
from evals.qrels import QRELS_FILE, qrels_by_query, read_qrels
from evals.run import RESULTS_K, SystemResult, evaluate_system, gold_summary, threshold_of
from evals.systems import System
from indexer import PROJECT_ROOT, Embedder, Settings, Store


@dataclass
class Setup:
    """What every command needs: settings, the questions, their qrels and the corpus they quote."""

    settings: Settings
    questions: list[Question]
    page_qrels: dict[str, dict[str, int]]
    corpus: Corpus

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        qrels_path: Path = QRELS_FILE,
        question_files: list[Path] | None = None,
    ) -> Setup:
        settings = settings or Settings()
        if not qrels_path.is_file():
            raise FileNotFoundError(f"{qrels_path}: missing; run `python -m evals qrels`")
        return cls(
            settings,
            load_questions(question_files),
            qrels_by_query(read_qrels(qrels_path)),
            Corpus(settings.index.corpus_dir),
        )


def open_indexes(
    systems: Sequence[System], embedder: Embedder, settings: Settings, cache_dir: Path | None = None
) -> dict[str, Store]:
    """The index each chunker the systems need, built or brought up to date in the cache."""
    return {
        chunker: ensure_index(chunker, embedder, settings, cache_dir)
        for chunker in dict.fromkeys(s.chunker for s in systems)
    }


def evaluate_all(
    systems: Sequence[System],
    stores: dict[str, Store],
    embedder: Embedder,
    setup: Setup,
    threshold: float | None = None,
    on_question: Callable[[], None] | None = None,
) -> list[SystemResult]:
    """Every system over every question; with several systems, search latency is re-timed interleaved."""
    gold = gold_summary(setup.questions, setup.corpus)
    results = [
        evaluate_system(
            system,
            stores[system.chunker],
            embedder,
            setup.questions,
            setup.page_qrels,
            setup.settings,
            gold=gold,
            threshold=threshold,
            on_question=on_question,
        )
        for system in systems
    ]
    if len(results) > 1:
        time_interleaved(results, stores, embedder, [q.question for q in setup.questions])
    return results


def time_interleaved(
    results: Sequence[SystemResult], stores: dict[str, Store], embedder: Embedder, queries: Sequence[str]
) -> None:
    """Time every system on each query in turn, so load from other jobs falls on all systems alike.

    Replaces each result's search times (the first pass timed one system after another).
    """
    retrievers = {chunker: Retriever(store, embedder) for chunker, store in stores.items()}
    for result in results:
        result.search_seconds = []
    for query in queries:
        for result in results:
            started = time.perf_counter()
            retrievers[result.system.chunker].search(query, k=RESULTS_K, **result.system.search_options())
            result.search_seconds.append(time.perf_counter() - started)


def git_commit() -> str | None:
    """The checked-out commit, for the record (read-only)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def describe_run(
    started: datetime, setup: Setup, embedder: Embedder, stores: dict[str, Store], threshold: float | None
) -> dict[str, Any]:
    return {
        "started": started.strftime("%Y-%m-%d %H:%M:%S"),
        "questions": len(setup.questions),
        "answerable": sum(q.answerable for q in setup.questions),
        "model": embedder.name,
        "threshold": threshold if threshold is not None else threshold_of(setup.settings),
        # The fingerprint the indexes were built with (the code may have changed since they were opened).
        "indexer_fingerprint": ",".join(
            sorted({store.store_dir.name.rsplit("-", 1)[-1] for store in stores.values()})
        )
        or indexer_fingerprint(),
        "indexes": {
            chunker: {"dir": str(store.store_dir), **store.stats()} for chunker, store in stores.items()
        },
        "commit": git_commit(),
    }
