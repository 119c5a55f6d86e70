"""The neutral document model of a criteria table: what every renderer (Markdown, HTML, xlsx)
prints, built once from a :class:`~ntm_rules.ruleset.model.Ruleset` by :mod:`.build`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from ..ruleset.model import Citation, Document
from ..text import Text


@attrs.frozen
class Replaced:
    """The inherited (national) value a provincial value replaces."""

    value: float | None
    origin: str
    source: Citation


@attrs.frozen
class ValueCell:
    """One threshold value for one axis key and one period, with its provenance."""

    value: float | None  # None: left to the province (province_decides)
    verified: bool
    authority: str  # "national", or the province that set it
    exception: bool
    source: Citation
    note: str | None
    origin: str
    replaces: Replaced | None = None

    @property
    def provincial(self) -> bool:
        return self.authority != "national"


@attrs.frozen
class Threshold:
    """The value an indicator's condition compares with, for one period: by axis key (and
    ``general``), or one value for every unit (``axis`` None, key ``general``)."""

    number: int  # 1, 2, ... within the indicator (shown when it has several thresholds)
    subject: Text  # what is compared, e.g. "Thu nhập bình quân đầu người ≥"
    unit: str | None
    axis: str | None
    start: dt.date
    until: dt.date | None
    cells: Mapping[str, ValueCell]


@attrs.frozen
class IndicatorDoc:
    id: str
    name: Text
    requirement: Text  # the condition in words
    applies_if: Text | None
    source: Citation
    verified: bool
    note: str | None
    origin: str
    provincial: bool  # replaced or added by the (provincial) ruleset documented
    thresholds: tuple[Threshold, ...]


@attrs.frozen
class CriterionDoc:
    id: str
    name: Text
    heading: Text | None
    source: Citation
    policy: Text
    indicators: tuple[IndicatorDoc, ...]


@attrs.frozen
class RecognitionDoc:
    name: Text
    source: Citation
    conditions: tuple[IndicatorDoc, ...]


@attrs.frozen
class AxisKey:
    key: str
    short: Text  # column header, e.g. "TDMNPB"
    name: Text  # full name, e.g. "Trung du và miền núi phía Bắc"


@attrs.frozen
class AxisRuleDoc:
    id: str
    when: Text | None  # None: every other unit
    value: Text  # the column, e.g. "TDMNPB"
    by_field: bool  # the column is named by one of the unit's fields (``value`` is its label)
    reason: Text
    source: Citation | None


@attrs.frozen
class AxisDoc:
    name: str
    label: Text
    keys: tuple[AxisKey, ...]
    rules: tuple[AxisRuleDoc, ...]


@attrs.frozen
class ChecklistDoc:
    target: str
    label: Text
    note: str


@attrs.frozen
class RulesetDoc:
    id: str
    version: str
    content_hash: str
    file: str
    unit: str
    title: Text
    level: Text
    valid_from: dt.date
    valid_until: dt.date | None
    extends: str | None
    scope: Text | None
    note: str | None
    documents: tuple[Document, ...]
    axes: tuple[AxisDoc, ...]  # the axes a threshold uses (the table's value columns)
    level_policy: Text
    prerequisite: Text | None
    criteria: tuple[CriterionDoc, ...]
    recognition: RecognitionDoc | None
    checklist: tuple[ChecklistDoc, ...]
    computed: tuple[Text, ...] = ()  # inputs computed from member units, one line each

    @property
    def indicators(self) -> tuple[IndicatorDoc, ...]:
        found = [i for c in self.criteria for i in c.indicators]
        return (*found, *(self.recognition.conditions if self.recognition else ()))


@attrs.frozen
class TargetDoc:
    level: str | None
    count: int | None
    year: int
    note: str | None
    text: Text  # the target in words, with the level's name


@attrs.frozen
class LadderDoc:
    id: str
    title: Text
    below: Text
    file: str
    levels: tuple[RulesetDoc, ...]  # lowest first
    targets: tuple[TargetDoc, ...]
