"""What a change of rules does to the units of a data file.

Every unit is evaluated with both versions (two rulesets, or two ladders). A unit's
:class:`Standing` is its outcome (ruleset) or its place (ladder); each level, criterion,
indicator and recognition condition whose status differs is a :class:`Flip`, with the
:class:`Reason` for it read from the two results: a parameter whose value applied to this unit
moved (the resolved thresholds of both results are compared), a condition that was rewritten,
an item added or removed, a lower level that flipped, or a changed policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..aggregate.assess import assess
from ..aggregate.dataset import DataSet
from ..errors import NtmRulesError
from ..evaluation import evaluator_for
from ..expr.ast import to_source
from ..ladder import Ladder, evaluate_on_ladder, level_rulesets
from ..result import MET, MISSING, NOT_MET, CheckResult, EvaluationResult, IndicatorResult
from ..ruleset.model import Indicator, Ruleset
from ..ruleset.resolve import ResolvedParam
from ..ruleset.search import use_rulesets
from ..text import Text
from .diff import Side, Value, side

Rules = Ruleset | Ladder

UP, DOWN, CHANGED, SAME = "up", "down", "changed", "same"

OUTCOMES: dict[str, Text] = {
    MET: Text(vi="Đạt chuẩn", en="Met"),
    NOT_MET: Text(vi="Chưa đạt chuẩn", en="Not met"),
    MISSING: Text(vi="Thiếu dữ liệu", en="Missing data"),
}


@attrs.frozen
class Standing:
    """Where a unit stands: a ruleset's outcome (``key`` met, not_met or missing), or its place
    on a ladder (``key`` the level id reached, or ``below``)."""

    key: str
    name: Text
    rank: int  # ladder: index of the level reached (-1 below the first); ruleset: 1 if met

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name.to_dict(), "rank": self.rank}


@attrs.frozen
class Reason:
    """Why an item flipped. ``kind``: ``parameter`` (its value applied to this unit moved from
    ``before`` to ``after``; ``unit_value`` is what the unit has), ``condition`` or
    ``applies_if`` (rewritten), ``added`` / ``removed`` (the item exists on one side only),
    ``prerequisite`` (the lower level flipped) or ``policy``."""

    kind: str
    subject: str  # the parameter, indicator, criterion or lower ruleset it is about
    before: Value = None
    after: Value = None
    label: Text | None = None
    axis_key: str | None = None
    unit_value: Any = None
    unit: str | None = None  # the parameter's unit of measure

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.subject, self.before, self.after, self.axis_key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "before": self.before.to_dict() if isinstance(self.before, Text) else self.before,
            "after": self.after.to_dict() if isinstance(self.after, Text) else self.after,
            "label": self.label.to_dict() if self.label else None,
            "axis_key": self.axis_key,
            "unit_value": _jsonable(self.unit_value),
            "unit": self.unit,
        }


@attrs.frozen
class Flip:
    """An item whose status differs: ``kind`` level, criterion, indicator or recognition (a
    recognition condition); a status is None where the item does not exist."""

    ruleset: str  # the ruleset (level) the item belongs to
    kind: str
    item: str
    name: Text
    before: str | None
    after: str | None
    reasons: tuple[Reason, ...]

    @property
    def lost(self) -> bool:
        return self.before == MET and self.after != MET

    @property
    def gained(self) -> bool:
        return self.after == MET and self.before != MET

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset,
            "kind": self.kind,
            "item": self.item,
            "name": self.name.to_dict(),
            "before": self.before,
            "after": self.after,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@attrs.frozen
class UnitImpact:
    code: str
    name: str | None
    before: Standing
    after: Standing
    flips: tuple[Flip, ...]

    @property
    def direction(self) -> str:
        """``up``, ``down``, ``changed`` (another outcome, neither higher nor lower: not met
        and missing data) or ``same``."""
        if self.before.key == self.after.key:
            return SAME
        if self.after.rank != self.before.rank:
            return UP if self.after.rank > self.before.rank else DOWN
        return CHANGED

    @property
    def changed(self) -> bool:
        return self.direction != SAME or bool(self.flips)

    def parameters(self) -> list[Reason]:
        """The parameter reasons of every flip, each parameter (and axis key) once."""
        return _unique(r for f in self.flips for r in f.reasons if r.kind == "parameter")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "direction": self.direction,
            "flips": [f.to_dict() for f in self.flips],
        }


@attrs.frozen
class Impact:
    kind: str  # "ruleset" or "ladder"
    before: Side
    after: Side
    unit_kind: str  # commune, village, …
    year: int | None
    units: tuple[UnitImpact, ...]  # every unit of the data, in file order

    @property
    def changed(self) -> tuple[UnitImpact, ...]:
        return tuple(u for u in self.units if u.changed)

    def summary(self) -> dict[str, Any]:
        """Counts: units, changed, up / down / changed standing, flips per criterion (lost:
        met before and not after; gained: the reverse; other) and units per parameter."""
        directions = [u.direction for u in self.units]
        criteria: dict[tuple[str, str], dict[str, Any]] = {}
        parameters: dict[str, dict[str, Any]] = {}
        for unit in self.units:
            for flip in unit.flips:
                if flip.kind != "criterion":
                    continue
                row = criteria.setdefault(
                    (flip.ruleset, flip.item),
                    {
                        "ruleset": flip.ruleset,
                        "criterion": flip.item,
                        "name": flip.name.to_dict(),
                        "lost": 0,
                        "gained": 0,
                        "other": 0,
                    },
                )
                row["lost" if flip.lost else "gained" if flip.gained else "other"] += 1
            for reason in {r.subject: r for r in unit.parameters()}.values():
                entry = parameters.setdefault(
                    reason.subject,
                    {
                        "parameter": reason.subject,
                        "label": reason.label.to_dict() if reason.label else None,
                        "units": 0,
                    },
                )
                entry["units"] += 1
        return {
            "units": len(self.units),
            "changed": len(self.changed),
            "standing_changed": sum(1 for d in directions if d != SAME),
            "up": directions.count(UP),
            "down": directions.count(DOWN),
            "other": directions.count(CHANGED),
            "criteria": list(criteria.values()),
            "parameters": sorted(parameters.values(), key=lambda p: -int(p["units"])),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "unit_kind": self.unit_kind,
            "year": self.year,
            "summary": self.summary(),
            "units": [u.to_dict() for u in self.changed],
        }


# -- evaluating ---------------------------------------------------------------------------------
def comparable(before: Rules, after: Rules) -> None:
    """Raise unless the two versions can be compared: both rulesets or both ladders, assessing
    the same kind of unit."""
    if isinstance(before, Ladder) != isinstance(after, Ladder):
        raise NtmRulesError(
            Text(
                vi="hai bên phải cùng loại: hai bộ tiêu chí, hoặc hai thang",
                en="both sides must be of one kind: two rulesets, or two ladders",
            )
        )
    if before.unit != after.unit:
        raise NtmRulesError(
            Text(
                vi=f"hai bên đánh giá hai loại đơn vị khác nhau ({before.unit}, {after.unit})",
                en=f"the two sides assess different kinds of unit ({before.unit}, {after.unit})",
            )
        )


def impact(
    before: Rules,
    after: Rules,
    records: Sequence[Any] | DataSet,
    *,
    year: int | None = None,
    after_records: Sequence[Any] | DataSet | None = None,
    before_folders: Sequence[Path] = (),
    after_folders: Sequence[Path] = (),
) -> Impact:
    """Evaluate every record with both versions and say what changed for each unit.

    ``records`` may be a :class:`DataSet` when the rules judge units that contain others
    (districts, a province): each version then evaluates the members with its own ladders.

    ``after_records`` are the same records read with the after version's input model, when it
    reads other inputs (default: ``records``). Each version is evaluated with its folders
    first on the search path (a folder compared with another: the ids its files refer to are
    those of that folder)."""
    comparable(before, after)
    with use_rulesets(before_folders):
        old = _evaluated(before, records, year)
    with use_rulesets(after_folders):
        new = _evaluated(after, after_records or records, year)
    kind = "ladder" if isinstance(before, Ladder) else "ruleset"
    units = tuple(_unit(kind, o, n) for o, n in zip(old, new, strict=True))
    return Impact(kind, side(before), side(after), before.unit, year, units)


@attrs.frozen
class _Evaluated:
    """One unit evaluated with one version: each level's result and ruleset (one for a
    ruleset), and where the unit stands."""

    levels: tuple[tuple[EvaluationResult, Ruleset], ...]
    standing: Standing


def _evaluated(
    rules: Rules, records: Sequence[Any] | DataSet, year: int | None
) -> list[_Evaluated]:
    if isinstance(records, DataSet):  # units that contain units: members evaluated first
        placed = [
            unit.placed for unit in assess(rules, records, year=year).target.units if unit.placed
        ]
        if isinstance(rules, Ruleset):
            return [_one(p.results[0], rules) for p in placed]
    elif isinstance(rules, Ruleset):
        return [_one(r, rules) for r in evaluator_for(rules).evaluate_many(records, year=year)]
    else:
        placed = evaluate_on_ladder(rules, records, year=year)
    levels = level_rulesets(rules)
    return [
        _Evaluated(
            tuple(zip(p.results, levels, strict=True)),
            Standing(
                p.results[p.reached].level_id if p.reached >= 0 else "below", p.place, p.reached
            ),
        )
        for p in placed
    ]


def _one(result: EvaluationResult, rules: Ruleset) -> _Evaluated:
    status = result.status
    return _Evaluated(((result, rules),), Standing(status, OUTCOMES[status], int(status == MET)))


def _unit(kind: str, old: _Evaluated, new: _Evaluated) -> UnitImpact:
    """A unit's change: a ruleset's one level compared with the other's; a ladder's levels
    paired by level id (a level on one side only is added or removed)."""
    unit = new.levels[-1][0].unit
    if kind == "ruleset":
        flips = level_flips(old.levels[0], new.levels[0])
        return UnitImpact(unit.code, unit.name, old.standing, new.standing, tuple(flips))
    old_levels = {result.level_id: (result, rules) for result, rules in old.levels}
    new_levels = {result.level_id: (result, rules) for result, rules in new.levels}
    flips = []
    for level_id, (result, rules) in old_levels.items():
        if level_id not in new_levels:
            flips.append(_level_presence(result, rules, removed=True))
    for level_id, pair in new_levels.items():
        match = old_levels.get(level_id)
        if match is None:
            flips.append(_level_presence(*pair, removed=False))
        else:
            flips.extend(level_flips(match, pair))
    return UnitImpact(unit.code, unit.name, old.standing, new.standing, tuple(flips))


def _level_presence(result: EvaluationResult, rules: Ruleset, *, removed: bool) -> Flip:
    before, after = (result.status, None) if removed else (None, result.status)
    reason = Reason("removed" if removed else "added", rules.id)
    return Flip(rules.id, "level", result.level_id, result.level_name, before, after, (reason,))


# -- flips --------------------------------------------------------------------------------------
def level_flips(
    before: tuple[EvaluationResult, Ruleset], after: tuple[EvaluationResult, Ruleset]
) -> list[Flip]:
    """The flips of one level: the level itself, then each criterion followed by its
    indicators, then the recognition conditions."""
    (old, old_rules), (new, new_rules) = before, after
    ruleset = new_rules.id
    definitions = (_definitions(old_rules), _definitions(new_rules))
    indicator_flips = _item_flips(ruleset, "indicator", old.indicators, new.indicators, definitions)
    by_criterion: dict[str, list[Flip]] = {}
    membership = {i.id: c.id for r in (old, new) for c in r.criteria for i in c.indicators}
    for flip in indicator_flips:
        by_criterion.setdefault(membership[flip.item], []).append(flip)
    old_criteria = {c.id: c for c in old.criteria}
    new_criteria = {c.id: c for c in new.criteria}
    body: list[Flip] = []
    for criterion_id in _union(old_criteria, new_criteria):
        was, now = old_criteria.get(criterion_id), new_criteria.get(criterion_id)
        statuses = (was.status if was else None, now.status if now else None)
        inner = by_criterion.get(criterion_id, [])
        if statuses[0] != statuses[1]:
            reasons = [r for f in inner for r in f.reasons]
            if was is None or now is None:
                reasons.insert(0, Reason("removed" if now is None else "added", criterion_id))
            elif was.policy != now.policy:
                reasons.append(Reason("policy", criterion_id, was.policy, now.policy))
            name = (now or was).name  # type: ignore[union-attr]
            body.append(
                Flip(ruleset, "criterion", criterion_id, name, *statuses, tuple(_unique(reasons)))
            )
        body.extend(inner)
    old_conditions = old.recognition.conditions if old.recognition else ()
    new_conditions = new.recognition.conditions if new.recognition else ()
    body.extend(_item_flips(ruleset, "recognition", old_conditions, new_conditions, definitions))
    if old.status == new.status:
        return body
    reasons = []
    lower = (old.prerequisite, new.prerequisite)
    if lower[0] and lower[1] and lower[0].status != lower[1].status:
        reasons.append(
            Reason("prerequisite", lower[1].ruleset_id, lower[0].status, lower[1].status)
        )
    reasons.extend(r for f in body if f.kind == "criterion" for r in f.reasons)
    level = Flip(
        ruleset,
        "level",
        new.level_id,
        new.level_name,
        old.status,
        new.status,
        tuple(_unique(reasons)),
    )
    return [level, *body]


Definitions = dict[str, Indicator]


def _definitions(rules: Ruleset) -> Definitions:
    found = {i.id: i for i in rules.indicators}
    if rules.recognition:
        found.update((i.id, i) for i in rules.recognition.conditions)
    return found


def _item_flips(
    ruleset: str,
    kind: str,
    before: Iterable[IndicatorResult],
    after: Iterable[IndicatorResult],
    definitions: tuple[Definitions, Definitions],
) -> list[Flip]:
    old_items = {i.id: i for i in before}
    new_items = {i.id: i for i in after}
    flips = []
    for item_id in _union(old_items, new_items):
        was, now = old_items.get(item_id), new_items.get(item_id)
        statuses = (was.status if was else None, now.status if now else None)
        if statuses[0] == statuses[1]:
            continue
        if was is None or now is None:
            reasons = [Reason("removed" if now is None else "added", item_id)]
        else:
            reasons = list(_indicator_reasons(was, now, definitions))
        name = (now or was).name  # type: ignore[union-attr]
        flips.append(Flip(ruleset, kind, item_id, name, *statuses, tuple(reasons)))
    return flips


def _indicator_reasons(
    old: IndicatorResult, new: IndicatorResult, definitions: tuple[Definitions, Definitions]
) -> Iterator[Reason]:
    was, now = definitions[0].get(old.id), definitions[1].get(new.id)
    if was is not None and now is not None:
        if to_source(was.condition) != to_source(now.condition):
            yield Reason("condition", new.id, was.condition_text, now.condition_text)
        old_applies = to_source(was.applies_if) if was.applies_if is not None else None
        new_applies = to_source(now.applies_if) if now.applies_if is not None else None
        if old_applies != new_applies:
            yield Reason("applies_if", new.id, was.applies_if_text, now.applies_if_text)
    old_params, new_params = _params(old), _params(new)
    for name in _union(old_params, new_params):
        before, after = old_params.get(name), new_params.get(name)
        if before is not None and after is not None and before[0].value == after[0].value:
            continue
        param, check = after or before  # type: ignore[misc]
        keys = dict.fromkeys(p[0].axis_key for p in (before, after) if p is not None)
        yield Reason(
            "parameter",
            name,
            before[0].value if before else None,
            after[0].value if after else None,
            label=param.param.label,
            axis_key=" → ".join(k or "" for k in keys) if any(keys) else None,
            unit_value=check.value,
            unit=param.param.unit,
        )


def _params(result: IndicatorResult) -> dict[str, tuple[ResolvedParam, CheckResult]]:
    """Each parameter the indicator's checks used, with the first check that used it."""
    found: dict[str, tuple[ResolvedParam, CheckResult]] = {}
    for check in (*result.applicability, *result.checks):
        for param in check.params:
            found.setdefault(param.param.name, (param, check))
    return found


def _union(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """The keys of ``second`` in its order, then those only in ``first``."""
    return [*second, *(k for k in first if k not in second)]


def _unique(reasons: Iterable[Reason]) -> list[Reason]:
    seen: dict[tuple[Any, ...], Reason] = {}
    for reason in reasons:
        seen.setdefault(reason.key, reason)
    return list(seen.values())


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value
