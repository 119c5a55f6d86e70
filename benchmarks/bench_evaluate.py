"""Benchmark ntm-rules on synthetic communes: load and compile time, throughput with and without
explanations, a plain-Python baseline, a naive durable-rules ``Host`` for reference, and memory.

Run from the repository root (single core, about seven minutes at full size)::

    python benchmarks/bench_evaluate.py --count 10000 --repeat 3 --memory-evals 100000 \
        --json bench.json

Every figure is measured in one run on the same data, so the ratios are meaningful on any
machine; the absolute rates are not. The cold-start figures and the naive ``Host`` run in fresh
child processes (the Host leaves threads behind, and cold means no warm caches).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import importlib.util
import json
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.baseline import Baseline, Outcome, outcome_of  # noqa: E402
from ntm_rules import Evaluator, load_ruleset, ruleset_files  # noqa: E402
from ntm_rules.expr import Compare, Literal, Name  # noqa: E402
from ntm_rules.expr.ast import walk  # noqa: E402
from ntm_rules.models.structuring import structure  # noqa: E402
from ntm_rules.models.vocabulary import field_specs  # noqa: E402
from ntm_rules.ruleset.model import Ruleset  # noqa: E402

GENERATOR = ROOT / "examples" / "generate_sonla.py"
AIM_RATE = 2000.0  # communes/s on one core, with explanations
AIM_LOAD_MS = 300.0  # load + compile (+ engine registration)
SAMPLE_EVERY = 10_000
WARMUP = 200

Row = dict[str, Any]


# -- synthetic data ---------------------------------------------------------------------------
def make_records(count: int, seed: int, ruleset: Ruleset, workdir: Path) -> tuple[list[Row], str]:
    """Rows from ``examples/generate_sonla.py`` when it exists and works, else our own."""
    if GENERATOR.exists():
        out = workdir / "generated"
        command = [
            sys.executable,
            str(GENERATOR),
            "--count",
            str(count),
            "--seed",
            str(seed),
            "--out",
            str(out),
            "--format",
            "json",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        rows = _read_generated(out) if done.returncode == 0 else []
        if rows and _all_valid(rows[:200], ruleset):
            return rows[:count], "examples/generate_sonla.py"
        print(
            f"warning: {GENERATOR.name} gave no usable records (exit {done.returncode}: "
            f"{done.stderr.strip()[-300:]}); "
            "using the benchmark's own generator",
            file=sys.stderr,
        )
    return synthetic_rows(count, seed, ruleset), "benchmarks/bench_evaluate.py (own generator)"


def _read_generated(out: Path) -> list[Row]:
    rows: list[Row] = []
    for path in sorted(out.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = next((v for v in data.values() if isinstance(v, list)), [])
        rows.extend(r for r in data if isinstance(r, dict))
        if rows:
            break
    return rows


def _all_valid(rows: list[Row], ruleset: Ruleset) -> bool:
    try:
        for n, row in enumerate(rows):
            structure(ruleset.model, row, f"#{n}")
    except Exception as exc:
        print(f"warning: generated record rejected: {exc}", file=sys.stderr)
        return False
    return True


def synthetic_rows(count: int, seed: int, ruleset: Ruleset) -> list[Row]:
    """Communes shaped like Sơn La's: mostly TDMNPB, values spread around the thresholds in
    force, 4% of measured values missing, so every status occurs."""
    rng = random.Random(seed)
    thresholds = _thresholds(ruleset)
    specs = [s for s in field_specs(ruleset.model) if s.name not in _IDENTITY]
    districts = ("Mộc Châu", "Mai Sơn", "Yên Châu", "Quỳnh Nhai", "Sốp Cộp", "Thuận Châu")
    regions = ("dbsh", "btb", "dhntb", "tn", "dnb", "dbscl")
    rows = []
    for n in range(count):
        row: Row = {
            "code": f"SL{n:05d}",
            "name": f"Xã {n}",
            "province": "Sơn La",
            "district": rng.choice(districts),
            "region": "tdmnpb" if rng.random() < 0.85 else rng.choice(regions),
            "year": rng.choice((2022, 2023, 2024, 2025)),
            "dbkk": rng.random() < 0.3,
            "atk": rng.random() < 0.05,
            "poor_district": rng.random() < 0.2,
        }
        if rng.random() < 0.2:
            row["recognised_ntm_year"] = rng.randint(2015, 2021)
        for spec in specs:
            if spec.name.startswith("recognised_") or rng.random() < 0.04:
                continue
            row[spec.name] = _value(
                rng, spec.kind, spec.minimum, spec.maximum, thresholds.get(spec.name)
            )
        rows.append(row)
    return rows


_IDENTITY = (
    "code",
    "name",
    "province",
    "district",
    "region",
    "year",
    "dbkk",
    "atk",
    "poor_district",
)


def _value(
    rng: random.Random, kind: str, low: float | None, high: float | None, threshold: float | None
) -> Any:
    if kind == "bool":
        return rng.random() < 0.88
    if kind == "int":
        return 0 if rng.random() < 0.8 else rng.randint(1, 12)
    centre = threshold if threshold else (80.0 if high == 100 else 50.0)
    value = round(centre * rng.uniform(0.85, 1.2), 1)
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value


def _thresholds(ruleset: Ruleset) -> dict[str, float]:
    """For each input compared with a parameter or constant, one value of that threshold."""
    found: dict[str, float] = {}
    for indicator in (
        *ruleset.indicators,
        *(ruleset.recognition.conditions if ruleset.recognition else ()),
    ):
        for node in walk(indicator.condition):
            if not (isinstance(node, Compare) and isinstance(node.left, Name)):
                continue
            right = node.right
            if isinstance(right, Literal) and isinstance(right.value, int | float):
                found[node.left.dotted] = float(right.value)
            elif isinstance(right, Name) and right.is_param:
                param = ruleset.parameters[right.parts[1]]
                cells = param.entries[-1].cells
                cell = cells.get("tdmnpb") or next(iter(cells.values()))
                if cell.value is not None:
                    found[node.left.dotted] = float(cell.value)
    return found


# -- measuring --------------------------------------------------------------------------------
def rss_mb() -> float:
    """Current resident set size (Linux /proc), else the peak."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return max_rss_mb()


def max_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def rate(work: Callable[[Any], Any], items: Sequence[Any], repeat: int) -> dict[str, float]:
    """Items per second of CPU time over ``repeat`` passes, after a short warm-up: median and
    best pass. CPU time (``time.process_time``) is what "per core" means and is less disturbed
    than wall time by other processes; the wall-clock median is kept for reference."""
    for item in items[:WARMUP]:
        work(item)
    cpu_rates, wall_rates = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for item in items:
            work(item)
        cpu_rates.append(len(items) / (time.process_time() - cpu))
        wall_rates.append(len(items) / (time.perf_counter() - wall))
    return {
        "median": statistics.median(cpu_rates),
        "best": max(cpu_rates),
        "wall_median": statistics.median(wall_rates),
        "passes": len(cpu_rates),
    }


def full(evaluator: Evaluator) -> Callable[[Any], Any]:
    def work(record: Any) -> Any:
        result = evaluator.evaluate(record)
        result.to_dict()
        return result.explain("vi")

    return work


# -- child processes --------------------------------------------------------------------------
_COLD = """
import json, sys, time
start = time.perf_counter()
from ntm_rules.engine.compiler import compile_ruleset
from ntm_rules.engine.durable_host import register
from ntm_rules.ruleset.loader import load_ruleset
imported = time.perf_counter()
cpu = time.process_time()
ruleset = load_ruleset(sys.argv[1])
loaded = time.perf_counter()
compiled = compile_ruleset(ruleset)
compiled_at = time.perf_counter()
register(compiled.name, compiled.rules)
registered = time.perf_counter()
cpu = time.process_time() - cpu
from ntm_rules import Evaluator
evaluator = Evaluator(ruleset)  # also loads and compiles the rulesets it requires
try:
    evaluator.evaluate({"code": "X", "region": "tdmnpb", "year": 2024, "province": "Sơn La"})
except Exception:
    pass  # another model's required fields: the time to build the evaluator still counts
first = time.perf_counter()
print(json.dumps({
    "import_ms": (imported - start) * 1e3,
    "load_ms": (loaded - imported) * 1e3,
    "compile_ms": (compiled_at - loaded) * 1e3,
    "register_ms": (registered - compiled_at) * 1e3,
    "total_ms": (registered - imported) * 1e3,
    "total_cpu_ms": cpu * 1e3,
    "first_evaluation_ms": (first - registered) * 1e3,
    "rules": len(compiled.rules),
}))
"""
"""Cold start in a fresh interpreter that imports only ntm_rules: import, load the YAML,
compile, register with the engine."""


def child_naive(ruleset_path: str, data_path: str, count: int) -> Row:
    """durable-rules used the documented way: ``engine.Host`` (with its background threads),
    a Python action per rule that records the rule's name in the session state, and
    ``assert_fact`` + ``get_state`` + ``delete_state`` per commune. It decides indicator
    statuses with the same compiled conditions and facts as ntm-rules."""
    from durable import engine  # type: ignore[import-untyped]

    ruleset = load_ruleset(ruleset_path)
    evaluator = Evaluator(ruleset)
    rows = json.loads(Path(data_path).read_text(encoding="utf-8"))[:count]
    records = [structure(ruleset.model, row, f"#{n}") for n, row in enumerate(rows)]
    threads_before = threading.active_count()

    def recorder(rule: str) -> Callable[[Any], None]:
        def action(c: Any) -> None:
            c.s[rule] = 1

        return action

    rules: dict[str, Any] = {}
    for name, rule in evaluator.compiled.rules.items():
        if name.startswith("i") or name == "catch_all":  # the unit-fact stage only
            rules[name] = {**json.loads(json.dumps(rule)), "run": recorder(name)}
    host = engine.Host()
    ruleset_name = "naive_" + evaluator.compiled.name
    host.set_rulesets({ruleset_name: rules})

    # Facts are built once, outside the timed loop, by ntm-rules' own fact builder (private):
    # the comparison is about driving the engine, not about building facts.
    facts = []
    for record in records:
        on = dt.date(record.year, 12, 31)
        label = f"code {record.code}"
        facts.append(evaluator._unit_fact(record, evaluator._context(record, on, label))[0])
    plans = evaluator.compiled.indicators

    def run(n: int) -> list[str]:
        sid = str(n)
        fact = {**facts[n], "sid": sid}
        try:
            host.assert_fact(ruleset_name, fact)
            state = host.get_state(ruleset_name, sid)
        finally:
            host.delete_state(ruleset_name, sid)
        return [
            next(
                s
                for s in ("met", "not_met", "missing", "not_applicable")
                if state.get(f"{plan.key}.{s}")
            )
            for plan in plans
        ]

    for n in range(min(WARMUP, len(records))):
        run(n)
    wall, cpu = time.perf_counter(), time.process_time()
    statuses = [run(n) for n in range(len(records))]
    cpu_elapsed = time.process_time() - cpu  # includes the Host's own threads
    wall_elapsed = time.perf_counter() - wall
    agree = sum(
        1
        for record, got in zip(records, statuses, strict=True)
        if tuple(got) == outcome_of(evaluator.evaluate(record)).indicators
    )
    return {
        "communes": len(records),
        "rate": len(records) / cpu_elapsed,
        "wall_rate": len(records) / wall_elapsed,
        "agree": agree,
        "threads_before_host": threads_before,
        "threads_after_host": threading.active_count(),
        "actions_per_commune": len(plans) + 1,
    }


def run_child(args: list[str]) -> Row:
    """Run this script (or, for ``-c``, a snippet) in a fresh process; read its JSON line."""
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, __file__, *args]
    cold = {**os.environ, "NTM_RULES_CACHE": "0"}  # cold: no ruleset cache (bench_load.py)
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT, env=cold)
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-500:]}"}
    result: Row = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the benchmark ----------------------------------------------------------------------------
def bench(args: argparse.Namespace) -> Row:
    ruleset_path = str(ruleset_files()[args.ruleset])
    ruleset = load_ruleset(ruleset_path)
    report: Row = {"machine": machine(), "ruleset": args.ruleset, "count": args.count}
    report["load_average_start"] = os.getloadavg()
    checkpoints: dict[str, float] = {"start (imports, ruleset loaded)": rss_mb()}
    peaks: dict[str, float] = {"start (imports, ruleset loaded)": max_rss_mb()}
    report["ru_maxrss_checkpoints_mb"] = peaks
    report["rss_checkpoints_mb"] = checkpoints
    has_explain = importlib.util.find_spec("ntm_rules.explain") is not None
    report["explanations_available"] = has_explain
    if not has_explain:
        print(
            "warning: ntm_rules.explain is missing; rows with explanations are skipped",
            file=sys.stderr,
        )

    with tempfile.TemporaryDirectory() as tmp:
        rows, source = make_records(args.count, args.seed, ruleset, Path(tmp))
        report["data"] = source
        data_path = Path(tmp) / "records.json"
        data_path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        records = [structure(ruleset.model, row, f"#{n}") for n, row in enumerate(rows)]
        checkpoints["data loaded (dicts + model instances)"] = rss_mb()
        peaks["data loaded (dicts + model instances)"] = max_rss_mb()

        step("a) cold load + compile + register", args)
        colds = [run_child(["-c", _COLD, ruleset_path]) for _ in range(args.cold_runs)]
        good = [c for c in colds if "error" not in c]
        report["cold"] = (
            {
                key: statistics.median(c[key] for c in good)
                for key in (
                    "import_ms",
                    "load_ms",
                    "compile_ms",
                    "register_ms",
                    "total_ms",
                    "total_cpu_ms",
                    "first_evaluation_ms",
                )
            }
            if good
            else {"error": colds[0]["error"]}
        )
        if good:
            report["cold"]["runs"] = len(good)
            report["cold"]["rules"] = good[0]["rules"]
        step("a) cold start of every bundled ruleset (one fresh process each)", args)
        report["cold_all"] = {
            rid: run_child(["-c", _COLD, str(path)]) for rid, path in ruleset_files().items()
        }

        evaluator = Evaluator(ruleset)
        baseline = Baseline(ruleset)
        checkpoints["evaluator created"] = rss_mb()
        peaks["evaluator created"] = max_rss_mb()

        step("check: engine and baseline decide the same statuses", args)
        outcomes: list[Outcome] = [baseline.evaluate(r) for r in records]
        report["agreement"] = sum(
            1
            for r, o in zip(records, outcomes, strict=True)
            if outcome_of(evaluator.evaluate(r)) == o
        )
        report["status_mix"] = _mix(outcomes)
        oracle = load_oracle(ruleset_path)
        if oracle is not None:
            report["oracle_agreement"] = sum(
                1
                for row, o in zip(rows, outcomes, strict=True)
                if _oracle_outcome(oracle.evaluate(row)) == o
            )

        rates: Row = {}
        if has_explain:
            step("b) ntm-rules: evaluate + to_dict + explain('vi')", args)
            rates["explain"] = rate(full(evaluator), records, args.repeat)
            step("b) ntm-rules: same, from dicts (input validation included)", args)
            work = full(evaluator)
            rates["explain_dict"] = rate(work, rows, args.repeat)
        step("b) ntm-rules: evaluate + to_dict", args)
        rates["to_dict"] = rate(lambda r: evaluator.evaluate(r).to_dict(), records, args.repeat)
        step("b) ntm-rules: evaluate only", args)
        rates["evaluate"] = rate(evaluator.evaluate, records, args.repeat)
        step("c) plain-Python baseline", args)
        rates["baseline"] = rate(baseline.evaluate, records, args.repeat)
        if oracle is not None:
            step("c) the test oracle (tests/oracle.py), from dicts", args)
            rates["oracle"] = rate(oracle.evaluate, rows, args.repeat)
        report["rates"] = rates
        report["json_output"] = json_output(evaluator, records[:1000])
        report["threads_after_ntm_rules"] = threading.active_count()

        step(f"d) naive durable-rules Host on {args.naive_count} communes", args)
        report["naive"] = run_child(
            [
                "--child",
                "naive",
                "--ruleset-path",
                ruleset_path,
                "--data",
                str(data_path),
                "--count",
                str(args.naive_count),
            ]
        )

        checkpoints["before the memory run"] = rss_mb()
        peaks["before the memory run"] = max_rss_mb()
        step(f"e) memory over {args.memory_evals} evaluations", args)
        report["memory"] = memory(evaluator, records, args.memory_evals, has_explain)

        if args.profile:
            step(f"profile of {args.profile} evaluations with explanations", args)
            report["profile"] = profile(evaluator, records[: args.profile], has_explain)
            report["phases"] = phase_timing(evaluator, records, has_explain)
            report["engine"] = engine_breakdown(evaluator, records)
    report["aims"] = aims(report)
    report["load_average_end"] = os.getloadavg()
    return report


def memory(evaluator: Evaluator, records: list[Any], evaluations: int, explain: bool) -> Row:
    work = full(evaluator) if explain else evaluator.evaluate
    gc.collect()
    tracemalloc.start()
    for record in records[: min(len(records), SAMPLE_EVERY)]:
        work(record)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.collect()
    samples = [rss_mb()]
    for n in range(1, evaluations + 1):
        work(records[n % len(records)])
        if n % SAMPLE_EVERY == 0:
            samples.append(rss_mb())
    return {
        "evaluations": evaluations,
        "with_explanations": explain,
        "tracemalloc_peak_mb": traced_peak / 2**20,
        "rss_samples_mb": [round(s, 1) for s in samples],
        "rss_first_mb": samples[0],
        "rss_last_mb": samples[-1],
        "rss_max_mb": max(samples),
        "growth_mb": samples[-1] - samples[1] if len(samples) > 2 else samples[-1] - samples[0],
        "ru_maxrss_mb": max_rss_mb(),
    }


# Functions whose cumulative time makes up one evaluation, in call order.
_PHASES = (
    ("assessment date + context (cached)", "evaluation.py", "_context"),
    ("unit fact building", "evaluation.py", "_unit_fact"),
    ("engine session (both asserts, JSON, C calls)", "durable_host.py", "run_session"),
    ("  JSON of the two facts (wire.encode_fact)", "wire.py", "encode_fact"),
    ("  C: assert_fact", "~", "<built-in method durable_rules_engine.assert_fact>"),
    (
        "  C: start_action_for_state",
        "~",
        "<built-in method durable_rules_engine.start_action_for_state>",
    ),
    (
        "  C: complete_and_start_action",
        "~",
        "<built-in method durable_rules_engine.complete_and_start_action>",
    ),
    ("  C: delete_state", "~", "<built-in method durable_rules_engine.delete_state>"),
    ("  statuses + summary fact (Python)", "evaluation.py", "summarise"),
    ("result assembly (checks, criteria)", "evaluation.py", "_result"),
    ("to_dict", "result.py", "to_dict"),
    ("explain('vi')", "result.py", "explain"),
)


def profile(evaluator: Evaluator, records: list[Any], explain: bool) -> Row:
    work = full(evaluator) if explain else evaluator.evaluate
    for record in records[:WARMUP]:
        work(record)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for record in records:
        work(record)
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())  # sum of tottime = profiled time
    phases = []
    for label, file, function in _PHASES:
        cumulative = 0.0
        for (path, _line, name), (_cc, _nc, _tt, ct, callers) in raw.items():
            if name == function and (file == "~" or path.endswith(file)):
                if function == "to_dict":  # only the top-level call, not the nested ones
                    ct = sum(v[3] for k, v in callers.items() if k[2] == "work")
                cumulative += ct
        phases.append({"phase": label, "seconds": cumulative, "share": cumulative / total})
    top = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:20]
    return {
        "evaluations": len(records),
        "wall_s_with_profiler": wall,
        "profiled_s": total,
        "phases": phases,
        "top_tottime": [
            {
                "function": f"{Path(k[0]).name}:{k[1]}:{k[2]}",
                "calls": v[1],
                "tottime_s": v[2],
                "cumtime_s": v[3],
            }
            for k, v in top
        ],
    }


def engine_breakdown(evaluator: Evaluator, records: list[Any]) -> Row:
    """CPU microseconds per evaluation in each engine call, replaying the session protocol of
    ``ntm_rules.engine.durable_host.run_session`` step by step on the evaluator's own facts
    (private API: reported as an error if it changed)."""
    import durable_rules_engine as engine

    import ntm_rules.engine.durable_host as host

    clock = time.process_time
    parts = dict.fromkeys(
        ("json", "assert_fact", "fired_rules", "statuses_summary", "delete_state"), 0.0
    )
    messages = message_chars = 0
    handle = evaluator._handle

    def fire(state: Any) -> list[str]:
        nonlocal messages, message_chars
        fired = []
        started = engine.start_action_for_state(handle, state)
        message = started[1] if started else None
        while message:
            messages += 1
            message_chars += len(message)
            match = host._NAME.match(message)
            assert match is not None
            fired.append(match.group(1))
            message = engine.complete_and_start_action(handle, state)
        return fired

    try:
        for n, record in enumerate(records):
            on = dt.date(record.year, 12, 31)
            label = f"code {record.code}"
            fact = evaluator._unit_fact(record, evaluator._context(record, on, label))[0]
            sid = f"bench-{n}"
            fact["sid"] = sid
            t0 = clock()
            text = host.encode_fact(fact)
            t1 = clock()
            state = engine.assert_fact(handle, text)[1]
            t2 = clock()
            fired = fire(state)
            t3 = clock()
            statuses = evaluator._indicator_statuses(fired, label)
            summary = evaluator._summary_fact(statuses)
            summary["sid"] = sid
            t4 = clock()
            text = host.encode_fact(summary)
            t5 = clock()
            state = engine.assert_fact(handle, text)[1]
            t6 = clock()
            fire(state)
            t7 = clock()
            engine.delete_state(handle, sid)
            t8 = clock()
            parts["json"] += (t1 - t0) + (t5 - t4)
            parts["assert_fact"] += (t2 - t1) + (t6 - t5)
            parts["fired_rules"] += (t3 - t2) + (t7 - t6)
            parts["statuses_summary"] += t4 - t3
            parts["delete_state"] += t8 - t7
    except Exception as exc:  # the private API moved on: say so, do not fail the benchmark
        return {"error": f"{type(exc).__name__}: {exc}"}
    count = len(records)
    return {
        "evaluations": count,
        "us_per_evaluation": {k: v / count * 1e6 for k, v in parts.items()},
        "fired_rules_per_evaluation": messages / count,
        "mean_action_message_chars": message_chars / max(messages, 1),
        "unit_fact_values": len(fact),
        "rules": len(evaluator.compiled.rules),
    }


def json_output(evaluator: Evaluator, records: list[Any]) -> Row:
    """Size of a result's JSON text and the CPU time to write it (``json.dumps(to_dict())``),
    which callers that store or send results pay on top of ``to_dict``."""
    dicts = [evaluator.evaluate(r).to_dict() for r in records]
    start = time.process_time()
    sizes = [len(json.dumps(d, ensure_ascii=False).encode()) for d in dicts]
    elapsed = time.process_time() - start
    return {
        "results": len(dicts),
        "mean_bytes": statistics.mean(sizes),
        "dumps_us": elapsed / len(dicts) * 1e6,
    }


def load_oracle(ruleset_path: str) -> Any:
    """``tests.oracle.Oracle`` for the ruleset file, or None when the tests do not have it."""
    if not (ROOT / "tests" / "oracle.py").exists():
        return None
    from tests.oracle import Oracle

    return Oracle(ruleset_path)


def _oracle_outcome(found: Row) -> Outcome:
    return Outcome(
        found["level"],
        tuple(found["criteria"].values()),
        tuple(i["status"] for i in found["indicators"].values()),
        found["recognition"],
    )


def phase_timing(evaluator: Evaluator, records: list[Any], explain: bool) -> Row:
    """CPU microseconds per evaluation spent in each step, without a profiler: the evaluator's
    steps are wrapped with timers (``evaluate`` itself runs unchanged) and the timers' own cost,
    calibrated on a no-op, is subtracted."""
    import ntm_rules.engine.durable_host as host
    import ntm_rules.evaluation as evaluation

    clock = time.process_time
    spent: dict[str, float] = {}
    calls: dict[str, int] = {}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        spent[name], calls[name] = 0.0, 0

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += clock() - start
                calls[name] += 1

        return wrapper

    # Calibration: what one wrapped call reports for a no-op (inner), and what it costs the
    # caller in all (full).
    noop = timed("noop", lambda: None)
    start = clock()
    for _ in range(100_000):
        noop()
    full_cost = (clock() - start) / 100_000
    inner_cost = spent.pop("noop") / calls.pop("noop")

    steps = {  # evaluator method -> step name (private methods: skipped when renamed)
        "_context": "context",
        "_prerequisite": "prerequisite",
        "_unit_fact": "unit_fact",
        "_result": "result",
        "_indicator_result": "indicator_results",
    }
    patched = [m for m in steps if hasattr(evaluator, m)]
    for method in patched:
        setattr(evaluator, method, timed(steps[method], getattr(evaluator, method)))
    # module-level functions the evaluation calls: the session, and the facts' JSON encoder
    swaps: list[tuple[Any, str, Any]] = [(evaluation, "run_session", "engine_session")]
    swaps.append((host, "encode_fact", "facts_json"))
    originals = [(module, name, getattr(module, name)) for module, name, _ in swaps]
    for module, name, step_name in swaps:
        setattr(module, name, timed(step_name, getattr(module, name)))
    totals = dict.fromkeys(("evaluate_total", "to_dict", "explain"), 0.0)
    try:
        for record in records:
            t0 = clock()
            result = evaluator.evaluate(record)
            t1 = clock()
            result.to_dict()
            t2 = clock()
            if explain:
                result.explain("vi")
            t3 = clock()
            totals["evaluate_total"] += t1 - t0
            totals["to_dict"] += t2 - t1
            totals["explain"] += t3 - t2
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
        for method in patched:
            delattr(evaluator, method)
    for name in spent:
        spent[name] -= calls[name] * inner_cost
    spent["result"] -= calls.get("indicator_results", 0) * full_cost
    spent["engine_session"] -= calls["facts_json"] * full_cost
    totals["evaluate_total"] -= sum(calls.values()) * full_cost
    spent["result"] -= spent.get("indicator_results", 0.0)  # report the two parts apart
    spent.update(totals)
    inside = sum(v for k, v in spent.items() if k not in (*totals, "facts_json"))
    spent["evaluate_other"] = spent["evaluate_total"] - inside
    n = len(records)
    return {
        "evaluations": n,
        "clock": "time.process_time",
        "timer_cost_us": {"inner": inner_cost * 1e6, "full": full_cost * 1e6},
        "calls_per_evaluation": {k: v / n for k, v in calls.items()},
        "us_per_evaluation": {k: v / n * 1e6 for k, v in spent.items()},
        "total_us": sum(totals.values()) / n * 1e6,
    }


def _mix(outcomes: list[Outcome]) -> Row:
    levels: dict[str, int] = {}
    indicators: dict[str, int] = {}
    for o in outcomes:
        levels[o.level] = levels.get(o.level, 0) + 1
        for s in o.indicators:
            indicators[s] = indicators.get(s, 0) + 1
    return {"level": levels, "indicators": indicators}


def aims(report: Row) -> Row:
    rates = report["rates"]
    memory_row = report["memory"]
    cold = report["cold"]
    explain_rate = rates.get("explain", {}).get("median")
    return {
        "rate_with_explanations": {
            "aim": f">= {AIM_RATE:,.0f} communes/s",
            "measured": explain_rate,
            "met": explain_rate is not None and explain_rate >= AIM_RATE,
        },
        "load_compile": {
            "aim": f"< {AIM_LOAD_MS:.0f} ms CPU (load + compile + register)",
            "measured": cold.get("total_cpu_ms"),
            "met": cold.get("total_cpu_ms") is not None and cold["total_cpu_ms"] < AIM_LOAD_MS,
        },
        "flat_memory": {
            "aim": f"RSS flat over {memory_row['evaluations']:,} evaluations (growth < 2 MB)",
            "measured": memory_row["growth_mb"],
            "met": memory_row["growth_mb"] < 2.0,
        },
    }


def machine() -> Row:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "durable_rules": _version("durable-rules"),
        "ntm_rules": _version("ntm-rules"),
        "date": dt.date.today().isoformat(),
        "git": _git(),
    }


def _git() -> str | None:
    """The checkout's commit, marked ``+changes`` when the working tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if dirty.strip() else "")


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def step(text: str, args: argparse.Namespace) -> None:
    if not args.quiet:
        print(f"... {text}", file=sys.stderr, flush=True)


# -- output -----------------------------------------------------------------------------------
def table(report: Row) -> str:
    rates = report["rates"]
    base = rates["baseline"]["median"]
    lines = [
        f"ntm-rules benchmark: {report['ruleset']}, {report['count']:,} communes "
        f"({report['data']})",
        f"machine: {report['machine']['cpu']}, {report['machine']['cpus']} cpus, "
        f"{report['machine']['implementation']} {report['machine']['python']}, "
        f"durable-rules {report['machine']['durable_rules']}; commit {report['machine']['git']}",
        f"statuses agree with the engine on {report['agreement']:,} of {report['count']:,} "
        f"communes (baseline), {report.get('oracle_agreement', 'n/a')} (test oracle)",
        "",
        f"load average at start {report['load_average_start'][0]:.2f}, at end "
        f"{report['load_average_end'][0]:.2f} (rates are per CPU second); threads in this "
        f"process after all ntm-rules runs: {report['threads_after_ntm_rules']}",
        "",
        f"{'communes per second':<58}{'median':>12}{'best':>12}{'x baseline':>12}",
    ]
    labels = {
        "explain": "ntm-rules evaluate + to_dict + explain('vi')   /s",
        "explain_dict": "  same, from dicts (validation included)        /s",
        "to_dict": "ntm-rules evaluate + to_dict                   /s",
        "evaluate": "ntm-rules evaluate (result objects only)       /s",
        "baseline": "plain-Python baseline (statuses only)          /s",
        "oracle": "test oracle tests/oracle.py (dicts, statuses)  /s",
    }
    for key, label in labels.items():
        if key in rates:
            r = rates[key]
            lines.append(
                f"{label:<58}{r['median']:>12,.0f}{r['best']:>12,.0f}{r['median'] / base:>12.3f}"
            )
    naive = report["naive"]
    if "error" in naive:
        lines.append(f"naive durable Host: failed ({naive['error']})")
    else:
        vs = naive["rate"] / rates["evaluate"]["median"]
        lines.append(
            f"{'naive durable Host, 1 action/indicator (' + str(naive['communes']) + ')   /s':<58}"
            f"{naive['rate']:>12,.0f}{'':>12}{naive['rate'] / base:>12.3f}"
        )
        lines.append(
            f"  naive Host / ntm-rules evaluate = {vs:.2f}; statuses agree on "
            f"{naive['agree']:,}/{naive['communes']:,}; threads {naive['threads_before_host']}"
            f" -> {naive['threads_after_host']} after creating the Host"
        )
    j = report["json_output"]
    lines.append(
        f"JSON of one result: {j['mean_bytes'] / 1024:,.0f} KiB on average; json.dumps of "
        f"to_dict() {j['dumps_us']:,.0f} us per result (not in the rates above)"
    )
    cold = report["cold"]
    lines.append("")
    if "error" in cold:
        lines.append(f"cold start failed: {cold['error']}")
    else:
        lines.append(
            f"cold start (fresh process, median of {cold['runs']}): import {cold['import_ms']:.0f}"
            f" ms; load {cold['load_ms']:.1f} + compile {cold['compile_ms']:.1f} + register "
            f"{cold['register_ms']:.1f} = {cold['total_ms']:.1f} ms "
            f"(CPU {cold['total_cpu_ms']:.1f} ms; {cold['rules']} rules); then Evaluator + first "
            f"evaluation {cold['first_evaluation_ms']:.1f} ms"
        )
    for rid, c in report.get("cold_all", {}).items():
        if "error" in c:
            lines.append(f"  {rid}: failed ({c['error'][:120]})")
        else:
            lines.append(
                f"  {rid:<30} load {c['load_ms']:6.1f} + compile {c['compile_ms']:4.1f} + "
                f"register {c['register_ms']:4.1f} = {c['total_ms']:6.1f} ms (CPU "
                f"{c['total_cpu_ms']:6.1f}); Evaluator + first "
                f"evaluation {c['first_evaluation_ms']:6.1f} ms ({c['rules']} rules)"
            )
    m = report["memory"]
    lines.append(
        f"memory over {m['evaluations']:,} evaluations: RSS first {m['rss_first_mb']:.1f} MB, "
        f"last {m['rss_last_mb']:.1f} MB, max {m['rss_max_mb']:.1f} MB, growth after the first "
        f"{SAMPLE_EVERY:,}: {m['growth_mb']:+.2f} MB; tracemalloc peak "
        f"{m['tracemalloc_peak_mb']:.1f} MB; ru_maxrss {m['ru_maxrss_mb']:.1f} MB"
    )
    lines.append(f"RSS samples (MB, every {SAMPLE_EVERY:,}): {m['rss_samples_mb']}")
    lines.append(
        "RSS checkpoints (MB): "
        + "; ".join(f"{k} {v:.1f}" for k, v in report["rss_checkpoints_mb"].items())
    )
    lines.append(
        "ru_maxrss at those points (MB): "
        + "; ".join(f"{v:.1f}" for v in report["ru_maxrss_checkpoints_mb"].values())
    )
    lines.append("")
    for name, aim in report["aims"].items():
        measured = aim["measured"]
        shown = "n/a" if measured is None else f"{measured:,.2f}"
        lines.append(
            f"aim {name:<24} {aim['aim']:<48} {shown:>10}  {'MET' if aim['met'] else 'NOT MET'}"
        )
    if "profile" in report:
        p = report["profile"]
        lines += [
            "",
            f"profile of {p['evaluations']:,} evaluations "
            f"(cProfile, {p['profiled_s']:.2f} s profiled):",
        ]
        for phase in p["phases"]:
            lines.append(f"  {phase['phase']:<66}{phase['seconds']:>8.2f} s{phase['share']:>8.1%}")
        lines.append("  top functions by own time:")
        for f in p["top_tottime"]:
            lines.append(f"    {f['function']:<70}{f['calls']:>9}{f['tottime_s']:>8.2f} s")
    if "phases" in report:
        ph = report["phases"]
        lines += [
            "",
            f"time per evaluation by step, timed directly over {ph['evaluations']:,} "
            f"evaluations (CPU, total {ph['total_us']:.0f} us):",
        ]
        labels = {
            "evaluate_total": "evaluate(), of which:",
            "context": "  assessment date + parameter context (cached)",
            "prerequisite": "  prerequisite (lower level) evaluation",
            "unit_fact": "  unit fact building",
            "engine_session": "  engine session: 2 asserts, fired rules, statuses",
            "facts_json": "    of which json.dumps of the 2 facts",
            "indicator_results": "  result assembly: indicator results + checks",
            "result": "  result assembly: criteria, unit, level",
            "evaluate_other": "  other (structure check, call overhead)",
            "to_dict": "to_dict()",
            "explain": "explain('vi')",
        }
        for key, label in labels.items():
            if key not in ph["us_per_evaluation"]:
                continue
            us = ph["us_per_evaluation"][key]
            lines.append(f"  {label:<66}{us:>8.0f} us{us / ph['total_us']:>8.1%}")
    if "engine" in report:
        e = report["engine"]
        if "error" in e:
            lines.append(f"engine breakdown failed: {e['error']}")
        else:
            lines += [
                "",
                f"engine session replayed call by call ({e['evaluations']:,} "
                f"evaluations, CPU us per evaluation; {e['rules']} rules, unit fact of "
                f"{e['unit_fact_values']} values, {e['fired_rules_per_evaluation']:.1f} "
                f"rules fired, action messages of {e['mean_action_message_chars']:,.0f} "
                "chars on average):",
            ]
            for key, us in e["us_per_evaluation"].items():
                lines.append(f"  {key:<66}{us:>8.0f} us")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="synthetic communes")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per measurement")
    parser.add_argument("--memory-evals", type=int, default=100_000)
    parser.add_argument("--naive-count", type=int, default=2_000)
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes for cold start")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also profile N evaluations with cProfile",
    )
    parser.add_argument("--seed", type=int, default=20231)
    parser.add_argument("--ruleset", default="vn.commune.ntm.2021")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--child", choices=("naive",), help=argparse.SUPPRESS)
    parser.add_argument("--ruleset-path", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "naive":
        print(json.dumps(child_naive(args.ruleset_path, args.data, args.count)))
        return 0
    report = bench(args)
    print(table(report))
    if args.json:
        args.json.write_text(
            json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
