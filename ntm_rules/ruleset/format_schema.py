"""The JSON Schema (draft 2020-12) of ruleset and ladder files, generated from
:mod:`.format_spec`: what a YAML editor uses to complete keys, show what they mean on hover and
flag typos.

It uses only keywords a draft-07 editor (such as the YAML language server behind VS Code's YAML
extension) reads the same way: ``if``/``then``/``else``, ``anyOf``, ``oneOf``, ``enum``,
``pattern``, ``propertyNames`` and ``additionalProperties: false``.
"""

from __future__ import annotations

from typing import Any

from ..models.commune import REGIONS
from ..models.vocabulary import VOCABULARIES, always_given, field_specs
from ..text import Text
from ..units import UNITS
from .format_spec import (
    EXTENSION,
    LADDER_FILE,
    RULESET,
    SHAPES,
    AnyOf,
    Choice,
    Const,
    ListOf,
    MapOf,
    Ref,
    Scalar,
    Shape,
    Switch,
    ValueType,
    Vocabulary,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://ntm-rules.example/schemas/ruleset.schema.json"

_SCALARS: dict[str, dict[str, Any]] = {
    "text": {"type": "string", "minLength": 1, "pattern": r"\S"},
    "date": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "bool": {"type": "boolean"},
    "expression": {"type": ["string", "boolean"], "minLength": 1, "pattern": r"\S"},
    "id": {"type": "string", "pattern": r"^[A-Za-z0-9_.\-]+$"},
    "name": {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
}


def ruleset_schema() -> dict[str, Any]:
    """The JSON Schema of a ruleset or ladder file (YAML test files are not covered).

    A file with a ``ladder`` key is a ladder, one with ``extends`` extends another ruleset,
    any other is a ruleset of its own: the loader decides the same way.
    """
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "ntm-rules ruleset or ladder file",
        "description": _about_file(),
        "type": "object",
        "if": {"required": ["ladder"]},
        "then": _ref(LADDER_FILE.name),
        "else": {
            "if": _present("extends"),
            "then": _ref(EXTENSION.name),
            "else": _ref(RULESET.name),
        },
        "$defs": {shape.name: _shape(shape) for shape in SHAPES},
    }


def _about_file() -> str:
    return (
        "Tệp bộ tiêu chí hoặc thang của ntm-rules (docs/ruleset-format.md) / "
        "An ntm-rules ruleset or ladder file (docs/ruleset-format.md)"
    )


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _present(key: str) -> dict[str, Any]:
    """Holds when ``key`` is given a value (the loader reads a null value as absent)."""
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def _shape(shape: Shape) -> dict[str, Any]:
    properties = {}
    for key in shape.keys:
        properties[key.name] = {
            **_value(key.value),
            "description": _both(key.about),
        }
    schema: dict[str, Any] = {
        "type": "object",
        "description": _both(shape.about),
        "properties": properties,
        "additionalProperties": False,
    }
    if shape.required:
        schema["required"] = list(shape.required)
    rules: list[dict[str, Any]] = []
    if shape.exactly_one:
        rules.append({"oneOf": [{"required": [key]} for key in shape.exactly_one]})
    if shape.note_unless_verified:
        rules.append(
            {
                "if": {"required": ["verified"], "properties": {"verified": {"const": False}}},
                "then": {"required": ["note"]},
            }
        )
    if len(rules) == 1:
        schema.update(rules[0])
    elif rules:
        schema["allOf"] = rules
    return schema


def _value(value: ValueType) -> dict[str, Any]:
    if isinstance(value, Scalar):
        return dict(_SCALARS[value.kind])
    if isinstance(value, Const):
        return {"const": value.value}
    if isinstance(value, Choice):
        return {"type": "string", "enum": list(value.values)}
    if isinstance(value, Vocabulary):
        return _words(value)
    if isinstance(value, ListOf):
        schema: dict[str, Any] = {"type": "array", "items": _value(value.item)}
        if value.non_empty:
            schema["minItems"] = 1
        return schema
    if isinstance(value, MapOf):
        return _map(value)
    if isinstance(value, Ref):
        return _ref(value.shape)
    if isinstance(value, AnyOf):
        return {"anyOf": [_value(option) for option in value.options]}
    return _switch(value)


def _words(value: Vocabulary) -> dict[str, Any]:
    words = _vocabulary(value.name)
    if not value.closed:
        return {**_SCALARS["text"], "examples": words}
    schema: dict[str, Any] = {"type": "string", "enum": words}
    labels = _labels(value.name)
    if labels:  # shown beside each value by editors that read it (VS Code)
        schema["enumDescriptions"] = [labels.get(word, word) for word in words]
    return schema


def _map(value: MapOf) -> dict[str, Any]:
    item = _value(value.value)
    schema: dict[str, Any] = {"type": "object"}
    if value.closed:  # every key listed: an unknown one is flagged like a misspelt key
        assert value.keys is not None and not isinstance(value.keys, Scalar)
        labels = _labels(value.keys.name) if isinstance(value.keys, Vocabulary) else {}
        schema["properties"] = {
            key: {**item, "description": labels[key]} if key in labels else item
            for key in _keys(value.keys)
        }
        schema["additionalProperties"] = False
        return schema
    if isinstance(value.keys, Choice | Vocabulary):
        schema["properties"] = {key: item for key in _keys(value.keys)}  # for completion
        schema["propertyNames"] = {"enum": _keys(value.keys)}
    elif isinstance(value.keys, Scalar):
        schema["propertyNames"] = _SCALARS[value.keys.kind]
    schema["additionalProperties"] = item
    return schema


def _keys(keys: Choice | Vocabulary) -> list[str]:
    return list(keys.values) if isinstance(keys, Choice) else _vocabulary(keys.name)


def _switch(value: Switch) -> dict[str, Any]:
    schema = _value(value.otherwise)
    for key, ref in reversed(value.cases):
        schema = {"if": {"required": [key]}, "then": _value(ref), "else": schema}
    return schema


def _vocabulary(name: str) -> list[str]:
    """The values of a vocabulary, read from the input models and units."""
    if name == "units":
        return list(UNITS)
    if name == "inputs":
        return list(VOCABULARIES)
    if name == "regions":
        return _regions()
    if name == "axis_fields":
        return list(
            {
                spec.name: None
                for model in VOCABULARIES.values()
                for spec in field_specs(model)
                if spec.name in always_given(model) and spec.choices
            }
        )
    fields = {
        spec.name: None
        for model in VOCABULARIES.values()
        for spec in field_specs(model)
        if spec.unit == "year" and spec.name != "year"
    }
    return list(fields)  # year_fields


def _labels(name: str) -> dict[str, str]:
    """What each value of a vocabulary means, where the library names it."""
    if name == "units":
        return {unit: _both(text) for unit, text in UNITS.items() if text.vi}
    if name == "regions":
        return {code: _both(text) for code, text in REGIONS.items()}
    return {}


def _both(text: Text) -> str:
    return text.vi if text.vi == text.en else f"{text.vi} / {text.en}"


def _regions() -> list[str]:
    found = {
        choice: None
        for model in VOCABULARIES.values()
        for spec in field_specs(model)
        if spec.name == "region"
        for choice in spec.choices
    }
    return list(found)
