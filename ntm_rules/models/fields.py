"""Field constructors for input models: each input knows its unit, label and valid range."""

from __future__ import annotations

from typing import Any

import attrs

from ..text import Text

KIND_NUMBER = "number"
KIND_BOOL = "bool"
KIND_INT = "int"
KIND_TEXT = "text"


class FieldValueError(ValueError):
    """An input value is invalid; names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strict_number(low: float | None, high: float | None) -> Any:
    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if not _is_number(value):
            raise FieldValueError(attribute.name, f"expected a number, found {_describe(value)}")
        if value != value:
            raise FieldValueError(attribute.name, "expected a number, found NaN")
        if value in (float("inf"), float("-inf")):
            raise FieldValueError(attribute.name, "expected a finite number, found infinity")
        if low is not None and value < low:
            raise FieldValueError(
                attribute.name, f"{value:g} is below the smallest allowed value {low:g}"
            )
        if high is not None and value > high:
            raise FieldValueError(
                attribute.name, f"{value:g} is above the largest allowed value {high:g}"
            )

    return validate


def _strict_bool(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise FieldValueError(attribute.name, f"expected true or false, found {_describe(value)}")


def _strict_int(low: int, high: int | None) -> Any:
    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldValueError(
                attribute.name, f"expected a whole number, found {_describe(value)}"
            )
        if value < low:
            raise FieldValueError(
                attribute.name, f"{value} is below the smallest allowed value {low}"
            )
        if high is not None and value > high:
            raise FieldValueError(
                attribute.name, f"{value} is above the largest allowed value {high}"
            )

    return validate


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return f"{type(value).__name__} {value!r}"


def _meta(kind: str, unit: str | None, vi: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "unit": unit, "label": Text(vi=vi, en=en), **extra}


def percent(vi: str, en: str) -> Any:
    """A share in percent, 0-100; ``None`` when not reported."""
    return attrs.field(
        default=None,
        validator=_strict_number(0, 100),
        metadata=_meta(KIND_NUMBER, "percent", vi, en, minimum=0, maximum=100),
    )


def amount(unit: str, vi: str, en: str) -> Any:
    """A non-negative quantity in ``unit``."""
    return attrs.field(
        default=None,
        validator=_strict_number(0, None),
        metadata=_meta(KIND_NUMBER, unit, vi, en, minimum=0),
    )


def count(vi: str, en: str) -> Any:
    """A non-negative whole number."""
    return attrs.field(
        default=None,
        validator=_strict_int(0, None),
        metadata=_meta(KIND_INT, "count", vi, en, minimum=0),
    )


def flag(vi: str, en: str) -> Any:
    """A yes/no (đạt / không đạt) fact, attested by the responsible authority."""
    return attrs.field(
        default=None, validator=_strict_bool, metadata=_meta(KIND_BOOL, None, vi, en)
    )


def known_flag(vi: str, en: str) -> Any:
    """A yes/no attribute of the unit that defaults to no (e.g. on the ĐBKK list or not)."""
    return attrs.field(
        default=False,
        converter=_none_is_false,
        validator=_strict_bool,
        metadata=_meta(KIND_BOOL, None, vi, en, required=False),
    )


def _none_is_false(value: Any) -> Any:
    """A blank list-membership flag means "not on the list" (e.g. not a ĐBKK commune)."""
    return False if value is None else value


def year_field(vi: str, en: str) -> Any:
    return attrs.field(
        default=None,
        validator=_strict_int(1990, 2100),
        metadata=_meta(KIND_INT, "year", vi, en, minimum=1990, maximum=2100),
    )
