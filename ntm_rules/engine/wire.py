"""The one encoding of everything sent to durable-rules: compiled rules and facts alike.

durable-rules compares texts byte by byte as they stand in the JSON it was given (it never
decodes escapes), so a literal in a rule and a value in a fact are equal only when both were
written the same way. Everything therefore goes through :func:`encode`:

* texts as ASCII JSON (every non-ASCII character as ``\\uXXXX``): one canonical spelling per
  string, which also survives lone surrogates and any byte the C parser might trip on;
* numbers in positional notation (the engine's parser stops at an exponent: ``5e-05`` is read
  as ``5`` followed by garbage), finite and within :data:`~ntm_rules.bounds.MAX_MAGNITUDE`;
* only ``dict``, ``list``, ``str``, ``bool``, ``int`` and ``float``: never ``None``.

A value outside these rules is a bug upstream (inputs and rulesets are checked before this);
it raises :class:`~ntm_rules.errors.EngineError` naming the property instead of reaching C.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from ..bounds import MAX_MAGNITUDE, MAX_TEXT_LENGTH, in_range, is_number
from ..errors import EngineError

_EXPONENT = re.compile(r"\d[eE][-+]?\d")
_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def encode(value: Any) -> str:
    """``value`` as the JSON text durable-rules is given."""
    _check(value, "")
    text = _ENCODER.encode(value)
    if _EXPONENT.search(text) is None:
        return text
    return _positional(value)  # rare: a float below 0.0001 (or text that looks like one)


def encode_fact(fact: dict[str, Any]) -> str:
    """A flat fact (the hot path: no nesting to walk)."""
    for key, value in fact.items():
        if isinstance(value, str):
            if len(value) > MAX_TEXT_LENGTH:
                raise EngineError(f"value of '{key}' is longer than {MAX_TEXT_LENGTH} characters")
        elif not (isinstance(value, bool) or (is_number(value) and in_range(value))):
            raise EngineError(f"value of '{key}' cannot be sent to the rule engine: {value!r}")
    text = _ENCODER.encode(fact)
    if _EXPONENT.search(text) is None:
        return text
    return _positional(fact)


def _check(value: Any, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise EngineError(f"property name {key!r} at '{path}' is not text")
            _check(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _check(item, f"{path}[{n}]")
    elif isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            raise EngineError(f"text at '{path}' is longer than {MAX_TEXT_LENGTH} characters")
    elif isinstance(value, bool):
        pass
    elif is_number(value):
        if not in_range(value):
            raise EngineError(
                f"number at '{path}' is not finite or beyond ±{MAX_MAGNITUDE:.0e}: {value!r}"
            )
    else:
        raise EngineError(f"value at '{path}' cannot be sent to the rule engine: {value!r}")


def _positional(value: Any) -> str:
    """The same JSON as :func:`encode`, every float written without an exponent."""
    if isinstance(value, dict):
        items = (f"{_ENCODER.encode(k)}:{_positional(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_positional(v) for v in value) + "]"
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text if "." in text else text + ".0"
    return _ENCODER.encode(value)
