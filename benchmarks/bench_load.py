"""Cold start: the load time of every bundled ruleset from its YAML files and from the on-disk
ruleset cache, and the cost of ``ntm_rules.evaluate(id, record)`` against
``Evaluator.evaluate`` on the same records.

Run from the repository root (about a minute)::

    python benchmarks/bench_load.py --runs 5 --json load.json

Each load runs in a fresh interpreter (``load_ruleset`` only, the import not counted): *cold*
with the cache turned off, *cached* with a cache folder filled beforehand by one load. The cache
folder is a temporary one, never the user's. The figures are medians of ``--runs`` processes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ntm_rules import evaluate, evaluator_for, ruleset_files  # noqa: E402

AIM_COLD_MS = 300.0
AIM_CACHED_MS = 30.0
SAMPLE = ROOT / "examples" / "sonla-communes-2023.json"

_LOAD = """
import json, sys, time
from ntm_rules.ruleset.loader import load_ruleset
start = time.perf_counter()
cpu = time.process_time()
load_ruleset(sys.argv[1])
print(json.dumps({"ms": (time.perf_counter() - start) * 1e3,
                  "cpu_ms": (time.process_time() - cpu) * 1e3}))
"""


def load_ms(path: Path, env: dict[str, str]) -> dict[str, float]:
    """The load time of ``path`` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def loads(runs: int) -> list[dict[str, Any]]:
    """Cold and cached load of every bundled ruleset (median of ``runs`` processes each)."""
    rows = []
    for ruleset_id, path in sorted(ruleset_files().items()):
        with tempfile.TemporaryDirectory(prefix="ntm-rules-bench-cache-") as folder:
            base = {
                k: v
                for k, v in os.environ.items()
                if k not in ("NTM_RULES_PATH", "NTM_RULES_CACHE")
            }
            cached_env = {**base, "NTM_RULES_CACHE_DIR": folder}
            cold_env = {**cached_env, "NTM_RULES_CACHE": "0"}
            cold = [load_ms(path, cold_env) for _ in range(runs)]
            load_ms(path, cached_env)  # fills the cache
            cached = [load_ms(path, cached_env) for _ in range(runs)]
        cold_ms = statistics.median(r["ms"] for r in cold)
        cached_ms = statistics.median(r["ms"] for r in cached)
        rows.append(
            {
                "ruleset": ruleset_id,
                "cold_ms": cold_ms,
                "cached_ms": cached_ms,
                "cold_cpu_ms": statistics.median(r["cpu_ms"] for r in cold),
                "cached_cpu_ms": statistics.median(r["cpu_ms"] for r in cached),
                "speedup": cold_ms / cached_ms,
            }
        )
    return rows


def one_liner(ruleset_id: str, count: int, repeat: int) -> dict[str, Any]:
    """CPU µs per unit of ``evaluate(id, record)`` and of ``Evaluator.evaluate`` on the same
    records, passes interleaved (best of ``repeat``)."""
    units: list[dict[str, Any]] = json.loads(SAMPLE.read_text("utf-8"))["units"]
    records = [units[n % len(units)] for n in range(count)]
    evaluator = evaluator_for(ruleset_id)
    for record in records[:50]:  # warm-up
        evaluator.evaluate(record)
        evaluate(ruleset_id, record)
    best = {"evaluator": float("inf"), "one_liner": float("inf")}
    for _ in range(repeat):
        start = time.process_time()
        for record in records:
            evaluator.evaluate(record)
        best["evaluator"] = min(best["evaluator"], time.process_time() - start)
        start = time.process_time()
        for record in records:
            evaluate(ruleset_id, record)
        best["one_liner"] = min(best["one_liner"], time.process_time() - start)
    return {
        "ruleset": ruleset_id,
        "count": count,
        "evaluator_us": best["evaluator"] / count * 1e6,
        "one_liner_us": best["one_liner"] / count * 1e6,
        "ratio": best["one_liner"] / best["evaluator"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per figure (median)")
    parser.add_argument("--count", type=int, default=2000, help="records per one-liner pass")
    parser.add_argument("--repeat", type=int, default=3, help="one-liner passes (best)")
    parser.add_argument("--ruleset", default="sonla.commune.ntm.2021", help="for the one-liner")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    os.environ.pop("NTM_RULES_PATH", None)
    os.environ["NTM_RULES_CACHE"] = "0"  # the one-liner part: no cache folder touched
    rows = loads(args.runs)
    print(f"{'ruleset':<30} {'cold ms':>9} {'cached ms':>10} {'cold/cached':>12}")
    for row in rows:
        print(
            f"{row['ruleset']:<30} {row['cold_ms']:>9.1f} {row['cached_ms']:>10.1f} "
            f"{row['speedup']:>11.1f}×"
        )
    worst_cold = max(row["cold_ms"] for row in rows)
    worst_cached = max(row["cached_ms"] for row in rows)
    print(
        f"slowest: cold {worst_cold:.1f} ms (aim ≤ {AIM_COLD_MS:.0f}), "
        f"cached {worst_cached:.1f} ms (aim ≤ {AIM_CACHED_MS:.0f})"
    )
    line = one_liner(args.ruleset, args.count, args.repeat)
    print(
        f"{line['ruleset']}, {line['count']} records: Evaluator.evaluate "
        f"{line['evaluator_us']:.0f} µs, evaluate(id, record) {line['one_liner_us']:.0f} µs "
        f"per unit ({line['ratio']:.2f}×)"
    )
    if args.json:
        args.json.write_text(json.dumps({"loads": rows, "one_liner": line}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
