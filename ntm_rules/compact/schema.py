"""JSON Schemas of the compact forms, shipped as ``compact.schema.json`` (draft 2020-12)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

COMPACT_FORMS = ("summary", "standard", "batch", "jsonl-header", "jsonl-line")


def compact_schema(form: str = "batch") -> dict[str, Any]:
    """The JSON Schema of one compact form: a ``summary`` or ``standard`` unit record, a
    ``batch`` document, a JSONL stream's ``jsonl-header`` or any of its other lines."""
    text = resources.files(__package__).joinpath("compact.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    schema["$ref"] = f"#/$defs/{form}"
    return schema
