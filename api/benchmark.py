"""Latency of /search and /ask on an index, with the share of time spent embedding the query.

``python -m api.benchmark --store DIR [--rounds N]`` runs the evaluation questions through the app in
process (no network) and prints p50/p95 per endpoint. Targets on a 2-core machine: /search p50 < 50 ms,
/ask p50 < 150 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from indexer import PROJECT_ROOT, Settings, load_embedder

QUESTION_FILES = sorted((PROJECT_ROOT / "evals" / "data").glob("questions_*.jsonl"))


class TimedEmbedder:
    """Wraps an embedder and adds up the time spent in encode()."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.name, self.dimension, self.max_tokens = inner.name, inner.dimension, inner.max_tokens

    def encode(self, texts, batch_size=32, progress=None):
        started = time.perf_counter()
        try:
            return self.inner.encode(texts, batch_size, progress)
        finally:
            self.seconds += time.perf_counter() - started

    def count_tokens(self, text):
        return self.inner.count_tokens(text)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m api.benchmark")
    parser.add_argument("--store", type=Path, default=Settings().store_dir)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    questions = [
        json.loads(line)["question"] for f in QUESTION_FILES for line in f.read_text().splitlines() if line
    ]
    settings = Settings(store_dir=args.store)
    embedder = TimedEmbedder(load_embedder(settings.model_name_or_path()))
    client = TestClient(create_app(settings, embedder=embedder))
    client.get("/search", params={"q": "warm up"})

    result = {"questions": len(questions), "rounds": args.rounds}
    for name, call in (
        ("search", lambda q: client.get("/search", params={"q": q, "k": 10})),
        ("ask", lambda q: client.post("/ask", json={"question": q})),
    ):
        latencies = []
        embedder.seconds = 0.0
        for _ in range(args.rounds):
            for question in questions:
                started = time.perf_counter()
                response = call(question)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
        result[name] = {
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "embedding_share": round(embedder.seconds / sum(latencies), 3),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
