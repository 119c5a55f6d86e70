"""The results workbook of a ruleset, a ladder or a data set: summary, units, criteria matrix,
indicator detail and errors sheets (a data set adds the progress by district, the aggregates of
the target's units and the member units). Results are read once, as they come."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from ..aggregate.report import DataSetReport, ProgressRow
from ..aggregate.tally import LadderTally, Tally, buckets
from ..ladder import Ladder, LadderResult, short_level
from ..result import EvaluationResult
from ..ruleset.model import Ruleset
from ..text import Lang, Text
from ..unit_kinds import unit_kind
from .rows import (
    Row,
    RowError,
    aggregate_headers,
    aggregate_row,
    cells,
    error_headers,
    field_labels,
    indicator_headers,
    indicator_rows,
    ladder_headers,
    ladder_row,
    matrix_headers,
    matrix_row,
    progress_headers,
    progress_row,
    unit_headers,
    unit_row,
)
from .sheets import Styles, TableSheet, fill_text, new_book, sheet_name, stable_bytes, text_sheet
from .summary import bucket_label, heading, ladder_summary_rows, notes, ruleset_summary
from .words import SHEETS

SUMMARY_WIDTHS = (56, 14, 14, 14, 14, 60)
UNIT_WIDTHS = (10, 28, 16, 14, 10, 10, 24, 12, 50, 10)
INDICATOR_WIDTHS = (10, 24, 24, 8, 9, 50, 14, 12, 8, 12, 14, 10, 30, 30, 10)
ERROR_WIDTHS = (30, 24, 80)


def ladder_widths(levels: int) -> tuple[float, ...]:
    """The widths of a ladder's units sheet: code, name, district, place, each level's status,
    criteria met, next level, its criteria met and total, nearest gap, unverified mark."""
    return (10, 28, 16, 28, *([16] * levels), 10, 28, 10, 10, 50, 10)


class _Book:
    """A workbook being written: its sheets' names kept unique."""

    def __init__(self, title: str, lang: Lang) -> None:
        self.book: Workbook = new_book(title)
        self.lang = lang
        self.taken: set[str] = set()
        self.styles: Styles = {}
        self.summary = text_sheet(self.book, self.name(SHEETS["summary"](lang)))

    def name(self, text: str) -> str:
        return sheet_name(text, self.taken)

    def table(
        self, name: str, header: Sequence[str], widths: Sequence[float], frozen: int = 2
    ) -> TableSheet:
        return TableSheet(self.book, self.name(name), header, widths, self.styles, frozen=frozen)

    def sheet(self, key: str) -> str:
        return SHEETS[key](self.lang)

    def level_sheets(self, levels: Sequence[Ruleset]) -> list[TableSheet]:
        """A criteria matrix per level (one sheet when there is one level)."""
        matrix = self.sheet("matrix")
        return [
            self.table(
                matrix if len(levels) == 1 else f"{matrix} {short_level(level.level.name.vi)}",
                matrix_headers(level, self.lang),
                (10, 28, 16, 14, *([14] * len(level.criteria))),
            )
            for level in levels
        ]

    def finish(self, summary: list[Row], errors: Sequence[RowError], *, ladder: bool) -> bytes:
        """The errors sheet, the summary, and the workbook's bytes."""
        table = self.table(self.sheet("errors"), error_headers(self.lang), ERROR_WIDTHS, 1)
        for error in errors:
            table.add(cells(*error))
        table.close()
        rows = [*summary, *notes(self.lang, ladder=ladder, errors=len(errors))]
        fill_text(self.summary, rows, SUMMARY_WIDTHS, self.styles)
        return stable_bytes(self.book)


def ruleset_workbook(
    results: Iterable[EvaluationResult],
    ruleset: Ruleset,
    lang: Lang = "vi",
    *,
    errors: Sequence[RowError] = (),
) -> bytes:
    """The workbook of a ruleset's results, read once (they need not all be kept)."""
    book = _Book(ruleset.title(lang), lang)
    units = book.table(book.sheet("units"), unit_headers(lang), UNIT_WIDTHS)
    (matrix,) = book.level_sheets([ruleset])
    indicators = book.table(book.sheet("indicators"), indicator_headers(lang), INDICATOR_WIDTHS)
    labels = field_labels(ruleset)
    tally = Tally(ruleset)
    for result in results:
        tally.add(result)
        units.add(unit_row(result, lang))
        matrix.add(matrix_row(result, ruleset, lang))
        for row in indicator_rows(result, labels, lang):
            indicators.add(row)
    for table in (units, matrix, indicators):
        table.close()
    ref = f"{ruleset.id} {ruleset.version}"
    summary = ruleset_summary(tally.summary(), ruleset.title(lang), ref, lang)
    return book.finish(summary, errors, ladder=False)


def ladder_workbook(
    results: Iterable[LadderResult],
    ladder: Ladder,
    levels: Sequence[Ruleset],
    lang: Lang = "vi",
    *,
    errors: Sequence[RowError] = (),
) -> bytes:
    """The workbook of a ladder's results, read once (they need not all be kept)."""
    book = _Book(ladder.title(lang), lang)
    tally = LadderTally(ladder, levels)
    _ladder_sheets(book, ladder, levels, results, tally)
    summary = ladder_summary_rows(tally.summary(), ladder.title(lang), ladder.id, lang)
    return book.finish(summary, errors, ladder=True)


def _ladder_sheets(
    book: _Book,
    ladder: Ladder,
    levels: Sequence[Ruleset],
    results: Iterable[LadderResult],
    tally: LadderTally,
) -> None:
    """The units, a matrix per level and the indicators of the next level, unit by unit."""
    lang = book.lang
    units = book.table(
        book.sheet("units"), ladder_headers(levels, lang), ladder_widths(len(levels))
    )
    matrices = book.level_sheets(levels)
    indicators = book.table(book.sheet("indicators"), indicator_headers(lang), INDICATOR_WIDTHS)
    labels = {k: v for level in levels for k, v in field_labels(level).items()}
    for result in results:
        tally.add(result)
        units.add(ladder_row(result, lang))
        for level, matrix, found in zip(levels, matrices, result.results, strict=True):
            matrix.add(matrix_row(found, level, lang))
        shown = result.next_result or result.results[-1]
        for row in indicator_rows(shown, labels, lang):
            indicators.add(row)
    for table in (units, *matrices, indicators):
        table.close()


def data_set_workbook(
    report: DataSetReport, lang: Lang = "vi", *, errors: Sequence[RowError] = ()
) -> bytes:
    """The workbook of a data set evaluated for a unit that contains others: the target's units
    as on a ladder, the aggregates they were judged on and the members holding them back, the
    progress of the communes by district, every member ladder's units and counts."""
    ladder = report.ladder
    target = report.target
    book = _Book(ladder.title(lang), lang)
    tally = LadderTally(ladder, target.levels)
    placed = [unit.placed for unit in target.units if unit.placed is not None]
    _ladder_sheets(book, ladder, target.levels, placed, tally)
    _aggregates(book, report)
    rows = report.progress()
    if rows:
        _progress(book, rows)
    summary = ladder_summary_rows(tally.summary(), ladder.title(lang), ladder.id, lang)
    for assessment, found in zip(report.assessments()[1:], report.ladders()[1:], strict=True):
        kind = unit_kind(assessment.kind).plural(lang)
        members = book.table(
            f"{book.sheet('units')} – {kind}",
            ladder_headers(assessment.levels, lang),
            ladder_widths(len(assessment.levels)),
        )
        for unit in assessment.units:
            if unit.placed is not None:
                members.add(ladder_row(unit.placed, lang))
        members.close()
        title = found["title"][lang]
        summary += [[], *ladder_summary_rows(found["summary"], title, found["ladder"], lang)]
    problems = report.run.membership.problems
    if problems:
        title = Text(vi="Dữ liệu chưa khớp", en="Data that does not link")(lang)
        summary += [[], heading(f"{title} ({len(problems)})")]
        summary += [cells(problem.describe(lang)) for problem in problems]
    return book.finish(summary, errors, ladder=True)


def _aggregates(book: _Book, report: DataSetReport) -> None:
    """Each target unit's aggregates, with the members that do not qualify."""
    widths = (10, 20, 24, 40, 10, 10, 10, 60, 40, 18)
    table = book.table(book.sheet("aggregates"), aggregate_headers(book.lang), widths)
    for unit in report.units:
        for value in unit.aggregates:
            table.add(aggregate_row(unit.ref.code, unit.ref.name, value, book.lang))
    table.close()


def _progress(book: _Book, rows: Sequence[ProgressRow]) -> None:
    """Communes of each district-level unit by level reached and by criteria met, and a total."""
    lang = book.lang
    found = next((s for s in (row.summary() for row in rows) if s is not None), None)
    names = [short_level(level["name"]["vi"]) for level in found["levels"]] if found else []
    bands = buckets(found["criteria_total"]) if found else []
    labels = [bucket_label(low, high, lang) for low, high in bands]
    width = 1 + len(names) + len(bands)
    widths = (10, 20, 10, 28, 8, *([8] * len(names)), *([12] * len(bands)), 12, 30)
    table = book.table(book.sheet("progress"), progress_headers(names, labels, lang), widths)
    totals = [0] * width
    criteria, assessed = 0, 0  # for the average over every commune
    for row in rows:
        shown = progress_row(row, width, lang)
        numbers = [cell.value for cell in shown[4 : 4 + width]]
        totals = [
            a + (b if isinstance(b, int) else 0) for a, b in zip(totals, numbers, strict=True)
        ]
        criteria += sum(commune.results[0].criteria_met for commune in row.communes)
        assessed += len(row.communes)
        table.add(shown)
    mean = round(criteria / assessed, 2) if assessed else None
    table.add(cells(None, Text(vi="Tổng", en="Total")(lang), None, None, *totals, mean))
    table.close()
