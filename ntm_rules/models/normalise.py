"""One normaliser for every input: a mapping given to the API, a JSON record, a CSV row.

Each value becomes exactly what its field's validator accepts, or is refused with an
:class:`~ntm_rules.errors.InputError` naming the record and the field:

- field names: NFC, stripped; two names equal after that are one field given twice;
- texts: NFC, stripped, a blank text is missing (``None``); control and invisible formatting
  characters, unpaired surrogates and texts over :data:`~ntm_rules.bounds.MAX_TEXT_LENGTH`
  characters are refused;
- numbers: an ``int`` or ``float`` (never a text or a boolean), finite, within
  :data:`~ntm_rules.bounds.MAX_MAGNITUDE`; a whole-number field takes an integral float
  (``2023.0``, as pandas writes) as that integer;
- CSV cells are text: :func:`parse_cell` reads them (number grammar, yes/no words).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import attrs

from ..bounds import MAX_TEXT_LENGTH, in_range
from ..errors import InputError
from ..text import Text, nfc
from .fields import (
    A_NUMBER,
    A_WHOLE_NUMBER,
    KIND_BOOL,
    KIND_INT,
    KIND_NUMBER,
    KIND_TEXT,
    beyond_magnitude,
    describe,
    expected,
    number_problem,
    same,
    show_text,
)
from .vocabulary import FieldSpec

_EXPECTED = {
    KIND_NUMBER: A_NUMBER,
    KIND_INT: A_WHOLE_NUMBER,
    KIND_BOOL: Text(vi="true hoặc false (đúng/sai)", en="true or false"),
    KIND_TEXT: Text(vi="văn bản", en="a text"),
}
_NOT_TEXT = {
    "Cc": Text(vi="một ký tự điều khiển", en="a control character"),
    "Cf": Text(vi="một ký tự định dạng vô hình", en="an invisible formatting character"),
    "Cs": Text(
        vi="một nửa cặp thay thế lẻ (dữ liệu bị giải mã sai)",
        en="an unpaired surrogate (the data was decoded wrongly)",
    ),
    "Zl": Text(vi="một ký tự ngắt dòng", en="a line separator"),
    "Zp": Text(vi="một ký tự ngắt đoạn", en="a paragraph separator"),
}


def normalise_name(name: str) -> str:
    """A field or column name as compared: NFC, without surrounding spaces."""
    return nfc(name).strip()


def normalise_text(value: str, label: str, field: str) -> str | None:
    """A text value: NFC, stripped, ``None`` when blank; refused if it holds no clean text."""
    text = nfc(value).strip()
    if not text:
        return None
    if len(text) > MAX_TEXT_LENGTH:
        raise InputError(
            Text(
                vi=f"văn bản dài {len(text)} ký tự, quá mức {MAX_TEXT_LENGTH} cho phép",
                en=f"the text is {len(text)} characters long, more than the {MAX_TEXT_LENGTH} "
                "allowed",
            ),
            record=label,
            field=field,
        )
    for char in text:
        what = _NOT_TEXT.get(unicodedata.category(char))
        if what is not None:
            shown, code = show_text(text), f"U+{ord(char):04X}"
            raise InputError(
                Text(
                    vi=f"'{shown}' chứa {what.vi}, {code}",
                    en=f"'{shown}' contains {what.en}, {code}",
                ),
                record=label,
                field=field,
            )
    return text


def normalise_row(specs: Mapping[str, FieldSpec], row: Any, label: str) -> dict[str, Any]:
    """The fields of one record, names and values normalised; unknown names are kept as they
    are for the model to refuse."""
    if not isinstance(row, Mapping):
        raise InputError(
            expected(Text(vi="một đối tượng", en="an object"), same(type(row).__name__)),
            record=label,
        )
    bad = [describe(key) for key in row if not isinstance(key, str)]
    if bad:
        vi, en = ", ".join(b.vi for b in bad), ", ".join(b.en for b in bad)
        raise InputError(
            Text(
                vi=f"tên trường phải là văn bản, nhưng gặp {vi}",
                en=f"field names must be text, found {en}",
            ),
            record=label,
        )
    pairs = row.pairs if isinstance(row, JsonObject) else row.items()
    values: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in pairs:
        name = key if key in specs else normalise_name(key)
        spec = specs.get(name)
        if spec is None:
            values[key] = value  # the model refuses it, named as it is spelled
            continue
        if name in spelled:
            first = spelled[name]
            both = f"'{show_text(first)}' và '{show_text(key)}'"
            vi = "" if first == key else f", viết là {both}"
            en = "" if first == key else f", as {both.replace(' và ', ' and ')}"
            raise InputError(
                Text(vi=f"trường bị ghi hai lần{vi}", en=f"the field is given twice{en}"),
                record=label,
                field=name,
            )
        spelled[name] = key
        values[name] = normalise_value(spec, value, label)
    return values


def normalise_value(spec: FieldSpec, value: Any, label: str) -> Any:
    """One value of a mapping or JSON record, for the field ``spec``."""
    kind = spec.kind
    if value is None:
        return None
    if isinstance(value, str):
        if kind == KIND_TEXT:
            return _choice(spec, normalise_text(value, label, spec.name))
        if not value.strip():
            return None
    if kind in (KIND_NUMBER, KIND_INT):
        whole = kind == KIND_INT
        if isinstance(value, JsonNumber):
            raise InputError(value.problem, record=label, field=spec.name)
        if whole and isinstance(value, float) and value.is_integer() and in_range(value):
            value = int(value)
        problem = number_problem(value, whole=whole)
        if problem is not None:
            raise InputError(problem, record=label, field=spec.name)
        return value
    if kind == KIND_BOOL and isinstance(value, bool):
        return value
    found = (
        Text(vi=f"số {value!r}", en=f"the number {value!r}")
        if isinstance(value, JsonNumber)
        else describe(value)
    )
    raise InputError(expected(_EXPECTED[kind], found), record=label, field=spec.name)


# -- JSON ------------------------------------------------------------------------------------
class JsonObject(dict[str, Any]):
    """A JSON object that keeps every name/value pair, names given twice included (the pairs
    are kept apart only then: a big file's rows cost half the memory)."""

    __slots__ = ("_repeated",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self._repeated = pairs if len(self) != len(pairs) else None

    @property
    def pairs(self) -> list[tuple[str, Any]]:
        return self._repeated if self._repeated is not None else list(self.items())


@attrs.frozen
class JsonNumber:
    """A JSON number that no ``int`` or ``float`` within the bounds holds, and why."""

    literal: str
    problem: Text

    def __repr__(self) -> str:
        return show_text(self.literal, 20)


def decode_json(text: str) -> Any:
    """Parse JSON text; objects become :class:`JsonObject`, unusable numbers
    :class:`JsonNumber`, so that :func:`normalise_row` reports them by record and field."""
    return json.loads(
        text, object_pairs_hook=JsonObject, parse_int=_json_int, parse_float=_json_float
    )


def _json_int(literal: str) -> int | JsonNumber:
    # JSON has no leading zeros: more than 20 characters is far beyond MAX_MAGNITUDE (16 digits),
    # and is not converted (Python refuses integers of more than 4,300 digits).
    if len(literal) > 20:
        digits = len(literal.lstrip("-"))
        shown = Text(vi=f"một số có {digits} chữ số", en=f"a number of {digits} digits")
        return JsonNumber(literal, beyond_magnitude(shown))
    return int(literal)


def _json_float(literal: str) -> float | JsonNumber:
    value = float(literal)
    if math.isinf(value):
        return JsonNumber(literal, beyond_magnitude(show_text(literal, 20)))
    if value == 0 and re.search("[1-9]", re.split("[eE]", literal)[0]):
        shown = show_text(literal, 20)
        return JsonNumber(
            literal,
            Text(
                vi=f"{shown} quá gần 0, không lưu được; hãy viết 0",
                en=f"{shown} is too close to zero to be held; write 0",
            ),
        )
    return value


# -- CSV -------------------------------------------------------------------------------------
_TRUE = {"true", "1", "yes", "có", "đạt", "x"}
_FALSE = {"false", "0", "no", "không", "không đạt", "chưa đạt"}
_NUMBER = re.compile(r"([+-]?)([0-9]+)(?:([.,])([0-9]+))?")
_GROUPED = re.compile(r"[+-]?[0-9]+(?:[.,'’ \u00a0\u2009\u202f][0-9]+)+")


def _choice(spec: FieldSpec, text: str | None) -> str | None:
    """A choice as an office writes it (``TDMNPB``, ``Trung du và miền núi phía Bắc``) as its
    code; anything else is left for the model to refuse with the list of choices."""
    if text is None or not spec.choices or text in spec.choices:
        return text
    from .commune import REGIONS
    from .tables import choice_aliases, column_key

    labels = REGIONS if spec.name == "region" else {}
    return choice_aliases(spec, labels).get(column_key(text), text)


def parse_cell(spec: FieldSpec, text: str, label: str, mark: str | None = None) -> Any:
    """Read one CSV cell for the field ``spec``; a blank cell is a missing value.

    Yes/no: ``true``/``false``, ``1``/``0``, ``yes``/``no``, ``có``/``không``,
    ``đạt``/``không đạt``/``chưa đạt``, ``x`` (any case).
    Numbers: an optional sign, ASCII digits, at most one decimal separator, ``.`` or ``,``.
    ``mark``: the column's decimal mark when its cells show it (:func:`tables.decimal_mark`);
    thousands separators are then dropped. Without it, ``41.500`` and ``1,234`` (1-3 digits not
    starting with 0, a separator, exactly 3 digits) are refused as ambiguous, a decimal or a
    whole number with a thousands separator; two or more groups (``41.500.000``) read one way
    only. A percentage may end in ``%``. A whole-number field takes ``12`` and ``12,0``, not
    ``12,5``.
    """
    if spec.kind == KIND_TEXT:
        return _choice(spec, normalise_text(text, label, spec.name))
    cell = nfc(text).strip()
    if not cell:
        return None
    if spec.kind == KIND_BOOL:
        lowered = cell.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise InputError(
            expected(
                Text(vi="có/không (true/false)", en="true/false (có/không)"),
                same(f"'{show_text(cell)}'"),
            ),
            record=label,
            field=spec.name,
        )
    if spec.unit == "percent" and cell.endswith("%"):
        cell = cell[:-1].rstrip()
    from .tables import plain_number

    return _read_number(plain_number(cell, mark), spec, label, cell, decided=mark is not None)


def _read_number(
    cell: str, spec: FieldSpec, label: str, written: str = "", *, decided: bool = False
) -> int | float:
    shown = show_text(written or cell)

    def refuse(message: Text) -> InputError:
        return InputError(message, record=label, field=spec.name)

    match = _NUMBER.fullmatch(cell)
    if match is None:
        if _GROUPED.fullmatch(cell):
            raise refuse(
                Text(
                    vi=f"cần một số, nhưng gặp '{shown}': bỏ dấu phân cách hàng nghìn và chỉ "
                    "viết tối đa một dấu thập phân, '.' hoặc ',' (ví dụ 1234567,5)",
                    en=f"expected a number, found '{shown}': remove the thousands separators "
                    "and write at most one decimal separator, '.' or ',' (e.g. 1234567,5)",
                )
            )
        raise refuse(expected(A_NUMBER, same(f"'{shown}'")))
    sign, digits, mark, decimals = match.groups()
    ambiguous = mark and len(decimals) == 3 and len(digits) <= 3 and not digits.startswith("0")
    if ambiguous and not decided:
        raise refuse(_ambiguous(cell, sign, digits, mark, decimals))
    if len(digits.lstrip("0")) > 16:  # beyond MAX_MAGNITUDE whatever the decimals; not converted
        raise refuse(beyond_magnitude(f"'{shown}'"))
    number: int | float
    if spec.kind == KIND_INT:
        if decimals and decimals.strip("0"):
            raise refuse(expected(A_WHOLE_NUMBER, same(f"'{shown}'")))
        number = int(sign + digits)
    else:
        number = float(f"{sign}{digits}.{decimals or 0}")
    if not in_range(number):
        raise refuse(beyond_magnitude(f"'{shown}'"))
    return number


def _ambiguous(cell: str, sign: str, digits: str, mark: str, decimals: str) -> Text:
    kept = decimals.rstrip("0")
    decimal = f"{sign}{digits}{mark}{kept}" if kept else f"{sign}{digits}"
    unambiguous = decimal + "0" if len(kept) == 3 else decimal
    whole = f"{sign}{digits}{decimals}"
    return Text(
        vi=f"'{cell}' không rõ nghĩa: số thập phân {decimal}, hay số nguyên {whole} viết với "
        f"'{mark}' làm dấu phân cách hàng nghìn; hãy viết {unambiguous} hoặc {whole}",
        en=f"'{cell}' is ambiguous: the decimal {decimal}, or the whole number {whole} written "
        f"with '{mark}' as a thousands separator; write {unambiguous} or {whole}",
    )
