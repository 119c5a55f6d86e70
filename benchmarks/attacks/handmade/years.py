"""Years and dates (issue item 6): a record's year outside 1990-2100 or not a whole number, and
``year=`` or ``on=`` arguments of the wrong kind or outside the ruleset's validity, are refused
with a message of the library, never an internal error; ``2023.0`` is the year 2023."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ntm_rules
from ntm_rules import EvaluationError, InputError

from ..common import BASE, NATIONAL_ID, short
from .checks import Case, check, cli, error_line, json_rows, raises, write


def case_record_year(value: Any, want: int | None) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        row = {**BASE, "year": value}
        if want is None:
            error = raises(InputError, lambda: ntm_rules.evaluate(NATIONAL_ID, row))
            check(error.field == "year", f"field {error.field!r}: {short(error)}")
        else:
            result = ntm_rules.evaluate(NATIONAL_ID, row)
            check(result.assessed_on.year == want, f"assessed in {result.assessed_on.year}")

    return run


def case_year_argument(**kwargs: Any) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        row = {"code": "A", "region": "tn"}
        error = raises(EvaluationError, lambda: ntm_rules.evaluate(NATIONAL_ID, row, **kwargs))
        check("internal" not in str(error), f"message: {short(error)}")

    return run


def case_cli_year(option: str | None, year_in_data: Any, code: int) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        data = write(folder, "y.json", json_rows([{**BASE, "year": year_in_data}]))
        extra = ["--year", option] if option is not None else []
        error_line(cli("evaluate", "-r", NATIONAL_ID, data, *extra), code)

    return run


def year_cases() -> list[Case]:
    cases = [
        Case("years", f"record year {value!r}", case_record_year(value, want))
        for value, want in (
            (0, None),
            (10000, None),
            (-5, None),
            ("2023", None),
            (True, None),
            (2023.5, None),
            (2023.0, 2023),
        )
    ]
    for value in (0, 10000, -1, "2023", 2023.0, True, None):
        if value is not None:
            cases.append(Case("years", f"year={value!r}", case_year_argument(year=value)))
    for on in (
        dt.datetime(2024, 1, 1),
        "2024-12-31",
        2024,
        dt.date(2021, 1, 1),
        dt.date(2030, 1, 1),
    ):
        cases.append(Case("years", f"on={on!r}", case_year_argument(on=on)))
    cases.append(Case("years", "CLI --year 0", case_cli_year("0", 2024, 1)))
    cases.append(Case("years", "CLI --year 10000", case_cli_year("10000", 2024, 1)))
    cases.append(Case("years", "CLI --year abc", case_cli_year("abc", 2024, 2)))
    cases.append(Case("years", "CLI data year 0", case_cli_year(None, 0, 1)))
    cases.append(Case("years", "CLI data year '2023'", case_cli_year(None, "2023", 1)))
    return cases
