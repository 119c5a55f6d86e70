"""Section 7, kills: ``ntm-rules evaluate ... --output OUT`` killed by SIGTERM, SIGINT, SIGHUP
and SIGKILL at random moments (half of them while the output is written); OUT must be the old
content or the complete new one, and no temporary file may be left once a later run has
written OUT."""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import REPO
from .common import NATIONAL_ID, Section, figures

GENERATOR = REPO / "examples" / "generate_sonla.py"
KILL_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL)
OLD = b'{"old": "the content before the run"}\n'


@dataclass
class Lane:
    """One folder with one OUT file, where runs happen one after another."""

    folder: Path

    @property
    def out(self) -> Path:
        return self.folder / "out.json"

    def leftovers(self) -> list[Path]:
        return sorted(self.folder.glob(".out.json.ntm-rules-*.tmp"))

    def reset(self) -> None:
        """OUT holds the old content, as a single-link regular file."""
        fresh = self.folder / "old.json"
        fresh.write_bytes(OLD)
        os.replace(fresh, self.out)


def evaluate_command(data: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ntm_rules",
        "evaluate",
        "--ruleset",
        NATIONAL_ID,
        str(data),
        "--format",
        "json",
        "--output",
        str(out),
    ]


def timed_run(data: Path, lane: Lane) -> tuple[float, float, float]:
    """A normal run: its duration, and when its temporary file appeared and went."""
    started = time.monotonic()
    proc = subprocess.Popen(
        evaluate_command(data, lane.out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    appeared = gone = 0.0
    while proc.poll() is None:
        present = bool(lane.leftovers())
        now = time.monotonic() - started
        if present and not appeared:
            appeared = now
        if appeared and not present and not gone:
            gone = now
        time.sleep(0.002)
    return time.monotonic() - started, appeared, gone or time.monotonic() - started


def attack_kills(args: argparse.Namespace, scratch: Path) -> Section:
    communes = 40 if args.quick else 150
    runs = 2 if args.quick else 20
    section = Section("kills", "kills", runs * len(KILL_SIGNALS))
    data_dir = scratch / "kills"
    data_dir.mkdir()
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--count",
            str(communes),
            "--villages",
            "0",
            "--format",
            "json",
            "--check",
            "none",
            "--out",
            str(data_dir),
            "--stem",
            "communes",
            "--quiet",
        ],
        check=True,
    )
    data = data_dir / "communes.json"
    lanes = [Lane(data_dir / f"lane{k}") for k in range(args.kill_lanes)]
    for lane in lanes:
        lane.folder.mkdir()
    duration, appeared, gone = timed_run(data, lanes[0])
    expected = hashlib.sha256(lanes[0].out.read_bytes()).hexdigest()
    size = lanes[0].out.stat().st_size
    counts: Counter[str] = Counter()
    per_signal: dict[str, Counter[str]] = {}
    lock = threading.Lock()
    plans: list[list[tuple[signal.Signals, int]]] = [[] for _ in lanes]
    for sig in KILL_SIGNALS:  # SIGKILL last: its leftovers must not be blamed on the others
        for k in range(runs):
            plans[k % len(lanes)].append((sig, k))

    def one_run(lane: Lane, sig: signal.Signals, k: int, moment: random.Random) -> None:
        lane.reset()
        in_write = k % 2 == 1  # odd runs aim at the write, even ones at any moment
        proc = subprocess.Popen(
            evaluate_command(data, lane.out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started = time.monotonic()
        if in_write:
            while proc.poll() is None and not lane.leftovers():
                if time.monotonic() - started > 10 * duration:
                    break
                time.sleep(0.001)
            time.sleep(moment.uniform(0, max(0.005, gone - appeared)))
        else:
            time.sleep(moment.uniform(0, duration * 1.05))
        hit = bool(lane.leftovers())
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, sig)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            with lock:
                section.fail(f"kills: {sig.name} run {k}: still running 60 s after the signal")
        content = lane.out.read_bytes()
        if content == OLD:
            state = "old"
        elif hashlib.sha256(content).hexdigest() == expected:
            state = "new"
        else:
            state = "half"
        left = lane.leftovers()
        with lock:
            tally = per_signal.setdefault(sig.name, Counter())
            tally[state] += 1
            tally["completed" if finished else "signalled"] += 1
            tally["in-write"] += hit and not finished
            tally["leftovers"] += len(left)
            counts[state] += 1
            if left:
                largest = max(p.stat().st_size for p in left) / 1e6
                tally["leftover-mb-max"] = max(tally["leftover-mb-max"], round(largest))
            if state == "half":
                section.fail(
                    f"kills: {sig.name} run {k}: OUT is neither old nor complete "
                    f"({len(content)} of {size} bytes)"
                )
            if left and sig != signal.SIGKILL:
                section.fail(f"kills: {sig.name} run {k}: {len(left)} temporary file(s) left")

    def run_lane(index: int) -> None:
        lane = lanes[index]
        moment = random.Random(f"{args.seed}:kills:{index}")
        for sig, k in plans[index]:
            one_run(lane, sig, k, moment)
        before = len(lane.leftovers())
        proc = subprocess.run(evaluate_command(data, lane.out), capture_output=True, check=False)
        after = lane.leftovers()
        complete = hashlib.sha256(lane.out.read_bytes()).hexdigest() == expected
        with lock:
            counts["before-final-run"] += before
            counts["after-final-run"] += len(after)
            if proc.returncode != 0 or not complete:
                section.fail(f"kills: the final normal run failed (exit {proc.returncode})")
            if after:
                section.fail(f"kills: {len(after)} temporary file(s) left after a normal run")

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(lanes)) as pool:
        list(pool.map(run_lane, range(len(lanes))))
    section.counts = {
        "old": counts["old"],
        "new": counts["new"],
        "half": counts["half"],
        "in-write": sum(t["in-write"] for t in per_signal.values()),
        "done-before-signal": sum(t["completed"] for t in per_signal.values()),
        "leftovers-before-final-run": counts["before-final-run"],
        "leftovers-after-final-run": counts["after-final-run"],
    }
    section.extra.update(
        communes=communes,
        output_mb=round(size / 1e6, 1),
        normal_run_s=round(duration, 2),
        write_window_s=round(gone - appeared, 3),
        per_signal={k: dict(v) for k, v in per_signal.items()},
    )
    leftovers = "  ".join(
        f"{name.removeprefix('SIG')} {per_signal.get(name, Counter())['leftovers']}"
        for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGKILL")
    )
    section.extra["lines"] = [
        figures(section.counts, ["old", "new", "half", "in-write", "done-before-signal"]),
        f"leftovers after the signal: {leftovers}",
        f"after one more normal run: {counts['after-final-run']}  ({communes} communes, "
        f"{size / 1e6:.0f} MB, run {duration:.1f} s, {len(lanes)} lane(s))",
    ]
    return section
