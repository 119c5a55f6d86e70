"""The values ntm-rules handles: numbers it can compare exactly, texts the rule engine can hold.

Every number that reaches the rule engine (an input, a parameter, a computed threshold) lies
within :data:`MAX_MAGNITUDE`: beyond it, doubles no longer hold every whole number and the
engine's 64-bit integers can overflow. Every text is at most :data:`MAX_TEXT_LENGTH` characters
(the engine keeps a string's length in 16 bits). Inputs and rulesets outside these bounds are
refused with an error naming the record and field, or the file and line.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

MAX_MAGNITUDE = 10**15
MAX_TEXT_LENGTH = 500
FIRST_YEAR, LAST_YEAR = 1990, 2100  # the years a unit can be assessed or recognised in


def is_number(value: Any) -> bool:
    """An ``int`` or ``float`` that is not a ``bool``."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def in_range(value: int | float) -> bool:
    """A finite number whose magnitude is at most :data:`MAX_MAGNITUDE`."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE


def show_number(value: int | float) -> str:
    """A number as written in a message: every digit it has (``100.0000001``, not ``100``),
    integers without a decimal point, huge integers shortened."""
    if isinstance(value, int):
        if abs(value) < 10**30:
            return str(value)
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"{'-' if value < 0 else ''}a number of about {digits} digits"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if 1e-12 <= abs(value) < 1e-4:  # repr would write 1e-07
        return format(Decimal(repr(value)), "f")
    return repr(value)
