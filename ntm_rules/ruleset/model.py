"""The ruleset as loaded and validated: immutable attrs classes, no behaviour beyond lookups."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import attrs

from ..expr import Expr
from ..text import Lang, Text

GENERAL = "general"
"""The axis key of a threshold table's general value (chỉ tiêu chung)."""


@attrs.frozen
class Document:
    """A legal document a ruleset cites (decision, circular, provincial decision)."""

    key: str
    number: str
    date: dt.date | None
    title: Text | None = None
    url: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title.to_dict() if self.title else None,
            "url": self.url,
            "note": self.note,
        }


@attrs.frozen
class Citation:
    """Where a rule or value comes from: document, part (annex/article) and item number."""

    doc: Document
    part: str | None = None
    item: str | None = None
    url: str | None = None

    def render(self, lang: Lang = "vi") -> str:
        pieces = [self.doc.number]
        if self.part:
            pieces.append(self.part)
        if self.item:
            pieces.append(("mục " if lang == "vi" else "item ") + self.item)
        return ", ".join(pieces)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._dict)  # flat: a copy is a complete copy

    @functools.cached_property
    def _dict(self) -> dict[str, Any]:
        return {
            "document": self.doc.number,
            "date": self.doc.date.isoformat() if self.doc.date else None,
            "part": self.part,
            "item": self.item,
            "url": self.url,  # the document's own address is in the ruleset's "documents"
        }


@attrs.frozen
class ParamCell:
    """One value of a parameter: for one date range and one axis key."""

    value: float | None  # None: left to the province ("province_decides")
    verified: bool
    note: str | None
    source: Citation
    origin: str  # id of the ruleset that set it
    exception: bool = False  # a provincial value allowed to be looser than the national one
    line: int | None = None
    authority: str = "national"  # "national", or the province whose ruleset set it


@attrs.frozen
class ParamEntry:
    start: dt.date
    cells: Mapping[str, ParamCell]


@attrs.frozen
class ParamOverride:
    """A provincial (or other extending) ruleset's values replacing inherited ones for a period."""

    start: dt.date
    until: dt.date | None
    cells: Mapping[str, ParamCell]

    def in_force(self, on: dt.date) -> bool:
        return self.start <= on and (self.until is None or on <= self.until)


@attrs.frozen
class Parameter:
    name: str
    label: Text
    unit: str
    axis: str | None
    entries: tuple[ParamEntry, ...]  # sorted by start
    overrides: tuple[ParamOverride, ...] = ()
    stricter: str | None = None  # "higher" or "lower": which way tightens the rule


@attrs.frozen
class AxisRule:
    id: str
    when: Expr
    when_text: str
    value: Expr
    value_text: str
    reason: Text
    source: Citation | None


@attrs.frozen
class ChoiceLabel:
    """What one value of an axis is called: its name, and the short heading of its column."""

    name: Text
    short: Text | None = None  # None: the value itself (``nhom1``)


@attrs.frozen
class Axis:
    """How a unit picks its row of threshold tables: the values (``choices``) with their labels,
    the rules tried in order, and the input read when no rule applies (``field``)."""

    name: str
    choices: tuple[str, ...]
    rules: tuple[AxisRule, ...]
    labels: Mapping[str, ChoiceLabel] = attrs.field(factory=dict)
    label: Text | None = None  # what the axis is called (Vùng, Nhóm xã)
    field: str | None = None

    @property
    def title(self) -> Text:
        """What the axis is called; its id when the ruleset gives no name."""
        return self.label or Text(vi=self.name, en=self.name)

    def choice_name(self, key: str) -> Text:
        """The full name of a value (``Trung du và miền núi phía Bắc``); the value itself when
        the axis does not label it."""
        found = self.labels.get(key)
        return found.name if found else Text(vi=key, en=key)

    def choice_short(self, key: str) -> Text:
        """The column heading of a value (``TDMNPB``); the value itself by default."""
        found = self.labels.get(key)
        return found.short if found and found.short else Text(vi=key, en=key)


@attrs.frozen
class Indicator:
    """One line of a decision's criteria table: an id as the decision numbers it, a condition."""

    id: str
    name: Text
    condition: Expr
    condition_text: str
    applies_if: Expr | None
    applies_if_text: str | None
    source: Citation
    verified: bool
    note: str | None
    origin: str
    line: int | None = None
    file: str | None = None  # the file that defines it (a base ruleset's, for an inherited one)


@attrs.frozen
class Policy:
    """How indicator statuses make a criterion: ``all``, ``any`` or ``at_least`` k."""

    kind: str = "all"
    k: int = 0

    def describe(self) -> str:
        return f"at_least {self.k}" if self.kind == "at_least" else self.kind


@attrs.frozen
class Criterion:
    id: str
    name: Text
    heading: Text | None  # the heading the criterion is listed under (Hạ tầng kinh tế - xã hội)
    source: Citation
    policy: Policy
    indicators: tuple[Indicator, ...]


@attrs.frozen
class Level:
    id: str
    name: Text
    recognised_field: str | None = None  # input holding the year the unit was recognised


@attrs.frozen
class Recognition:
    """Conditions that formal recognition needs besides the criteria (18/2022/QĐ-TTg)."""

    name: Text
    source: Citation
    conditions: tuple[Indicator, ...]


@attrs.frozen
class Prerequisite:
    """A lower level the unit must hold first: computed now, or formally recognised."""

    ruleset: str  # id of the lower level's ruleset
    accept: tuple[str, ...]  # "computed" and/or "recognised"
    recognised_field: str | None  # the input holding the year of recognition
    recognised_since: int | None  # recognitions before this year do not count (older phase)
    name: Text
    source: Citation


@attrs.frozen
class ChecklistItem:
    """Something a rule author must still check or fill against the provincial decision."""

    target: str  # "parameter X" or "indicator N"
    note: str
    line: int | None


@attrs.frozen
class Scope:
    """Where a provincial ruleset applies: the province, and the value it holds on any axis
    (``{region: tdmnpb}``)."""

    province: str
    axes: Mapping[str, str] = attrs.field(factory=dict)

    def value(self, axis: str | None) -> str | None:
        """The value the scope fixes on ``axis``, if any."""
        return self.axes.get(axis) if axis else None


@attrs.frozen
class Notice:
    """Something a rule author should change though the file still loads (a deprecated key),
    with the file and line to change."""

    text: Text
    file: str | None
    line: int | None
    key: str | None = None

    def describe(self, lang: Lang = "en") -> str:
        where = (self.file or "") + (f":{self.line}" if self.line is not None else "")
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.text(lang)}"


AGGREGATE_OPS = ("share", "count", "all", "min", "max")
"""share: percent of members that qualify; count: how many qualify; all: whether every member
qualifies; min / max: the lowest / highest value of a member field."""


@attrs.frozen
class MemberGroup:
    """Members a unit counts (e.g. a district's communes): their kind, their input vocabulary
    and the ladder they are assessed on (None: their records are read, not assessed)."""

    name: str
    kind: str
    inputs: str
    model: type[Any]
    ladder: str | None
    file: str
    line: int


@attrs.frozen
class Aggregate:
    """How an input field of the unit is computed from its members."""

    field: str  # the input field it fills, e.g. communes_ntm_pct
    op: str  # one of AGGREGATE_OPS
    of: str  # the member group
    level: str | None = None  # a member qualifies at or above this level of its ladder…
    where: Expr | None = None  # …or when this condition on its record holds
    where_text: str | None = None
    member_field: str | None = None  # min / max: the member field read
    name: Text | None = None
    file: str = attrs.field(default="", eq=False)
    line: int = attrs.field(default=0, eq=False)

    @property
    def qualifies(self) -> str | None:
        """How a member qualifies, as a rule author wrote it."""
        if self.level is not None:
            return f"level {self.level}"
        return self.where_text


@attrs.frozen
class Ruleset:
    id: str
    version: str
    unit: str
    inputs: str
    model: type[Any]
    title: Text
    level: Level
    valid_from: dt.date
    valid_until: dt.date | None
    documents: Mapping[str, Document]
    axes: Mapping[str, Axis]
    parameters: Mapping[str, Parameter]
    criteria: tuple[Criterion, ...]
    recognition: Recognition | None
    file: str
    content_hash: str
    extends: str | None = None
    scope: Scope | None = None
    requires: Prerequisite | None = None
    imports: Mapping[str, str] = attrs.field(factory=dict)
    checklist: tuple[ChecklistItem, ...] = ()
    note: str | None = None
    members: Mapping[str, MemberGroup] = attrs.field(factory=dict)
    aggregates: Mapping[str, Aggregate] = attrs.field(factory=dict)
    notices: tuple[Notice, ...] = ()
    """What the author should change though the file loads (deprecated spellings), its own and
    those of the rulesets it extends."""
    files: Mapping[str, str] = attrs.field(factory=dict)
    """The file loaded for this ruleset's id and for every ruleset it draws on (extends, imports,
    requires), as the search path resolved them."""

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for c in self.criteria for i in c.indicators)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)
