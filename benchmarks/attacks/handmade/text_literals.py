"""Text literals in conditions (issue item 1): ``==``, ``!=``, ``in`` and ``not in`` against
Vietnamese place names must mean what they mean in Python, whatever the input's Unicode form
or spaces."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ntm_rules import evaluator_for, load_ruleset
from tests.generated_rulesets import ruleset_text

from ..common import BASE, nfc, nfd
from .checks import Case, check, cli, find_indicator, json_rows, succeeded, write

LITERALS = (
    "Mộc Châu",
    "Sơn La",
    "Hà Nội",
    "Đắk Lắk",
    "Thừa Thiên Huế",
    "Bà Rịa - Vũng Tàu",
    "Bản Phủ 🌾",
    "Ea H'Leo",
)
TEXT_OPS = (("==", "district"), ("!=", "name"), ("in", "province"), ("not in", "district"))
TEXT_INPUTS = ("exact", "nfd", "padded", "other", "missing")


def literal_source(text: str) -> str:
    """A text literal inside a YAML double-quoted condition."""
    return f'\\"{text}\\"' if "'" in text else f"'{text}'"


def other_literal(literal: str) -> str:
    """The second text of an ``in`` list."""
    return "Hà Nội" if literal != "Hà Nội" else "Sơn La"


def literal_condition(literal: str, op: str, name: str) -> str:
    other = other_literal(literal)
    if op in ("in", "not in"):
        return f"{name} {op} [{literal_source(literal)}, {literal_source(other)}]"
    return f"{name} {op} {literal_source(literal)}"


def literal_input(literal: str, variant: str) -> str | None:
    return {
        "exact": literal,
        "nfd": nfd(literal),
        "padded": f"  {literal} ",
        "other": "Mường La",
        "missing": None,
    }[variant]


def python_status(value: str | None, literal: str, op: str) -> str:
    """What the condition means in Python (the oracle): NFC, stripped, compared."""
    if value is None:
        return "missing"
    other = other_literal(literal)
    text = nfc(value).strip()
    met = {
        "==": text == literal,
        "!=": text != literal,
        "in": text in (literal, other),
        "not in": text not in (literal, other),
    }[op]
    return "met" if met else "not_met"


def literal_ruleset(folder: Path, literal: str, op: str, name: str) -> Path:
    condition = literal_condition(literal, op, name)
    return write(folder, "literal.yaml", ruleset_text([["income_per_capita >= 0", condition]]))


def case_text_literal(literal: str, op: str, name: str, variant: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        evaluator = evaluator_for(load_ruleset(literal_ruleset(folder, literal, op, name)))
        value = literal_input(literal, variant)
        record = {**BASE, "income_per_capita": 50.0}
        if value is not None:
            record[name] = value
        got = find_indicator(evaluator.evaluate(record), "i1").status
        want = python_status(value, literal, op)
        check(got == want, f"{name} {op} {literal!r} with {value!r}: {got}, Python says {want}")

    return run


def case_text_literal_cli(op: str, name: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        literal = "Mộc Châu"
        ruleset = literal_ruleset(folder, literal, op, name)
        rows = []
        for n, variant in enumerate(TEXT_INPUTS):
            row: dict[str, Any] = {**BASE, "code": f"T{n}", "income_per_capita": 50.0}
            value = literal_input(literal, variant)
            if value is not None:
                row[name] = value
            rows.append(row)
        data = write(folder, "data.json", json_rows(rows))
        proc = cli("evaluate", "--ruleset", ruleset, data, "--format", "json")
        succeeded(proc)
        results = json.loads(proc.stdout)["results"]
        for variant, result in zip(TEXT_INPUTS, results, strict=True):
            found = [
                i["status"] for c in result["criteria"] for i in c["indicators"] if i["id"] == "i1"
            ]
            want = python_status(literal_input(literal, variant), literal, op)
            check(found == [want], f"{variant}: {found}, Python says {want}")

    return run


def text_literal_cases() -> list[Case]:
    cases = []
    for literal in LITERALS:
        for op, name in TEXT_OPS:
            for variant in TEXT_INPUTS:
                cases.append(
                    Case(
                        "text-literals",
                        f"{name} {op} {literal!r}, input {variant}",
                        case_text_literal(literal, op, name, variant),
                    )
                )
    for op, name in TEXT_OPS:
        cases.append(
            Case("text-literals", f"CLI: {name} {op} 'Mộc Châu'", case_text_literal_cli(op, name))
        )
    return cases
