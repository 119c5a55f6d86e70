"""Section 3, hand-made files: every group's cases (every fifth of each with ``--quick``), run
on threads, each in its own empty folder."""

from __future__ import annotations

import argparse
import concurrent.futures
import shutil
from pathlib import Path

from ..common import Section, figures, last_frames
from .checks import Case, CaseFailed
from .division import division_cases
from .files import big_file_cases, hash_cases, neighbour_cases
from .injection import injection_cases
from .inputs import input_cases
from .limits import limit_cases
from .messages import exact_number_cases, usage_cases
from .numbers import number_cases
from .output import output_cases
from .text_literals import text_literal_cases
from .years import year_cases


def hand_made_cases() -> list[Case]:
    return [
        *text_literal_cases(),
        *limit_cases(),
        *number_cases(),
        *division_cases(),
        *output_cases(),
        *input_cases(),
        *year_cases(),
        *big_file_cases(),
        *neighbour_cases(),
        *hash_cases(),
        *usage_cases(),
        *exact_number_cases(),
        *injection_cases(),
    ]


def attack_hand_made(args: argparse.Namespace, scratch: Path) -> Section:
    cases = hand_made_cases()
    if args.quick:  # every fifth case of each group
        groups: dict[str, list[Case]] = {}
        for case in cases:
            groups.setdefault(case.group, []).append(case)
        cases = [c for members in groups.values() for c in members[::5]]
    section = Section("hand-made", "hand-made", len(cases))
    root = scratch / "hand-made"
    root.mkdir()
    outcomes: dict[int, str | None] = {}

    def run(n: int) -> None:
        folder = root / f"case{n}"
        folder.mkdir()
        try:
            cases[n].run(folder)
            outcomes[n] = None
        except CaseFailed as exc:
            outcomes[n] = str(exc)
        except Exception as exc:
            outcomes[n] = f"unexpected {last_frames(exc)}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, args.jobs)) as pool:
        list(pool.map(run, range(len(cases))))
    by_group: dict[str, list[int]] = {}
    for n, case in enumerate(cases):
        passed = outcomes.get(n, "not run") is None
        by_group.setdefault(case.group, [0, 0])[0 if passed else 1] += 1
        if not passed:
            section.fail(f"hand-made [{case.group}] {case.name}: {outcomes.get(n, 'not run')}")
    failed = sum(f for _, f in by_group.values())
    section.counts = {"passed": len(cases) - failed, "failed": failed}
    section.extra["groups"] = {g: {"passed": p, "failed": f} for g, (p, f) in by_group.items()}
    section.extra["lines"] = [
        figures(section.counts, ["passed", "failed"]),
        ", ".join(f"{g} {p + f}" for g, (p, f) in by_group.items()),
    ]
    return section
