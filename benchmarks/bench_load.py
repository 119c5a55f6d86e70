"""Cold start: the load time of every bundled ruleset from its YAML files and from the on-disk
ruleset cache, and the cost of ``ntm_rules.evaluate(id, record)`` against
``Evaluator.evaluate`` on the same records.

Run from the repository root (about a minute)::

    python benchmarks/bench_load.py --runs 5 --json load.json

Each load runs in a fresh interpreter (``load_ruleset`` only, the import not counted): *cold*
with the cache turned off, *cached* with a cache folder filled beforehand by one load. The cache
folder is a temporary one, never the user's. The figures are medians of ``--runs`` processes.

``--baseline DIR`` also times another checkout of the library (for instance one made with
``git worktree add DIR <commit>``) in the same run, its processes alternating with this
checkout's, so that a change is measured before and after under the same load of the machine.
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
import ntm_rules
from ntm_rules.ruleset.loader import load_ruleset
start = time.perf_counter()
cpu = time.process_time()
load_ruleset(sys.argv[1])
print(json.dumps({"ms": (time.perf_counter() - start) * 1e3,
                  "cpu_ms": (time.process_time() - cpu) * 1e3,
                  "library": ntm_rules.__file__}))
"""


def load_ms(path: Path, env: dict[str, str], root: Path = ROOT) -> dict[str, Any]:
    """The load time of ``path`` in a fresh interpreter running the library checked out in
    ``root``."""
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={**env, "PYTHONPATH": str(root)},
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not Path(result["library"]).resolve().is_relative_to(root.resolve()):
        raise RuntimeError(f"{root} not measured: the library came from {result['library']}")
    return result


def _medians(samples: list[dict[str, Any]]) -> tuple[float, float]:
    return (
        statistics.median(r["ms"] for r in samples),
        statistics.median(r["cpu_ms"] for r in samples),
    )


def loads(runs: int, roots: dict[str, Path]) -> list[dict[str, Any]]:
    """Cold and cached load of every bundled ruleset (median of ``runs`` processes each) for
    each checkout of ``roots`` (name: folder), their processes alternating."""
    rows = []
    base = {k: v for k, v in os.environ.items() if k not in ("NTM_RULES_PATH", "NTM_RULES_CACHE")}
    for ruleset_id, path in sorted(ruleset_files().items()):
        samples: dict[str, dict[str, list[dict[str, Any]]]] = {
            name: {"cold": [], "cached": []} for name in roots
        }
        with tempfile.TemporaryDirectory(prefix="ntm-rules-bench-cache-") as folder:
            cached_env = {**base, "NTM_RULES_CACHE_DIR": folder}
            cold_env = {**cached_env, "NTM_RULES_CACHE": "0"}
            for _ in range(runs):
                for name, root in roots.items():
                    samples[name]["cold"].append(load_ms(_in(root, path), cold_env, root))
            for root in roots.values():
                load_ms(_in(root, path), cached_env, root)  # fills the cache
            for _ in range(runs):
                for name, root in roots.items():
                    samples[name]["cached"].append(load_ms(_in(root, path), cached_env, root))
        for name in roots:
            cold_ms, cold_cpu = _medians(samples[name]["cold"])
            cached_ms, cached_cpu = _medians(samples[name]["cached"])
            rows.append(
                {
                    "ruleset": ruleset_id,
                    "library": name,
                    "cold_ms": cold_ms,
                    "cached_ms": cached_ms,
                    "cold_cpu_ms": cold_cpu,
                    "cached_cpu_ms": cached_cpu,
                    "speedup": cold_ms / cached_ms,
                }
            )
    return rows


def _in(root: Path, path: Path) -> Path:
    """The same ruleset file in the checkout ``root`` (if it has it)."""
    try:
        other = root / path.resolve().relative_to(ROOT)
    except ValueError:
        return path
    return other if other.exists() else path


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
    parser.add_argument(
        "--baseline", type=Path, help="another checkout of the library, timed in the same run"
    )
    args = parser.parse_args(argv)
    os.environ.pop("NTM_RULES_PATH", None)
    os.environ["NTM_RULES_CACHE"] = "0"  # the one-liner part: no cache folder touched
    roots = {"this": ROOT}
    if args.baseline:
        roots = {"baseline": args.baseline.resolve(), **roots}
    rows = loads(args.runs, roots)
    print(f"{'ruleset':<30} {'library':<9} {'cold ms':>9} {'cached ms':>10} {'cold/cached':>12}")
    for row in rows:
        print(
            f"{row['ruleset']:<30} {row['library']:<9} {row['cold_ms']:>9.1f} "
            f"{row['cached_ms']:>10.1f} {row['speedup']:>11.1f}×"
        )
    for name in roots:
        mine = [row for row in rows if row["library"] == name]
        worst_cold = max(row["cold_ms"] for row in mine)
        worst_cached = max(row["cached_ms"] for row in mine)
        print(
            f"{name}, slowest: cold {worst_cold:.1f} ms (aim ≤ {AIM_COLD_MS:.0f}), "
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
