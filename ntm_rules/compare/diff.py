"""What changed between two rulesets (or ladders) as loaded: after ``extends``, ``overrides``
and ``imports`` are applied, so a provincial override shows as the value it changes.

Every difference is a :class:`Change`: a section (``parameter``, ``value``, ``indicator``, …),
the item (parameter name, indicator id, …), the field, and the value before and after. A
parameter's values are compared as they apply, per axis key (region) and date range
(:mod:`.values`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from ..expr.ast import to_source
from ..ladder import Ladder, Target
from ..ruleset.model import Citation, Criterion, Indicator, Parameter, Ruleset
from ..text import Text
from .values import Span, value_spans

Value = str | float | bool | Text | None

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

SECTIONS = (
    "ladder",
    "ruleset",
    "level",
    "requires",
    "document",
    "axis",
    "parameter",
    "value",
    "criterion",
    "indicator",
    "recognition",
)
"""The sections of a diff, in the order they are reported."""


@attrs.frozen
class Change:
    """One difference: ``kind`` is added, removed or changed; for a parameter's value, the
    axis key and the date range it concerns."""

    section: str
    item: str
    kind: str
    field: str | None = None
    before: Value = None
    after: Value = None
    label: Text | None = None  # the item's name, when it has one
    axis_key: str | None = None
    start: dt.date | None = None
    until: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "item": self.item,
            "kind": self.kind,
            "field": self.field,
            "before": _jsonable(self.before),
            "after": _jsonable(self.after),
            "label": self.label.to_dict() if self.label else None,
            "axis_key": self.axis_key,
            "from": self.start.isoformat() if self.start else None,
            "until": self.until.isoformat() if self.until else None,
        }


@attrs.frozen
class Side:
    """Which rules one side of a comparison is: id, file, and for a ruleset version and hash."""

    id: str
    file: str
    version: str | None = None
    content_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "content_hash": self.content_hash,
            "file": self.file,
        }


@attrs.frozen
class RulesetDiff:
    before: Side
    after: Side
    changes: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        return not self.changes

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "ruleset",
            "empty": self.empty,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "changes": [c.to_dict() for c in self.changes],
        }


@attrs.frozen
class LadderDiff:
    """A ladder's own changes (title, levels, targets) and the diff of each pair of levels."""

    before: Side
    after: Side
    changes: tuple[Change, ...]
    levels: tuple[RulesetDiff, ...]

    @property
    def empty(self) -> bool:
        return not self.changes and all(level.empty for level in self.levels)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "ladder",
            "empty": self.empty,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "changes": [c.to_dict() for c in self.changes],
            "levels": [level.to_dict() for level in self.levels],
        }


def side(rules: Ruleset | Ladder) -> Side:
    if isinstance(rules, Ladder):
        return Side(rules.id, rules.file)
    return Side(rules.id, rules.file, rules.version, rules.content_hash)


# -- rulesets -----------------------------------------------------------------------------------
def diff_rulesets(before: Ruleset, after: Ruleset) -> RulesetDiff:
    """Every difference between two loaded rulesets, section by section (:data:`SECTIONS`)."""
    changes = [
        *_ruleset_fields(before, after),
        *_documents(before, after),
        *_axes(before, after),
        *_parameters(before, after),
        *_criteria(before, after),
        *_indicators(before, after),
        *_recognition(before, after),
    ]
    order = {section: n for n, section in enumerate(SECTIONS)}
    changes.sort(key=lambda c: order[c.section])  # stable: items keep their file order
    return RulesetDiff(side(before), side(after), tuple(changes))


def _fields(
    section: str,
    item: str,
    pairs: Mapping[str, tuple[Value, Value]],
    label: Text | None = None,
) -> Iterator[Change]:
    for name, (was, now) in pairs.items():
        if was != now:
            yield Change(section, item, CHANGED, name, was, now, label)


def _presence(
    section: str, before: Mapping[str, Any], after: Mapping[str, Any], label: Any
) -> Iterator[Change]:
    """Added and removed items of a section (``label(item)`` names one)."""
    for key, item in before.items():
        if key not in after:
            yield Change(section, key, REMOVED, label=label(item))
    for key, item in after.items():
        if key not in before:
            yield Change(section, key, ADDED, label=label(item))


def _cite(citation: Citation | None) -> Text | None:
    if citation is None:
        return None
    return Text(vi=citation.render("vi"), en=citation.render("en"))


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _ruleset_fields(before: Ruleset, after: Ruleset) -> Iterator[Change]:
    def scope(rules: Ruleset) -> str | None:
        found = rules.scope
        if found is None:
            return None
        return " / ".join([found.province, *found.axes.values()])

    yield from _fields(
        "ruleset",
        "",
        {
            "id": (before.id, after.id),
            "version": (before.version, after.version),
            "title": (before.title, after.title),
            "unit": (before.unit, after.unit),
            "inputs": (before.inputs, after.inputs),
            "valid_from": (_date(before.valid_from), _date(after.valid_from)),
            "valid_until": (_date(before.valid_until), _date(after.valid_until)),
            "extends": (before.extends, after.extends),
            "scope": (scope(before), scope(after)),
            "note": (before.note, after.note),
        },
    )
    old, new = before.level, after.level
    yield from _fields(
        "level",
        "",
        {
            "id": (old.id, new.id),
            "name": (old.name, new.name),
            "recognised_field": (old.recognised_field, new.recognised_field),
        },
    )
    was, now = before.requires, after.requires
    if was is None or now is None:
        if was is not None:
            yield Change("requires", was.ruleset, REMOVED, label=was.name)
        if now is not None:
            yield Change("requires", now.ruleset, ADDED, label=now.name)
        return
    yield from _fields(
        "requires",
        now.ruleset,
        {
            "ruleset": (was.ruleset, now.ruleset),
            "accept": (", ".join(was.accept), ", ".join(now.accept)),
            "recognised_field": (was.recognised_field, now.recognised_field),
            "recognised_since": (_number(was.recognised_since), _number(now.recognised_since)),
            "name": (was.name, now.name),
            "source": (_cite(was.source), _cite(now.source)),
        },
        now.name,
    )


def _number(value: int | None) -> float | None:
    return None if value is None else float(value)


def _documents(before: Ruleset, after: Ruleset) -> Iterator[Change]:
    yield from _presence(
        "document", before.documents, after.documents, lambda d: Text(vi=d.number, en=d.number)
    )
    for key, old in before.documents.items():
        new = after.documents.get(key)
        if new is not None:
            yield from _fields(
                "document",
                key,
                {
                    "number": (old.number, new.number),
                    "date": (_date(old.date), _date(new.date)),
                    "title": (old.title, new.title),
                    "url": (old.url, new.url),
                    "note": (old.note, new.note),
                },
            )


def _axes(before: Ruleset, after: Ruleset) -> Iterator[Change]:
    yield from _presence("axis", before.axes, after.axes, lambda a: a.title)
    for name, old in before.axes.items():
        new = after.axes.get(name)
        if new is None:
            continue
        old_rules = {r.id: r for r in old.rules}
        new_rules = {r.id: r for r in new.rules}
        yield from _fields(
            "axis",
            name,
            {
                "choices": (", ".join(old.choices), ", ".join(new.choices)),
                "name": (old.title, new.title),
                "field": (old.field, new.field),
                "rules": (" → ".join(old_rules), " → ".join(new_rules)),
            },
            new.title,
        )
        for key in (k for k in new.choices if k in old.choices):
            yield from _fields(
                "axis",
                f"{name}.{key}",
                {
                    "name": (old.choice_name(key), new.choice_name(key)),
                    "short": (old.choice_short(key), new.choice_short(key)),
                },
                new.choice_name(key),
            )
        for rule_id, rule in old_rules.items():
            if rule_id not in new_rules:
                yield Change("axis", f"{name}.{rule_id}", REMOVED, label=rule.reason)
        for rule_id, rule in new_rules.items():
            was = old_rules.get(rule_id)
            if was is None:
                yield Change("axis", f"{name}.{rule_id}", ADDED, label=rule.reason)
                continue
            yield from _fields(
                "axis",
                f"{name}.{rule_id}",
                {
                    "when": (to_source(was.when), to_source(rule.when)),
                    "value": (to_source(was.value), to_source(rule.value)),
                    "reason": (was.reason, rule.reason),
                    "source": (_cite(was.source), _cite(rule.source)),
                },
                rule.reason,
            )


def _parameters(before: Ruleset, after: Ruleset) -> Iterator[Change]:
    yield from _presence("parameter", before.parameters, after.parameters, lambda p: p.label)
    for name, old in before.parameters.items():
        new = after.parameters.get(name)
        if new is None:
            continue
        yield from _fields(
            "parameter",
            name,
            {
                "name": (old.label, new.label),
                "unit": (old.unit, new.unit),
                "axis": (old.axis, new.axis),
                "stricter": (old.stricter, new.stricter),
            },
            new.label,
        )
        for span in value_spans((before, old), (after, new)):
            yield from _value_changes(new, span)


def _value_changes(param: Parameter, span: Span) -> Iterator[Change]:
    def change(kind: str, field: str, before: Value, after: Value) -> Change:
        return Change(
            "value",
            param.name,
            kind,
            field,
            before,
            after,
            label=param.label,
            axis_key=span.axis_key,
            start=span.start,
            until=span.until,
        )

    was, now = span.before, span.after
    if was is None or now is None:
        before = None if was is None else was.value
        after = None if now is None else now.value
        yield change(ADDED if was is None else REMOVED, "value", before, after)
        return
    pairs: dict[str, tuple[Value, Value]] = {
        "value": (was.value, now.value),
        "verified": (was.verified, now.verified),
        "source": (_cite(was.source), _cite(now.source)),
        "exception": (was.exception, now.exception),
        "origin": (was.origin, now.origin),
        "note": (was.note, now.note),
    }
    for name, (old, new) in pairs.items():
        if old != new:
            yield change(CHANGED, name, old, new)
    if all(old == new for old, new in pairs.values()):  # only the citation's address changed
        yield change(CHANGED, "source", was.source.url, now.source.url)


def _criteria(before: Ruleset, after: Ruleset) -> Iterator[Change]:
    old_criteria = {c.id: c for c in before.criteria}
    new_criteria = {c.id: c for c in after.criteria}
    yield from _presence("criterion", old_criteria, new_criteria, lambda c: c.name)
    for criterion_id, new in new_criteria.items():
        old = old_criteria.get(criterion_id)
        if old is not None:
            yield from _fields(
                "criterion",
                criterion_id,
                {
                    "name": (old.name, new.name),
                    "heading": (old.heading, new.heading),
                    "source": (_cite(old.source), _cite(new.source)),
                    "policy": (old.policy.describe(), new.policy.describe()),
                },
                new.name,
            )


def _indicator_map(criteria: Sequence[Criterion]) -> dict[str, tuple[str, Indicator]]:
    return {i.id: (c.id, i) for c in criteria for i in c.indicators}


def _indicators(before: Ruleset, after: Ruleset) -> Iterator[Change]:
    old_map = _indicator_map(before.criteria)
    new_map = _indicator_map(after.criteria)
    yield from _presence("indicator", old_map, new_map, lambda pair: pair[1].name)
    for indicator_id, (criterion, new) in new_map.items():
        if indicator_id in old_map:
            was_criterion, old = old_map[indicator_id]
            yield from _indicator_fields("indicator", old, new)
            if was_criterion != criterion:
                yield Change(
                    "indicator", indicator_id, CHANGED, "criterion", was_criterion, criterion
                )


def _indicator_fields(section: str, old: Indicator, new: Indicator) -> Iterator[Change]:
    def applies(indicator: Indicator) -> str | None:
        return to_source(indicator.applies_if) if indicator.applies_if is not None else None

    yield from _fields(
        section,
        new.id,
        {
            "name": (old.name, new.name),
            "condition": _exprs(old.condition_text, new.condition_text, old, new),
            "applies_if": (applies(old), applies(new)),
            "source": (_cite(old.source), _cite(new.source)),
            "verified": (old.verified, new.verified),
            "origin": (old.origin, new.origin),
            "note": (old.note, new.note),
        },
        new.name,
    )


def _exprs(old_text: str, new_text: str, old: Indicator, new: Indicator) -> tuple[Value, Value]:
    """The two conditions as written, or twice the same when they only differ in spacing."""
    if to_source(old.condition) == to_source(new.condition):
        return new_text, new_text
    return old_text, new_text


def _recognition(before: Ruleset, after: Ruleset) -> Iterator[Change]:
    old, new = before.recognition, after.recognition
    if old is None or new is None:
        if old is not None:
            yield Change("recognition", "", REMOVED, label=old.name)
        if new is not None:
            yield Change("recognition", "", ADDED, label=new.name)
        return
    yield from _fields(
        "recognition",
        "",
        {"name": (old.name, new.name), "source": (_cite(old.source), _cite(new.source))},
    )
    old_map = {i.id: i for i in old.conditions}
    new_map = {i.id: i for i in new.conditions}
    yield from _presence("recognition", old_map, new_map, lambda i: i.name)
    for condition_id, condition in new_map.items():
        if condition_id in old_map:
            yield from _indicator_fields("recognition", old_map[condition_id], condition)


# -- ladders ------------------------------------------------------------------------------------
def diff_ladders(
    before: tuple[Ladder, Sequence[Ruleset]],
    after: tuple[Ladder, Sequence[Ruleset]],
    *,
    levels: bool = True,
) -> LadderDiff:
    """A ladder's changes, and (with ``levels``) the diff of each pair of levels: levels are
    paired by their level id (``ntm``, ``nang_cao``, …), so a renamed ruleset is still
    compared with the one it replaces."""
    (old, old_levels), (new, new_levels) = before, after
    changes = list(
        _fields(
            "ladder",
            "",
            {
                "id": (old.id, new.id),
                "title": (old.title, new.title),
                "below": (old.below, new.below),
                "levels": (" → ".join(old.levels), " → ".join(new.levels)),
            },
        )
    )
    old_targets = {t.key: t for t in old.targets}
    new_targets = {t.key: t for t in new.targets}
    for level, target in old_targets.items():
        if level not in new_targets:
            changes.append(Change("ladder", level, REMOVED, "target", _target(target)))
    for level, target in new_targets.items():
        was = old_targets.get(level)
        if was is None:
            changes.append(Change("ladder", level, ADDED, "target", after=_target(target)))
        else:
            changes.extend(
                _fields(
                    "ladder",
                    level,
                    {
                        "target": (_target(was), _target(target)),
                        "target_year": (float(was.year), float(target.year)),
                        "target_note": (was.note, target.note),
                    },
                )
            )
    pairs: list[RulesetDiff] = []
    if levels:
        by_level = {r.level.id: r for r in old_levels}
        for rules in new_levels:
            match = by_level.get(rules.level.id)
            if match is not None:
                pairs.append(diff_rulesets(match, rules))
    return LadderDiff(side(old), side(new), tuple(changes), tuple(pairs))


def _target(target: Target) -> str:
    return target.describe(target.level or "", "en")


def _jsonable(value: Value) -> Any:
    if isinstance(value, Text):
        return value.to_dict()
    return value
