"""Messages: a usage error is one error line and exit code 2, never a traceback; a number
refused is shown exactly as sent (``100.0000001``, not ``100``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ntm_rules
from ntm_rules import InputError

from .. import REPO
from ..common import BASE, NATIONAL_ID, short
from .checks import Case, check, cli, error_line, raises, write
from .inputs import records_from, single_csv, single_json


def case_usage(*args: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        error_line(cli(*args), 2)

    return run


def usage_cases() -> list[Case]:
    commands = ("evaluate", "explain", "gap", "validate", "schema", "audit", "rulesets")
    cases = [Case("usage", f"{c} --bogus", case_usage(c, "--bogus")) for c in commands]
    data = str(REPO / "examples" / "sonla-communes-2023.json")
    for args in (
        ("evaluate", "-r", NATIONAL_ID, data, "--format", "xml"),
        ("evaluate", "-r", NATIONAL_ID, data, "--lang", "fr"),
        ("evaluate", "-r", NATIONAL_ID, data, "--year", "abc"),
        ("evaluate", "-r", NATIONAL_ID),
        ("evaluate", data),
        ("evaluate", "-Z", data),
        ("bogus-command",),
    ):
        cases.append(
            Case("usage", " ".join(a if a != data else "DATA" for a in args), case_usage(*args))
        )
    return cases


def case_exact_message(
    transport: str, field_name: str, value: Any, shown: str
) -> Callable[[Path], None]:
    def refuse(folder: Path) -> str:
        """The message refusing ``value``, through ``transport``."""
        if transport == "cli":
            path = write(folder, "x.json", single_json(field_name, value))
            return error_line(cli("evaluate", "-r", NATIONAL_ID, path))
        if transport == "dict":
            row = {**BASE, field_name: value}
            return str(raises(InputError, lambda: ntm_rules.evaluate(NATIONAL_ID, row)))
        name, text = (
            ("x.json", single_json(field_name, value))
            if transport == "json"
            else ("x.csv", single_csv(field_name, value))
        )
        return str(raises(InputError, lambda: records_from(folder, name, text)))

    def run(folder: Path) -> None:
        message = refuse(folder)
        check(shown in message, f"message lacks {shown}: {short(message)}")

    return run


def exact_number_cases() -> list[Case]:
    pct = "commune_roads_paved_pct"
    rows = [
        ("dict", pct, 100.0000001, "100.0000001"),
        ("json", pct, "100.0000001", "100.0000001"),
        ("csv", pct, "100.0000001", "100.0000001"),
        ("csv", pct, "100,0000001", "100.0000001"),
        ("dict", pct, 100.00000000000001, "100.00000000000001"),
        ("dict", "income_per_capita", -0.5, "-0.5"),
        ("dict", "temporary_houses", 3.5, "3.5"),
        ("cli", pct, "100.0000001", "100.0000001"),
    ]
    return [
        Case("exact-numbers", f"{t} {f} {v!r} shows {s}", case_exact_message(t, f, v, s))
        for t, f, v, s in rows
    ]
