"""Injection: YAML tags (``!!python/object/apply``) and Python in conditions are refused at
load naming their line, and the injected code never runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ntm_rules import RulesetError, load_ruleset
from tests.generated_rulesets import ruleset_text

from ..common import MINIMAL_TEXT, short
from .checks import Case, check, line_of, raises, write


def case_injection(make: Callable[[Path], str], where: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        marker = folder / "marker"
        text = make(marker)
        path = write(folder, "inject.yaml", text)
        error = raises(RulesetError, lambda: load_ruleset(path))
        check(error.line is not None and error.file == str(path), f"not located: {short(error)}")
        if where:
            line = line_of(text, where)
            check(error.line == line, f"line {error.line}, expected {line}: {short(error)}")
        check(not marker.exists(), "the injected code ran")

    return run


def injection_cases() -> list[Case]:
    def tag(payload: str) -> Callable[[Path], str]:
        return lambda m: MINIMAL_TEXT.replace("note: Test value.", f"note: {payload.format(m=m)}")

    def condition(payload: str) -> Callable[[Path], str]:
        return lambda m: ruleset_text([["income_per_capita >= 0", payload.format(m=m)]])

    cases = []
    for payload in (
        '!!python/object/apply:os.system ["touch {m}"]',
        '!!python/object/new:pathlib.Path ["{m}"]',
        '!!python/name:os.system ""',
        '!!python/object/apply:subprocess.call [["touch", "{m}"]]',
        "!!binary aGVsbG8=",
    ):
        cases.append(
            Case("injection", f"YAML tag {payload[:30]}", case_injection(tag(payload), "note: !!"))
        )
    for payload in (
        "__import__('os').system('touch {m}')",
        "income_per_capita.__class__.__mro__",
        "exec('open({m})')",
        "income_per_capita >= 1; import os",
    ):
        cases.append(
            Case(
                "injection",
                f"condition {payload[:30]}",
                case_injection(condition(payload), "id: 'i1'"),
            )
        )
    return cases
