"""Which row of each threshold table applies to a unit, and which value is in force on a date."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import EvaluationError, say_label
from ..expr import MissingValueError, evaluate
from ..text import Text
from .model import GENERAL, Axis, Citation, ParamCell, Parameter, Ruleset

FIELD_RULE = "field"
"""The rule id of an axis value read from the axis's ``field`` (no rule applied)."""


@attrs.frozen
class AxisChoice:
    """The axis value a unit uses (e.g. region ``tdmnpb``) and the rule that chose it."""

    axis: str
    value: str
    rule_id: str
    reason: Text
    source: Citation | None
    declared: Axis | None = attrs.field(default=None, eq=False, repr=False)
    """The axis as the ruleset declares it: its name and the labels of its values."""

    @property
    def name(self) -> Text:
        """The full name of the value chosen (``Trung du và miền núi phía Bắc``)."""
        return (
            self.declared.choice_name(self.value) if self.declared else Text(self.value, self.value)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "axis": self.axis,
            "value": self.value,
            "rule": self.rule_id,
            "reason": self.reason.to_dict(),
            "source": self.source.to_dict() if self.source else None,
        }


@attrs.frozen
class ResolvedParam:
    """A parameter's value for one unit on one date, with where it comes from."""

    param: Parameter
    value: float | None  # None: left to the province and not filled in
    effective_from: dt.date
    axis_key: str | None  # the table key used (``tdmnpb``, or ``general`` as fallback)
    axis_choice: AxisChoice | None
    cell: ParamCell
    replaces: ParamCell | None = None  # the inherited (e.g. national) value a province replaced

    @property
    def verified(self) -> bool:
        return self.cell.verified

    def to_dict(self) -> dict[str, Any]:
        found = dict(self._dict)
        found["source"] = dict(found["source"])
        if found["replaces"] is not None:
            found["replaces"] = {**found["replaces"], "source": dict(found["replaces"]["source"])}
        return found

    @functools.cached_property
    def _dict(self) -> dict[str, Any]:  # resolved once per date and region, shown many times
        return {
            "parameter": self.param.name,
            "value": self.value,
            "unit": self.param.unit,
            "effective_from": self.effective_from.isoformat(),
            "axis": self.param.axis,
            "axis_key": self.axis_key,
            "axis_rule": self.axis_choice.rule_id if self.axis_choice else None,
            "defined_in": self.cell.origin,
            "authority": self.cell.authority,
            "exception": self.cell.exception,
            "verified": self.cell.verified,
            "note": self.cell.note,
            "source": self.cell.source.to_dict(),
            "replaces": None
            if self.replaces is None
            else {
                "value": self.replaces.value,
                "defined_in": self.replaces.origin,
                "authority": self.replaces.authority,
                "verified": self.replaces.verified,
                "source": self.replaces.source.to_dict(),
            },
        }


def choose_axes(ruleset: Ruleset, values: Mapping[str, Any], label: str) -> dict[str, AxisChoice]:
    """Apply each axis's rules in order to a unit's values; the first that holds wins, and when
    none does, the axis's ``field`` gives the value."""
    chosen: dict[str, AxisChoice] = {}
    for axis in ruleset.axes.values():
        for rule in axis.rules:
            try:
                holds = evaluate(rule.when, values)
                if holds:
                    value = evaluate(rule.value, values)
            except MissingValueError as exc:
                raise EvaluationError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}: quy tắc '{rule.id}' của trục "
                        f"'{axis.name}' cần '{exc.name}', nhưng trường này bị thiếu",
                        en=f"record {label}: axis '{axis.name}' rule '{rule.id}' needs "
                        f"'{exc.name}', which is missing",
                    )
                ) from None
            if holds:
                assert isinstance(value, str)
                chosen[axis.name] = AxisChoice(
                    axis.name, value, rule.id, rule.reason, rule.source, axis
                )
                break
        else:
            if axis.field is not None:
                chosen[axis.name] = _from_field(axis, axis.field, values, label)
    return chosen


def _from_field(axis: Axis, field: str, values: Mapping[str, Any], label: str) -> AxisChoice:
    """The axis value a unit's own ``field`` gives, when no rule applies."""
    value = values.get(field)
    if not isinstance(value, str):
        raise EvaluationError(
            Text(
                vi=f"bản ghi {say_label(label, 'vi')}: trục '{axis.name}' cần trường '{field}', "
                "nhưng trường này bị thiếu",
                en=f"record {label}: axis '{axis.name}' needs '{field}', which is missing",
            )
        )
    title = axis.title
    reason = Text(
        vi=f"{title.vi} ghi trong dữ liệu của đơn vị ({field})",
        en=f"{title.en} given in the unit's data ({field})",
    )
    return AxisChoice(axis.name, value, FIELD_RULE, reason, None, axis)


def resolve_params(
    ruleset: Ruleset, on: dt.date, axes: Mapping[str, AxisChoice]
) -> dict[str, ResolvedParam]:
    """Every parameter's value in force on ``on`` for the given axis choices."""
    resolved = {}
    for name, param in ruleset.parameters.items():
        entry = None
        for candidate in param.entries:
            if candidate.start <= on:
                entry = candidate
        if entry is None:
            first = param.entries[0].start.isoformat()
            raise EvaluationError(
                Text(
                    vi=f"tham số '{name}' của {ruleset.id} không có giá trị hiệu lực vào ngày "
                    f"{on.isoformat()} (giá trị đầu tiên từ {first})",
                    en=f"parameter '{name}' of {ruleset.id} has no value in force on "
                    f"{on.isoformat()} (first value from {first})",
                )
            )
        choice = axes.get(param.axis) if param.axis else None
        key = GENERAL
        if choice is not None and choice.value in entry.cells:
            key = choice.value
        cell = entry.cells[key]
        start, replaces = entry.start, None
        for override in reversed(param.overrides):  # the latest in force wins
            if override.in_force(on):
                found = override.cells.get(key) or override.cells.get(GENERAL)
                if found is not None:
                    start, replaces, cell = override.start, cell, found
                    break
        resolved[name] = ResolvedParam(
            param=param,
            value=cell.value,
            effective_from=start,
            axis_key=key if param.axis else None,
            axis_choice=choice,
            cell=cell,
            replaces=replaces,
        )
    return resolved
