"""Turning dicts, JSON and CSV rows into validated models, with errors naming record and field."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError

from ..errors import InputError
from .fields import KIND_BOOL, KIND_INT, KIND_NUMBER, FieldValueError
from .vocabulary import FieldSpec, field_specs

T = TypeVar("T")

_converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
# Values are passed through unchanged: the models' validators check types strictly, so that
# "80" is never silently read as 80 (the rule engine would coerce it).
for _type in (float | None, int | None, bool | None, str | None, str, bool, int):
    _converter.register_structure_hook(_type, lambda value, _: value)


def record_label(row: Mapping[str, Any], index: int) -> str:
    code = row.get("code")
    return f"#{index + 1} (code {code})" if isinstance(code, str) and code else f"#{index + 1}"


def structure(model: type[T], row: Mapping[str, Any], label: str) -> T:
    """Build a ``model`` from a mapping; raise :class:`InputError` naming the first bad field."""
    if not isinstance(row, Mapping):
        raise InputError(f"expected an object, found {type(row).__name__}", record=label)
    bad_keys = [repr(k) for k in row if not isinstance(k, str)]
    if bad_keys:
        raise InputError(f"field names must be text, found {', '.join(bad_keys)}", record=label)
    try:
        return _converter.structure(dict(row), model)
    except ClassValidationError as group:
        raise _first_error(group, label) from None
    except ForbiddenExtraKeysError as exc:
        raise InputError(
            f"unknown field(s): {', '.join(sorted(exc.extra_fields))}", record=label
        ) from None


def _first_error(group: ClassValidationError, label: str) -> InputError:
    for exc in group.exceptions:
        if isinstance(exc, ForbiddenExtraKeysError):
            fields = ", ".join(sorted(exc.extra_fields))
            return InputError(f"unknown field(s): {fields}", record=label)
        if isinstance(exc, FieldValueError):
            return InputError(exc.message, record=label, field=exc.field)
        field = None
        for note in getattr(exc, "__notes__", []):
            field = getattr(note, "name", None) or field
        message = str(exc)
        if isinstance(exc, KeyError) or ("required" in message and "missing" in message):
            message = "is required"
        return InputError(message, record=label, field=field)
    return InputError(str(group), record=label)


# -- CSV ------------------------------------------------------------------------------------
_TRUE = {"true", "1", "yes", "có", "đạt", "x"}
_FALSE = {"false", "0", "no", "không", "không đạt", "chưa đạt"}


def parse_cell(spec: FieldSpec, text: str, label: str) -> Any:
    """Convert one CSV cell to the field's type; an empty cell is a missing value."""
    text = unicodedata.normalize("NFC", text.strip())
    if text == "":
        return None
    if spec.kind == KIND_BOOL:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise InputError(
            f"expected true/false (có/không), found '{text}'", record=label, field=spec.name
        )
    if spec.kind in (KIND_NUMBER, KIND_INT):
        normalised = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
        try:
            number = float(normalised)
        except ValueError:
            raise InputError(
                f"expected a number, found '{text}'", record=label, field=spec.name
            ) from None
        if spec.kind == KIND_INT:
            if not number.is_integer():
                raise InputError(
                    f"expected a whole number, found '{text}'", record=label, field=spec.name
                )
            return int(number)
        return number
    return text


def rows_from_csv(path: Path, model: type[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    specs = {spec.name: spec for spec in field_specs(model)}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        unknown = [name for name in reader.fieldnames or () if name not in specs]
        if unknown:
            raise InputError(f"unknown column(s): {', '.join(unknown)}", record=f"{path} header")
        for index, raw in enumerate(reader):
            label = f"{path}:{index + 2} (code {raw.get('code') or '?'})"
            if None in raw:
                raise InputError("more cells than columns", record=label)
            yield (
                label,
                {name: parse_cell(specs[name], value or "", label) for name, value in raw.items()},
            )


def rows_from_json(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", record=str(path)
        ) from None
    if isinstance(data, dict) and "units" in data:
        data = data["units"]
    if not isinstance(data, list):
        raise InputError("expected a list of records (or an object with 'units')", record=str(path))
    for index, row in enumerate(data):
        label = (
            f"{path} {record_label(row, index) if isinstance(row, Mapping) else f'#{index + 1}'}"
        )
        if not isinstance(row, dict):
            raise InputError(f"expected an object, found {type(row).__name__}", record=label)
        yield label, row


def load_records(path: Path, model: type[T]) -> list[T]:
    """Read every record of a JSON or CSV file into ``model`` instances."""
    if not path.exists():
        raise InputError("file not found", record=str(path))
    rows = rows_from_csv(path, model) if path.suffix.lower() == ".csv" else rows_from_json(path)
    records = [structure(model, row, label) for label, row in rows]
    codes: dict[str, str] = {}
    for record in records:
        code = getattr(record, "code", None)
        if isinstance(code, str):
            if code in codes:
                raise InputError(f"duplicate code '{code}'", record=str(path), field="code")
            codes[code] = code
    return records


def unstructure(record: Any) -> dict[str, Any]:
    return attrs.asdict(record)
