"""The one encoding of everything sent to durable-rules: compiled rules and facts alike.

durable-rules compares texts byte by byte as they stand in the JSON it was given (it never
decodes escapes), so a literal in a rule and a value in a fact are equal only when both were
written the same way. Everything therefore goes through :func:`encode`:

* texts as ASCII JSON (every non-ASCII character escaped, ``\\u1ed9``): one canonical spelling per
  string, which also survives lone surrogates and any byte the C parser might trip on;
* numbers in positional notation (the engine's parser stops at an exponent: ``5e-05`` is read
  as ``5`` followed by garbage), finite and within :data:`~ntm_rules.bounds.MAX_MAGNITUDE`;
* only ``dict``, ``list``, ``str``, ``bool``, ``int`` and ``float``: never ``None``.

A value outside these rules is a bug upstream (inputs and rulesets are checked before this);
it raises :class:`~ntm_rules.errors.EngineError` naming the property instead of reaching C.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..bounds import MAX_MAGNITUDE, MAX_TEXT_LENGTH, in_range, is_number
from ..errors import EngineError
from ..text import Text

_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"))
MAX_FACT_VALUES = 254  # durable-rules holds 255, the session id included
_SMALL = 1e-4  # Python writes a nonzero float below this with an exponent (5e-05)


def encode(value: Any) -> str:
    """``value`` as the JSON text durable-rules is given."""
    if _check(value, ""):
        return _positional(value)
    return _ENCODER.encode(value)


def encode_facts(facts: list[dict[str, Any]], *, vouched: bool = False) -> list[str]:
    """Flat facts, each as its JSON text (the hot path: no nesting to walk, exact types).
    ``vouched``: the caller has passed every value of these facts through :func:`check_flat`,
    and none needed positional notation."""
    encode = _ENCODER.encode
    for fact in facts:
        if len(fact) > MAX_FACT_VALUES:
            raise EngineError(
                Text(
                    vi=f"một bản ghi gửi tới bộ máy luật có {len(fact)} giá trị, quá "
                    f"{MAX_FACT_VALUES}",
                    en=f"a fact for the rule engine has {len(fact)} values, over {MAX_FACT_VALUES}",
                )
            )
    if vouched:
        return [encode(fact) for fact in facts]
    return [_positional(fact) if check_flat(fact) else encode(fact) for fact in facts]


def check_flat(fact: dict[str, Any]) -> bool:
    """Refuse what the engine cannot hold in a flat fact; whether a float in it needs
    positional notation (see :func:`encode_facts`)."""
    small = False
    for key, value in fact.items():
        kind = type(value)
        if kind is float:
            if not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:  # NaN fails this too
                raise EngineError(
                    Text(
                        vi=f"giá trị của '{key}' không hữu hạn hoặc vượt ±10^15: {value!r}",
                        en=f"value of '{key}' is not finite or beyond ±10^15: {value!r}",
                    )
                )
            small = small or (value != 0 and -_SMALL < value < _SMALL)
        elif kind is int:
            if not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:
                raise EngineError(
                    Text(
                        vi=f"giá trị của '{key}' vượt ±10^15",
                        en=f"value of '{key}' is beyond ±10^15",
                    )
                )
        elif kind is str:
            if len(value) > MAX_TEXT_LENGTH:
                raise EngineError(
                    Text(
                        vi=f"giá trị của '{key}' dài hơn {MAX_TEXT_LENGTH} ký tự",
                        en=f"value of '{key}' is longer than {MAX_TEXT_LENGTH} characters",
                    )
                )
        elif kind is not bool:
            raise EngineError(
                Text(
                    vi=f"không gửi được giá trị của '{key}' tới bộ máy luật: {value!r}",
                    en=f"value of '{key}' cannot be sent to the rule engine: {value!r}",
                )
            )
    return small


def _check(value: Any, path: str) -> bool:
    """Refuse what the engine cannot hold; whether a float needs positional notation."""
    if isinstance(value, dict):
        small = False
        for key, item in value.items():
            if not isinstance(key, str):
                raise EngineError(
                    Text(
                        vi=f"tên thuộc tính {key!r} ở '{path}' không phải văn bản",
                        en=f"property name {key!r} at '{path}' is not text",
                    )
                )
            small = _check(item, f"{path}.{key}" if path else key) or small
        return small
    if isinstance(value, list):
        return any([_check(item, f"{path}[{n}]") for n, item in enumerate(value)])
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            raise EngineError(
                Text(
                    vi=f"văn bản ở '{path}' dài hơn {MAX_TEXT_LENGTH} ký tự",
                    en=f"text at '{path}' is longer than {MAX_TEXT_LENGTH} characters",
                )
            )
        return False
    if isinstance(value, bool):
        return False
    if is_number(value):
        if not in_range(value):
            raise EngineError(
                Text(
                    vi=f"số ở '{path}' không hữu hạn hoặc vượt ±{MAX_MAGNITUDE:.0e}: {value!r}",
                    en=f"number at '{path}' is not finite or beyond ±{MAX_MAGNITUDE:.0e}: {value!r}",
                )
            )
        return isinstance(value, float) and value != 0 and -_SMALL < value < _SMALL
    raise EngineError(
        Text(
            vi=f"không gửi được giá trị ở '{path}' tới bộ máy luật: {value!r}",
            en=f"value at '{path}' cannot be sent to the rule engine: {value!r}",
        )
    )


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
