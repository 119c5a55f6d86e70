"""Engine limits (issue item 2): rulesets past durable-rules' limits (indicators, criteria,
nesting, fact width, missing-value tests) are refused by validate naming the limit and the
file; those just inside run; none validates and then fails."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from ntm_rules import RulesetError, evaluator_for, load_ruleset
from ntm_rules.validation import prove_runs
from tests.generated_rulesets import BOOLS, random_record, ruleset_text, slot_heavy, uniform

from ..common import short
from ..ruleset_cases import nested_condition
from .checks import Case, check, cli, error_line, succeeded, write


def or_chain(terms: int, names: tuple[str, ...] = ("dbkk", "atk")) -> str:
    """An ``or`` of ``terms`` yes/no inputs (short names fit 150 terms in 2,000 characters)."""
    return " or ".join(names[k % len(names)] for k in range(terms))


def limit_texts() -> list[tuple[str, Callable[[], str], str]]:
    """(name, text, expectation): ``refused`` (a RulesetError naming the limit), ``runs``
    (validates and evaluates), or ``sound`` (either, never validated and then failing)."""
    rng = random.Random(1)
    return [
        ("360 indicators", lambda: uniform(1, 360), "refused"),
        ("400 indicators", lambda: uniform(1, 400), "refused"),
        ("2 x 350 indicators", lambda: uniform(2, 350), "refused"),
        ("1,400 indicators", lambda: uniform(20, 70), "refused"),
        ("64 criteria", lambda: uniform(64, 1), "refused"),
        ("80 criteria", lambda: uniform(80, 1), "refused"),
        ("a 150-term or", lambda: ruleset_text([[or_chain(150)]]), "sound"),
        (
            "a 150-term or of long names",
            lambda: ruleset_text([[or_chain(150, tuple(BOOLS))]]),
            "sound",
        ),
        ("16 nested groups", lambda: ruleset_text([[nested_condition(rng, 16)]]), "refused"),
        ("20 nested groups", lambda: ruleset_text([[nested_condition(rng, 20)]]), "refused"),
        ("a wide fact (48 x 5 slots)", lambda: slot_heavy(48, 5), "refused"),
        ("150 missing-value tests", lambda: slot_heavy(6, 25), "refused"),
        ("300 indicators", lambda: uniform(1, 300), "runs"),
        ("50 criteria", lambda: uniform(50, 1), "runs"),
        (
            "14 nested groups",
            lambda: ruleset_text([["has_craft_village", nested_condition(rng, 14)]]),
            "runs",
        ),
        ("a 100-term or", lambda: ruleset_text([[or_chain(100)]]), "sound"),
        ("12 criteria x 30", lambda: uniform(12, 30), "sound"),
    ]


def names_a_limit(message: str) -> bool:
    return "rule engine" in message or "limit" in message


def case_limit_api(make: Callable[[], str], expectation: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "big.yaml", make())
        try:
            ruleset = load_ruleset(path)
        except RulesetError as exc:  # e.g. a condition over 2,000 characters
            check(expectation == "sound", f"refused at load: {short(exc)}")
            check(exc.line is not None, f"no line: {short(exc)}")
            return
        try:
            prove_runs(ruleset)
        except RulesetError as exc:
            check(expectation != "runs", f"refused: {short(exc)}")
            check(names_a_limit(str(exc)), f"no limit named: {short(exc)}")
            check(exc.file == str(path), f"file {exc.file!r}, not {path}")
            return
        check(expectation != "refused", "validated, expected a RulesetError naming the limit")
        evaluator = evaluator_for(ruleset)
        rng = random.Random(2)
        for n in range(20):
            evaluator.evaluate(random_record(rng, f"L{n}")).to_dict()

    return run


def case_limit_cli(make: Callable[[], str], expectation: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "big.yaml", make())
        proc = cli("validate", path)
        if expectation == "runs" or (expectation == "sound" and proc.returncode == 0):
            succeeded(proc)
            return
        line = error_line(proc)
        check(str(path) in line, f"file not named: {short(line)}")
        check(names_a_limit(line) or expectation == "sound", f"no limit named: {short(line)}")

    return run


def limit_cases() -> list[Case]:
    cases = []
    for name, make, expectation in limit_texts():
        cases.append(Case("limits", f"{name}: {expectation}", case_limit_api(make, expectation)))
        cases.append(Case("limits", f"CLI validate, {name}", case_limit_cli(make, expectation)))
    return cases
