"""JSON Schemas (draft 2020-12): of an input record, generated from its attrs model, of an
evaluation result (``EvaluationResult.to_dict()``), shipped as ``result.schema.json``, and of
ruleset and ladder files (:func:`ruleset_schema`, from :mod:`.ruleset.format_spec`)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .models.commune import REGIONS
from .models.fields import KIND_BOOL, KIND_INT, KIND_NUMBER, KIND_TEXT
from .models.vocabulary import VOCABULARIES, FieldSpec, field_specs
from .ruleset.format_schema import DRAFT, ruleset_schema
from .units import UNITS

__all__ = ["DRAFT", "input_schema", "result_schema", "ruleset_schema"]

_BASE_ID = "https://ntm-rules.example/schemas"
_TYPES = {KIND_NUMBER: "number", KIND_INT: "integer", KIND_BOOL: "boolean", KIND_TEXT: "string"}


def input_schema(model: type[Any]) -> dict[str, Any]:
    """The JSON Schema of one input record of ``model`` (an input vocabulary's attrs class).

    Every field may be null (not reported) except the required ones; unknown fields are
    rejected, as :func:`ntm_rules.models.structuring.structure` does.
    """
    name = next((k for k, v in VOCABULARIES.items() if v is model), model.__name__)
    specs = field_specs(model)
    return {
        "$schema": DRAFT,
        "$id": f"{_BASE_ID}/input/{name}.schema.json",
        "title": f"ntm-rules input record: {name}",
        "description": (model.__doc__ or name).strip().splitlines()[0],
        "type": "object",
        "properties": {spec.name: _property(spec) for spec in specs},
        "required": [spec.name for spec in specs if spec.required],
        "additionalProperties": False,
    }


def result_schema() -> dict[str, Any]:
    """The JSON Schema of ``EvaluationResult.to_dict()``."""
    text = resources.files("ntm_rules").joinpath("result.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _property(spec: FieldSpec) -> dict[str, Any]:
    json_type = _TYPES.get(spec.kind, "string")
    prop: dict[str, Any] = {"type": json_type if spec.required else [json_type, "null"]}
    if spec.choices:
        prop["enum"] = [*spec.choices] if spec.required else [*spec.choices, None]
    elif spec.kind == KIND_TEXT and spec.required:
        prop["minLength"] = 1
        prop["pattern"] = r"\S"
    if spec.minimum is not None:
        prop["minimum"] = spec.minimum
    if spec.maximum is not None:
        prop["maximum"] = spec.maximum
    prop["description"] = _description(spec)
    prop["x-label"] = spec.label.to_dict()
    if spec.unit is not None:
        prop["x-unit"] = spec.unit
    return prop


def _description(spec: FieldSpec) -> str:
    text = f"{spec.label.vi} / {spec.label.en}"
    unit = UNITS.get(spec.unit) if spec.unit else None
    if unit is not None and unit.vi:
        text += f" ({unit.vi} / {unit.en})" if unit.vi != unit.en else f" ({unit.vi})"
    if spec.name == "region":
        regions = "; ".join(f"{k}: {v.vi} / {v.en}" for k, v in REGIONS.items())
        text += f". {regions}"
    return text
