"""Inputs read silently wrong, and internal errors (issue items 5 and 6): duplicate keys and
columns, ambiguous CSV numbers (``41.500``), strict number syntax, short and long rows, codes
equal but for their Unicode form or spaces, numbers and texts that were internal errors; each
refused naming the record and the field, or read as meant."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ntm_rules
from ntm_rules import InputError, evaluator_for
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.structuring import load_records

from ..common import BASE, NATIONAL_ID, SONLA_ID, nfd, short
from .checks import Case, check, cli, error_line, json_rows, raises, write


def records_from(folder: Path, name: str, data: str | bytes) -> list[Any]:
    return load_records(write(folder, name, data), Commune2021)


def case_input_refused(
    name: str, data: str | bytes, field_name: str | None, phrase: str | None = None
) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        error = raises(InputError, lambda: records_from(folder, name, data))
        check(bool(error.record), f"no record named: {short(error)}")
        if field_name is not None:
            check(
                error.field == field_name,
                f"field {error.field!r}, expected {field_name!r}: {short(error)}",
            )
        if phrase is not None:
            check(phrase in str(error), f"message lacks {phrase!r}: {short(error)}")

    return run


def case_input_read(name: str, data: str, field_name: str, want: Any) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        (record,) = records_from(folder, name, data)
        got = getattr(record, field_name)
        check(
            got == want and type(got) is type(want), f"{field_name} read as {got!r}, want {want!r}"
        )

    return run


def case_cli_input(
    name: str, data: str | bytes, phrases: tuple[str, ...]
) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, name, data)
        line = error_line(cli("evaluate", "-r", NATIONAL_ID, path, "-f", "json"))
        for phrase in phrases:
            check(phrase in line, f"message lacks {phrase!r}: {short(line)}")

    return run


def csv_text(header: list[str], *rows: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# the fields a record sends twice: (as a JSON literal, as a CSV cell)
TWICE = {
    "code": ('"A"', "A"),
    "region": ('"tn"', "tn"),
    "year": ("2024", "2024"),
    "income_per_capita": ("41.5", "41,5"),
    "master_plan_approved": ("true", "có"),
}


def duplicate_json(key: str, spelled: str) -> str:
    """A JSON record with ``key`` sent again (another value where it can) as ``spelled``."""
    pairs = [f'"{k}": {literal}' for k, (literal, _) in TWICE.items()]
    pairs.append(f'"{spelled}": {TWICE[key][0].replace("A", "B").replace("41.5", "42")}')
    return "[{" + ", ".join(pairs) + "}]"


def duplicate_csv(key: str, spelled: str) -> str:
    """A CSV file with the column ``key`` again, as ``spelled``."""
    cells = [cell for _, cell in TWICE.values()]
    return csv_text([*TWICE, spelled], [*cells, TWICE[key][1]])


def single_csv(field_name: str, cell: str) -> str:
    return csv_text(["code", "region", "year", field_name], ["A", "tn", "2024", cell])


def single_json(field_name: str, literal: str) -> str:
    return f'[{{"code": "A", "region": "tn", "year": 2024, "{field_name}": {literal}}}]'


def case_province_nfd(transport: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        row = {**BASE, "province": nfd("Sơn La")}
        if transport == "dict":
            result = ntm_rules.evaluate(SONLA_ID, row)
        else:
            text = (
                json_rows([row])
                if transport == "json"
                else csv_text(list(row), [str(v) for v in row.values()])
            )
            (record,) = records_from(folder, f"p.{transport}", text)
            result = evaluator_for(SONLA_ID).evaluate(record)
        check(result.unit.province == "Sơn La", f"province read as {result.unit.province!r}")

    return run


def case_dict_huge(folder: Path) -> None:
    for value in (10**5000, 10**309, 2.0**1000 * 2.0**23):
        row = {**BASE, "income_per_capita": value}
        error = raises(InputError, functools.partial(ntm_rules.evaluate, NATIONAL_ID, row))
        check(error.field == "income_per_capita", f"field {error.field!r}")


def input_cases() -> list[Case]:
    cases: list[Case] = []

    def add(name: str, run: Callable[[Path], None]) -> None:
        cases.append(Case("inputs", name, run))

    for key in TWICE:
        for spelled in (key, key + " ", " " + key):
            how = "exact" if spelled == key else repr(spelled)
            add(
                f"JSON key {key} twice ({how})",
                case_input_refused("d.json", duplicate_json(key, spelled), key),
            )
            add(
                f"CSV column {key} twice ({how})",
                case_input_refused("d.csv", duplicate_csv(key, spelled), key),
            )
    units_twice = '{"units": [], "units": [{"code": "A", "region": "tn", "year": 2024}]}'
    add("JSON 'units' twice", case_input_refused("u.json", units_twice, "units"))
    income = "income_per_capita"
    for cell in ("41.500", "41,500", "1,234", "999.000", "-41.500", "100,000"):
        add(
            f"CSV {cell} is ambiguous",
            case_input_refused("a.csv", single_csv(income, cell), income, "ambiguous"),
        )
    for cell, value in (("41,5", 41.5), ("41.5000", 41.5), ("1234,5", 1234.5), ("041.500", 41.5)):
        add(
            f"CSV {cell} reads {value}",
            case_input_read("n.csv", single_csv(income, cell), income, value),
        )
    for field_name, cell in (
        (income, "4_1.5"),
        (income, "４１"),
        (income, "1 234"),
        (income, "١٢"),
        (income, "1.234.567"),
        ("temporary_houses", "1e3"),
        ("temporary_houses", "12,5"),
    ):
        add(
            f"CSV {field_name} {cell!r} refused",
            case_input_refused("s.csv", single_csv(field_name, cell), field_name),
        )
    short_row = "code,region,year,income_per_capita\nA,tn,2024\n"
    long_row = "code,region,year\nA,tn,2024,41\n"
    add("CSV short row", case_input_refused("r.csv", short_row, None, "fewer cells"))
    add("CSV long row", case_input_refused("r.csv", long_row, None, "more cells"))
    for how, second in (
        ("NFD", nfd("Mộc Châu")),
        ("trailing space", "Mộc Châu "),
        ("NBSP", "Mộc Châu\u00a0"),
    ):
        rows = [{**BASE, "code": "Mộc Châu"}, {**BASE, "code": second}]
        add(
            f"JSON codes equal but for {how}",
            case_input_refused("c.json", json_rows(rows), "code", "duplicate code"),
        )
        text = csv_text(
            ["code", "region", "year"], ["Mộc Châu", "tn", "2024"], [second, "tn", "2024"]
        )
        add(
            f"CSV codes equal but for {how}",
            case_input_refused("c.csv", text, "code", "duplicate code"),
        )
    for transport in ("dict", "json", "csv"):
        add(f"NFD 'Sơn La' via {transport}", case_province_nfd(transport))
    add(
        "CLI: JSON key twice",
        case_cli_input("d.json", duplicate_json("year", "year"), ("year", "twice")),
    )
    add(
        "CLI: CSV column twice",
        case_cli_input("d.csv", duplicate_csv("region", "region "), ("region",)),
    )
    add(
        "CLI: CSV 41.500",
        case_cli_input("a.csv", single_csv(income, "41.500"), (income, "ambiguous")),
    )
    # numbers and texts that were "internal errors"
    huge = {
        "5,000-digit integer": single_json(income, "9" * 5000),
        "integer above 1.8e308": single_json(income, "1" + "0" * 309),
        "1e400": single_json(income, "1e400"),
        "nested 100,000 deep": single_json(income, "[" * 100_000 + "]" * 100_000),
        "lone surrogate in code": '[{"code": "A\\ud800", "region": "tn", "year": 2024}]',
    }
    for what, text in huge.items():
        blamed = None if "nested" in what else ("code" if "code" in what else income)
        add(f"JSON {what}", case_input_refused("h.json", text, blamed))
        add(f"CLI: JSON {what}", case_cli_input("h.json", text, ()))
    invalid = b'[{"code": "A\xff", "region": "tn", "year": 2024}]'
    add("JSON code not UTF-8", case_input_refused("b.json", invalid, None, "UTF-8"))
    add("CLI: JSON code not UTF-8", case_cli_input("b.json", invalid, ("UTF-8",)))
    add("dict: huge numbers", case_dict_huge)
    return cases
