"""Batch documents: many units' results with what they share stated once.

``{"format": "ntm-rules.batch", "schema_version": 1, "detail", "result_schema_version",
"columns", "kind": "ruleset" | "ladder", "ruleset" | "ladder": id, "shared": {tables},
"summary"?, "units": [...]}``. At ``full`` the units are the full results and ``shared`` is
empty; at ``summary`` it holds the rulesets (reference, level, criteria) and a ladder's places.

The same pieces make a JSONL stream compact (:func:`header_fields`, :func:`definitions_line`):
the header carries the tables known when it is written (``"shared"``), and a ``{"kind":
"definitions", "shared": ...}`` line states the entries later units bring (another region's
parameters) before their lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from .detail import CHECK_COLUMNS, INDICATOR_COLUMNS, STANDARD, Full
from .shared import Shared

if TYPE_CHECKING:  # the result modules may import this package: no import cycle at run time
    from ..ladder import LadderResult
    from ..result import EvaluationResult

FORMAT = "ntm-rules.batch"
STREAM_FORMAT = "ntm-rules.jsonl"
SCHEMA_VERSION = 1

Result: TypeAlias = "EvaluationResult | LadderResult | Full"


def batch_document(
    results: Iterable[Result], detail: str = STANDARD, *, summary: Full | None = None
) -> Full:
    """The batch document of ``results`` (results of one ruleset, or of one ladder, or their
    ``to_dict()``) at ``detail``; ``summary`` (e.g. the CLI's counts) is added as is."""
    shared = Shared(detail)
    units = [shared.unit(r if isinstance(r, dict) else r.to_dict()) for r in results]
    document = {
        "format": FORMAT,
        **header_fields(shared),
        "kind": shared.kind or "ruleset",
        "ladder" if shared.kind == "ladder" else "ruleset": shared.subject,
        "shared": shared.tables,
    }
    if summary is not None:
        document["summary"] = summary
    document["units"] = units
    return document


def header_fields(shared: Shared) -> Full:
    """What a document or a stream header says about its form."""
    from ..result import SCHEMA_VERSION as RESULT_SCHEMA_VERSION

    fields: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "detail": shared.detail,
        "result_schema_version": RESULT_SCHEMA_VERSION,
    }
    if shared.detail == STANDARD:
        fields["columns"] = {"indicator": list(INDICATOR_COLUMNS), "check": list(CHECK_COLUMNS)}
    return fields


def definitions_line(shared: Shared) -> Full | None:
    """The ``definitions`` line of a stream: the table entries not stated yet, or None."""
    fresh = shared.fresh()
    return {"kind": "definitions", "shared": fresh} if fresh else None
