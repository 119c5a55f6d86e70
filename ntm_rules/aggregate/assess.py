"""Evaluating a data set: members first (communes on their ladder), then the units that count
them (districts, towns), then the province — each by the same engine, from its own rulesets.

:func:`assess` evaluates every unit of the target's kind in a data set. A unit's aggregate
fields (shares of communes at a level, the lowest commune satisfaction…) are computed from its
members' results; a record that gives such a field itself keeps it only when the data set holds
none of those members, and a given value that disagrees with the computed one is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..batch import resolve
from ..errors import InputError, RulesetError
from ..ladder import Ladder, LadderResult, evaluate_on_ladder, level_rulesets
from ..models.structuring import structure
from ..ruleset.model import Aggregate, MemberGroup, Ruleset
from ..text import Text, did_you_mean
from .compute import REPORTED, AggregateValue, Member, compute
from .dataset import DataSet, Row
from .membership import Membership, UnitRef, link, ref


@attrs.frozen
class Assessed:
    """A unit of the data set, its record and, when it is assessed, where its ladder puts it."""

    ref: UnitRef
    row: Row
    record: Any
    placed: LadderResult | None
    aggregates: tuple[AggregateValue, ...] = ()

    def values(self) -> dict[str, Any]:
        return attrs.asdict(self.record)


@attrs.frozen
class Assessment:
    """Every unit of one kind assessed on one ladder (or only read, without a ladder)."""

    kind: str
    ladder: Ladder | None
    levels: tuple[Ruleset, ...]
    units: tuple[Assessed, ...]
    groups: Mapping[str, MemberGroup]  # the member groups the levels declare

    def by_code(self) -> dict[str, Assessed]:
        return {unit.ref.code: unit for unit in self.units}


@attrs.frozen
class DataSetRun:
    """A data set evaluated for a target: the target's units and every member assessment."""

    target: Assessment
    assessments: Mapping[str, Assessment]  # by ladder id, or "kind:<kind>" when only read
    membership: Membership
    data: DataSet

    def of_kind(self, kind: str) -> Assessment | None:
        """The assessment of a kind's units on a ladder, if the run has one."""
        for assessment in (self.target, *self.assessments.values()):
            if assessment.kind == kind and assessment.ladder is not None:
                return assessment
        return None


def as_ladder(target: Ruleset | Ladder | str | Path) -> Ladder:
    """A ladder, a ruleset (a one-level ladder) or an id / path of either."""
    if isinstance(target, str | Path):
        target = resolve(target)
    if isinstance(target, Ladder):
        return target
    return Ladder(
        id=target.id,
        title=target.title,
        unit=target.unit,
        below=Text(vi="Chưa đạt chuẩn", en="Not yet at the standard"),
        levels=(target.id,),
        targets=(),
        file=target.file,
    )


def input_models(ladder: Ladder) -> dict[str, type[Any]]:
    """The input model of every kind a ladder's evaluation reads, the ladder's own first."""
    levels = level_rulesets(ladder)
    models: dict[str, type[Any]] = {levels[0].unit: levels[0].model}
    for level in levels:
        for group in level.members.values():
            models.setdefault(group.kind, group.model)
            if group.ladder is not None:
                for kind, model in input_models(as_ladder(group.ladder)).items():
                    models.setdefault(kind, model)
    return models


def assess(
    target: Ruleset | Ladder | str | Path,
    data: DataSet,
    *,
    year: int | None = None,
) -> DataSetRun:
    """Evaluate every unit of the target's kind in ``data``, members first."""
    ladder = as_ladder(target)
    membership = link(data)
    runner = _Runner(data, membership, year)
    found = runner.ladder(ladder)
    assessments = {k: v for k, v in runner.done.items() if v is not found}
    return DataSetRun(found, assessments, membership, data)


class _Runner:
    def __init__(self, data: DataSet, membership: Membership, year: int | None) -> None:
        self.data = data
        self.membership = membership
        self.year = year
        self.done: dict[str, Assessment] = {}
        self.active: list[str] = []

    def ladder(self, ladder: Ladder) -> Assessment:
        known = self.done.get(ladder.id)
        if known is not None:
            return known
        if ladder.id in self.active:
            chain = " → ".join([*self.active, ladder.id])
            raise InputError(
                Text(vi=f"thang tự chứa chính nó: {chain}", en=f"ladder contains itself: {chain}"),
                record=ladder.file,
            )
        self.active.append(ladder.id)
        levels = level_rulesets(ladder)
        kind = levels[0].unit
        groups = _groups(levels)
        aggregates = _aggregates(levels)
        members = {name: self.group(group) for name, group in groups.items()}
        for aggregate in aggregates:
            self.check_level(aggregate, groups[aggregate.of])
        rows = self.data.of(kind)
        model = levels[0].model
        records, computed = [], []
        for row in rows:
            values, found = self.filled(row, groups, aggregates, members)
            records.append(structure(model, values, row.label))
            computed.append(found)
        placed = evaluate_on_ladder(ladder, records, year=self.year) if records else []
        units = tuple(
            Assessed(ref(row), row, record, result, tuple(found))
            for row, record, result, found in zip(rows, records, placed, computed, strict=True)
        )
        self.active.pop()
        self.done[ladder.id] = Assessment(kind, ladder, levels, units, groups)
        return self.done[ladder.id]

    def check_level(self, aggregate: Aggregate, group: MemberGroup) -> None:
        """An aggregate's ``level`` must be a level of the members' ladder."""
        if aggregate.level is None or group.ladder is None:
            return
        levels = [level.level.id for level in self.ladder(as_ladder(group.ladder)).levels]
        if aggregate.level not in levels:
            hint = did_you_mean(aggregate.level, levels)
            raise RulesetError(
                Text(
                    vi=f"'{aggregate.level}' không phải mức của thang {group.ladder} "
                    f"({', '.join(levels)}){hint.vi}",
                    en=f"'{aggregate.level}' is not a level of ladder {group.ladder} "
                    f"({', '.join(levels)}){hint.en}",
                ),
                file=aggregate.file,
                line=aggregate.line,
            )

    def group(self, group: MemberGroup) -> dict[str, Assessed]:
        if group.ladder is not None:
            return self.ladder(as_ladder(group.ladder)).by_code()
        key = f"kind:{group.kind}"
        known = self.done.get(key)
        if known is None:
            units = tuple(
                Assessed(ref(row), row, structure(group.model, row.values, row.label), None)
                for row in self.data.of(group.kind)
            )
            known = self.done[key] = Assessment(group.kind, None, (), units, {})
        return known.by_code()

    def filled(
        self,
        row: Row,
        groups: Mapping[str, MemberGroup],
        aggregates: Sequence[Aggregate],
        members: Mapping[str, dict[str, Assessed]],
    ) -> tuple[dict[str, Any], list[AggregateValue]]:
        """The row's values with its aggregate fields computed, and how each was computed."""
        values = dict(row.values)
        found = []
        for aggregate in aggregates:
            group = groups[aggregate.of]
            given = values.get(aggregate.field)
            if not self.data.has(group.kind):
                if given is not None:
                    found.append(
                        AggregateValue(
                            aggregate.field,
                            aggregate.op,
                            group.name,
                            group.kind,
                            given,
                            0,
                            source=REPORTED,
                        )
                    )
                continue
            value = compute(aggregate, group.kind, self.members_of(row, group, members))
            if given is not None and not _same(given, value.value):
                raise InputError(
                    Text(
                        vi=f"giá trị ghi sẵn {given} khác giá trị tính từ các thành viên "
                        f"({value.describe('vi')}); bỏ trường này hoặc sửa dữ liệu thành viên",
                        en=f"the given value {given} differs from the value computed from the "
                        f"members ({value.describe('en')}); drop the field or fix the members",
                    ),
                    record=row.label,
                    field=aggregate.field,
                )
            values[aggregate.field] = value.value
            found.append(value)
        return values, found

    def members_of(
        self, row: Row, group: MemberGroup, members: Mapping[str, dict[str, Assessed]]
    ) -> list[Member]:
        assessed = members[group.name]
        found = []
        for code in self.membership.members(row.kind, row.code, group.kind):
            unit = assessed[code]
            found.append(Member(unit.ref, unit.values(), unit.placed))
        for code in self.membership.missing_members(row.kind, row.code, group.kind):
            found.append(Member(UnitRef(group.kind, code), None))
        return found


def _groups(levels: Sequence[Ruleset]) -> dict[str, MemberGroup]:
    groups: dict[str, MemberGroup] = {}
    for level in levels:
        for name, group in level.members.items():
            known = groups.get(name)
            if known is not None and (known.kind, known.ladder) != (group.kind, group.ladder):
                raise InputError(
                    Text(
                        vi=f"các bậc của thang khai báo nhóm '{name}' khác nhau "
                        f"({known.ladder} / {group.ladder})",
                        en=f"the ladder's levels declare group '{name}' differently "
                        f"({known.ladder} / {group.ladder})",
                    ),
                    record=f"{group.file}:{group.line}",
                )
            groups[name] = group
    return groups


def _aggregates(levels: Sequence[Ruleset]) -> list[Aggregate]:
    found: dict[str, Aggregate] = {}
    for level in levels:
        for field, aggregate in level.aggregates.items():
            known = found.get(field)
            if known is not None and known != aggregate:
                raise InputError(
                    Text(
                        vi=f"các bậc của thang tính trường '{field}' khác nhau",
                        en=f"the ladder's levels compute field '{field}' differently",
                    ),
                    record=level.file,
                )
            found[field] = aggregate
    return list(found.values())


def _same(given: Any, computed: Any) -> bool:
    if computed is None:
        return False
    if isinstance(computed, bool) or isinstance(given, bool):
        return given is computed
    return abs(float(given) - float(computed)) < 0.005
