"""The results workbook (``evaluate --format xlsx``), read back with openpyxl: every count
against the library's own results, in both languages, for a ruleset, a ladder and a data set;
colours, frozen panes and filters; the same bytes from the same results."""

from __future__ import annotations

import io
import sys
import types
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from cli_support import failed, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook

from ntm_rules.aggregate.report import DataSetReport, evaluate_data_set
from ntm_rules.aggregate.tally import LadderTally, Tally, level_status
from ntm_rules.batch import evaluate_many, resolve
from ntm_rules.ladder import Ladder, LadderResult, level_rulesets
from ntm_rules.models.structuring import load_records
from ntm_rules.result import MET, EvaluationResult
from ntm_rules.ruleset.model import Ruleset
from ntm_rules.text import Lang
from ntm_rules.workbook import data_set_workbook, ladder_workbook, ruleset_workbook
from ntm_rules.workbook.sheets import TONES
from ntm_rules.workbook.summary import bucket_label
from ntm_rules.workbook.words import COLUMNS, SHEETS, STATUSES, SUMMARY, UNVERIFIED

EXAMPLES = Path(__file__).parent.parent / "examples"
COMMUNES = EXAMPLES / "sonla-communes-2023.json"
PROVINCE = EXAMPLES / "sonla-province-2023.json"
LANGS: tuple[Lang, ...] = ("vi", "en")


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    found = resolve("sonla.commune.ntm.2021")
    assert isinstance(found, Ruleset)
    return found


@pytest.fixture(scope="module")
def results(ruleset: Ruleset) -> list[EvaluationResult]:
    return evaluate_many(ruleset, load_records(COMMUNES, ruleset.model))


@pytest.fixture(scope="module")
def ladder() -> Ladder:
    found = resolve("sonla.commune.2021")
    assert isinstance(found, Ladder)
    return found


@pytest.fixture(scope="module")
def placed(ladder: Ladder) -> list[LadderResult]:
    model = level_rulesets(ladder)[0].model
    return evaluate_many(ladder, load_records(COMMUNES, model))


@pytest.fixture(scope="module")
def report() -> DataSetReport:
    return evaluate_data_set("sonla.province.2021", PROVINCE)


def read(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def table(book: Workbook, name: str) -> list[dict[str, Any]]:
    """A table sheet's rows as dicts by header."""
    rows = list(book[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def summary_value(
    book: Workbook, label: str, lang: Lang, column: int = 1, section: str | None = None
) -> Any:
    """The value beside a label of the summary sheet (its first occurrence, after the heading
    ``section`` if given)."""
    inside = section is None
    for row in book[SHEETS["summary"](lang)].iter_rows(values_only=True):
        inside = inside or row[0] == section
        if inside and row[0] == label:
            return row[column]
    raise AssertionError(f"no line {label!r}")


def status_word(status: str, lang: Lang) -> str:
    return STATUSES[status](lang)


@pytest.mark.parametrize("lang", LANGS)
def test_ruleset_workbook_counts_match_the_results(
    results: list[EvaluationResult], ruleset: Ruleset, lang: Lang
) -> None:
    book = read(ruleset_workbook(iter(results), ruleset, lang))
    col = {key: text(lang) for key, text in COLUMNS.items()}
    assert book.sheetnames[0] == SHEETS["summary"](lang)
    assert book.sheetnames[-1] == SHEETS["errors"](lang)
    units = table(book, SHEETS["units"](lang))
    assert [u[col["code"]] for u in units] == [r.unit.code for r in results]
    assert [u[col["criteria_met"]] for u in units] == [r.criteria_met for r in results]
    statuses = Counter(u[col["status"]] for u in units)
    found = Tally(ruleset)
    for result in results:
        found.add(result)
    counts = found.summary()
    for key in ("met", "not_met", "missing"):
        assert statuses[status_word(key, lang)] == counts[key]
        assert summary_value(book, SUMMARY[key](lang), lang) == counts[key]
    assert summary_value(book, SUMMARY["units"](lang), lang) == len(results)
    assert summary_value(book, SUMMARY["average"](lang), lang) == counts["average_criteria_met"]
    for band in counts["distribution"]:
        label = bucket_label(band["min"], band["max"], lang)
        assert summary_value(book, label, lang) == band["units"]
    unverified = sum(1 for u in units if u[col["unverified"]] == UNVERIFIED)
    assert unverified == counts["rests_on_unverified"] > 0
    assert summary_value(book, SUMMARY["unverified"](lang), lang) == unverified
    # the matrix: a unit's cell per criterion, its status and mark
    matrix = table(book, SHEETS["matrix"](lang))
    heads = [f"{c.id}. {c.name(lang)}" for c in ruleset.criteria]
    for row, result in zip(matrix, results, strict=True):
        rests = result.detail.criterion_rests()
        for head, status, mark in zip(heads, result.detail.criterion_statuses, rests, strict=True):
            word = status_word(status, lang)
            assert row[head] == (f"{word} {UNVERIFIED}" if mark else word)
    # the indicators: one row per unit and indicator, values as numbers
    indicators = table(book, SHEETS["indicators"](lang))
    assert len(indicators) == sum(len(r.indicators) for r in results)
    first = results[0]
    for row, indicator in zip(indicators, first.indicators, strict=False):
        assert row[col["indicator"]] == indicator.id
        assert row[col["status"]] == status_word(indicator.status, lang)
        primary = indicator.primary
        value = primary.value if primary is not None else None
        if primary is not None and isinstance(value, int | float) and not isinstance(value, bool):
            assert row[col["value"]] == value
            assert row[col["margin"]] == primary.margin


@pytest.mark.parametrize("lang", LANGS)
def test_ladder_workbook_places_levels_and_targets(
    placed: list[LadderResult], ladder: Ladder, lang: Lang
) -> None:
    levels = level_rulesets(ladder)
    book = read(ladder_workbook(iter(placed), ladder, levels, lang))
    counts = LadderTally(ladder, levels)
    for result in placed:
        counts.add(result)
    found = counts.summary()
    units = table(book, SHEETS["units"](lang))
    places = Counter(u[COLUMNS["place"](lang)] for u in units)
    for place in found["places"]:
        assert places[place["name"][lang]] == place["units"]
        assert summary_value(book, place["name"][lang], lang) == place["units"]
    for n, level in enumerate(levels):
        column = [u[level.level.name(lang)] for u in units]
        met = sum(1 for r in placed if level_status(r, n) == MET)
        assert sum(1 for v in column if v == status_word(MET, lang)) == met
        levels_heading = SUMMARY["levels"](lang)
        name = level.level.name(lang)
        row = [summary_value(book, name, lang, c, levels_heading) for c in (1, 2, 3)]
        assert row[0] == found["levels"][n]["met"]
        assert row[2] == found["levels"][n]["at_or_above"]
    # a matrix per level, each as long as the units
    matrices = [name for name in book.sheetnames if name.startswith(SHEETS["matrix"](lang))]
    assert len(matrices) == len(levels)
    for name, level in zip(matrices, levels, strict=True):
        rows = table(book, name)
        assert len(rows) == len(placed)
        assert len(rows[0]) == 4 + len(level.criteria)
    # targets: what was reached, against the goal, and done or not
    for target in found["targets"]:
        line = next(
            row
            for row in book[SHEETS["summary"](lang)].iter_rows(values_only=True)
            if row[0] == target["text"][lang]
        )
        assert line[3] == ("✓" if target["met"] else "✗")
        if target["kind"] == "count":
            assert line[1:3] == (target["reached"], target["count"])
        if target["kind"] == "floor":
            assert line[4] == target["below"]
    # the indicator detail is of the level each unit works towards
    indicators = table(book, SHEETS["indicators"](lang))
    expected = sum(len((r.next_result or r.results[-1]).indicators) for r in placed)
    assert len(indicators) == expected


def test_every_table_sheet_is_frozen_filtered_and_coloured(
    placed: list[LadderResult], ladder: Ladder
) -> None:
    book = read(ladder_workbook(iter(placed), ladder, level_rulesets(ladder), "vi"))
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + str(
            sheet.max_row
        )
        assert sheet.cell(1, 1).font.bold
    matrix = book[book.sheetnames[2]]
    colours = {}
    for row in matrix.iter_rows(min_row=2, min_col=5):
        for cell in row:
            if cell.value:
                word = str(cell.value).removesuffix(f" {UNVERIFIED}")
                colours.setdefault(word, cell.fill.fgColor.rgb)
    for status in ("met", "not_met", "missing"):
        fill = TONES[status][0]
        assert fill is not None
        assert colours[status_word(status, "vi")] == fill.fgColor.rgb
    assert len(set(colours.values())) == 3


def test_data_set_workbook_progress_aggregates_and_members(report: DataSetReport) -> None:
    lang: Lang = "vi"
    book = read(data_set_workbook(report, lang))
    col = {key: text(lang) for key, text in COLUMNS.items()}
    progress = table(book, SHEETS["progress"](lang))
    rows = report.progress()
    assert len(progress) == len(rows) + 1  # and a total
    for line, row in zip(progress, rows, strict=False):
        assert line[col["code"]] == row.unit.ref.code
        assert line[col["communes"]] == len(row.communes) + len(row.missing)
        found = row.summary()
        assert found is not None
        assert line[col["average"]] == found["average_criteria_met"]
    total = progress[-1]
    assert total[col["communes"]] == sum(len(r.communes) + len(r.missing) for r in rows)
    communes = [r for row in rows for r in row.communes]
    average = sum(r.results[0].criteria_met for r in communes) / len(communes)
    assert total[col["average"]] == round(average, 2)
    aggregates = table(book, SHEETS["aggregates"](lang))
    assert len(aggregates) == sum(len(unit.aggregates) for unit in report.units)
    for line, value in zip(aggregates, report.units[0].aggregates, strict=False):
        assert line[col["aggregate"]] == value.field
        assert line[col["members"]] == value.members
        holding = line[col["holding_back"]] or ""
        assert all(ref.code in holding for ref in value.not_counted)
    units = table(book, SHEETS["units"](lang))
    assert [u[col["code"]] for u in units] == [unit.ref.code for unit in report.units]
    members = [name for name in book.sheetnames if name.startswith(SHEETS["units"](lang) + " –")]
    sizes = sorted(len(table(book, name)) for name in members)
    assert sizes == sorted(len(a.units) for a in report.assessments()[1:] if a.ladder is not None)


def test_same_results_same_bytes(results: list[EvaluationResult], ruleset: Ruleset) -> None:
    first = ruleset_workbook(iter(results), ruleset, "en")
    assert first == ruleset_workbook(iter(results), ruleset, "en")
    assert first != ruleset_workbook(iter(results), ruleset, "vi")


@pytest.mark.parametrize("lang", LANGS)
def test_errors_sheet_lists_every_record_error(
    results: list[EvaluationResult], ruleset: Ruleset, lang: Lang
) -> None:
    errors = [("Sheet1!5", "income", "'abc' is not a number"), ("Sheet1!9", "region", "?")]
    book = read(ruleset_workbook(iter(results[:3]), ruleset, lang, errors=errors))
    rows = list(book[SHEETS["errors"](lang)].iter_rows(values_only=True))
    assert rows[0] == tuple(COLUMNS[k](lang) for k in ("record", "field", "message"))
    assert rows[1:] == errors
    assert summary_value(book, SUMMARY["errors"](lang), lang) == len(errors)
    empty = read(ruleset_workbook(iter(results[:3]), ruleset, lang))
    assert empty[SHEETS["errors"](lang)].max_row == 1


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_summary_counts_equal_the_units_sheet(
    results: list[EvaluationResult], ruleset: Ruleset, data: st.DataObject
) -> None:
    """For any subset of the sample units, the summary counts what the units sheet lists."""
    chosen = data.draw(st.lists(st.sampled_from(results), max_size=12, unique_by=id))
    lang = data.draw(st.sampled_from(LANGS))
    book = read(ruleset_workbook(iter(chosen), ruleset, lang))
    units = table(book, SHEETS["units"](lang))
    assert summary_value(book, SUMMARY["units"](lang), lang) == len(units) == len(chosen)
    statuses = Counter(u[COLUMNS["status"](lang)] for u in units)
    for key in ("met", "not_met", "missing"):
        assert summary_value(book, SUMMARY[key](lang), lang) == statuses[status_word(key, lang)]
    met = Counter(u[COLUMNS["criteria_met"](lang)] for u in units)
    for band in Tally(ruleset).summary()["distribution"]:
        label = bucket_label(band["min"], band["max"], lang)
        inside = sum(n for k, n in met.items() if band["min"] <= k <= band["max"])
        assert summary_value(book, label, lang) == inside


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_evaluate_writes_the_workbook(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "ketqua.xlsx"
    args = ("evaluate", "--ruleset", "sonla.commune.2021", COMMUNES, "-f", "xlsx")
    ok(run(*args, "-o", target, "--lang", lang))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == SHEETS["summary"](lang)  # type: ignore[arg-type]
    assert len(table(book, SHEETS["units"](lang))) == 188  # type: ignore[arg-type]
    piped = ok(run(*args, "--lang", lang))  # stdout is not a terminal: the bytes
    assert piped.stdout_bytes == target.read_bytes()


def test_evaluate_data_set_workbook(tmp_path: Path) -> None:
    target = tmp_path / "tinh.xlsx"
    ok(run("evaluate", "--ruleset", "sonla.province.2021", PROVINCE, "-f", "xlsx", "-o", target))
    assert SHEETS["progress"]("vi") in openpyxl.load_workbook(target).sheetnames


def test_evaluate_refuses_a_workbook_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = types.SimpleNamespace(stdout=types.SimpleNamespace(isatty=lambda: True))
    module = sys.modules["ntm_rules.cli.evaluate"]  # the package exports a function so named
    monkeypatch.setattr(module, "sys", terminal)
    line = failed(run("evaluate", "-r", "sonla.commune.2021", COMMUNES, "-f", "xlsx"), 2)
    assert "--output" in line
