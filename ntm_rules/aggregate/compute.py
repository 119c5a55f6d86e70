"""Aggregates: an input field of a unit computed from its members, with its provenance (which
members qualify, which do not, which are undecided, and each member's value)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ..expr import MissingValueError, evaluate
from ..ladder import LadderResult
from ..result import MET, NOT_MET
from ..ruleset.model import Aggregate
from ..text import Lang, Text, format_number
from ..unit_kinds import unit_kind
from .membership import UnitRef

COMPUTED = "computed"
REPORTED = "reported"


@attrs.frozen
class Member:
    """A member as an aggregate sees it: who, its record's values, its ladder result."""

    ref: UnitRef
    values: dict[str, Any] | None  # None: listed but no record
    placed: LadderResult | None = None


@attrs.frozen
class AggregateValue:
    """The value of an aggregate for one unit, and why."""

    field: str
    op: str
    of: str  # member group
    kind: str  # members' kind
    value: float | int | bool | None
    members: int
    qualifies: str | None = None  # how a member qualifies (level …, or a condition)
    counted: tuple[UnitRef, ...] = ()  # members that qualify
    not_counted: tuple[UnitRef, ...] = ()  # members that do not
    undecided: tuple[UnitRef, ...] = ()  # members whose data cannot tell (or with no record)
    values: tuple[tuple[UnitRef, float], ...] = ()  # min / max: member values, lowest first
    source: str = COMPUTED
    name: Text | None = None  # the field's label

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "field": self.field,
            "name": self.name.to_dict() if self.name else None,
            "op": self.op,
            "of": self.of,
            "kind": self.kind,
            "value": self.value,
            "members": self.members,
            "source": self.source,
        }
        if self.source == REPORTED:
            return found
        if self.op in ("min", "max"):
            found["values"] = [{**r.to_dict(), "value": v} for r, v in self.values]
        else:
            found["qualifies"] = self.qualifies
            found["counted"] = [r.to_dict() for r in self.counted]
            found["not_counted"] = [r.to_dict() for r in self.not_counted]
        found["undecided"] = [r.to_dict() for r in self.undecided]
        found["bounds"] = self.bounds()
        return found

    def more_needed(self, op: str, threshold: float) -> int | None:
        """How many more members must qualify for ``value op threshold`` to hold, counting the
        members as they are (a share or count tested with ``>=`` or ``>``); None otherwise."""
        if self.op not in ("share", "count") or op not in (">=", ">") or self.value is None:
            return None
        have = len(self.counted)
        for needed in range(self.members - have + 1):
            count = have + needed
            value = 100 * count / self.members if self.op == "share" else count
            if (value >= threshold) if op == ">=" else (value > threshold):
                return needed
        return None

    def bounds(self) -> list[float] | None:
        """While members are undecided, the lowest and highest value a share or count can
        still take (None when decided, and for the other operations)."""
        if not self.undecided or self.op not in ("share", "count") or not self.members:
            return None
        low, high = len(self.counted), len(self.counted) + len(self.undecided)
        if self.op == "share":
            return [100 * low / self.members, 100 * high / self.members]
        return [float(low), float(high)]

    def describe(self, lang: Lang = "vi", *, limit: int = 5) -> str:
        """One line: the value, out of how many, and the members that hold it back."""
        vi = lang == "vi"
        kind = unit_kind(self.kind)
        shown = "?" if self.value is None else _shown(self.value, self.op, lang)
        bounds = self.bounds()
        if bounds is not None:
            low, high = (_shown(bound, self.op, lang) for bound in bounds)
            shown = f"? ({low}–{high})" if lang == "en" else f"? (từ {low} đến {high})"
        if self.source == REPORTED:
            return f"{self.field}: {shown}" + (
                " (do đơn vị tự báo cáo, không tính từ thành viên)"
                if vi
                else " (reported by the unit, not computed from members)"
            )
        words = kind.plural(lang)
        head = (
            f"{self.name(lang)} ({self.field}): {shown}" if self.name else f"{self.field}: {shown}"
        )
        parts = []
        if self.op in ("min", "max"):
            if self.values:
                lowest = self.values[0] if self.op == "min" else self.values[-1]
                parts.append(f"{lowest[0].label()}: {format_number(lowest[1], lang)}")
            parts.append(f"{self.members} {words}")
        else:
            parts.append(f"{len(self.counted)}/{self.members} {words}")
            if self.not_counted:
                parts.append(
                    ("chưa đạt: " if vi else "not qualifying: ")
                    + _listed(self.not_counted, lang, limit)
                )
        if self.undecided:
            parts.append(
                ("chưa đủ dữ liệu: " if vi else "undecided: ")
                + _listed(self.undecided, lang, limit)
            )
        return f"{head} ({'; '.join(parts)})"


def _shown(value: float | int | bool, op: str, lang: Lang) -> str:
    if isinstance(value, bool):
        return Text(vi="có", en="yes")(lang) if value else Text(vi="không", en="no")(lang)
    suffix = " %" if op == "share" else ""
    return format_number(round(value, 2), lang) + suffix


def _listed(refs: Sequence[UnitRef], lang: Lang, limit: int) -> str:
    shown = ", ".join(r.label() for r in refs[:limit])
    more = len(refs) - limit
    if more > 0:
        words = unit_kind(refs[0].kind).plural(lang)
        shown += f" và {more} {words} khác" if lang == "vi" else f" and {more} more {words}"
    return shown


def compute(aggregate: Aggregate, kind: str, members: Sequence[Member]) -> AggregateValue:
    """The aggregate over ``members`` (all of one group, in data-set order)."""
    if aggregate.op in ("min", "max"):
        return _extreme(aggregate, kind, members)
    counted: list[UnitRef] = []
    not_counted: list[UnitRef] = []
    undecided: list[UnitRef] = []
    for member in members:
        verdict = _qualifies(aggregate, member)
        (counted if verdict else undecided if verdict is None else not_counted).append(member.ref)
    total = len(members)
    value: float | int | bool | None
    if undecided:
        value = None
    elif aggregate.op == "share":
        value = 100.0 if total == 0 else 100 * len(counted) / total
    elif aggregate.op == "count":
        value = len(counted)
    else:
        value = not not_counted
    return AggregateValue(
        aggregate.field,
        aggregate.op,
        aggregate.of,
        kind,
        value,
        total,
        aggregate.qualifies,
        tuple(counted),
        tuple(not_counted),
        tuple(undecided),
        name=aggregate.name,
    )


def _qualifies(aggregate: Aggregate, member: Member) -> bool | None:
    """Whether a member qualifies; None when its data cannot tell."""
    if member.values is None:
        return None
    if aggregate.level is not None:
        placed = member.placed
        if placed is None:
            return None
        for result in placed.results:
            if result.level_id == aggregate.level:
                return True if result.status == MET else False if result.status == NOT_MET else None
        return None
    assert aggregate.where is not None
    try:
        return bool(evaluate(aggregate.where, member.values))
    except MissingValueError:
        return None


def _extreme(aggregate: Aggregate, kind: str, members: Sequence[Member]) -> AggregateValue:
    assert aggregate.member_field is not None
    values: list[tuple[UnitRef, float]] = []
    undecided: list[UnitRef] = []
    for member in members:
        read = None if member.values is None else member.values.get(aggregate.member_field)
        if read is None:
            undecided.append(member.ref)
        else:
            values.append((member.ref, float(read)))
    values.sort(key=lambda pair: pair[1])
    value: float | None = None
    if values and not undecided:
        value = values[0][1] if aggregate.op == "min" else values[-1][1]
    return AggregateValue(
        aggregate.field,
        aggregate.op,
        aggregate.of,
        kind,
        value,
        len(members),
        counted=(),
        undecided=tuple(undecided),
        values=tuple(values),
        name=aggregate.name,
    )
