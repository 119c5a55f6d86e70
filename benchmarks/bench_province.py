"""A province evaluated from its data set, against a plain-Python baseline of the same rules.

Run from the repository root::

    python benchmarks/bench_province.py --copies 1 17 --repeat 3

``--copies k`` evaluates ``k`` copies of the Sơn La data set at once (codes suffixed), so 17
copies hold 3,196 communes: about every commune of Vietnam after 1 July 2025 (3,321). For each
size, in the same run:

* **baseline**: plain Python (``benchmarks/baseline.py``) deciding every commune's ladder
  levels, counting the aggregates by hand, then deciding every district, town and province:
  statuses only, no engine, no provenance;
* **library**: ``evaluate_data_set(ladder, DataSet)`` — members, aggregates with the members
  behind them, districts, towns, province, all by durable-rules;
* **report**: the same plus ``report.to_dict()`` (the JSON a portal stores);
* **communes only**: the communes alone on their ladder (``evaluate_on_ladder``), what the run
  costs before any district is counted: the rest is linking, aggregates and upper units;
* **CLI**: ``ntm-rules evaluate --ruleset <ladder> DATA --format json --output FILE`` in a child
  process, interpreter start included (one size only: the data-set file must exist), against
  the same command for the communes alone on their ladder.

Timings are CPU seconds of this process (the child's for the CLI), median of ``--repeat``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.baseline import Baseline  # noqa: E402
from ntm_rules.aggregate.assess import as_ladder, input_models  # noqa: E402
from ntm_rules.aggregate.dataset import DataSet, read_data_set  # noqa: E402
from ntm_rules.aggregate.report import evaluate_data_set  # noqa: E402
from ntm_rules.expr import MissingValueError  # noqa: E402
from ntm_rules.expr import evaluate as evaluate_expr  # noqa: E402
from ntm_rules.ladder import Ladder, evaluate_on_ladder, level_rulesets  # noqa: E402
from ntm_rules.models.structuring import structure  # noqa: E402
from ntm_rules.result import MET  # noqa: E402

DATA = ROOT / "examples" / "sonla-province-2023.json"
COMMUNES = ROOT / "examples" / "sonla-communes-2023.json"
LADDER = "sonla.province.2021"
LINKS = ("district_code", "province_code")


def copies(data: DataSet, k: int) -> DataSet:
    """``k`` copies of a data set, every code (and every code pointing at a parent) suffixed."""
    if k == 1:
        return data
    rows: dict[str, Any] = {}
    for kind, found in data.rows.items():
        made = []
        for n in range(k):
            for row in found:
                values = dict(row.values)
                values["code"] = f"{values['code']}~{n}"
                for link in LINKS:
                    if values.get(link):
                        values[link] = f"{values[link]}~{n}"
                members = (
                    {key: tuple(f"{c}~{n}" for c in codes) for key, codes in row.members.items()}
                    if row.members
                    else None
                )
                made.append(type(row)(row.kind, f"{row.label}~{n}", values, members))
        rows[kind] = tuple(made)
    return DataSet(rows)


class PlainProvince:
    """The same rules in plain Python: each ladder's levels decided by :class:`Baseline` (a level
    held when it and every level below are met), aggregates counted by hand."""

    def __init__(self, ladder: Ladder) -> None:
        self.ladder = ladder
        self.levels = level_rulesets(ladder)
        self.baselines = [Baseline(level) for level in self.levels]
        self.groups = {
            name: group for level in self.levels for name, group in level.members.items()
        }
        self.aggregates = {f: a for level in self.levels for f, a in level.aggregates.items()}
        self.members = {
            name: PlainProvince(as_ladder(group.ladder))
            for name, group in self.groups.items()
            if group.ladder is not None
        }

    def run(
        self, data: DataSet, children: dict[tuple[str, str], list[tuple[str, str]]]
    ) -> dict[str, Any]:
        """Each unit's reached level index (-1 none) by code."""
        member_runs = {name: plain.run(data, children) for name, plain in self.members.items()}
        records = {kind: {r.code: r for r in rows} for kind, rows in data.rows.items()}
        kind = self.levels[0].unit
        found: dict[str, Any] = {}
        for row in data.of(kind):
            values = dict(row.values)
            for field, aggregate in self.aggregates.items():
                group = self.groups[aggregate.of]
                if not data.has(group.kind):
                    continue
                codes = _descendants(children, (kind, row.code), group.kind)
                flags: list[bool] = []
                if aggregate.level is not None:
                    run = member_runs[aggregate.of]
                    index = [lv.level.id for lv in run["levels"]].index(aggregate.level)
                    flags = [run["reached"][c] >= index for c in codes]
                elif aggregate.where is not None:
                    rows = records[group.kind]
                    flags = [_holds(aggregate.where, rows[c].values) for c in codes]
                if aggregate.op == "share":
                    values[field] = 100 * sum(flags) / len(flags) if flags else 100.0
                elif aggregate.op == "count":
                    values[field] = sum(flags)
                elif aggregate.op == "all":
                    values[field] = all(flags)
                elif aggregate.member_field is not None:
                    rows = records[group.kind]
                    read = [rows[c].values.get(aggregate.member_field) for c in codes]
                    known = [v for v in read if v is not None]
                    pick = min if aggregate.op == "min" else max
                    values[field] = pick(known) if known and len(known) == len(read) else None
            record = structure(self.levels[0].model, values, row.label)
            reached = -1
            for n, baseline in enumerate(self.baselines):
                if baseline.evaluate(record).level != MET:
                    break
                reached = n
            found[row.code] = reached
        return {"levels": self.levels, "reached": found}


def _descendants(
    children: dict[tuple[str, str], list[tuple[str, str]]], unit: tuple[str, str], kind: str
) -> list[str]:
    """Codes of the ``kind`` units under ``unit``, in data-set order."""
    found, todo = [], list(children.get(unit, ()))
    while todo:
        child = todo.pop(0)
        if child[0] == kind:
            found.append(child[1])
        else:
            todo.extend(children.get(child, ()))
    return found


def _holds(where: Any, values: dict[str, Any]) -> bool:
    try:
        return bool(evaluate_expr(where, values))
    except MissingValueError:
        return False


def children_of(
    parents: dict[tuple[str, str], tuple[str, str]],
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for child, parent in parents.items():
        found.setdefault(parent, []).append(child)
    return found


def cpu_median(job: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        job()
        times.append(time.process_time() - start)
    return statistics.median(times)


def cli_seconds(ladder: str, path: Path, repeat: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.json"
        command = [sys.executable, "-m", "ntm_rules", "evaluate", "--ruleset", ladder, str(path)]
        command += ["--format", "json", "--output", str(out)]
        for _ in range(repeat):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(done.stderr)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ladder", default=LADDER)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 17])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    ladder = as_ladder(args.ladder)
    data = read_data_set(args.data, input_models(ladder))
    plain = PlainProvince(ladder)
    figures: dict[str, Any] = {"ladder": args.ladder, "sizes": []}
    print(
        f"{'copies':>6} {'communes':>9} {'baseline s':>11} {'communes s':>11} "
        f"{'library s':>10} {'×':>6} {'+to_dict s':>11} {'×':>6} {'communes/s':>11}"
    )
    commune_ladder = as_ladder(
        next(
            group.ladder
            for level in level_rulesets(ladder)
            for group in level.members.values()
            if group.kind == "commune" and group.ladder
        )
    )
    commune_model = input_models(ladder)["commune"]
    for k in args.copies:
        big = copies(data, k)
        kids = children_of(dict(evaluate_data_set(ladder, big).run.membership.parent_of))
        base = cpu_median(lambda big=big, kids=kids: plain.run(big, kids), args.repeat)
        records = [structure(commune_model, r.values, r.label) for r in big.of("commune")]
        alone = cpu_median(
            lambda records=records: evaluate_on_ladder(commune_ladder, records), args.repeat
        )
        lib = cpu_median(lambda big=big: evaluate_data_set(ladder, big), args.repeat)
        full = cpu_median(lambda big=big: evaluate_data_set(ladder, big).to_dict(), args.repeat)
        communes = len(big.of("commune"))
        print(
            f"{k:>6} {communes:>9} {base:>11.3f} {alone:>11.3f} {lib:>10.3f} "
            f"{lib / base:>6.2f} {full:>11.3f} {full / base:>6.2f} {communes / full:>11.0f}"
        )
        figures["sizes"].append(
            {
                "copies": k,
                "communes": communes,
                "baseline": base,
                "communes_only": alone,
                "library": lib,
                "report": full,
            }
        )
    cli = cli_seconds(args.ladder, args.data, args.repeat)
    alone_cli = cli_seconds(commune_ladder.id, COMMUNES, args.repeat)
    print(
        f"CLI end to end, --format json, wall seconds: {args.data.name} on {args.ladder} "
        f"{cli:.2f}; {COMMUNES.name} on {commune_ladder.id} {alone_cli:.2f} "
        f"(×{cli / alone_cli:.2f})"
    )
    figures["cli_wall_seconds"] = cli
    figures["cli_communes_only_wall_seconds"] = alone_cli
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
