"""Extending a ruleset: a provincial (or other) ruleset's overrides, added indicators, and the
checks that keep them lawful (only tighter unless an exception, no conflicting overrides,
nothing left to the province unfilled)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from ..errors import RulesetError
from ..expr import Binary, Compare, Expr, Literal, Name
from ..expr.ast import walk
from ..yaml_source import Node, scalar_text
from .format_spec import ADDED_INDICATOR, INDICATOR_OVERRIDE, PARAMETER_OVERRIDE
from .model import (
    GENERAL,
    Axis,
    Criterion,
    Indicator,
    ParamCell,
    Parameter,
    ParamOverride,
    Recognition,
    Scope,
)

if TYPE_CHECKING:
    from .loader import _Loader as Loader


def check_filled(
    loader: Loader,
    parameters: dict[str, Parameter],
    scope: Scope,
    valid_from: dt.date,
    valid_until: dt.date | None,
) -> None:
    """A provincial ruleset must fill every value the national one left to the province."""
    for name, param in parameters.items():
        keys = [scope.region] if (param.axis and scope.region) else [None]
        dates = {
            valid_from,
            *(e.start for e in param.entries),
            *(o.start for o in param.overrides),
            *(o.until + dt.timedelta(days=1) for o in param.overrides if o.until),
        }
        for on in sorted(
            d for d in dates if d >= valid_from and (not valid_until or d <= valid_until)
        ):
            for key in keys:
                cell = _effective_cell(param, on, key)
                if cell is not None and cell.value is None:
                    raise loader.root.error(
                        f"parameter '{name}' ({key or 'all'}) is left to the province "
                        f"(province_decides) by {cell.origin} on {on.isoformat()}; "
                        "fill it in with an `overrides` entry"
                    )


def add_indicators(
    loader: Loader, node: Node | None, criteria: tuple[Criterion, ...]
) -> tuple[Criterion, ...]:
    """New indicators a ruleset adds to criteria it inherits."""
    if node is None:
        return criteria
    added: dict[str, list[Indicator]] = {}
    for item in node.seq():
        crit_node = item.get("criterion")
        crit_id = crit_node.str()
        if crit_id not in {c.id for c in criteria}:
            raise crit_node.error(f"unknown criterion '{crit_id}'")
        indicator = loader.indicator(item, ADDED_INDICATOR)
        added.setdefault(crit_id, []).append(indicator)
    return tuple(
        attrs.evolve(c, indicators=(*c.indicators, *added.get(c.id, []))) for c in criteria
    )


def apply_overrides(
    loader: Loader,
    node: Node | None,
    criteria: tuple[Criterion, ...],
    recognition: Recognition | None,
    parameters: dict[str, Parameter],
    axes: dict[str, Axis],
) -> tuple[tuple[Criterion, ...], Recognition | None, dict[str, Parameter]]:
    """Apply `overrides`: replaced indicators, and parameter values checked for conflicts and tightness."""
    if node is None:
        return criteria, recognition, parameters
    replaced: dict[str, Indicator] = {}
    param_overrides: dict[str, list[tuple[ParamOverride, Node]]] = {}
    for item in node.seq():
        mapping = item.mapping()
        if "parameter" in mapping:
            name_node = item.get("parameter")
            name = name_node.str()
            if name not in parameters:
                raise name_node.error(f"unknown parameter '{name}'")
            override = param_override(loader, item, parameters[name], axes)
            param_overrides.setdefault(name, []).append((override, item))
        elif "indicator" in mapping:
            ind_node = item.get("indicator")
            ind_id = ind_node.str()
            current = {i.id: i for i in all_indicators(criteria, recognition)}
            if ind_id not in current:
                raise ind_node.error(f"unknown indicator '{ind_id}'")
            if ind_id in replaced:
                raise ind_node.error(f"indicator '{ind_id}' is overridden twice")
            replaced[ind_id] = indicator_override(loader, item, current[ind_id])
        else:
            raise item.error("an override names a `parameter` or an `indicator`")
    criteria = tuple(
        attrs.evolve(c, indicators=tuple(replaced.get(i.id, i) for i in c.indicators))
        for c in criteria
    )
    if recognition is not None:
        recognition = attrs.evolve(
            recognition,
            conditions=tuple(replaced.get(i.id, i) for i in recognition.conditions),
        )
    directions = _directions(all_indicators(criteria, recognition))
    parameters = dict(parameters)
    for name, entries in param_overrides.items():
        param = parameters[name]
        _check_conflicts(entries)
        stricter = param.stricter or directions.get(name)
        for override, item in entries:
            check_tightening(loader, param, override, item, stricter, axes)
        parameters[name] = attrs.evolve(
            param,
            overrides=tuple(
                sorted((*param.overrides, *(o for o, _ in entries)), key=lambda o: o.start)
            ),
        )
    return criteria, recognition, parameters


def param_override(
    loader: Loader, item: Node, param: Parameter, axes: dict[str, Axis]
) -> ParamOverride:
    """One parameter override: its period and its values by axis key."""
    item.check_keys(PARAMETER_OVERRIDE.allowed, PARAMETER_OVERRIDE.required)
    entry = loader.param_entry(
        item,
        param.axis,
        axes.get(param.axis) if param.axis else None,
        shape=PARAMETER_OVERRIDE,
        partial=True,
    )
    for key, cell in entry.cells.items():
        if cell.value is None:
            raise item.error(f"an override must give a value ({key}), not province_decides")
    until_node = item.opt("until")
    until = until_node.period_date() if until_node else None
    if until is not None and until < entry.start:
        raise until_node.error("'until' is before 'from'")  # type: ignore[union-attr]
    return ParamOverride(entry.start, until, entry.cells)


def check_tightening(
    loader: Loader,
    param: Parameter,
    override: ParamOverride,
    item: Node,
    stricter: str | None,
    axes: dict[str, Axis],
) -> None:
    """An override may not be looser than the value it replaces, unless marked an exception."""
    axis = axes[param.axis] if param.axis else None
    relevant: set[str] | None = None
    if axis is not None and loader.scope is not None and loader.scope.region:
        # the rows a unit in scope can use: its region, or one an axis rule assigns
        relevant = {loader.scope.region} | {
            str(rule.value.value) for rule in axis.rules if isinstance(rule.value, Literal)
        }
    for key, cell in override.cells.items():
        assert cell.value is not None
        targets = [key]  # a value written for a region is always checked
        if axis is not None and key == GENERAL:
            # `general` stands for every region not named (that a unit in scope can use)
            targets = [
                c
                for c in axis.choices
                if c not in override.cells and (relevant is None or c in relevant)
            ]
        for target in targets:
            for base in _base_cells(param, override, target):
                if base.value is None or cell.exception:
                    continue
                if stricter is None:
                    raise item.error(
                        f"cannot tell whether a higher '{param.name}' is stricter; "
                        "state `stricter: higher` or `lower` on the parameter"
                    )
                looser = (
                    cell.value < base.value if stricter == "higher" else cell.value > base.value
                )
                if looser:
                    where = f" ({target})" if param.axis else ""
                    raise RulesetError(
                        f"{cell.value:g} is looser than the value {base.value:g}{where} set by "
                        f"{base.origin} ({base.source.render()}); a {stricter} value is "
                        "stricter. A looser value needs `exception: true` citing the legal "
                        "basis that allows it",
                        file=item.file,
                        line=cell.line,
                        key=f"{item.path}.{'by.' + key if param.axis else 'value'}",
                    )


def indicator_override(loader: Loader, item: Node, current: Indicator) -> Indicator:
    """An inherited indicator with the wording, condition or citation the extension gives it."""
    item.check_keys(INDICATOR_OVERRIDE.allowed, INDICATOR_OVERRIDE.required)
    verified = item.get("verified").bool()
    note = item.opt("note")
    if not verified and note is None:
        raise item.error("an unverified override needs a `note` saying where it comes from")
    name, condition, applies = item.opt("name"), item.opt("condition"), item.opt("applies_if")
    return attrs.evolve(
        current,
        name=name.text() if name else current.name,
        condition=loader.expr(condition) if condition else current.condition,
        condition_text=scalar_text(condition) if condition else current.condition_text,
        applies_if=loader.expr(applies) if applies else current.applies_if,
        applies_if_text=scalar_text(applies) if applies else current.applies_if_text,
        source=loader.citation(item.get("source")),
        verified=verified,
        note=note.str() if note else None,
        origin=loader.id,
        line=item.line,
        file=item.file,
    )


def _directions(indicators: list[Indicator]) -> dict[str, str | None]:
    """For each parameter, which way tightens the conditions using it (None: cannot tell)."""
    found: dict[str, set[str | None]] = {}
    for indicator in indicators:
        for node in walk(indicator.condition):
            if isinstance(node, Compare):
                for side, other_on_left in ((node.right, True), (node.left, False)):
                    param = _scaled_param(side)
                    if param is None:
                        continue
                    if node.op in (">=", ">"):
                        way = "higher" if other_on_left else "lower"
                    elif node.op in ("<=", "<"):
                        way = "lower" if other_on_left else "higher"
                    else:
                        way = None
                    found.setdefault(param, set()).add(way)
    return {name: ways.pop() if len(ways) == 1 else None for name, ways in found.items()}


def _scaled_param(expr: Expr) -> str | None:
    """The parameter in ``param.x``, ``k * param.x``, ``param.x * k`` or ``param.x + k`` (k >= 0)."""
    if isinstance(expr, Name) and expr.is_param:
        return param_name(expr)
    if isinstance(expr, Binary) and expr.op in ("*", "+"):
        for a, b in ((expr.left, expr.right), (expr.right, expr.left)):
            if (
                isinstance(a, Name)
                and a.is_param
                and isinstance(b, Literal)
                and isinstance(b.value, float)
                and b.value > 0
            ):
                return param_name(a)
    return None


def _effective_cell(param: Parameter, on: dt.date, key: str | None) -> ParamCell | None:
    cell = None
    for entry in param.entries:
        if entry.start <= on:
            cell = entry.cells.get(key or GENERAL) or entry.cells.get(GENERAL)
    for override in param.overrides:
        if override.in_force(on):
            cell = override.cells.get(key or GENERAL) or override.cells.get(GENERAL) or cell
    return cell


def _base_cells(param: Parameter, override: ParamOverride, key: str) -> list[ParamCell]:
    """The inherited values an override replaces during its period."""
    found = []
    for n, entry in enumerate(param.entries):
        end = param.entries[n + 1].start if n + 1 < len(param.entries) else None
        if (end is None or override.start < end) and (
            override.until is None or entry.start <= override.until
        ):
            cell = entry.cells.get(key) or entry.cells.get(GENERAL)
            if cell is not None:
                found.append(cell)
    for inherited in param.overrides:
        if inherited.start <= (override.until or dt.date.max) and (
            inherited.until is None or inherited.until >= override.start
        ):
            cell = inherited.cells.get(key) or inherited.cells.get(GENERAL)
            if cell is not None:
                found.append(cell)
    return found


def _check_conflicts(entries: list[tuple[ParamOverride, Node]]) -> None:
    """Two overrides of the same value in force on the same date are an error (no priority)."""
    for n, (first, _) in enumerate(entries):
        for second, node in entries[n + 1 :]:
            shared = set(first.cells) & set(second.cells)
            if not shared:
                continue
            last = dt.date.max
            if first.start <= (second.until or last) and second.start <= (first.until or last):
                raise node.error(
                    f"conflicting overrides: {', '.join(sorted(shared))} already overridden "
                    f"from {first.start.isoformat()} and this one is in force on the same dates"
                )


def all_indicators(
    criteria: tuple[Criterion, ...], recognition: Recognition | None
) -> list[Indicator]:
    found = [i for c in criteria for i in c.indicators]
    return found + (list(recognition.conditions) if recognition else [])


def param_name(name: Name) -> str:
    return ".".join(name.parts[1:])
