"""Search latency against index size: synthetic stores of real chunks re-keyed across many councils.

``python -m api.benchmark --scale 10000 100000 --source STORE --out DIR`` builds one store per size from
the chunks and vectors of STORE (a real index), then prints p50/p95 of unfiltered, council, committee,
date-range, lexical and hybrid searches, the build time, disk and RSS, and writes DIR/scale.png.
With ``--reuse``, a store already built at a size in DIR is measured again, not rebuilt (its build time
is the one recorded when it was built), so slow builds can run apart from a quiet measuring run.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.main import create_app
from indexer import Settings, Store, build_synthetic_store, load_embedder, synthetic_committee

BUILD_RECORD = "build.json"
KINDS = (
    "unfiltered",
    "council",
    "committee",
    "date_range",
    "lexical",
    "hybrid",
    "hybrid_council",
    "hybrid_committee",
    "hybrid_date_range",
)


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return round(int(status.split("VmRSS:")[1].split()[0]) / 1024, 1)


def _disk_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def _percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def _time(call: Callable[[int], Any], rounds: int) -> dict[str, float]:
    call(0)  # the first query loads what the path needs (vectors, the HNSW graph)
    latencies = []
    for i in range(rounds):
        started = time.perf_counter()
        call(i)
        latencies.append(time.perf_counter() - started)
    return _percentiles(latencies)


def measure(store_dir: Path, queries: list[str], vectors: Any, embedder: Any, rounds: int) -> dict[str, Any]:
    """p50/p95 of each kind of search on one store, through the Store and (hybrid) through /search."""
    store = Store(store_dir)
    client = TestClient(create_app(Settings().updated(index={"store_dir": store_dir}), embedder=embedder))

    def vector(i: int) -> Any:
        return vectors[i % len(vectors)]

    def query(i: int) -> str:
        return queries[i % len(queries)]

    def hybrid(i: int, filters: dict[str, str]) -> Any:
        return client.get("/search", params={"q": query(i), "k": 10, **filters}).raise_for_status()

    calls: dict[str, Callable[[int], Any]] = {
        "unfiltered": lambda i: store.dense_search(vector(i), 10),
        "council": lambda i: store.dense_search(vector(i), 10, {"council": f"Council {i % 400:03d}"}),
        "committee": lambda i: store.dense_search(
            vector(i), 10, {"committee": synthetic_committee(i % 400, i % 30)}
        ),
        "date_range": lambda i: store.dense_search(
            vector(i), 10, {"date_from": 20100101 + 10000 * (i % 15), "date_to": 20101231 + 10000 * (i % 15)}
        ),
        "lexical": lambda i: store.lexical_search(query(i), 10),
        "hybrid": lambda i: hybrid(i, {}),
        "hybrid_council": lambda i: hybrid(i, {"council": f"Council {i % 400:03d}"}),
        "hybrid_committee": lambda i: hybrid(i, {"committee": synthetic_committee(i % 400, i % 30)}),
        "hybrid_date_range": lambda i: hybrid(
            i, {"date_from": f"{2010 + i % 15}-01-01", "date_to": f"{2010 + i % 15}-12-31"}
        ),
    }
    return {kind: _time(calls[kind], rounds) for kind in KINDS}


def plot(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4.5))
    sizes = [r["chunks"] for r in results]
    for kind in KINDS:
        axis.plot(sizes, [r["latency"][kind]["p50_ms"] for r in results], marker="o", label=kind)
    axis.set(
        xscale="log", xlabel="chunks in the index", ylabel="p50 latency (ms)", title="Search latency by size"
    )
    axis.grid(True, alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def build(source: Store, store_dir: Path, size: int) -> float:
    """Build one synthetic store afresh; its build time is recorded beside it and returned."""
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    build_synthetic_store(source, store_dir, size).close()
    build_s = round(time.perf_counter() - started, 1)
    (store_dir / BUILD_RECORD).write_text(json.dumps({"chunks": size, "build_s": build_s}))
    return build_s


def refresh_snapshot(store_dir: Path) -> float:
    """Seconds the store's search snapshot took to build (the one its build recorded if it is still
    current, or one built now for a store built before snapshots; 0 for an empty store)."""
    store = Store(store_dir)
    started = time.perf_counter()
    if store.refresh_snapshot():
        return round(time.perf_counter() - started, 1)
    current = store.snapshots.current(store.db)
    return float(current.build_s) if current is not None else 0.0


def run_scale(
    sizes: list[int], source_dir: Path, out_dir: Path, rounds: int, keep: bool, reuse: bool = False
) -> list[dict[str, Any]]:
    from api.benchmark import sample_queries

    source = Store(source_dir)
    queries = sample_queries(source, 60)
    embedder = load_embedder(Settings().index.model_name_or_path())
    vectors = embedder.encode(queries)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        store_dir = out_dir / f"scale-{size}"
        record = store_dir / BUILD_RECORD
        if reuse and record.exists():
            build_s = json.loads(record.read_text())["build_s"]
        else:
            build_s = build(source, store_dir, size)
        result = {
            "chunks": size,
            "build_s": build_s,
            "snapshot_build_s": refresh_snapshot(store_dir),
            "disk_mb": _disk_mb(store_dir),
            "latency": measure(store_dir, queries, vectors, embedder, rounds),
            "rss_mb": _rss_mb(),
        }
        print(json.dumps(result), flush=True)
        results.append(result)
        if not (keep or reuse):
            shutil.rmtree(store_dir, ignore_errors=True)
    plot(results, out_dir / "scale.png")
    (out_dir / "scale.json").write_text(json.dumps(results, indent=2))
    return results


def build_only(sizes: list[int], source_dir: Path, out_dir: Path) -> None:
    """Build the stores for a later ``--reuse`` run, printing each one's build time and disk."""
    source = Store(source_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        store_dir = out_dir / f"scale-{size}"
        build_s = build(source, store_dir, size)
        print(json.dumps({"chunks": size, "build_s": build_s, "disk_mb": _disk_mb(store_dir)}), flush=True)
