"""Turning dicts, JSON and CSV rows into validated models, with errors naming record and field.

Reading files is done here; every value goes through :mod:`ntm_rules.models.normalise`, then
through the models' validators.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError

from ..errors import InputError, InputErrors, say_label
from ..text import Text, did_you_mean
from . import tables
from .fields import KIND_INT, KIND_NUMBER, REQUIRED, FieldValueError, expected, same, show_text
from .normalise import (
    JsonObject,
    decode_json,
    normalise_name,
    normalise_row,
    normalise_value,
    parse_cell,
)
from .vocabulary import FieldSpec, field_specs

T = TypeVar("T")

_converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
# Values are passed through unchanged: the models' validators check types strictly, so that
# "80" is never silently read as 80 (the rule engine would coerce it).
for _type in (float | None, int | None, bool | None, str | None, str, bool, int):
    _converter.register_structure_hook(_type, lambda value, _: value)


_SPECS: dict[type[Any], Mapping[str, FieldSpec]] = {}


def _specs(model: type[Any]) -> Mapping[str, FieldSpec]:
    """The fields of ``model`` by name, computed once per model."""
    specs = _SPECS.get(model)
    if specs is None:
        specs = _SPECS[model] = {spec.name: spec for spec in field_specs(model)}
    return specs


def _shown_code(code: Any) -> str:
    """A record's code as written in its label: normalised, printable, short."""
    return show_text(normalise_name(code), 40) if isinstance(code, str) else ""


def record_label(row: Mapping[str, Any], index: int) -> str:
    """``#3 (code SL-003)``: the record's place in its file, and its code when it has one."""
    code = _shown_code(row.get("code"))
    return f"#{index + 1} (code {code})" if code else f"#{index + 1}"


def structure(model: type[T], row: Mapping[str, Any], label: str) -> T:
    """Build a ``model`` from a mapping; raise :class:`InputError` naming the first bad field."""
    values = normalise_row(_specs(model), row, label)
    try:
        return _converter.structure(values, model)
    except ClassValidationError as group:
        raise _first_error(group, label, model) from None
    except ForbiddenExtraKeysError as exc:
        raise _unknown_fields(exc, label, model) from None


def _unknown_fields(exc: ForbiddenExtraKeysError, label: str, model: type[Any]) -> InputError:
    names = ", ".join(sorted(show_text(name) or "''" for name in exc.extra_fields))
    extra = sorted(exc.extra_fields)
    hint = did_you_mean(extra[0], _specs(model)) if len(extra) == 1 else Text(vi="", en="")
    return InputError(
        Text(
            vi=f"trường không có trong mô hình dữ liệu: {names}{hint.vi}",
            en=f"unknown field(s): {names}{hint.en}",
        ),
        record=label,
    )


def field_problems(model: type[Any], row: Mapping[str, Any], label: str) -> list[InputError]:
    """Every value of a row its field refuses, each checked alone (a model refuses only its
    first bad value), so that one run reports them all."""
    specs = _specs(model)
    try:
        values = normalise_row(specs, row, label)
    except InputError as exc:
        return [exc]
    found = []
    for field in attrs.fields(model):
        if field.name not in values or field.validator is None:
            continue
        value = values[field.name]
        if field.converter is not None:
            value = field.converter(value)
        try:
            field.validator(None, field, value)
        except FieldValueError as exc:
            found.append(InputError(exc.text, record=label, field=exc.field))
    return found


def _first_error(group: ClassValidationError, label: str, model: type[Any]) -> InputError:
    for exc in group.exceptions:
        if isinstance(exc, ForbiddenExtraKeysError):
            return _unknown_fields(exc, label, model)
        if isinstance(exc, FieldValueError):
            return InputError(exc.text, record=label, field=exc.field)
        field = None
        for note in getattr(exc, "__notes__", []):
            field = getattr(note, "name", None) or field
        message = str(exc)
        if isinstance(exc, KeyError) or ("required" in message and "missing" in message):
            return InputError(REQUIRED, record=label, field=field)
        return InputError(same(message), record=label, field=field)
    return InputError(same(str(group)), record=label)


def _read_text(path: Path, encoding: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            Text(vi=f"không đọc được tệp: {reason}", en=f"cannot read the file: {reason}"),
            record=str(path),
        ) from None
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = f"0x{raw[exc.start]:02x}"
        raise InputError(
            Text(
                vi=f"không phải văn bản UTF-8 (byte {byte}); hãy lưu lại tệp với bảng mã UTF-8",
                en=f"not UTF-8 text (byte {byte}); save the file again as UTF-8",
            ),
            record=f"{path}:{line}",
        ) from None


# -- tables: CSV and Excel -------------------------------------------------------------------
@attrs.frozen
class TableRows:
    """The rows of a table file, each with its label, its readable values and the problems of
    its unreadable cells (empty for a good row)."""

    rows: tuple[tuple[str, dict[str, Any], tuple[InputError, ...]], ...]

    @property
    def errors(self) -> tuple[InputError, ...]:
        return tuple(problem for _, _, problems in self.rows for problem in problems)


def read_table(
    path: Path, model: type[Any], sheet: str | None = None, *, decimal: str | None = None
) -> TableRows:
    """Every row of a CSV or Excel file read for ``model``: headings are field names or labels,
    STT and ghi chú columns are read past, each column's number style comes from its own cells.
    A bad cell does not stop the reading: every problem is returned, row by row. ``decimal``
    (``,`` or ``.``) states the file's decimal mark for every column instead."""
    specs = _specs(model)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        title, numbered = tables.xlsx_rows(path, sheet)
        where = f"{path}[{title}]"
    else:
        raw = _read_bytes(path)
        text = tables.decode(raw)
        if text is None:
            text = _read_text(path, "utf-8-sig")  # raises, naming the line and byte
        numbered = _csv_numbered(path, text)
        where = str(path)
    body: list[tuple[int, list[Any]]] = []
    columns: tables.Columns | None = None
    for number, cells in numbered:
        if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
            continue
        if columns is None:
            columns = tables.header(cells, specs, where)
            continue
        if not body and tables.is_second_header(cells, columns):
            continue
        body.append((number, cells))
    if columns is None:
        return TableRows(())
    marks = _marks(columns, body, specs)
    if decimal is not None:
        marks = dict.fromkeys(marks, decimal)
    rows = []
    for number, cells in body:
        label, values, problems = _table_row(
            where, number, cells, columns, specs, marks, csv_file=not where.endswith("]")
        )
        rows.append((label, values, tuple(problems)))
    return TableRows(tuple(rows))


def _csv_numbered(path: Path, text: str) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from tables.csv_rows(text)
    except csv.Error as exc:
        raise InputError(
            Text(vi=f"không đọc được CSV: {exc}", en=f"unreadable CSV: {exc}"), record=str(path)
        ) from None


def _marks(
    columns: tables.Columns, body: list[tuple[int, list[Any]]], specs: Mapping[str, FieldSpec]
) -> dict[int, str | None]:
    """Each number column's decimal mark, as its text cells show it."""
    marks: dict[int, str | None] = {}
    for index, field in enumerate(columns.fields):
        if field is None or specs[field].kind not in (KIND_NUMBER, KIND_INT):
            continue
        cells = [str(cells[index]) for _, cells in body if index < len(cells)]
        marks[index] = tables.decimal_mark([c for c in cells if isinstance(c, str)])
    return marks


def _table_row(
    where: str,
    number: int,
    cells: list[Any],
    columns: tables.Columns,
    specs: Mapping[str, FieldSpec],
    marks: Mapping[int, str | None],
    *,
    csv_file: bool,
) -> tuple[str, dict[str, Any], list[InputError]]:
    fields = columns.fields
    code = (
        cells[fields.index("code")]
        if "code" in fields and fields.index("code") < len(cells)
        else None
    )
    shown_code = _shown_code(str(code)) if code is not None else ""
    label = f"{where}:{number} (code {shown_code or '?'})"
    problems: list[InputError] = []
    if csv_file and len(cells) != len(fields):  # a separator lost or added shifts every cell
        more = "more" if len(cells) > len(fields) else "fewer"
        vi_more = "nhiều" if len(cells) > len(fields) else "ít"
        return (
            label,
            {},
            [
                InputError(
                    Text(
                        vi=f"số ô {vi_more} hơn số cột: dòng có {len(cells)} ô, dòng tiêu đề có "
                        f"{len(fields)} cột",
                        en=f"{more} cells than columns: the row has {_cells(len(cells))}, "
                        f"the header has {len(fields)}",
                    ),
                    record=label,
                )
            ],
        )
    extra = [c for c in cells[len(fields) :] if c not in (None, "") and str(c).strip()]
    if extra:
        problems.append(
            InputError(
                Text(
                    vi=f"có {len(extra)} ô ngoài các cột của dòng tiêu đề",
                    en=f"{len(extra)} cell(s) beyond the header's columns",
                ),
                record=label,
            )
        )
    values: dict[str, Any] = {}
    for index, field in enumerate(fields):
        if field is None:
            continue
        cell = cells[index] if index < len(cells) else None
        spec = specs[field]
        try:
            if cell is None or isinstance(cell, str):
                values[field] = parse_cell(spec, cell or "", label, marks.get(index))
            else:
                values[field] = normalise_value(spec, cell, label)
        except InputError as exc:
            heading = columns.headings[index]
            shown = show_text(str(cell))
            problems.append(
                InputError(
                    Text(
                        vi=f"cột '{heading}', ô '{shown}': {exc.text.vi}",
                        en=f"column '{heading}', cell '{shown}': {exc.text.en}",
                    ),
                    record=label,
                    field=field,
                )
            )
    return label, values, problems


def _cells(count: int) -> str:
    return f"{count} cell" if count == 1 else f"{count} cells"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            Text(vi=f"không đọc được tệp: {reason}", en=f"cannot read the file: {reason}"),
            record=str(path),
        ) from None


def rows_from_csv(path: Path, model: type[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rows of a CSV or Excel file, each with its label; the first bad row's problems are
    raised (all of them at once)."""
    found = read_table(path, model)
    if found.errors:
        raise InputErrors(list(found.errors))
    for label, values, _ in found.rows:
        yield label, values


def read_json(path: Path) -> Any:
    """The JSON value of a file (objects keep their key order and repeated keys)."""
    try:
        data = decode_json(_read_text(path, "utf-8-sig"))  # Notepad writes a BOM
    except json.JSONDecodeError as exc:
        raise InputError(
            Text(
                vi=f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}",
                en=f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            ),
            record=str(path),
        ) from None
    except RecursionError:
        raise InputError(
            Text(
                vi="lồng nhau quá sâu (mảng hoặc đối tượng nằm trong nhau)",
                en="nested too deeply (arrays or objects inside one another)",
            ),
            record=str(path),
        ) from None
    return data


def rows_from_json(path: Path) -> Iterator[tuple[str, Any]]:
    """The records of a JSON file (a list, or an object whose ``units`` is the list), each
    with its label ``file #index (code)``."""
    data = read_json(path)
    if isinstance(data, JsonObject) and "units" in data:
        if [key for key, _ in data.pairs].count("units") > 1:
            raise InputError(
                Text(vi="trường bị ghi hai lần", en="the field is given twice"),
                record=str(path),
                field="units",
            )
        data = data["units"]
    if not isinstance(data, list):
        raise InputError(
            Text(
                vi="cần một danh sách bản ghi (hoặc một đối tượng có 'units')",
                en="expected a list of records (or an object with 'units')",
            ),
            record=str(path),
        )
    for index in range(len(data)):
        row, data[index] = data[index], None  # each row freed once read: a big file's peak
        if not isinstance(row, dict):
            raise InputError(
                expected(Text(vi="một đối tượng", en="an object"), same(type(row).__name__)),
                record=f"{path} #{index + 1}",
            )
        yield f"{path} {record_label(row, index)}", row


def load_records(path: Path, model: type[T]) -> list[T]:
    """Read every record of a JSON, CSV or Excel file into ``model`` instances; codes must
    differ. Every bad record is reported at once (:class:`InputErrors`)."""
    records, errors = load_records_checked(path, model)
    if errors:
        raise InputErrors(list(errors))
    return records


def load_records_checked(
    path: Path, model: type[T], *, decimal: str | None = None
) -> tuple[list[T], list[InputError]]:
    """The good records of a file and the problems of the bad ones (``--skip-invalid``);
    ``decimal``: a CSV or Excel file's decimal mark, when stated."""
    if not path.exists():
        raise InputError(Text(vi="không tìm thấy tệp", en="file not found"), record=str(path))
    errors: list[InputError] = []
    rows: Iterable[tuple[str, Any, tuple[InputError, ...]]]
    if path.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".tsv", ".txt"):
        rows = read_table(path, model, decimal=decimal).rows
    else:
        rows = ((label, row, ()) for label, row in rows_from_json(path))
    records = []
    labels: dict[str, str] = {}
    for label, row, unreadable in rows:
        if unreadable:  # the row's other values are checked too, to report them all at once
            errors.extend([*unreadable, *field_problems(model, row, label)])
            continue
        try:
            record = structure(model, row, label)
        except InputError as exc:  # the model names its first problem; list every one
            found = field_problems(model, row, label) if isinstance(row, Mapping) else []
            errors.extend(found or [p for p in exc.parts if isinstance(p, InputError)])
            continue
        code = getattr(record, "code", None)
        if isinstance(code, str):
            if code in labels:
                shown = show_text(code)
                errors.append(
                    InputError(
                        Text(
                            vi=f"mã '{shown}' bị trùng, đã là mã của bản ghi "
                            f"{say_label(labels[code], 'vi')}",
                            en=f"duplicate code '{shown}', already the code of record "
                            f"{labels[code]}",
                        ),
                        record=label,
                        field="code",
                    )
                )
                continue
            labels[code] = label
        records.append(record)
    return records, errors


def unstructure(record: Any) -> dict[str, Any]:
    return attrs.asdict(record)
