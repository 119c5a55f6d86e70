"""Field constructors for input models: each input knows its unit, label and valid range."""

from __future__ import annotations

import itertools
import math
from typing import Any

import attrs

from ..bounds import FIRST_YEAR, LAST_YEAR, MAX_MAGNITUDE, in_range, is_number, show_number
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


def show_text(text: str, limit: int = 60) -> str:
    """A text as quoted in a message: invisible and unprintable characters escaped
    (``\\u200b``, ``\\ud800``), cut after ``limit`` characters."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def describe(value: Any) -> str:
    """A value as named in a message, short whatever its size or depth."""
    if isinstance(value, str):
        return f"the text '{show_text(value)}'"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, int) and not in_range(value):
        return show_number(value)  # "a number of about 5001 digits"
    kind = "dict" if isinstance(value, dict) else type(value).__name__  # JSON objects too
    return f"{kind} {_brief(value, 2)}"


def _brief(value: Any, depth: int) -> str:
    if isinstance(value, str):
        return f"'{show_text(value, 20)}'"
    if isinstance(value, int) and not isinstance(value, bool):
        return show_number(value)
    if isinstance(value, list | tuple):
        items = [_brief(item, depth - 1) for item in value[:4]] if depth else []
        return "[" + ", ".join(items + ["…"] * (len(value) > len(items))) + "]"
    if isinstance(value, dict):
        first = itertools.islice(value.items(), 4 if depth else 0)
        pairs = [f"{_brief(k, 0)}: {_brief(v, depth - 1)}" for k, v in first]
        return "{" + ", ".join(pairs + ["…"] * (len(value) > len(pairs))) + "}"
    return show_text(repr(value), 30)


def beyond_magnitude(shown: str) -> str:
    """The message for a number outside :data:`~ntm_rules.bounds.MAX_MAGNITUDE`."""
    return f"{shown} is beyond ±{show_number(MAX_MAGNITUDE)}, the largest magnitude allowed"


def number_problem(value: Any, *, whole: bool) -> str | None:
    """What makes ``value`` no number (no whole number if ``whole``) within the bounds."""
    expected = "a whole number" if whole else "a number"
    if not is_number(value):
        return f"expected {expected}, found {describe(value)}"
    if value != value:
        return f"expected {expected}, found NaN"
    if isinstance(value, float) and math.isinf(value):
        return "expected a finite number, found infinity"
    if not in_range(value):
        return beyond_magnitude(show_number(value))
    if whole and isinstance(value, float):
        return f"expected a whole number, found {describe(value)}"
    return None


def _strict_number(low: int | None, high: int | None, *, whole: bool = False) -> Any:
    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        problem = number_problem(value, whole=whole)
        if problem is None and low is not None and value < low:
            problem = f"{show_number(value)} is below the smallest allowed value {low}"
        if problem is None and high is not None and value > high:
            problem = f"{show_number(value)} is above the largest allowed value {high}"
        if problem is not None:
            raise FieldValueError(attribute.name, problem)

    return validate


def _strict_bool(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise FieldValueError(attribute.name, f"expected true or false, found {describe(value)}")


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
        validator=_strict_number(0, None, whole=True),
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
        validator=_strict_number(FIRST_YEAR, LAST_YEAR, whole=True),
        metadata=_meta(KIND_INT, "year", vi, en, minimum=FIRST_YEAR, maximum=LAST_YEAR),
    )
