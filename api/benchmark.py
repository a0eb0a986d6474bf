"""Latency of /search and /ask on an index, with the share of time spent embedding the query.

``python -m api.benchmark --store DIR [--queries FILE] [--rounds N]`` runs queries through the app in
process (no network) and prints p50/p95 per endpoint. The queries come from a file (one per line, or JSON
lines with a "question" or "text" field, such as ``evals/data/queries.jsonl``); without one, from the
index itself: the opening words of an evenly spread sample of its passages. Targets on a 2-core
machine: /search p50 < 50 ms, /ask p50 < 150 ms. It also starts ``python -m api`` as a real server on
loopback and reports ``first_query_s``, the seconds from launching it to its first answered /search.
``--scale 10000 100000`` measures synthetic stores of those sizes instead (``api.scale_benchmark``).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from fastapi.testclient import TestClient

from api.cli import serve_command
from api.main import create_app
from indexer import Settings, Store, load_embedder

SAMPLE_QUERIES = 150
QUERY_WORDS = 10


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


def read_queries(path: Path) -> list[str]:
    """Queries from a file: plain lines, or JSON lines with a "question" or "text" field."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            row = json.loads(line)
            queries.append(row.get("question") or row["text"])
        else:
            queries.append(line.strip())
    return queries


def sample_queries(store: Store, count: int = SAMPLE_QUERIES) -> list[str]:
    """The opening words of passages spread evenly over the index (the same sample on every run)."""
    ids = [r["chunk_id"] for r in store.db.execute("SELECT chunk_id FROM chunks ORDER BY chunk_id")]
    step = max(1, len(ids) // count)
    rows = store.chunks(ids[::step][:count])
    return [" ".join(rows[i]["text"].split()[:QUERY_WORDS]) for i in ids[::step][:count] if i in rows]


def first_query_s(store_dir: Path, query: str, timeout_s: float = 120.0) -> float:
    """Seconds from launching ``python -m api`` on loopback to its first answered /search."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = serve_command(store_dir, port)
    url = f"http://127.0.0.1:{port}/search?" + urllib.parse.urlencode({"q": query})
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < timeout_s:
            if server.poll() is not None:
                raise RuntimeError(f"`{' '.join(command)}` exited with {server.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=timeout_s) as response:
                    if response.status == 200:
                        return round(time.perf_counter() - started, 2)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.02)
        raise TimeoutError(f"no answer from `{' '.join(command)}` within {timeout_s} s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m api.benchmark")
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--queries", type=Path, default=None, help="Queries, one a line or JSON lines.")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-cold-start", action="store_true", help="Skip starting a real server.")
    parser.add_argument("--scale", type=int, nargs="+", default=None, help="Synthetic store sizes (chunks).")
    parser.add_argument("--source", type=Path, default=None, help="With --scale: the real index to copy.")
    parser.add_argument("--out", type=Path, default=Path("var/scale"), help="With --scale: stores and PNG.")
    parser.add_argument("--keep", action="store_true", help="With --scale: keep the synthetic stores.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="With --scale: measure stores already built in --out (keeps them).",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="With --scale: build the stores, measure nothing."
    )
    args = parser.parse_args()
    settings = Settings()
    if args.store:
        settings = settings.updated(index={"store_dir": args.store})
    store_dir = settings.index.store_dir
    if args.scale:
        from api.scale_benchmark import run_scale

        source_dir = args.source or store_dir
        if args.build_only:
            from api.scale_benchmark import build_only

            build_only(args.scale, source_dir, args.out)
        else:
            run_scale(args.scale, source_dir, args.out, max(args.rounds, 50), args.keep, args.reuse)
        return
    questions = read_queries(args.queries) if args.queries else sample_queries(Store(store_dir))
    embedder = TimedEmbedder(load_embedder(settings.index.model_name_or_path()))
    client = TestClient(create_app(settings, embedder=embedder))
    client.get("/search", params={"q": "warm up"})

    result: dict = {"questions": len(questions), "rounds": args.rounds}
    if not args.no_cold_start:
        result["first_query_s"] = first_query_s(store_dir, questions[0])
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
