"""The worksheet workbook: one row per unverified value or wording, columns to fill in, a
sheet of instructions and a hidden sheet of metadata."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..audit import INDICATOR, PARAMETER, AuditItem
from ..ruleset.model import Axis, Ruleset
from ..text import Lang, Text
from ..units import unit_symbol
from .columns import (
    COLUMNS,
    FILLED,
    FORMAT,
    HELP_SHEET,
    INSTALLED,
    ITEMS_SHEET,
    KIND_WORDS,
    META_SHEET,
    NO,
    YES,
    Column,
    column,
)
from .files import file_sha256, is_installed_copy, loaded_files
from .instructions import instructions

__all__ = ["sheet_items", "worksheet_bytes"]

_HEADER = PatternFill("solid", fgColor="DDEBF7")
_TO_FILL = PatternFill("solid", fgColor="FFF2CC")
_NOT_USED = PatternFill("solid", fgColor="EDEDED")
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "yyyy-mm-dd"


def sheet_items(items: Sequence[AuditItem]) -> list[AuditItem]:
    """The audit items a worksheet lists: unverified values and unverified wordings, each once
    (an imported parameter is the same value as in the ruleset it comes from)."""
    seen: set[tuple[object, ...]] = set()
    found = []
    for item in items:
        if item.kind not in (PARAMETER, INDICATOR) or item.verified:
            continue
        name = item.name.rsplit(".", 1)[-1] if item.kind == PARAMETER else item.name
        key = (item.ruleset, item.kind, name, item.criterion, item.axis_key, item.effective_from)
        if key not in seen:
            seen.add(key)
            found.append(item)
    return found


def worksheet_bytes(
    rulesets: Sequence[Ruleset],
    items: Sequence[AuditItem],
    lang: Lang = "vi",
    *,
    today: dt.date | None = None,
) -> bytes:
    """The ``.xlsx`` workbook for ``items`` (audit items of ``rulesets``), headers in ``lang``.

    Each row names the file the loader read its item from (following ``extends`` and
    ``imports`` from each audited ruleset's file)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = ITEMS_SHEET(lang)
    files: dict[str, Path] = {}
    for ruleset in rulesets:
        files.update(loaded_files(Path(ruleset.file)))
    listed = [
        attrs.evolve(i, file=str(files[i.ruleset])) if i.ruleset in files else i
        for i in sheet_items(items)
    ]
    hashes = {file: file_sha256(Path(file)) for file in {i.file for i in listed if i.file}}
    axes: dict[str, Axis] = {}
    for ruleset in rulesets:
        for name, axis in ruleset.axes.items():
            axes.setdefault(name, axis)
    _fill_items(sheet, listed, hashes, _Axes(axes, listed), lang)
    helper = book.create_sheet(HELP_SHEET(lang))
    for line in instructions(rulesets, len(listed), lang, today or dt.date.today()):
        helper.append([line])
    helper.column_dimensions["A"].width = 110
    for row in helper.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    helper["A1"].font = Font(bold=True, size=14)
    meta = book.create_sheet(META_SHEET)
    meta.append(["format", FORMAT])
    meta.append(["lang", lang])
    for ruleset in rulesets:
        meta.append(["ruleset", ruleset.id, ruleset.version, ruleset.file, ruleset.content_hash])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_SEVERAL_AXES = Text(vi="Trục: giá trị", en="Axis: value")


class _Axes:
    """The axes of the audited rulesets, and the one every listed value is on (if only one)."""

    def __init__(self, declared: dict[str, Axis], items: Sequence[AuditItem]) -> None:
        used = {i.axis for i in items if i.axis and i.axis in declared}
        self.declared = declared
        self.only = declared[used.pop()] if len(used) == 1 else None
        self.several = len(used) > 0

    def title(self, col: Column, lang: Lang) -> str:
        """The heading of a column; that of axis values names the axis, when all are on one."""
        if col.key == "axis_value" and self.only is not None:
            return self.only.title(lang)
        if col.key == "axis_value" and self.several:
            return _SEVERAL_AXES(lang)
        return col.title(lang)

    def value(self, item: AuditItem, lang: Lang) -> str | None:
        """``tdmnpb — Trung du và miền núi phía Bắc``, as the ruleset names the value."""
        axis = self.declared.get(item.axis or "")
        key = item.axis_key
        if axis is None or key is None:
            return key
        shown = f"{key} — {axis.choice_name(key)(lang)}" if key in axis.labels else key
        return shown if axis is self.only else f"{axis.title(lang)}: {shown}"


def _fill_items(
    sheet: Worksheet,
    items: Sequence[AuditItem],
    hashes: dict[str, str],
    axes: _Axes,
    lang: Lang,
) -> None:
    sheet.append([axes.title(c, lang) for c in COLUMNS])
    for n, col in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=n)
        cell.font = Font(bold=True)
        cell.fill = _TO_FILL if col.fill else _HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = col.width
        sheet.column_dimensions[letter].hidden = col.hidden
    sheet.row_dimensions[1].height = 32
    index = {c.key: n for n, c in enumerate(COLUMNS, start=1)}
    validations = _validations(sheet, lang)
    for row, item in enumerate(items, start=2):
        sheet.append(
            [
                axes.value(item, lang)
                if c.key == "axis_value"
                else _cell(c.key, item, hashes, lang)
                for c in COLUMNS
            ]
        )
        for key in ("from", "until"):
            sheet.cell(row=row, column=index[key]).number_format = _DATE_FORMAT
        for key in ("label", "note", "citation", "location"):
            sheet.cell(row=row, column=index[key]).alignment = _WRAP
        for col in FILLED:
            cell = sheet.cell(row=row, column=index[col.key])
            used = not (
                (col.key == "confirmed_value" and item.kind != PARAMETER)
                or (col.key == "wording_ok" and item.kind == PARAMETER)
            )
            cell.fill = _TO_FILL if used else _NOT_USED
            cell.protection = Protection(locked=not used)
            if col.key == "confirmed_on":
                cell.number_format = _DATE_FORMAT
            if used and col.key in ("wording_ok", "confirmed_on"):
                validations[col.key].add(cell)
        if item.kind == PARAMETER:
            validations["percent" if item.unit == "percent" else "number"].add(
                sheet.cell(row=row, column=index["confirmed_value"])
            )
    sheet.freeze_panes = "D2"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{max(len(items) + 1, 2)}"
    protection = sheet.protection
    protection.sheet = True
    protection.sort = False
    protection.autoFilter = False
    protection.formatColumns = False
    protection.formatRows = False


def _validations(sheet: Worksheet, lang: Lang) -> dict[str, DataValidation]:
    """Checks Excel makes as the official types: numbers (0-100 for percentages), yes or no,
    a date."""

    def made(
        kind: Literal["decimal", "list", "date"], message: Text, **options: Any
    ) -> DataValidation:
        validation = DataValidation(
            type=kind,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=Text(vi="Giá trị không hợp lệ", en="Not valid")(lang),
            error=message(lang),
            **options,
        )
        sheet.add_data_validation(validation)
        return validation

    return {
        "percent": made(
            "decimal",
            Text(vi="Nhập một số từ 0 đến 100.", en="Enter a number from 0 to 100."),
            operator="between",
            formula1="0",
            formula2="100",
        ),
        "number": made(
            "decimal",
            Text(vi="Nhập một số không âm.", en="Enter a number, 0 or more."),
            operator="greaterThanOrEqual",
            formula1="0",
        ),
        "wording_ok": made(
            "list",
            Text(vi="Chọn Đúng hoặc Sai.", en="Choose Yes or No."),
            formula1=f'"{YES(lang)},{NO(lang)}"',
        ),
        "confirmed_on": made(
            "date",
            Text(vi="Nhập một ngày.", en="Enter a date."),
            operator="greaterThan",
            formula1="1",
        ),
    }


def _cell(key: str, item: AuditItem, hashes: dict[str, str], lang: Lang) -> Any:
    """The content of column ``key`` on the row of ``item``."""
    recognition = item.criterion == "recognition"
    match key:
        case "ruleset" | "key:ruleset":
            return item.ruleset
        case "kind":
            return KIND_WORDS["recognition" if recognition else item.kind](lang)
        case "item":
            return item.name
        case "key:name":  # an imported parameter is alias.name; its own file calls it name
            return item.name.rsplit(".", 1)[-1] if item.kind == PARAMETER else item.name
        case "label":
            return item.label(lang)
        case "from":
            return item.effective_from
        case "until":
            return item.effective_until
        case "value":
            return _number(item.value)
        case "unit":
            return unit_symbol(item.unit, lang) or item.unit
        case "note":
            return item.note
        case "citation":
            return item.source.render(lang)
        case "location":
            installed = item.file is not None and is_installed_copy(Path(item.file))
            return item.location + (f" ({INSTALLED(lang)})" if installed else "")
        case "key:kind":
            return item.kind
        case "key:file":
            return item.file
        case "key:line":
            return item.line
        case "key:criterion":
            return item.criterion
        case "key:axis_key":
            return item.axis_key
        case "key:from":
            return item.effective_from.isoformat() if item.effective_from else None
        case "key:value":
            return repr(item.value) if isinstance(item.value, float) else None
        case "key:sha256":
            return hashes.get(item.file) if item.file else None
    if column(key).fill:
        return None
    raise KeyError(key)


def _number(value: float | str | None) -> float | int | None:
    if not isinstance(value, float):
        return None
    return int(value) if value.is_integer() else value
