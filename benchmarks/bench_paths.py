"""The paths users take, each against the plain-Python baseline of the same rules in the same run.

Run from the repository root (about ten minutes for 10,000 communes on a loaded two-core box)::

    python benchmarks/bench_paths.py --count 10000 --repeat 3 --json paths.json

On the same synthetic Sơn La communes (``examples/generate_sonla.py``):

* **library**, per CPU second of one core: the baseline (``benchmarks/baseline.py``: statuses
  only, no engine); *decisions* (``Evaluator.evaluate_many``, reading each level and criterion
  status); *full* (+ ``to_dict()`` of every result, handed on one at a time as a writer would);
  *full, kept* (the dicts all kept in one list: Python's garbage collector then walks them
  again and again); *with explanations* (+ ``explain("vi")``); one unit per call
  (``Evaluator.evaluate``) and the README's one-liner ``ntm_rules.evaluate(id, record)``;
* **sizes**: bytes per unit of compact JSON at each detail level (one result, and a batch
  document that states what units share once), and ``to_dict(detail)``'s cost;
* **batch size**: decisions per CPU second with 1 to 400 units per rule-engine session;
* **CLI end to end**: ``ntm-rules evaluate DATA --format json|jsonl|csv --output FILE`` in a
  child process (interpreter start, reading, evaluating, writing), CPU seconds and peak RSS of
  the child, bytes per unit, against the library doing the same job in this process (read the
  file, evaluate, ``to_dict()``, write compact JSON lines);
* **ladder**: the same for ``--format jsonl`` on the Sơn La commune ladder (three levels);
* **memory**: RSS every ``--memory-every`` evaluations over ``--memory-evals``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ntm_rules  # noqa: E402
from benchmarks.baseline import Baseline  # noqa: E402
from ntm_rules import Evaluator, evaluator_for, get_ruleset  # noqa: E402
from ntm_rules.engine import compiler  # noqa: E402
from ntm_rules.models.structuring import load_records  # noqa: E402

GENERATOR = ROOT / "examples" / "generate_sonla.py"
RULESET = "vn.commune.ntm.2021"
LADDER = "sonla.commune.2021"
AIM_FULL = 3321.0  # communes per second with full results, one core
AIM_DECISIONS = 6000.0
Row = dict[str, Any]


def generate(count: int, folder: Path) -> Path:
    done = subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--count",
            str(count),
            "--villages",
            "0",
            "--out",
            str(folder),
            "--format",
            "json",
            "--check",
            "none",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"generator failed: {done.stderr.strip()}")
    return next(folder.glob("sonla-communes-*.json"))


def cpu_rate(work: Callable[[], Any], units: int, repeat: int) -> float:
    """Units per CPU second of this process: the median of ``repeat`` passes."""
    rates = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        work()
        rates.append(units / (time.process_time() - start))
    return statistics.median(rates)


def library(records: Sequence[Any], ruleset_id: str, repeat: int) -> Row:
    ruleset = get_ruleset(ruleset_id)
    evaluator = Evaluator(ruleset)
    baseline = Baseline(ruleset)
    evaluator.evaluate_many(records[:200])  # warm: contexts, pieces
    n = len(records)

    def decisions() -> None:
        for result in evaluator.evaluate_many(records):
            result.status, result.criteria_met  # noqa: B018

    def full() -> None:
        for result in evaluator.evaluate_many(records):
            result.to_dict()

    def full_kept() -> None:
        kept = [result.to_dict() for result in evaluator.evaluate_many(records)]
        del kept

    def explained() -> None:
        for result in evaluator.evaluate_many(records):
            result.to_dict()
            result.explain("vi")

    def one_by_one() -> None:
        for record in records:
            evaluator.evaluate(record).to_dict()

    def one_liner() -> None:
        for record in records:
            ntm_rules.evaluate(ruleset_id, record).to_dict()

    rates: Row = {}
    for name, work in (
        ("baseline", lambda: [baseline.evaluate(r) for r in records]),
        ("decisions", decisions),
        ("full", full),
        ("full_kept", full_kept),
        ("with_explanations", explained),
        ("one_by_one_full", one_by_one),
        ("one_liner_full", one_liner),
    ):
        rates[name] = round(cpu_rate(work, n, repeat))
    base = rates["baseline"]
    return {
        "rates": rates,
        "ratio_to_baseline": {k: round(v / base, 3) for k, v in rates.items()},
        "slower_than_baseline": {k: round(base / v, 2) for k, v in rates.items()},
    }


def detail_sizes(records: Sequence[Any]) -> Row:
    """Bytes per unit of compact JSON at each detail level, on a ruleset and on a ladder: one
    result's ``to_dict(detail)``, and a batch document (what units share stated once) divided
    by the number of units. Also the CPU cost of ``to_dict`` at each level."""
    from ntm_rules.compact import batch_document
    from ntm_rules.ladder import evaluate_on_ladder, get_ladder

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    found: Row = {}
    for name, results in (
        (RULESET, evaluator_for(RULESET).evaluate_many(records)),
        (LADDER, evaluate_on_ladder(get_ladder(LADDER), records)),
    ):
        n = len(results)
        row: Row = {}
        for detail in ("summary", "standard", "full"):
            start = time.process_time()
            dicts = [r.to_dict(detail) for r in results]
            cost = (time.process_time() - start) / n
            row[detail] = {
                "one_result_bytes": sum(len(encode(d).encode()) for d in dicts) // n,
                "batch_document_bytes": len(encode(batch_document(results, detail)).encode()) // n,
                "to_dict_us": round(cost * 1e6),
            }
        found[name] = row
    return found


def batch_sizes(records: Sequence[Any], sizes: list[int], repeat: int) -> Row:
    """Decisions per CPU second at each number of units per rule-engine session."""
    from ntm_rules import evaluation

    ruleset = get_ruleset(RULESET)
    found: Row = {}
    saved = compiler.BATCH, evaluation.BATCH
    try:
        for size in sizes:
            compiler.BATCH = evaluation.BATCH = size  # compiled `cap` and units per session
            evaluator = Evaluator(ruleset)
            evaluator.evaluate_many(records[:200])
            found[str(size)] = round(
                cpu_rate(lambda ev=evaluator: ev.evaluate_many(records), len(records), repeat)
            )
    finally:
        compiler.BATCH, evaluation.BATCH = saved
    return found


def child(args: list[str]) -> Row:
    """Run ``ntm-rules`` in a child process: wall and CPU seconds, and its own peak RSS."""
    wall = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "ntm_rules", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - wall
    error = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise SystemExit(f"ntm-rules {' '.join(args)} failed: {error.strip()[-400:]}")
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def library_job(data: Path, target: str, out: Path) -> float:
    """The CLI's job done in this process: read, evaluate, ``to_dict()``, write JSON lines.
    CPU seconds."""
    start = time.process_time()
    ruleset = get_ruleset(target)
    records = load_records(data, ruleset.model)
    evaluator = evaluator_for(ruleset)
    with out.open("w", encoding="utf-8") as stream:
        for begin in range(0, len(records), 100):
            for result in evaluator.evaluate_many(records[begin : begin + 100]):
                stream.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    return time.process_time() - start


def cli(data: Path, count: int, folder: Path) -> Row:
    found: Row = {}
    library_cpu = library_job(data, RULESET, folder / "library.jsonl")
    found["library_job"] = {
        "cpu_s": round(library_cpu, 2),
        "units_per_cpu_s": round(count / library_cpu),
        "bytes_per_unit": (folder / "library.jsonl").stat().st_size // count,
    }
    for form in ("json", "jsonl", "csv"):
        out = folder / f"out.{form}"
        run = child(
            ["evaluate", str(data), "--ruleset", RULESET, "--format", form, "--output", str(out)]
        )
        run["units_per_cpu_s"] = round(count / run["cpu_s"])
        run["bytes_per_unit"] = out.stat().st_size // count
        run["cpu_vs_library_job"] = round(run["cpu_s"] / library_cpu, 2)
        found[form] = run
    out = folder / "ladder.jsonl"
    run = child(
        ["evaluate", str(data), "--ruleset", LADDER, "--format", "jsonl", "--output", str(out)]
    )
    run["units_per_cpu_s"] = round(count / run["cpu_s"])
    run["bytes_per_unit"] = out.stat().st_size // count
    found["ladder_jsonl"] = run
    return found


def memory(records: Sequence[Any], evaluations: int, every: int) -> Row:
    evaluator = evaluator_for(RULESET)
    samples = []
    done = 0
    while done < evaluations:
        for begin in range(0, len(records), 100):
            for result in evaluator.evaluate_many(records[begin : begin + 100]):
                result.to_dict()
            done += min(100, len(records) - begin)
            if done % every < 100:
                samples.append((done, _rss_mb()))
            if done >= evaluations:
                break
    return {
        "evaluations": done,
        "rss_mb": [[n, round(mb, 1)] for n, mb in samples],
        "growth_mb": round(samples[-1][1] - samples[0][1], 1) if samples else None,
    }


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as stream:
        pages = int(stream.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def report(found: Row) -> str:
    lines = [f"{found['count']} synthetic Sơn La communes, {RULESET}; rates per CPU second"]
    lib = found.get("library", {"rates": {}})
    for name, rate in lib["rates"].items():
        ratio = lib["ratio_to_baseline"][name]
        lines.append(f"  {name:20} {rate:7d}/s  {ratio:6.3f}× baseline")
    for target, row in found.get("detail_sizes", {}).items():
        sizes = ", ".join(
            f"{d} {v['one_result_bytes']:,} B ({v['batch_document_bytes']:,} in a batch "
            f"document; to_dict {v['to_dict_us']} µs)"
            for d, v in row.items()
        )
        lines.append(f"  {target}: {sizes}")
    if "batch_sizes" in found:
        sizes = ", ".join(f"{k}: {v}/s" for k, v in found["batch_sizes"].items())
        lines.append(f"  units per session: {sizes}")
    if "cli" in found:
        job = found["cli"]["library_job"]
        lines.append(
            f"  library job (read, evaluate, to_dict, write): {job['units_per_cpu_s']}/s, "
            f"{job['bytes_per_unit']} B/unit"
        )
        for form in ("json", "jsonl", "csv", "ladder_jsonl"):
            run = found["cli"][form]
            lines.append(
                f"  CLI {form:13} {run['units_per_cpu_s']:6d}/s  CPU {run['cpu_s']} s  wall "
                f"{run['wall_s']} s  RSS {run['max_rss_mb']:.0f} MB  {run['bytes_per_unit']} B/unit"
                + (f"  ×{run['cpu_vs_library_job']} library" if "cpu_vs_library_job" in run else "")
            )
    if "memory" in found:
        mem = found["memory"]
        lines.append(
            f"  memory: {mem['evaluations']} evaluations, RSS {mem['rss_mb'][0][1]} → "
            f"{mem['rss_mb'][-1][1]} MB ({mem['growth_mb']:+} MB)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-sizes", default="1,10,25,50,100,200,400")
    parser.add_argument("--memory-evals", type=int, default=200_000)
    parser.add_argument("--memory-every", type=int, default=50_000)
    parser.add_argument(
        "--skip", default="", help="comma-separated: library,sizes,batch,cli,memory"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    skip = set(args.skip.split(",")) - {""}
    found: Row = {"count": args.count, "load_average_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = generate(args.count, folder)
        records = load_records(data, get_ruleset(RULESET).model)
        if "library" not in skip:
            found["library"] = library(records, RULESET, args.repeat)
        if "sizes" not in skip:
            found["detail_sizes"] = detail_sizes(records[:1000])
        if "batch" not in skip:
            sizes = [int(s) for s in args.batch_sizes.split(",")]
            found["batch_sizes"] = batch_sizes(records[:3000], sizes, args.repeat)
        if "cli" not in skip:
            found["cli"] = cli(data, args.count, folder)
        if "memory" not in skip:
            found["memory"] = memory(records, args.memory_evals, args.memory_every)
    found["load_average_end"] = os.getloadavg()
    if "library" in found:
        found["aims"] = aims(found)
    print(report(found))
    if args.json:
        args.json.write_text(json.dumps(found, indent=2), encoding="utf-8")


def aims(found: Row) -> Row:
    return {
        "full_per_s": AIM_FULL,
        "full_met": found["library"]["rates"]["full"] >= AIM_FULL,
        "full_within_3x_baseline": found["library"]["ratio_to_baseline"]["full"] >= 1 / 3,
        "decisions_per_s": AIM_DECISIONS,
        "decisions_met": found["library"]["rates"]["decisions"] >= AIM_DECISIONS,
    }


if __name__ == "__main__":
    main()
