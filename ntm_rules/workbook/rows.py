"""The rows of the results workbook, as plain values with a tone (the status that colours a
cell): one builder per table, free of openpyxl, so that other reports can show the same rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from ..aggregate.compute import AggregateValue
from ..aggregate.report import ProgressRow
from ..aggregate.tally import held_by_recognition, level_status, rests_on_unverified
from ..gap import Gap, gap
from ..ladder import LadderResult, short_level
from ..result import MISSING, NOT_MET, EvaluationResult, IndicatorResult
from ..ruleset.model import Ruleset
from ..text import Lang, Text, format_number, nfc
from ..unit_kinds import unit_kind
from ..units import unit_symbol
from .words import COLUMNS, SOURCES, STATUSES, UNVERIFIED, YES_NO

Value = str | int | float | None
OPS = {"==": "=", "!=": "≠", ">=": "≥", "<=": "≤"}


@attrs.frozen
class Cell:
    """A value and, for a status, the status that colours it."""

    value: Value
    tone: str | None = None  # met | not_met | missing | not_applicable | recognised


Row = list[Cell]


def cells(*values: Value) -> Row:
    return [Cell(v) for v in values]


def status_cell(status: str, lang: Lang, *, unverified: bool = False, year: Any = None) -> Cell:
    """``đạt`` / ``chưa đạt`` / ``thiếu dữ liệu``…, with the unverified mark when it rests on
    an unverified value."""
    text = STATUSES[status](lang).format(year=year) if status in STATUSES else status
    return Cell(f"{text} {UNVERIFIED}" if unverified else text, status)


def mark(unverified: bool) -> str:
    return UNVERIFIED if unverified else ""


def headers(keys: Sequence[str], lang: Lang) -> list[str]:
    return [COLUMNS[key](lang) for key in keys]


def field_labels(ruleset: Ruleset) -> dict[str, Text]:
    """The label of each input field of a ruleset's model, to name missing data."""
    return {
        field.name: field.metadata["label"]
        for field in attrs.fields(ruleset.model)
        if "label" in field.metadata
    }


# -- units -----------------------------------------------------------------------------------

UNIT_KEYS = ("code", "name", "district", "status", "criteria_met", "criteria_total", "unmet")
UNIT_TAIL = ("missing_count", "nearest", "unverified")


def unit_headers(lang: Lang) -> list[str]:
    return headers((*UNIT_KEYS, *UNIT_TAIL), lang)


def unit_row(result: EvaluationResult, lang: Lang) -> Row:
    """A unit's result on a ruleset: status, criteria met, what is unmet and nearest."""
    unit = result.unit
    found = gap(result) if result.status != "met" else None
    return [
        *cells(unit.code, unit.name, unit.district),
        status_cell(result.status, lang),
        *cells(
            result.criteria_met,
            result.criteria_total,
            ", ".join(result.criterion_ids(NOT_MET)),
            result.indicator_statuses.count(MISSING),
            nearest_text(found, lang),
            mark(result.rests_on_unverified),
        ),
    ]


def ladder_headers(levels: Sequence[Ruleset], lang: Lang) -> list[str]:
    first = COLUMNS["criteria_met"](lang) + f" ({short_level(levels[0].level.name.vi)})"
    return [
        *headers(("code", "name", "district", "place"), lang),
        *(level.level.name(lang) for level in levels),
        first,
        *headers(("next_level", "next_met", "criteria_total", "nearest", "unverified"), lang),
    ]


def ladder_row(result: LadderResult, lang: Lang) -> Row:
    """A unit's place on a ladder, every level's status, the next level and its nearest gap."""
    unit = result.results[0].unit
    following = result.next_result
    row = [*cells(unit.code, unit.name, unit.district, result.place(lang))]
    for n in range(len(result.results)):
        held = held_by_recognition(result, n)
        year = held.recognised_year if held is not None else None
        row.append(status_cell(level_status(result, n), lang, year=year if year else "?"))
    row += cells(
        result.results[0].criteria_met,
        following.level_name(lang) if following else "",
        following.criteria_met if following else None,
        following.criteria_total if following else None,
        nearest_text(result.next_gap, lang),
        mark(rests_on_unverified(result)),
    )
    return row


def nearest_text(found: Gap | None, lang: Lang) -> str:
    """What is nearest to close for a level, in words: the nearest unmet requirement with its
    name, else the lower level to reach first, else how many indicators lack data."""
    if found is None or found.closed:
        return ""
    nearest = found.nearest
    if nearest is not None:
        return nearest.describe(lang)
    if found.prerequisite is not None:
        first = Text(vi="trước hết phải đạt: ", en="first reach: ")
        return first(lang) + found.prerequisite(lang)
    if found.missing:
        count = len(found.missing)
        return Text(vi=f"thiếu dữ liệu: {count} chỉ tiêu", en=f"missing data: {count} indicators")(
            lang
        )
    return ""


# -- criteria matrix --------------------------------------------------------------------------


def matrix_headers(ruleset: Ruleset, lang: Lang) -> list[str]:
    return [
        *headers(("code", "name", "district", "status"), lang),
        *(f"{c.id}. {c.name(lang)}" for c in ruleset.criteria),
    ]


def matrix_row(result: EvaluationResult, ruleset: Ruleset, lang: Lang) -> Row:
    """A unit's status on each criterion of ``ruleset``, in the ruleset's order."""
    detail = result.detail
    found = dict(
        zip(
            detail.criterion_ids,
            zip(detail.criterion_statuses, detail.criterion_rests(), strict=True),
            strict=True,
        )
    )
    unit = result.unit
    row = [*cells(unit.code, unit.name, unit.district), status_cell(result.status, lang)]
    for criterion in ruleset.criteria:
        status, rests = found.get(criterion.id, ("", False))
        row.append(status_cell(status, lang, unverified=rests) if status else Cell(None))
    return row


# -- indicators -------------------------------------------------------------------------------

INDICATOR_KEYS = (
    "code",
    "name",
    "level",
    "criterion",
    "indicator",
    "indicator_name",
    "status",
    "value",
    "op",
    "threshold",
    "measure",
    "margin",
    "missing_fields",
    "source",
    "unverified",
)


def indicator_headers(lang: Lang) -> list[str]:
    return headers(INDICATOR_KEYS, lang)


def indicator_rows(result: EvaluationResult, labels: dict[str, Text], lang: Lang) -> list[Row]:
    """One row per indicator of a result: value, threshold, margin, status, source."""
    unit = result.unit
    level = result.level_name(lang)
    rows = []
    for criterion in result.criteria:
        for indicator in criterion.indicators:
            rows.append(
                [
                    *cells(unit.code, unit.name, level, criterion.id, indicator.id),
                    Cell(indicator.name(lang)),
                    status_cell(indicator.status, lang),
                    *_comparison(indicator, lang),
                    Cell(
                        ", ".join(labels[f](lang) if f in labels else f for f in indicator.missing)
                    ),
                    Cell(indicator.source.render(lang)),
                    Cell(mark(indicator.rests_on_unverified)),
                ]
            )
    return rows


def _comparison(indicator: IndicatorResult, lang: Lang) -> Row:
    """Value, comparison, threshold, unit of measure and margin of an indicator's check; the
    checks' text when it has several."""
    primary = indicator.primary
    if primary is None:
        text = "; ".join(check.text for check in indicator.checks)
        return [Cell(None), Cell(text or None), Cell(None), Cell(None), Cell(None)]
    unit = unit_symbol(primary.unit, lang) if primary.unit != "percent" else "%"
    return [
        Cell(shown(primary.value, lang)),
        Cell(OPS.get(primary.op, primary.op)),
        Cell(shown(primary.threshold, lang)),
        Cell(unit or None),
        Cell(primary.margin),
    ]


def shown(value: Any, lang: Lang) -> Value:
    """A value as a spreadsheet holds it: numbers as numbers, yes/no in words, the rest text."""
    if value is None or isinstance(value, str):
        return nfc(value) if value else value
    if isinstance(value, bool):
        return YES_NO[0](lang) if value else YES_NO[1](lang)
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        return ", ".join(str(shown(v, lang)) for v in value)
    return str(value)


# -- errors -----------------------------------------------------------------------------------

RowError = tuple[str, str, str]
"""A record that could not be read: its label (sheet and row, or index), the field, the
problem."""


def error_headers(lang: Lang) -> list[str]:
    return headers(("record", "field", "message"), lang)


# -- data sets --------------------------------------------------------------------------------


def progress_headers(levels: Sequence[str], bands: Sequence[str], lang: Lang) -> list[str]:
    return [
        *headers(("code", "name", "kind", "place", "communes"), lang),
        *levels,
        *bands,
        *headers(("average", "without_record"), lang),
    ]


def progress_row(row: ProgressRow, width: int, lang: Lang) -> Row:
    """A district-level unit: its place, its communes by level reached and by criteria met."""
    placed = row.unit.placed
    found = row.summary()
    numbers: list[Value] = [len(row.communes) + len(row.missing)]
    if found is not None:
        numbers += [level["at_or_above"] for level in found["levels"]]
        numbers += [band["units"] for band in found["distribution"]]
    numbers += [None] * (width - len(numbers))
    ref = row.unit.ref
    return [
        *cells(ref.code, ref.name, unit_kind(ref.kind).name(lang)),
        Cell(placed.place(lang) if placed else None),
        *cells(*numbers),
        *cells(found["average_criteria_met"] if found else None, ", ".join(row.missing)),
    ]


def aggregate_headers(lang: Lang) -> list[str]:
    keys = ("code", "name", "aggregate", "indicator_name", "value", "members", "counted")
    return headers((*keys, "holding_back", "undecided", "origin"), lang)


def aggregate_row(code: str, name: str | None, value: AggregateValue, lang: Lang) -> Row:
    """An aggregate of a unit: its value, out of how many members, and the members that hold it
    back (all of them, by name and code)."""
    counted: Value = len(value.counted) if value.op in ("share", "count") else None
    if value.op in ("min", "max") and value.values:
        lowest = value.values[0] if value.op == "min" else value.values[-1]
        back = f"{lowest[0].label()}: {format_number(lowest[1], lang)}"
    else:
        back = "; ".join(r.label() for r in value.not_counted)
    source = SOURCES[value.source](lang) if value.source in SOURCES else value.source
    return [
        *cells(code, name, value.field, value.name(lang) if value.name else None),
        Cell(round(value.value, 2) if isinstance(value.value, float) else shown(value.value, lang)),
        *cells(value.members, counted, back, "; ".join(r.label() for r in value.undecided)),
        Cell(source),
    ]
