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

    def __init__(self, field: str, text: Text) -> None:
        super().__init__(text.en)
        self.field = field
        self.text = text


def show_text(text: str, limit: int = 60) -> str:
    """A text as quoted in a message: invisible and unprintable characters escaped
    (``\\u200b``, ``\\ud800``), cut after ``limit`` characters."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def describe(value: Any) -> Text:
    """A value as named in a message, short whatever its size or depth."""
    if isinstance(value, str):
        return Text(vi=f"văn bản '{show_text(value)}'", en=f"the text '{show_text(value)}'")
    if isinstance(value, bool):
        return same(f"'{str(value).lower()}'")
    if isinstance(value, int) and not in_range(value):
        return same(show_number(value))  # "a number of about 5001 digits"
    kind = "dict" if isinstance(value, dict) else type(value).__name__  # JSON objects too
    return same(f"{kind} {_brief(value, 2)}")


def same(text: str) -> Text:
    """A text that reads the same in both languages (a value as written)."""
    return Text(vi=text, en=text)


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


def beyond_magnitude(shown: str | Text) -> Text:
    """The message for a number outside :data:`~ntm_rules.bounds.MAX_MAGNITUDE`."""
    largest = show_number(MAX_MAGNITUDE)
    what = shown if isinstance(shown, Text) else same(shown)
    return Text(
        vi=f"{what.vi} vượt quá ±{largest}, độ lớn tối đa cho phép",
        en=f"{what.en} is beyond ±{largest}, the largest magnitude allowed",
    )


def expected(what: Text, found: Text) -> Text:
    """``expected <what>, found <found>`` in both languages."""
    return Text(
        vi=f"cần {what.vi}, nhưng gặp {found.vi}", en=f"expected {what.en}, found {found.en}"
    )


REQUIRED = Text(vi="bắt buộc phải có", en="is required")
A_NUMBER = Text(vi="một số", en="a number")
A_WHOLE_NUMBER = Text(vi="một số nguyên", en="a whole number")


def number_problem(value: Any, *, whole: bool) -> Text | None:
    """What makes ``value`` no number (no whole number if ``whole``) within the bounds."""
    wanted = A_WHOLE_NUMBER if whole else A_NUMBER
    if not is_number(value):
        return expected(wanted, describe(value))
    if value != value:
        return expected(wanted, same("NaN"))
    if isinstance(value, float) and math.isinf(value):
        return expected(
            Text(vi="một số hữu hạn", en="a finite number"), Text(vi="vô cực", en="infinity")
        )
    if not in_range(value):
        return beyond_magnitude(show_number(value))
    if whole and isinstance(value, float):
        return expected(A_WHOLE_NUMBER, describe(value))
    return None


def _strict_number(low: int | None, high: int | None, *, whole: bool = False) -> Any:
    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        problem = number_problem(value, whole=whole)
        if problem is None and low is not None and value < low:
            problem = Text(
                vi=f"{show_number(value)} nhỏ hơn giá trị nhỏ nhất cho phép {low}",
                en=f"{show_number(value)} is below the smallest allowed value {low}",
            )
        if problem is None and high is not None and value > high:
            problem = Text(
                vi=f"{show_number(value)} lớn hơn giá trị lớn nhất cho phép {high}",
                en=f"{show_number(value)} is above the largest allowed value {high}",
            )
        if problem is not None:
            raise FieldValueError(attribute.name, problem)

    return validate


def _strict_bool(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise FieldValueError(
            attribute.name,
            expected(Text(vi="true hoặc false (đúng/sai)", en="true or false"), describe(value)),
        )


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
