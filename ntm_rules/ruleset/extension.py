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
from ..text import Text, did_you_mean, format_number
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

UNTIL_BEFORE_FROM = Text(
    vi="ngày 'until' (đến) đứng trước ngày 'from' (từ)", en="'until' is before 'from'"
)


def check_filled(
    loader: Loader,
    parameters: dict[str, Parameter],
    scope: Scope,
    valid_from: dt.date,
    valid_until: dt.date | None,
) -> None:
    """A provincial ruleset must fill every value the national one left to the province
    (each parameter left open is reported)."""
    for name, param in parameters.items():
        loader.attempt(_check_param_filled, loader, name, param, scope, valid_from, valid_until)


def _check_param_filled(
    loader: Loader,
    name: str,
    param: Parameter,
    scope: Scope,
    valid_from: dt.date,
    valid_until: dt.date | None,
) -> None:
    """One parameter has a value for the province's value of its axis (every value, when the
    scope does not fix it) on every day of the validity."""
    keys = [scope.value(param.axis)] if scope.value(param.axis) else [None]
    dates = {
        valid_from,
        *(e.start for e in param.entries),
        *(o.start for o in param.overrides),
        *(o.until + dt.timedelta(days=1) for o in param.overrides if o.until),
    }
    for on in sorted(d for d in dates if d >= valid_from and (not valid_until or d <= valid_until)):
        for key in keys:
            cell = _effective_cell(param, on, key)
            if cell is not None and cell.value is None:
                raise loader.root.error(
                    vi=f"tham số '{name}' ({key or 'mọi giá trị'}) được {cell.origin} để tỉnh "
                    f"quyết định (province_decides) vào ngày {on.isoformat()}; hãy điền giá "
                    "trị bằng một mục `overrides`",
                    en=f"parameter '{name}' ({key or 'all'}) is left to the province "
                    f"(province_decides) by {cell.origin} on {on.isoformat()}; "
                    "fill it in with an `overrides` entry",
                )


def add_indicators(
    loader: Loader, node: Node | None, criteria: tuple[Criterion, ...]
) -> tuple[Criterion, ...]:
    """New indicators a ruleset adds to criteria it inherits."""
    if node is None:
        return criteria
    added: dict[str, list[Indicator]] = {}
    for item in node.seq():
        found = loader.attempt(_added_indicator, loader, item, criteria)
        if found is not None:
            added.setdefault(found[0], []).append(found[1])
    return tuple(
        attrs.evolve(c, indicators=(*c.indicators, *added.get(c.id, []))) for c in criteria
    )


def _added_indicator(
    loader: Loader, item: Node, criteria: tuple[Criterion, ...]
) -> tuple[str, Indicator]:
    crit_node = item.get("criterion")
    crit_id = crit_node.str()
    known = [c.id for c in criteria]
    if crit_id not in known:
        hint = did_you_mean(crit_id, known)
        raise crit_node.error(
            vi=f"không có tiêu chí '{crit_id}'{hint.vi}",
            en=f"unknown criterion '{crit_id}'{hint.en}",
        )
    return crit_id, loader.indicator(item, ADDED_INDICATOR)


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
    current = {i.id: i for i in all_indicators(criteria, recognition)}
    for item in node.seq():
        loader.attempt(
            _read_override, loader, item, parameters, axes, current, replaced, param_overrides
        )
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
        loader.attempt(_check_conflicts, entries)
        stricter = param.stricter or directions.get(name)
        for override, item in entries:
            loader.attempt(check_tightening, loader, param, override, item, stricter, axes)
        parameters[name] = attrs.evolve(
            param,
            overrides=tuple(
                sorted((*param.overrides, *(o for o, _ in entries)), key=lambda o: o.start)
            ),
        )
    return criteria, recognition, parameters


def _read_override(
    loader: Loader,
    item: Node,
    parameters: dict[str, Parameter],
    axes: dict[str, Axis],
    current: dict[str, Indicator],
    replaced: dict[str, Indicator],
    param_overrides: dict[str, list[tuple[ParamOverride, Node]]],
) -> None:
    """One `overrides` entry, noted in ``replaced`` or ``param_overrides``."""
    mapping = item.mapping()
    if "parameter" in mapping:
        name_node = item.get("parameter")
        name = name_node.str()
        loader.check_known(name_node, name, parameters, param=True)
        override = param_override(loader, item, parameters[name], axes)
        param_overrides.setdefault(name, []).append((override, item))
    elif "indicator" in mapping:
        ind_node = item.get("indicator")
        ind_id = ind_node.str()
        loader.check_known(ind_node, ind_id, set(current), param=False)
        if ind_id in replaced:
            raise ind_node.error(
                vi=f"chỉ tiêu '{ind_id}' bị thay thế hai lần",
                en=f"indicator '{ind_id}' is overridden twice",
            )
        replaced[ind_id] = indicator_override(loader, item, current[ind_id])
    else:
        raise item.error(
            vi="mỗi mục overrides nêu một `parameter` (tham số) hoặc một `indicator` (chỉ tiêu)",
            en="an override names a `parameter` or an `indicator`",
        )


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
            raise item.error(
                vi=f"giá trị thay thế phải là một số ({key}), không phải province_decides",
                en=f"an override must give a value ({key}), not province_decides",
            )
    until_node = item.opt("until")
    until = until_node.period_date() if until_node else None
    if until_node is not None and until is not None and until < entry.start:
        raise until_node.error(UNTIL_BEFORE_FROM)
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
    fixed = loader.scope.value(param.axis) if loader.scope is not None else None
    if axis is not None and fixed:
        # the rows a unit in scope can use: the scope's value, or one an axis rule assigns
        relevant = {fixed} | {
            str(rule.value.value) for rule in axis.rules if isinstance(rule.value, Literal)
        }
    for key, cell in override.cells.items():
        assert cell.value is not None
        targets = [key]  # a value written for an axis value is always checked
        if axis is not None and key == GENERAL:
            # `general` stands for every value not named (that a unit in scope can use)
            targets = [
                c
                for c in axis.choices
                if c not in override.cells and (relevant is None or c in relevant)
            ]
        for target in targets:
            bases = [b for b in _base_cells(param, override, target) if b.cell.value is not None]
            if not bases or cell.exception:
                continue
            if stricter is None:
                raise item.error(
                    vi=f"không xác định được '{param.name}' cao hơn có chặt hơn hay không; ghi "
                    "`stricter: higher` (cao hơn là chặt hơn) hoặc `lower` trên tham số",
                    en=f"cannot tell whether a higher '{param.name}' is stricter; "
                    "state `stricter: higher` or `lower` on the parameter",
                )
            value = cell.value

            def looser(base: _Base, value: float = value) -> bool:
                assert base.cell.value is not None
                limit = base.cell.value
                return value < limit if stricter == "higher" else value > limit

            clash = next((b for b in bases if looser(b)), None)
            if clash is None:
                continue
            fits = next((b for b in bases if not looser(b)), None)
            where = f" ({target})" if param.axis else ""
            raise RulesetError(
                _looser_message(cell, clash, fits, override, where, stricter),
                file=item.file,
                line=cell.line,
                key=f"{item.path}.{'by.' + key if param.axis else 'value'}",
            )


@attrs.frozen
class _Base:
    """An inherited value an override replaces, and the days it is in force (``until``
    included; None: open-ended)."""

    cell: ParamCell
    start: dt.date
    until: dt.date | None


def _period(start: dt.date, until: dt.date | None, lang: str) -> str:
    if lang == "vi":
        return f"từ {start.isoformat()} " + (f"đến {until.isoformat()}" if until else "trở đi")
    return f"from {start.isoformat()} " + (f"to {until.isoformat()}" if until else "onwards")


def _looser_message(
    cell: ParamCell,
    clash: _Base,
    fits: _Base | None,
    override: ParamOverride,
    where: str,
    stricter: str,
) -> Text:
    """What clashes, on which dates, and the fix: `until:`/`from:` when the clash is only in
    time (the value fits the inherited one of another period), else `exception: true`."""
    assert cell.value is not None and clash.cell.value is not None
    mine, theirs = cell.value, clash.cell.value
    head = Text(
        vi=f"{format_number(mine)} lỏng hơn giá trị {format_number(theirs)}{where} do "
        f"{clash.cell.origin} quy định ({clash.cell.source.render('vi')}), áp dụng "
        f"{_period(clash.start, clash.until, 'vi')}; giá trị thay thế này áp dụng "
        f"{_period(override.start, override.until, 'vi')}. Với tham số này, giá trị "
        f"{'cao' if stricter == 'higher' else 'thấp'} hơn là chặt hơn.",
        en=f"{mine:g} is looser than the value {theirs:g}{where} set by {clash.cell.origin} "
        f"({clash.cell.source.render('en')}), in force {_period(clash.start, clash.until, 'en')}; "
        f"this override is in force {_period(override.start, override.until, 'en')}. A "
        f"{stricter} value is stricter.",
    )
    if fits is not None and fits.cell.value is not None and clash.start > override.start:
        end = clash.start - dt.timedelta(days=1)
        tail = Text(
            vi=f" Chỉ vênh về thời gian: so với giá trị {format_number(fits.cell.value)} "
            f"áp dụng {_period(fits.start, fits.until, 'vi')} thì không lỏng hơn. Hãy thêm "
            f"`until: {end.isoformat()}` để giá trị của tỉnh dừng trước khi giá trị "
            f"{format_number(theirs)} có hiệu lực, thay vì đánh dấu `exception: true`.",
            en=f" The clash is only in time: against the value {fits.cell.value:g} in "
            f"force {_period(fits.start, fits.until, 'en')} it is not looser. End the override "
            f"with `until: {end.isoformat()}`, the day before {theirs:g} takes effect, rather "
            "than marking it `exception: true`.",
        )
    elif fits is not None and fits.cell.value is not None and clash.until is not None:
        begin = clash.until + dt.timedelta(days=1)
        tail = Text(
            vi=f" Chỉ vênh về thời gian: so với giá trị {format_number(fits.cell.value)} "
            f"áp dụng {_period(fits.start, fits.until, 'vi')} thì không lỏng hơn. Hãy cho giá "
            f"trị của tỉnh bắt đầu từ `from: {begin.isoformat()}`, sau khi giá trị "
            f"{format_number(theirs)} hết hiệu lực, thay vì đánh dấu `exception: true`.",
            en=f" The clash is only in time: against the value {fits.cell.value:g} in "
            f"force {_period(fits.start, fits.until, 'en')} it is not looser. Start the override "
            f"with `from: {begin.isoformat()}`, after {theirs:g} ends, rather than marking it "
            "`exception: true`.",
        )
    else:
        tail = Text(
            vi=" Giá trị lỏng hơn chỉ được phép khi ghi `exception: true` kèm căn cứ pháp lý "
            "cho phép.",
            en=" A looser value needs `exception: true` citing the legal basis that allows it.",
        )
    return Text(vi=head.vi + tail.vi, en=head.en + tail.en)


def indicator_override(loader: Loader, item: Node, current: Indicator) -> Indicator:
    """An inherited indicator with the wording, condition or citation the extension gives it."""
    item.check_keys(INDICATOR_OVERRIDE.allowed, INDICATOR_OVERRIDE.required)
    verified = item.get("verified").bool()
    note = item.opt("note")
    if not verified and note is None:
        raise item.error(
            vi="giá trị thay thế chưa kiểm chứng (verified: false) cần `note` ghi rõ lấy từ đâu",
            en="an unverified override needs a `note` saying where it comes from",
        )
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


def _base_cells(param: Parameter, override: ParamOverride, key: str) -> list[_Base]:
    """The inherited values an override replaces during its period, with their own periods."""
    found = []
    day = dt.timedelta(days=1)
    for n, entry in enumerate(param.entries):
        end = param.entries[n + 1].start if n + 1 < len(param.entries) else None
        if (end is None or override.start < end) and (
            override.until is None or entry.start <= override.until
        ):
            cell = entry.cells.get(key) or entry.cells.get(GENERAL)
            if cell is not None:
                found.append(_Base(cell, entry.start, end - day if end else None))
    for inherited in param.overrides:
        if inherited.start <= (override.until or dt.date.max) and (
            inherited.until is None or inherited.until >= override.start
        ):
            cell = inherited.cells.get(key) or inherited.cells.get(GENERAL)
            if cell is not None:
                found.append(_Base(cell, inherited.start, inherited.until))
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
                cells, since = ", ".join(sorted(shared)), first.start.isoformat()
                raise node.error(
                    vi=f"các giá trị thay thế xung đột: {cells} đã được thay thế từ {since} và "
                    "mục này cũng có hiệu lực trong cùng những ngày đó; dùng `until:` để các "
                    "khoảng thời gian không chồng lên nhau",
                    en=f"conflicting overrides: {cells} already overridden from {since} and "
                    "this one is in force on the same dates",
                )


def all_indicators(
    criteria: tuple[Criterion, ...], recognition: Recognition | None
) -> list[Indicator]:
    found = [i for c in criteria for i in c.indicators]
    return found + (list(recognition.conditions) if recognition else [])


def param_name(name: Name) -> str:
    return ".".join(name.parts[1:])
