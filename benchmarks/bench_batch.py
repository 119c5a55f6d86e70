"""Benchmark ``evaluate_many`` over a process pool: units per second at 1, 2, 4 and 8 workers on
synthetic Sơn La communes, the ratio to ``workers=1``, the chunk size, and what moving a result
between processes costs (result objects against ``to_dict()`` documents).

Run from the repository root::

    python benchmarks/bench_batch.py --count 3000 --json batch.json

Rates are wall-clock (a pool is about using several cores), each run whole: pool start (spawn,
import, ruleset load in every worker), sending the records, evaluating, returning the results.
On a shared machine, read them with the load average printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ntm_rules import batch, evaluate_many, get_ruleset  # noqa: E402
from ntm_rules.models.structuring import load_records  # noqa: E402

GENERATOR = ROOT / "examples" / "generate_sonla.py"


def generated(count: int, seed: int, workdir: Path) -> Path:
    """A JSON file of ``count`` synthetic communes from ``examples/generate_sonla.py``."""
    command = [sys.executable, str(GENERATOR), "--count", str(count), "--villages", "0"]
    command += ["--seed", str(seed), "--format", "json", "--out", str(workdir)]
    subprocess.run(command, check=True, capture_output=True)
    (found,) = workdir.glob("sonla-communes-*.json")
    return found


def timed_run(ruleset: str, records: list[Any], workers: int) -> float:
    start = time.perf_counter()
    evaluate_many(ruleset, records, workers=workers)
    return time.perf_counter() - start


def transfer_costs(ruleset: str, records: list[Any]) -> dict[str, dict[str, float]]:
    """Per unit: pickling a chunk of results in a worker, unpickling it in the parent, bytes."""
    from ntm_rules import detail

    results = evaluate_many(ruleset, records)
    costs = {}
    for name, shape, portable in (
        ("as the engine left them (what the pool sends)", lambda rs: rs, True),
        ("as result objects", lambda rs: rs, False),
        ("as to_dict", lambda rs: [r.to_dict() for r in rs], False),
    ):
        size = batch.CHUNK
        start = time.process_time()
        detail.PORTABLE = portable
        try:
            blobs = [
                pickle.dumps(shape(results[n : n + size]), 5) for n in range(0, len(results), size)
            ]
        finally:
            detail.PORTABLE = False
        dumped = time.process_time() - start
        start = time.process_time()
        for blob in blobs:
            pickle.loads(blob)
        loaded = time.process_time() - start
        costs[name] = {
            "worker_us": round(dumped / len(results) * 1e6),
            "parent_us": round(loaded / len(results) * 1e6),
            "bytes": round(sum(map(len, blobs)) / len(results)),
        }
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20231)
    parser.add_argument("--ruleset", default="vn.commune.ntm.2021")
    parser.add_argument("--workers", default="1,2,4,8")
    parser.add_argument("--chunks", default="50,100,200", help="chunk sizes tried at 2 workers")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        records = load_records(
            generated(args.count, args.seed, Path(workdir)), get_ruleset(args.ruleset).model
        )
    report: dict[str, Any] = {
        "ruleset": args.ruleset,
        "units": len(records),
        "cpus": batch.cpu_count(),
        "load_before": os.getloadavg()[0],
    }
    print(
        f"{len(records)} communes, {args.ruleset}, {batch.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    rates: dict[int, float] = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        seconds = timed_run(args.ruleset, records, workers)
        rates[workers] = len(records) / seconds
        ratio = rates[workers] / rates[min(rates)]
        print(
            f"workers={workers}: {seconds:6.2f} s  {rates[workers]:7.0f} units/s  ×{ratio:.2f}  (load {os.getloadavg()[0]:.1f})"
        )
    report["workers"] = {str(w): round(r) for w, r in rates.items()}
    chunks: dict[str, float] = {}
    saved = batch.CHUNK
    try:
        for size in [int(c) for c in args.chunks.split(",")]:
            batch.CHUNK = size
            seconds = timed_run(args.ruleset, records, 2)
            chunks[str(size)] = round(len(records) / seconds)
            print(f"chunk {size} at 2 workers: {chunks[str(size)]} units/s")
    finally:
        batch.CHUNK = saved
    report["chunks"] = chunks
    report["transfer"] = transfer_costs(args.ruleset, records)
    for name, cost in report["transfer"].items():
        print(
            f"returning {name}: {cost['worker_us']} µs pickling in the worker, {cost['parent_us']} µs unpickling in the parent, {cost['bytes']} bytes per unit"
        )
    report["load_after"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), "utf-8")


if __name__ == "__main__":
    main()
