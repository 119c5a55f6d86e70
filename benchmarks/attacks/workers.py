"""Worker processes: this harness re-run with ``--worker KIND``, so that a crash or a hang
ends one case and not the harness. A worker prints its results as ``@@{json}`` lines."""

from __future__ import annotations

import concurrent.futures
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .common import Section, last_frames, short

HARNESS = Path(__file__).resolve().parents[1] / "attack.py"
MARK = "@@"  # the prefix of a worker's result lines on its standard output

CaseRunner = Callable[[int, int, Path], dict[str, Any]]  # (seed, case, scratch folder) -> row


def ended(row: dict[str, Any], outcome: str, detail: str) -> dict[str, Any]:
    """A case's ``row`` with its outcome and what to say of it."""
    row["outcome"], row["detail"] = outcome, detail
    return row


def worker_command(kind: str, seed: int, *options: str) -> list[str]:
    """The command that runs this harness as a ``kind`` worker."""
    return [sys.executable, str(HARNESS), "--worker", kind, "--seed", str(seed), *options]


def run_in_workers(
    kind: str,
    count: int,
    seed: int,
    scratch: Path,
    *,
    chunk: int,
    jobs: int,
    timeout: float = 180.0,
) -> dict[int, dict[str, Any]]:
    """Run cases ``0..count-1`` of ``kind`` in worker processes (``jobs`` at a time, ``chunk``
    cases each). A worker prints one line per case; when it dies (a signal, or silence for
    ``timeout`` seconds) the first case without a line is recorded as a crash or a hang and a
    new worker goes on with the next one."""
    results: dict[int, dict[str, Any]] = {}
    lock = threading.Lock()

    def run_chunk(first: int, last: int) -> None:
        start = first
        while start < last:
            errors = scratch / f"{kind}-{start}.stderr"
            command = worker_command(
                kind, seed, "--first", str(start), "--last", str(last), "--scratch", str(scratch)
            )
            with errors.open("wb") as err:
                proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True)
            progress = [time.monotonic()]
            hung = threading.Event()

            def watchdog(
                proc: subprocess.Popen[str] = proc,
                progress: list[float] = progress,
                hung: threading.Event = hung,
            ) -> None:
                while proc.poll() is None:
                    if time.monotonic() - progress[0] > timeout:
                        hung.set()
                        proc.kill()
                        return
                    time.sleep(0.5)

            guard = threading.Thread(target=watchdog, daemon=True)
            guard.start()
            assert proc.stdout is not None
            reached = start
            for line in proc.stdout:
                if not line.startswith(MARK):
                    continue
                row = json.loads(line[len(MARK) :])
                progress[0] = time.monotonic()
                with lock:
                    results[row["i"]] = row
                reached = row["i"] + 1
            code = proc.wait()
            guard.join()
            tail = short(errors.read_text(errors="replace")[-600:], 300)
            errors.unlink()
            if reached >= last:
                return
            if hung.is_set():
                outcome, detail = "hang", f"no result for {timeout:.0f} s; killed"
            elif code < 0:
                outcome = "crash"
                detail = f"killed by {signal.Signals(-code).name}; stderr: {tail}"
            else:
                outcome, detail = "crash", f"worker exited {code}; stderr: {tail}"
            with lock:
                results[reached] = {"i": reached, "outcome": outcome, "detail": detail}
            start = reached + 1

    chunks = [(a, min(a + chunk, count)) for a in range(0, count, chunk)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in [pool.submit(run_chunk, a, b) for a, b in chunks]:
            future.result()
    return results


def serve_cases(
    kind: str, run: CaseRunner, seed: int, first: int, last: int, scratch: Path
) -> None:
    """The worker side of :func:`run_in_workers`: one ``@@{json}`` line per case."""
    own = Path(tempfile.mkdtemp(prefix=f"{kind}-{first}-", dir=scratch))
    for i in range(first, last):
        try:
            row = run(seed, i, own)
        except Exception as exc:  # a bug of the harness itself: reported, never hidden
            row = {"outcome": "harness-error", "detail": last_frames(exc)}
        row["i"] = i
        sys.stdout.write(MARK + json.dumps(row, ensure_ascii=True) + "\n")
        sys.stdout.flush()
    shutil.rmtree(own, ignore_errors=True)


def serve_one_shot(work: Callable[[int, int], dict[str, Any]], count: int, seed: int) -> None:
    """The worker side of a one-shot attack (soak, forks): its figures on one ``@@`` line."""
    sys.stdout.write(MARK + json.dumps(work(count, seed)) + "\n")


def worker_json(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON line a one-shot worker (soak, forks) printed, or why there is none."""
    lines = [line for line in proc.stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        return {"crashed": f"exit {proc.returncode}: {short(proc.stderr[-800:], 400)}"}
    result: dict[str, Any] = json.loads(lines[-1][len(MARK) :])
    return result


def worker_died(section: Section, found: dict[str, Any], what: str) -> bool:
    """Whether a one-shot worker died (``found`` by :func:`worker_json`); if so, a failure."""
    if "crashed" not in found:
        return False
    section.fail(f"{what}: the worker died: {found['crashed']}")
    section.extra["lines"] = ["the worker died"]
    return True
