"""Proving that a ruleset can run, not only that it reads well (``ntm-rules validate``).

Loading checks a ruleset's form, names, types and units. :func:`prove_runs` then does what
evaluation will do, so that nothing that validates can fail later for a structural reason:

1. compile it and check durable-rules' limits (:mod:`ntm_rules.engine.limits`), then register it
   with the engine;
2. compute every threshold for every row of its tables (each region, with and without the
   ĐBKK / ATK rules' flags) on every date a value changes: a division by zero or an overflow
   among parameters is a :class:`~ntm_rules.errors.RulesetError` at the indicator's line;
3. evaluate generated records on those dates: no data, every yes/no true and numbers high,
   every yes/no false and numbers at their minimum, and a mix; then build their JSON and
   their Vietnamese and English explanations.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from .evaluation import evaluator_for
from .models.fields import KIND_BOOL, KIND_INT, KIND_NUMBER, KIND_TEXT
from .models.vocabulary import FieldSpec, field_specs
from .ruleset.model import Ruleset

_VARIANTS = ("empty", "high", "low", "mixed")


def prove_runs(ruleset: Ruleset) -> int:
    """Evaluate ``ruleset`` on generated records; return how many evaluations ran.

    Raises :class:`~ntm_rules.errors.RulesetError` (a limit, a threshold that cannot be
    computed) or :class:`~ntm_rules.errors.EngineError` (a bug: please report it)."""
    evaluator = evaluator_for(ruleset)
    specs = field_specs(ruleset.model)
    axis_flags = [s.name for s in specs if s.kind == KIND_BOOL and s.name in evaluator.axis_inputs]
    regions = next((s.choices for s in specs if s.name == "region"), ())
    count = 0
    for on in _dates(ruleset):
        for region in regions or (None,):
            for flags in itertools.product((False, True), repeat=len(axis_flags)):
                chosen = dict(zip(axis_flags, flags, strict=True))
                evaluator.prepare(_record(specs, ruleset, "empty", on, region, chosen), on=on)
        for n, variant in enumerate(_VARIANTS):
            region = regions[n % len(regions)] if regions else None
            record = _record(specs, ruleset, variant, on, region, {})
            result = evaluator.evaluate(record, on=on)
            result.to_dict()
            result.explain("vi")
            result.explain("en")
            count += 1
    return count


def _dates(ruleset: Ruleset) -> Iterator[dt.date]:
    """The first day of validity, every day a value changes within it, and the last day."""
    start, end = ruleset.valid_from, ruleset.valid_until
    found = {start, end or dt.date(start.year + 1, 12, 31)}
    for param in ruleset.parameters.values():
        changes = [e.start for e in param.entries] + [o.start for o in param.overrides]
        found.update(d for d in changes if start <= d and (end is None or d <= end))
    yield from sorted(found)


def _record(
    specs: tuple[FieldSpec, ...],
    ruleset: Ruleset,
    variant: str,
    on: dt.date,
    region: str | None,
    flags: dict[str, bool],
) -> dict[str, Any]:
    record: dict[str, Any] = {"code": f"VALIDATE-{variant}", "year": on.year, **flags}
    if region is not None:
        record["region"] = region
    if ruleset.scope is not None:
        record["province"] = ruleset.scope.province
    for spec in specs:
        if spec.kind == KIND_TEXT and spec.name not in record and not spec.choices:
            record[spec.name] = "VALIDATE"  # commune_code (required), name, district
    if variant == "empty":
        return record
    for n, spec in enumerate(specs):
        if spec.name in record or spec.kind == KIND_TEXT:
            continue
        high = variant == "high" or (variant == "mixed" and n % 2 == 0)
        record[spec.name] = _value(spec, high, on)
    return record


def _value(spec: FieldSpec, high: bool, on: dt.date) -> Any:
    if spec.kind == KIND_BOOL:
        return high
    if spec.unit == "year":
        return on.year - 1 if high else int(spec.minimum or on.year - 10)
    low = spec.minimum if spec.minimum is not None else 0
    top = spec.maximum if spec.maximum is not None else 1000
    value = top if high else low
    if spec.kind == KIND_INT:
        return int(value)
    assert spec.kind == KIND_NUMBER
    return float(value)
