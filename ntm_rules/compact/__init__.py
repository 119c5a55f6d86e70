"""Compact results for storage and transfer: detail levels, batch documents, ``expand``.

::

    from ntm_rules.compact import batch_document, expand, shape
    document = batch_document(results, detail="standard")  # shared parts once, units small
    assert expand(document, 0) == results[0].to_dict()
    record = shape(results[0].to_dict(), "summary")

Forms and their JSON Schemas: ``docs/compact-results.md``, :func:`compact_schema`.
"""

from .detail import CHECK_COLUMNS, DETAILS, FULL, INDICATOR_COLUMNS, STANDARD, SUMMARY, shape
from .document import FORMAT, STREAM_FORMAT, batch_document
from .expand import expand, expand_line, expand_lines, expand_unit, merge_definitions
from .schema import COMPACT_FORMS, compact_schema
from .shared import Shared

__all__ = [
    "CHECK_COLUMNS",
    "COMPACT_FORMS",
    "DETAILS",
    "FORMAT",
    "FULL",
    "INDICATOR_COLUMNS",
    "STANDARD",
    "STREAM_FORMAT",
    "SUMMARY",
    "Shared",
    "batch_document",
    "compact_schema",
    "expand",
    "expand_line",
    "expand_lines",
    "expand_unit",
    "merge_definitions",
    "shape",
]
