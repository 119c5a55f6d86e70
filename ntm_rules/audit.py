"""What in a ruleset still needs checking against the law.

:func:`audit` lists every parameter value marked ``verified: false``, every indicator whose
wording is unverified, every value left to the province (``province_decides``) that no
ruleset has filled in, and the ``checklist`` of a provincial ruleset. Items come in file order: inherited rulesets first, then parameters in
the order written, then indicators, then recognition conditions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from .ruleset.model import GENERAL, Citation, Indicator, ParamCell, Parameter, Ruleset
from .text import Text

__all__ = ["KINDS", "AuditItem", "audit", "summarise"]

PARAMETER = "parameter"
INDICATOR = "indicator"
OPEN = "open"
CHECK = "check"
KINDS = (PARAMETER, INDICATOR, OPEN, CHECK)
"""``parameter``: an unverified value; ``indicator``: unverified wording; ``open``: a value left
to the province and not filled in (verified or not); ``check``: an item of a provincial
ruleset's ``checklist`` (a value or wording its rule author must still read in the decision)."""

PROVINCE_DECIDES = "province_decides"


@attrs.frozen
class AuditItem:
    """One thing to check: an unverified value, unverified wording, or an open value."""

    kind: str  # parameter | indicator | open
    name: str  # parameter name, or indicator id
    label: Text  # the parameter's or indicator's name
    verified: bool
    note: str | None
    source: Citation
    ruleset: str  # id of the ruleset that defines it
    file: str | None
    line: int | None  # None when the loader does not record it (indicators)
    axis: str | None = None
    axis_key: str | None = None
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None  # last day in force, when a later value follows
    value: float | str | None = None  # a number, or "province_decides"
    unit: str | None = None
    criterion: str | None = None  # criterion id of an indicator; "recognition" for a condition
    authority: str | None = None  # of a value: "national", or the province that set it

    @property
    def location(self) -> str:
        """``file:line`` (or just the file, or the ruleset id) for messages."""
        if self.file is None:
            return self.ruleset
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "label": self.label.to_dict(),
            "verified": self.verified,
            "note": self.note,
            "source": self.source.to_dict(),
            "citation": self.source.render("vi"),
            "ruleset": self.ruleset,
            "file": self.file,
            "line": self.line,
            "axis": self.axis,
            "axis_key": self.axis_key,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "value": self.value,
            "unit": self.unit,
            "criterion": self.criterion,
            "authority": self.authority,
        }


def audit(ruleset: Ruleset) -> list[AuditItem]:
    """Every unverified value, unverified indicator wording and open value of ``ruleset``.

    Values a ruleset inherits (from the national ruleset it extends, or imports) are included
    with their origin, unless this ruleset replaces them for its whole period of validity.
    """
    files = _Files(ruleset)
    found: list[tuple[tuple[Any, ...], AuditItem]] = []

    def add(section: int, item: AuditItem) -> None:
        key = (*files.rank(item.ruleset), section, item.line or 0, len(found))
        found.append((key, item))

    for param in ruleset.parameters.values():
        for n, entry in enumerate(param.entries):
            following = param.entries[n + 1].start if n + 1 < len(param.entries) else None
            end = following - dt.timedelta(days=1) if following else None
            for key, cell in entry.cells.items():
                if cell.value is not None and cell.verified:
                    continue
                if cell.origin != ruleset.id and _replaced(ruleset, param, key, entry.start, end):
                    continue
                add(0, _param_item(param, key, cell, entry.start, end, files))
        for override in param.overrides:
            for key, cell in override.cells.items():
                if cell.value is None or not cell.verified:
                    add(0, _param_item(param, key, cell, override.start, override.until, files))
    for criterion in ruleset.criteria:
        for indicator in criterion.indicators:
            if not indicator.verified:
                add(1, _indicator_item(indicator, criterion.id, files))
    if ruleset.recognition is not None:
        for condition in ruleset.recognition.conditions:
            if not condition.verified:
                add(2, _indicator_item(condition, "recognition", files))
    for check in ruleset.checklist:
        add(3, _checklist_item(ruleset, check.target, check.note, check.line))
    found.sort(key=lambda pair: pair[0])
    return [item for _, item in found]


def _checklist_item(ruleset: Ruleset, target: str, note: str, line: int | None) -> AuditItem:
    """A checklist entry, cited by the source of the value or wording it asks to check."""
    kind, name = target.split(" ", 1)
    if kind == "parameter":
        param = ruleset.parameters[name]
        label, source = param.label, next(iter(param.entries[-1].cells.values())).source
    else:
        indicator = next(i for c in ruleset.criteria for i in c.indicators if i.id == name)
        label, source = indicator.name, indicator.source
    return AuditItem(
        kind=CHECK,
        name=name,
        label=label,
        verified=False,
        note=note,
        source=source,
        ruleset=ruleset.id,
        file=ruleset.file,
        line=line,
    )


def summarise(items: Iterable[AuditItem]) -> dict[str, Any]:
    """Counts of audit items: in total, by kind, by defining ruleset, and how many parameters
    and indicators are concerned."""
    items = list(items)
    by_kind = dict.fromkeys(KINDS, 0)
    by_ruleset: dict[str, int] = {}
    for item in items:
        by_kind[item.kind] = by_kind.get(item.kind, 0) + 1
        by_ruleset[item.ruleset] = by_ruleset.get(item.ruleset, 0) + 1
    return {
        "total": len(items),
        "by_kind": by_kind,
        "by_ruleset": dict(sorted(by_ruleset.items())),
        "unverified": sum(1 for item in items if not item.verified),
        "parameters": len({i.name for i in items if i.kind in (PARAMETER, OPEN)}),
        "indicators": len({i.name for i in items if i.kind == INDICATOR}),
    }


def _param_item(
    param: Parameter,
    axis_key: str,
    cell: ParamCell,
    start: dt.date,
    until: dt.date | None,
    files: _Files,
) -> AuditItem:
    return AuditItem(
        kind=OPEN if cell.value is None else PARAMETER,
        name=param.name,
        label=param.label,
        verified=cell.verified,
        note=cell.note,
        source=cell.source,
        ruleset=cell.origin,
        file=files.file(cell.origin),
        line=cell.line,
        axis=param.axis,
        axis_key=axis_key if param.axis else None,
        effective_from=start,
        effective_until=until,
        value=PROVINCE_DECIDES if cell.value is None else cell.value,
        unit=param.unit,
        authority=cell.authority,
    )


def _replaced(
    ruleset: Ruleset, param: Parameter, key: str, start: dt.date, end: dt.date | None
) -> bool:
    """Whether an inherited cell never applies under ``ruleset``: its period lies outside the
    ruleset's validity, or overrides replace it on every day of that period."""
    low = max(start, ruleset.valid_from)
    high = (
        min(d for d in (end, ruleset.valid_until) if d is not None)
        if (end or ruleset.valid_until)
        else None
    )
    if high is not None and high < low:
        return True
    days = {low}
    for override in param.overrides:
        days.add(override.start)
        if override.until is not None:
            days.add(override.until + dt.timedelta(days=1))
    for day in sorted(d for d in days if d >= low and (high is None or d <= high)):
        in_force = [o for o in param.overrides if o.in_force(day)]
        if not any(key in o.cells or GENERAL in o.cells for o in in_force):
            return False
    return True


def _indicator_item(indicator: Indicator, criterion: str, files: _Files) -> AuditItem:
    return AuditItem(
        kind=INDICATOR,
        name=indicator.id,
        label=indicator.name,
        verified=indicator.verified,
        note=indicator.note,
        source=indicator.source,
        ruleset=indicator.origin,
        file=files.file(indicator.origin),
        line=indicator.line,
        criterion=criterion,
        authority=None,
    )


class _Files:
    """The file of each ruleset id an audited ruleset draws on, and the order to list them in:
    rulesets it inherits from first (by id), then the ruleset itself."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset

    def rank(self, origin: str) -> tuple[int, str]:
        return (1, "") if origin == self.ruleset.id else (0, origin)

    def file(self, origin: str) -> str | None:
        return self.ruleset.files.get(origin)
