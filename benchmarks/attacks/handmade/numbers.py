"""Numbers the engine cannot hold (issue item 2): infinite, not a number, 400 digits or 10^16,
in a parameter value, a ``by`` table, a value line or a condition, are refused at load naming
their line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ntm_rules import RulesetError, load_ruleset
from tests.generated_rulesets import ruleset_text

from ..common import MINIMAL_TEXT, short
from ..ruleset_cases import UNHOLDABLE
from .checks import (
    Case,
    check,
    line_of,
    raises,
    write,
)

BAD_NUMBERS = (*UNHOLDABLE[:4], ".Inf", *UNHOLDABLE[4:], "10000000000000001")


def case_bad_number(template: str, old: str, value: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        text = template.replace(old, old.replace("@", value), 1)
        path = write(folder, "numbers.yaml", text)
        error = raises(RulesetError, lambda: load_ruleset(path))
        line = line_of(text, old.replace("@", value))
        check(
            (error.file, error.line) == (str(path), line),
            f"at {error.file}:{error.line}, expected line {line}: {short(error)}",
        )

    return run


def number_cases() -> list[Case]:
    generated = ruleset_text([["income_per_capita >= 1"]]).replace("value: 40}", "value: @}")
    minimal_by = MINIMAL_TEXT.replace("by: {general: 48,", "by: {general: @,")
    minimal_value = MINIMAL_TEXT.replace("        value: 80\n", "        value: @\n")
    cases = []
    for value in BAD_NUMBERS:
        for place, template, old in (
            ("parameter value", generated, "value: @}"),
            ("by: general", minimal_by, "by: {general: @,"),
            ("value line", minimal_value, "value: @\n"),
        ):
            cases.append(
                Case(
                    "numbers", f"{place} {short(value, 12)}", case_bad_number(template, old, value)
                )
            )
    for literal in ("9" * 400, "10000000000000000", "99999999999999999"):
        condition = ruleset_text([[f"income_per_capita >= {literal}"]])
        cases.append(
            Case(
                "numbers",
                f"condition literal {short(literal, 12)}",
                case_bad_number(condition.replace(f">= {literal}", ">= @"), ">= @", literal),
            )
        )
    return cases
