"""The command line: the sections to run, in order (section 4 in the background, beside
5-7), the report, and the worker side of ``--worker``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .common import Section, last_frames
from .handmade.section import attack_hand_made
from .kills import attack_kills
from .process import (
    attack_forks,
    attack_threads,
    finish_one_process,
    forks_worker,
    soak_worker,
    start_one_process,
)
from .records import attack_records, run_record_case
from .report import commit, json_document, text_report
from .rulesets import attack_rulesets, run_ruleset_case
from .workers import serve_cases, serve_one_shot

SECTIONS: dict[str, tuple[str, Callable[[argparse.Namespace, Path], Section] | None]] = {
    "records": ("1", attack_records),
    "rulesets": ("2", attack_rulesets),
    "hand-made": ("3", attack_hand_made),
    "one-process": ("4", None),  # started in the background: see main()
    "threads": ("5", attack_threads),
    "forks": ("6", attack_forks),
    "kills": ("7", attack_kills),
}
CASE_WORKERS = {"records": run_record_case, "rulesets": run_ruleset_case}
ONE_SHOT_WORKERS = {"soak": soak_worker, "forks": forks_worker}


def run_section(
    name: str,
    attack: Callable[[argparse.Namespace, Path], Section],
    args: argparse.Namespace,
    folder: Path,
) -> Section:
    begun = time.monotonic()
    folder.mkdir()
    try:
        section = attack(args, folder)
    except Exception as exc:  # the harness itself failed: say so, keep going
        section = Section(name, name)
        section.fail(f"{name}: the attack itself failed: {last_frames(exc, 6)}")
        section.extra["lines"] = ["the attack itself failed"]
    section.seconds = time.monotonic() - begun
    print(f"      {section.seconds:.0f} s", file=sys.stderr, flush=True)
    return section


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Re-run the attacks of issue #6 against the current code and report figures."
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run of about a minute")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the figures")
    parser.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 2, help="worker processes (default: CPUs)"
    )
    parser.add_argument(
        "--only", metavar="NAMES", help=f"comma-separated sections: {', '.join(SECTIONS)}"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--last", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # the library logs what it skips (a non-UTF-8 neighbour): expected here, not news
    logging.getLogger("ntm_rules").setLevel(logging.ERROR)
    if args.worker in CASE_WORKERS:
        work = CASE_WORKERS[args.worker]
        serve_cases(args.worker, work, args.seed, args.first, args.last, args.scratch)
        return 0
    if args.worker in ONE_SHOT_WORKERS:
        serve_one_shot(ONE_SHOT_WORKERS[args.worker], args.last, args.seed)
        return 0
    names = list(SECTIONS) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        sys.exit(f"unknown section(s): {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    started = time.monotonic()
    mode = "quick" if args.quick else "full"
    attacked = commit()
    header = (
        f"ntm-rules attack harness (issue #6): {mode} run, seed {args.seed}, "
        f"{args.jobs} jobs, commit {attacked}"
    )
    sections: list[Section] = []
    background: subprocess.Popen[str] | None = None
    args.kill_lanes = max(1, min(2, args.jobs))
    with tempfile.TemporaryDirectory(prefix="ntm-attack-") as tmp:
        for name in [n for n in SECTIONS if n in names]:
            number, attack = SECTIONS[name]
            if attack is None:  # one process: runs beside the next sections
                print(f"[{number}/7] {name} (in the background) ...", file=sys.stderr, flush=True)
                background, background_started = start_one_process(args), time.monotonic()
                args.kill_lanes = max(1, min(2, args.jobs - 1))
                continue
            print(f"[{number}/7] {name} ...", file=sys.stderr, flush=True)
            sections.append(run_section(name, attack, args, Path(tmp) / name))
        if background is not None:
            section = finish_one_process(args, background)
            section.seconds = time.monotonic() - background_started
            sections.append(section)
    sections.sort(key=lambda s: SECTIONS[s.key][0])
    for section in sections:
        section.title = f"{SECTIONS[section.key][0]} {section.title}"
    elapsed = time.monotonic() - started
    print(text_report(header, sections, attacked, elapsed))
    if args.json:
        how = {"mode": mode, "seed": args.seed, "jobs": args.jobs}
        document = json_document(how, sections, attacked, elapsed)
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 1 if any(s.failures for s in sections) else 0
