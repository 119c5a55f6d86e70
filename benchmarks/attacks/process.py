"""Sections 4-6: many evaluations in one process (memory, engine rulesets, rate), threads that
evaluate the same records, and forks while threads evaluate; every result must equal the
sequential one. Sections 4 and 6 run in a worker process of their own."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ntm_rules import EngineError, Evaluator, evaluator_for, load_ruleset
from ntm_rules.engine.durable_host import live_rulesets

from .common import BASE, MINIMAL_TEXT, NATIONAL_ID, Section, figures, last_frames
from .record_cases import valid_row
from .workers import worker_command, worker_died, worker_json


def rss_mb() -> float:
    """This process's resident memory (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- 4. one process, many evaluations ----------------------------------------------------------
def soak_worker(count: int, seed: int) -> dict[str, Any]:
    """Evaluate ``count`` random records with one evaluator; memory and engine figures."""
    rng = random.Random(f"{seed}:soak")
    pool = [dict(valid_row(rng, f"S{n}")[0]) for n in range(5_000)]
    evaluator = evaluator_for(NATIONAL_ID)
    evaluator.evaluate(pool[0])
    found: dict[str, Any] = {"rss_start": rss_mb(), "live_start": live_rulesets()}
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    examples: list[str] = []
    started = time.perf_counter()
    for n in range(count):
        try:
            statuses[evaluator.evaluate(pool[n % len(pool)]).status] += 1
        except Exception as exc:
            errors["engine" if isinstance(exc, EngineError) else type(exc).__name__] += 1
            if len(examples) < 5:
                examples.append(last_frames(exc))
        if n + 1 == 10_000:
            found["rss_10k"] = rss_mb()
    seconds = time.perf_counter() - started
    found.update(
        rss_end=rss_mb(),
        live_end=live_rulesets(),
        seconds=seconds,
        rate=count / seconds,
        statuses=dict(statuses),
        errors=dict(errors),
        examples=examples,
    )
    return found


def soak_count(args: argparse.Namespace) -> int:
    return 20_000 if args.quick else 200_000


def start_one_process(args: argparse.Namespace) -> subprocess.Popen[str]:
    """Section 4 runs in its own process, beside sections 5-7 (one core each)."""
    return subprocess.Popen(
        worker_command("soak", args.seed, "--last", str(soak_count(args))),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_one_process(args: argparse.Namespace, proc: subprocess.Popen[str]) -> Section:
    section = Section("one-process", "one-process", soak_count(args))
    stdout, stderr = proc.communicate(timeout=3600)
    found = worker_json(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    section.extra.update(found)
    if worker_died(section, found, "one process"):
        return section
    errors = found["errors"]
    section.counts = {
        "evaluated": sum(found["statuses"].values()),
        "engine-errors": errors.get("engine", 0),
        "other-errors": sum(v for k, v in errors.items() if k != "engine"),
    }
    if errors:
        section.fail(f"one process: errors {errors}: {found['examples']}")
    if found["live_end"] != found["live_start"]:
        section.fail(f"one process: engine rulesets {found['live_start']} -> {found['live_end']}")
    growth = found["rss_end"] - found["rss_10k"]
    if growth > max(32.0, 0.25 * found["rss_10k"]):
        section.fail(f"one process: memory grew {growth:.0f} MB after the first 10,000")
    section.extra["lines"] = [
        f"evaluated {section.counts['evaluated']}  engine-errors "
        f"{section.counts['engine-errors']}  other {section.counts['other-errors']}",
        f"{found['rate']:.0f} evaluations/s (one core, beside sections 5-7)",
        f"RSS MB start {found['rss_start']:.0f} / 10k {found['rss_10k']:.0f} / end "
        f"{found['rss_end']:.0f}  engine rulesets {found['live_start']} -> {found['live_end']}",
    ]
    return section


# -- 5. threads --------------------------------------------------------------------------------
def attack_threads(args: argparse.Namespace, scratch: Path) -> Section:
    count = 100 if args.quick else 500
    section = Section("threads", "threads", 4 * count)
    rng = random.Random(f"{args.seed}:threads")
    rows = [dict(valid_row(rng, f"T{n}")[0]) for n in range(count)]
    evaluator = evaluator_for(NATIONAL_ID)

    def encoded(row: dict[str, Any]) -> bytes:
        return json.dumps(evaluator.evaluate(row).to_dict(), sort_keys=True).encode()

    expected = [encoded(row) for row in rows]
    got: list[list[bytes | None]] = [[None] * count for _ in range(4)]
    errors: list[str] = []
    barrier = threading.Barrier(4)

    def work(index: int) -> None:
        order = list(range(count)) if index % 2 == 0 else list(range(count))[::-1]
        barrier.wait()
        for n in order:
            try:
                got[index][n] = encoded(rows[n])
            except Exception as exc:
                errors.append(last_frames(exc))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    same = sum(got[k][n] == expected[n] for k in range(4) for n in range(count))
    different = sum(
        got[k][n] is not None and got[k][n] != expected[n] for k in range(4) for n in range(count)
    )
    section.counts = {"identical": same, "different": different, "errors": len(errors)}
    if same != 4 * count:
        section.fail(f"threads: {different} different results, {len(errors)} errors: {errors[:3]}")
    section.extra["lines"] = [
        figures(section.counts, ["identical", "different", "errors"]),
        f"(4 threads x the same {count} records, compared with sequential results)",
    ]
    return section


# -- 6. forks ----------------------------------------------------------------------------------
def forks_worker(count: int, seed: int) -> dict[str, Any]:
    """Fork ``count`` times while two threads evaluate; every child evaluates, builds a new
    evaluator, and exits 0 if its result equals the parent's (3: different, 4: an error)."""
    rng = random.Random(f"{seed}:forks")
    record = dict(valid_row(rng, "F1")[0])
    evaluator = evaluator_for(NATIONAL_ID)
    expected = evaluator.evaluate(record).to_dict()
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            evaluator_for(NATIONAL_ID).evaluate(record).to_dict()

    threads = [threading.Thread(target=busy) for _ in range(2)]
    for thread in threads:
        thread.start()
    outcomes = {"ok": 0, "hung": 0, "wrong": 0, "error": 0}
    folder = Path(tempfile.mkdtemp(prefix="forks-"))
    for n in range(count):
        time.sleep(rng.uniform(0.0, 0.03))
        pid = os.fork()
        if pid == 0:
            try:
                got = evaluator_for(NATIONAL_ID).evaluate(record).to_dict()
                path = folder / f"child{n}.yaml"
                path.write_text(MINIMAL_TEXT.replace('version: "1"', f'version: "c{n}"'), "utf-8")
                fresh = Evaluator(load_ruleset(path))
                fresh.evaluate({**BASE, "year": 2024})
                os._exit(0 if got == expected else 3)
            except BaseException:
                os._exit(4)
        deadline = time.monotonic() + 20
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                outcomes[{0: "ok", 3: "wrong"}.get(code, "error")] += 1
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                outcomes["hung"] += 1
                break
            time.sleep(0.005)
    stop.set()
    for thread in threads:
        thread.join()
    shutil.rmtree(folder, ignore_errors=True)
    return outcomes


def attack_forks(args: argparse.Namespace, scratch: Path) -> Section:
    count = 10 if args.quick else 30
    section = Section("forks", "forks", count)
    proc = subprocess.run(
        worker_command("forks", args.seed, "--last", str(count)),
        capture_output=True,
        text=True,
        timeout=30 * count + 120,
        check=False,
    )
    found = worker_json(proc)
    if worker_died(section, found, "forks"):
        return section
    section.counts = found
    if found["ok"] != count:
        section.fail(f"forks: {found}")
    section.extra["lines"] = [figures(found, ["ok", "hung", "wrong", "error"])]
    return section
