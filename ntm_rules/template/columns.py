"""Which sheets and columns an input template has: for each kind of unit a ruleset or ladder's
evaluation reads (the ladder's own kind first, then its members'), the fields that say who a
unit is, then every input its conditions read, in the input model's order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..expr import Expr, names_in
from ..ladder import Ladder, level_rulesets
from ..models.fields import KIND_BOOL
from ..models.vocabulary import UNIT_CLASSES, FieldSpec, field_specs
from ..ruleset.model import Ruleset

FIRST = (
    "code",
    "name",
    "commune_code",
    "commune_name",
    "province",
    "province_code",
    "district",
    "district_code",
)
"""The identity fields shown first, in this order, when a model has them."""
LINK_CODES = ("district_code", "province_code")
"""Optional fields naming a parent by code: shown only when the template holds several kinds
(a single kind's sheet links to nothing)."""


@attrs.frozen
class TemplateSheet:
    """One sheet of the template: a kind of unit, its input model and its columns."""

    kind: str
    model: type[Any]
    columns: tuple[FieldSpec, ...]
    identity: int  # how many of the first columns say who the unit is
    computed: tuple[str, ...] = ()  # the kind's inputs computed from its members' sheets


def template_sheets(target: Ruleset | Ladder) -> tuple[TemplateSheet, ...]:
    """The sheets of the template of ``target``: its own kind first, then each member kind."""
    from ..aggregate.assess import as_ladder, input_models

    ladder = as_ladder(target)
    models = input_models(ladder)
    needs: dict[str, set[str]] = {kind: set() for kind in models}
    computed: dict[str, set[str]] = {kind: set() for kind in models}
    _collect(ladder, needs, computed, set())
    several = len(models) > 1
    sheets = []
    for kind, model in models.items():
        specs = field_specs(model)
        who = _identity(model, several)
        reads = needs[kind] - computed[kind] - set(who)
        by_name = {spec.name: spec for spec in specs}
        columns = [by_name[name] for name in who] + [s for s in specs if s.name in reads]
        sheets.append(
            TemplateSheet(kind, model, tuple(columns), len(who), tuple(sorted(computed[kind])))
        )
    return tuple(sheets)


def needed_fields(ruleset: Ruleset) -> frozenset[str]:
    """Every input field of ``ruleset``'s model its evaluation reads: conditions, axis rules,
    recognition years, and those of the lower level it requires."""
    fields = {f.name for f in attrs.fields(ruleset.model)}
    found: set[str] = set()
    for expr in _expressions(ruleset):
        found.update(n.dotted for n in names_in(expr) if not n.is_param)
    found.update(axis.field for axis in ruleset.axes.values() if axis.field)
    found.update(
        name
        for name in (
            ruleset.level.recognised_field,
            ruleset.requires.recognised_field if ruleset.requires else None,
        )
        if name
    )
    lower = _required_ruleset(ruleset)
    if lower is not None:
        found |= needed_fields(lower)
    return frozenset(found & fields)


def _expressions(ruleset: Ruleset) -> Iterable[Expr]:
    indicators = [*ruleset.indicators]
    if ruleset.recognition is not None:
        indicators.extend(ruleset.recognition.conditions)
    for indicator in indicators:
        yield indicator.condition
        if indicator.applies_if is not None:
            yield indicator.applies_if
    for axis in ruleset.axes.values():
        for rule in axis.rules:
            yield rule.when
            yield rule.value


def _required_ruleset(ruleset: Ruleset) -> Ruleset | None:
    if ruleset.requires is None or "computed" not in ruleset.requires.accept:
        return None
    from ..ruleset.files import find_ruleset_file
    from ..ruleset.loader import load_ruleset

    found = find_ruleset_file(ruleset.requires.ruleset, Path(ruleset.file))
    return load_ruleset(found) if found is not None else None


def _collect(
    ladder: Ladder, needs: dict[str, set[str]], computed: dict[str, set[str]], seen: set[str]
) -> None:
    """Add what each level of ``ladder`` reads, and what its aggregates read of its members."""
    from ..aggregate.assess import as_ladder

    if ladder.id in seen:
        return
    seen.add(ladder.id)
    for level in level_rulesets(ladder):
        needs.setdefault(level.unit, set()).update(needed_fields(level))
        for aggregate in level.aggregates.values():
            computed.setdefault(level.unit, set()).add(aggregate.field)
            group = level.members[aggregate.of]
            member = needs.setdefault(group.kind, set())
            if aggregate.member_field:
                member.add(aggregate.member_field)
            if aggregate.where is not None:
                member.update(n.dotted for n in names_in(aggregate.where) if not n.is_param)
        for group in level.members.values():
            if group.ladder is not None:
                _collect(as_ladder(group.ladder), needs, computed, seen)


def _identity(model: type[Any], several: bool) -> Sequence[str]:
    """The fields that say who a unit of ``model`` is: code, name and the units it lies in
    first, then its region, year, list memberships and recognition years. A measured yes/no of
    the unit class (a township's ``civilised_urban``) is an input, not identity."""
    unit = next((c for c in UNIT_CLASSES if issubclass(model, c)), model)
    fields = [
        f
        for f in attrs.fields(unit)
        if not (f.metadata.get("kind") == KIND_BOOL and f.default is None)
        and (several or f.name not in LINK_CODES or f.default is attrs.NOTHING)
    ]
    first = [name for name in FIRST if any(f.name == name for f in fields)]
    return [*first, *(f.name for f in fields if f.name not in first)]
