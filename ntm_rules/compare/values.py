"""A parameter's values as they apply, per axis key (region) and date range, in two versions.

The value in force for a key on a date is what evaluation would use (:func:`resolve_params`):
the table row of that key (or ``general``), replaced by an override in force. Dates where
either version's values start or stop split the time line; neighbouring ranges with the same
pair of values are merged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ..ruleset.model import GENERAL, ParamCell, Parameter, Ruleset
from ..ruleset.resolve import AxisChoice, resolve_params
from ..text import Text

_DAY = dt.timedelta(days=1)
_NO_REASON = Text(vi="", en="")


@attrs.frozen
class Span:
    """A date range over which one axis key's value differs between the two versions (a cell
    is None where no value is in force)."""

    axis_key: str | None
    start: dt.date
    until: dt.date | None  # None: open-ended
    before: ParamCell | None
    after: ParamCell | None


def cell_facts(cell: ParamCell | None) -> tuple[Any, ...] | None:
    """What a value says, without where in its file it is written."""
    if cell is None:
        return None
    source = cell.source
    return (
        cell.value,
        cell.verified,
        cell.note,
        (source.doc.number, source.part, source.item, source.url),
        cell.exception,
        cell.origin,
        cell.authority,
    )


class _Lookup:
    """The cell of one parameter in force for an axis key on a date."""

    def __init__(self, ruleset: Ruleset, param: Parameter) -> None:
        self.param = param
        self.view = attrs.evolve(ruleset, parameters={param.name: param})

    def cell(self, key: str | None, on: dt.date) -> ParamCell | None:
        param = self.param
        if on < param.entries[0].start:
            return None
        entry = [e for e in param.entries if e.start <= on][-1]
        cells = entry.cells
        if param.axis is not None and (key or GENERAL) not in cells and GENERAL not in cells:
            return None  # a table naming every value, without `general`
        axes = {}
        if param.axis is not None and key is not None:
            axes[param.axis] = AxisChoice(param.axis, key, "", _NO_REASON, None)
        return resolve_params(self.view, on, axes)[param.name].cell


def axis_keys(ruleset: Ruleset, param: Parameter) -> set[str | None]:
    """The keys a parameter's values can be looked up by: ``general``, every choice of its
    axis and every key its tables name; ``{None}`` for a parameter without an axis."""
    if param.axis is None:
        return {None}
    keys: set[str | None] = {GENERAL}
    axis = ruleset.axes.get(param.axis)
    if axis is not None:
        keys.update(axis.choices)
    for entry in param.entries:
        keys.update(entry.cells)
    for override in param.overrides:
        keys.update(override.cells)
    return keys


def breakpoints(param: Parameter) -> set[dt.date]:
    """The dates on which a parameter's value may change."""
    dates = {entry.start for entry in param.entries}
    dates.update(override.start for override in param.overrides)
    dates.update(override.until + _DAY for override in param.overrides if override.until)
    return dates


def value_spans(before: tuple[Ruleset, Parameter], after: tuple[Ruleset, Parameter]) -> list[Span]:
    """Where a parameter's applied value differs between two versions: by axis key
    (``general`` first, then in name order), then by date."""
    (old_rules, old), (new_rules, new) = before, after
    lookups = (_Lookup(old_rules, old), _Lookup(new_rules, new))
    keys = axis_keys(old_rules, old) | axis_keys(new_rules, new)
    if old.axis is None and new.axis is None:
        keys = {None}
    else:
        keys.discard(None)
    dates = sorted(breakpoints(old) | breakpoints(new))
    spans: list[Span] = []
    for key in sorted(keys, key=lambda k: (k != GENERAL, k or "")):
        pieces: list[tuple[dt.date, ParamCell | None, ParamCell | None]] = []
        for on in dates:
            cells = (lookups[0].cell(key, on), lookups[1].cell(key, on))
            if pieces and _same(pieces[-1][1:], cells):
                continue
            pieces.append((on, *cells))
        for n, (start, was, now) in enumerate(pieces):
            if cell_facts(was) != cell_facts(now):
                until = pieces[n + 1][0] - _DAY if n + 1 < len(pieces) else None
                spans.append(Span(key, start, until, was, now))
    return spans


def _same(
    first: tuple[ParamCell | None, ParamCell | None],
    second: tuple[ParamCell | None, ParamCell | None],
) -> bool:
    return all(cell_facts(a) == cell_facts(b) for a, b in zip(first, second, strict=True))
