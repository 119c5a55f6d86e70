"""Turning dicts, JSON and CSV rows into validated models, with errors naming record and field.

Reading files is done here; every value goes through :mod:`ntm_rules.models.normalise`, then
through the models' validators.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError

from ..errors import InputError, say_label
from ..text import Text, did_you_mean
from .fields import REQUIRED, FieldValueError, expected, same, show_text
from .normalise import JsonObject, decode_json, normalise_name, normalise_row, parse_cell
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


# -- CSV ------------------------------------------------------------------------------------
def rows_from_csv(path: Path, model: type[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rows of a CSV file (header = field names), each with its label ``file:line (code)``.

    A line without any value is skipped; any other row must have as many cells as the header.
    """
    specs = _specs(model)
    reader = csv.reader(io.StringIO(_read_text(path, "utf-8-sig"), newline=""))
    header: list[str] | None = None
    line = 0
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise InputError(
                Text(vi=f"không đọc được CSV: {exc}", en=f"unreadable CSV: {exc}"),
                record=f"{path}:{reader.line_num}",
            ) from None
        if row is None:
            return
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _csv_header(path, row, specs)
            continue
        code = row[header.index("code")] if "code" in header[: len(row)] else None
        label = f"{path}:{start} (code {_shown_code(code) or '?'})"
        if len(row) != len(header):
            more = "more" if len(row) > len(header) else "fewer"
            vi_more = "nhiều" if len(row) > len(header) else "ít"
            raise InputError(
                Text(
                    vi=f"số ô {vi_more} hơn số cột: dòng có {len(row)} ô, dòng tiêu đề có "
                    f"{len(header)} cột",
                    en=f"{more} cells than columns: the row has {_cells(len(row))}, "
                    f"the header has {len(header)}",
                ),
                record=label,
            )
        cells = zip(header, row, strict=True)
        yield label, {name: parse_cell(specs[name], cell, label) for name, cell in cells}


def _cells(count: int) -> str:
    return f"{count} cell" if count == 1 else f"{count} cells"


def _csv_header(path: Path, row: list[str], specs: Mapping[str, FieldSpec]) -> list[str]:
    names = [normalise_name(cell) for cell in row]
    unknown = [show_text(name) or "''" for name in names if name not in specs]
    if unknown:
        listed = ", ".join(unknown)
        strays = [name for name in names if name not in specs]
        hint = did_you_mean(strays[0], specs) if len(strays) == 1 else Text(vi="", en="")
        raise InputError(
            Text(
                vi=f"cột không có trong mô hình dữ liệu: {listed}{hint.vi}",
                en=f"unknown column(s): {listed}{hint.en}",
            ),
            record=f"{path} header",
        )
    first: dict[str, int] = {}
    for column, name in enumerate(names):
        if name in first:
            spelled = (row[first[name]], row[column])
            one, two = show_text(spelled[0]), show_text(spelled[1])
            same_spelling = spelled[0] == spelled[1]
            how_vi = (
                ""
                if same_spelling
                else f" (viết là '{one}' và '{two}': các tên chỉ khác nhau ở dấu cách hay dạng "
                "Unicode được coi là một)"
            )
            how_en = (
                ""
                if same_spelling
                else f" (as '{one}' and '{two}': names that differ only in spaces or Unicode "
                "form are the same)"
            )
            columns = (first[name] + 1, column + 1)
            raise InputError(
                Text(
                    vi=f"cột bị ghi hai lần, cột {columns[0]} và {columns[1]}{how_vi}",
                    en=f"the column is given twice, columns {columns[0]} and {columns[1]}{how_en}",
                ),
                record=f"{path} header",
                field=name,
            )
        first[name] = column
    return names


# -- JSON -----------------------------------------------------------------------------------
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
    """Read every record of a JSON or CSV file into ``model`` instances; codes must differ."""
    if not path.exists():
        raise InputError(Text(vi="không tìm thấy tệp", en="file not found"), record=str(path))
    rows = rows_from_csv(path, model) if path.suffix.lower() == ".csv" else rows_from_json(path)
    records = []
    labels: dict[str, str] = {}
    for label, row in rows:
        record = structure(model, row, label)
        code = getattr(record, "code", None)
        if isinstance(code, str):
            if code in labels:
                shown = show_text(code)
                raise InputError(
                    Text(
                        vi=f"mã '{shown}' bị trùng, đã là mã của bản ghi {say_label(labels[code], 'vi')}",
                        en=f"duplicate code '{shown}', already the code of record {labels[code]}",
                    ),
                    record=label,
                    field="code",
                )
            labels[code] = label
        records.append(record)
    return records


def unstructure(record: Any) -> dict[str, Any]:
    return attrs.asdict(record)
