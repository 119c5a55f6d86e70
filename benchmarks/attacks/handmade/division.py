"""Division by zero (issue item 2): a literal one is refused at load, one in a threshold by
validate, each naming the indicator's line; one that depends on a unit's inputs (x / a count
of 0), like a value beyond the engine's bound, makes the indicator missing, not an error."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ntm_rules import RulesetError, evaluator_for, load_ruleset
from ntm_rules.validation import prove_runs
from tests.generated_rulesets import ruleset_text

from ..common import BASE, short
from .checks import (
    Case,
    check,
    cli,
    error_line,
    find_indicator,
    json_rows,
    line_of,
    raises,
    succeeded,
    write,
)


def division_ruleset(folder: Path, condition: str) -> Path:
    text = ruleset_text([["income_per_capita >= 0", condition]])
    return write(folder, "division.yaml", text)


def case_division_load(condition: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = division_ruleset(folder, condition)
        error = raises(RulesetError, lambda: load_ruleset(path))
        line = line_of(path.read_text(encoding="utf-8"), "id: 'i1'")
        check("division by zero" in str(error), f"message: {short(error)}")
        check(error.line == line, f"line {error.line}, expected {line}: {short(error)}")

    return run


def case_division_validate(condition: str, phrase: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = division_ruleset(folder, condition)
        ruleset = load_ruleset(path)
        error = raises(RulesetError, lambda: prove_runs(ruleset))
        line = line_of(path.read_text(encoding="utf-8"), "id: 'i1'")
        check(phrase in str(error), f"message: {short(error)}")
        check(error.line == line and "indicator i1" in str(error), f"where: {short(error)}")
        proc = cli("validate", path)
        check(f"{path}:{line}:" in error_line(proc), f"CLI: {short(proc.stderr)}")

    return run


def case_division_runs(condition: str, record: dict[str, Any], want: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = division_ruleset(folder, condition)
        ruleset = load_ruleset(path)
        prove_runs(ruleset)
        result = evaluator_for(ruleset).evaluate({**BASE, **record})
        indicator = find_indicator(result, "i1")
        check(indicator.status == want, f"status {indicator.status}, expected {want}")
        if want == "missing":
            check(bool(indicator.undefined), "no reason given for the value that does not exist")
        json.dumps(result.to_dict(), allow_nan=False)
        result.explain("vi")

    return run


def case_division_cli(folder: Path) -> None:
    path = division_ruleset(folder, "income_per_capita / temporary_houses >= 1")
    data = write(
        folder, "d.json", json_rows([{**BASE, "income_per_capita": 9.0, "temporary_houses": 0}])
    )
    proc = cli("evaluate", "--ruleset", path, data, "--format", "json")
    succeeded(proc)
    (result,) = json.loads(proc.stdout)["results"]
    statuses = [i["status"] for c in result["criteria"] for i in c["indicators"] if i["id"] == "i1"]
    check(statuses == ["missing"], f"status {statuses}")


def division_cases() -> list[Case]:
    per_unit = "income_per_capita / temporary_houses >= 1"
    huge = "income_per_capita * 1000000000 * 1000000000 >= 1"
    return [
        Case("division", "x / 0 refused at load", case_division_load("income_per_capita / 0 >= 1")),
        Case(
            "division",
            "x / (2 - 2) refused at load",
            case_division_load("income_per_capita / (2 - 2) >= 1"),
        ),
        Case(
            "division",
            "threshold p / (p - 40) refused by validate",
            case_division_validate(
                "income_per_capita >= param.income / (param.income - 40)", "division by zero"
            ),
        ),
        Case(
            "division",
            "threshold p * 10^15 refused by validate",
            case_division_validate(
                "income_per_capita >= param.income * 1000000000000000", "beyond"
            ),
        ),
        Case(
            "division",
            "x / count with count 0: missing, not an error",
            case_division_runs(
                per_unit, {"income_per_capita": 9.0, "temporary_houses": 0}, "missing"
            ),
        ),
        Case(
            "division",
            "x / count with count 2: met",
            case_division_runs(per_unit, {"income_per_capita": 9.0, "temporary_houses": 2}, "met"),
        ),
        Case(
            "division",
            "x * 10^18 beyond the bound: missing",
            case_division_runs(huge, {"income_per_capita": 1e6}, "missing"),
        ),
        Case("division", "CLI evaluate x / 0-count", case_division_cli),
    ]
