"""The table every renderer prints: its columns (fixed ones, then one per axis key of the
thresholds, ``general`` first) and its rows (an indicator, then one row per further threshold
or period), with each cell's text and marks in one language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import attrs

from ..ruleset.model import GENERAL, Citation
from ..text import Lang
from ..units import unit_symbol
from .model import AxisDoc, AxisRuleDoc, IndicatorDoc, RulesetDoc, Threshold, ValueCell
from .wording import EXCEPTION, PROVINCIAL, UNVERIFIED, number, word

FIXED = ("number", "indicator", "requirement", "period", "unit")


@attrs.frozen
class Column:
    key: str  # a FIXED name, "source", or "value"
    title: str
    axis: str | None = None  # of a value column
    axis_key: str | None = None


@attrs.frozen
class Cell:
    text: str
    unverified: bool = False
    provincial: bool = False
    open: bool = False  # left to the province
    note: str | None = None
    number: float | None = None  # a value column's number (its text carries the marks)
    replaced: str | None = None  # a provincial value: what it replaces, in words


@attrs.frozen
class Row:
    first: bool  # the indicator's first row (number, wording, requirement)
    cells: tuple[Cell, ...]


def value_axes(doc: RulesetDoc) -> tuple[AxisDoc, ...]:
    """The axes some threshold of the ruleset is given by."""
    used = {t.axis for i in doc.indicators for t in i.thresholds}
    return tuple(a for a in doc.axes if a.name in used)


def columns(doc: RulesetDoc, lang: Lang) -> tuple[Column, ...]:
    found = [Column(key, word(f"col_{key}", lang)) for key in FIXED]
    found.append(Column("value", word("general", lang), None, GENERAL))
    for axis in value_axes(doc):
        found.extend(Column("value", k.short(lang), axis.name, k.key) for k in axis.keys)
    found.append(Column("source", word("col_source", lang)))
    return tuple(found)


def rows(indicators: Sequence[IndicatorDoc], cols: Sequence[Column], lang: Lang) -> Iterator[Row]:
    """The rows of a list of indicators (a criterion, or the recognition conditions)."""
    for indicator in indicators:
        thresholds: Sequence[Threshold | None] = indicator.thresholds or [None]
        many = len({t.number for t in indicator.thresholds}) > 1
        shown: set[int] = set()
        for n, threshold in enumerate(thresholds):
            cells = []
            for col in cols:
                cells.append(_cell(indicator, threshold, col, n == 0, many, shown, lang))
            if threshold is not None:
                shown.add(threshold.number)
            yield Row(n == 0, tuple(cells))


def _cell(
    indicator: IndicatorDoc,
    threshold: Threshold | None,
    col: Column,
    first: bool,
    many: bool,
    shown: set[int],
    lang: Lang,
) -> Cell:
    if col.key == "number":
        return Cell(
            indicator_mark(indicator) if first else "",
            unverified=first and not indicator.verified,
            provincial=first and indicator.provincial,
        )
    if col.key == "indicator":
        return Cell(indicator.name(lang) if first else "", note=indicator.note if first else None)
    if col.key == "requirement":
        return Cell(_requirement(indicator, threshold, first, many, shown, lang))
    if threshold is None:
        return Cell(citation(indicator.source, lang) if first and col.key == "source" else "")
    if col.key == "period":
        return Cell(period(threshold.start, threshold.until, lang))
    if col.key == "unit":
        return Cell(unit_symbol(threshold.unit, lang))
    if col.key == "source":
        sources = {citation(c.source, lang): None for c in threshold.cells.values()}
        own = citation(indicator.source, lang)
        if first:
            return Cell("; ".join(dict.fromkeys([own, *sources])))
        return Cell("; ".join(s for s in sources if s != own))
    if col.axis_key != GENERAL and col.axis != threshold.axis:
        return Cell("")  # a single value, or one by another axis
    value = threshold.cells.get(col.axis_key or GENERAL)
    if value is None:
        return Cell("")
    return value_cell(value, lang)


def _requirement(
    indicator: IndicatorDoc,
    threshold: Threshold | None,
    first: bool,
    many: bool,
    shown: set[int],
    lang: Lang,
) -> str:
    lines = []
    if first:
        lines.append(indicator.requirement(lang))
        if indicator.applies_if is not None:
            lines.append(f"{word('applies_if', lang)}: {indicator.applies_if(lang)}")
    if threshold is not None and many and threshold.number not in shown:
        lines.append(f"({threshold.number}) {threshold.subject(lang)}")
    return "\n".join(lines)


def indicator_mark(indicator: IndicatorDoc) -> str:
    marks = ("" if indicator.verified else f" {UNVERIFIED}") + (
        f" {PROVINCIAL}" if indicator.provincial else ""
    )
    return indicator.id + marks


def value_cell(cell: ValueCell, lang: Lang) -> Cell:
    """A threshold value with its marks: unverified, provincial (and what it replaces),
    exception, or left to the province."""
    text = word("province_decides", lang) if cell.value is None else number(cell.value, None, lang)
    if not cell.verified:
        text += f" {UNVERIFIED}"
    replaced = None
    if cell.provincial:
        text += f" {PROVINCIAL}"
        if cell.replaces is not None:
            old = cell.replaces.value
            said = word("province_decides", lang) if old is None else number(old, None, lang)
            replaced = word("replaces", lang, value=said)
            text += f" ({replaced})"
    if cell.exception:
        text += f" {EXCEPTION}"
    return Cell(
        text,
        unverified=not cell.verified,
        provincial=cell.provincial,
        open=cell.value is None,
        note=cell.note,
        number=cell.value,
        replaced=replaced,
    )


def citation(source: Citation, lang: Lang) -> str:
    return source.render(lang)


def date(day: dt.date, lang: Lang) -> str:
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def period(start: dt.date, until: dt.date | None, lang: Lang) -> str:
    end = date(until, lang) if until is not None else word("open_ended", lang)
    return f"{date(start, lang)} – {end}"


def validity(doc: RulesetDoc, lang: Lang) -> str:
    return period(doc.valid_from, doc.valid_until, lang)


def axis_rule(rule: AxisRuleDoc, lang: Lang) -> str:
    """``Nếu …: dùng cột TDMNPB (lý do: …; căn cứ)``."""
    when = word("otherwise", lang) if rule.when is None else word("if", lang, when=rule.when(lang))
    column = rule.value(lang)
    use = (
        word("use_field", lang, field=column.lower())
        if rule.by_field
        else word("use", lang, column=column)
    )
    reason = f"{word('reason', lang)}: {rule.reason(lang)}"
    if rule.source is not None:
        reason += f"; {rule.source.render(lang)}"
    return f"{when}: {use} ({reason})"


def legend(doc_axes: Sequence[AxisDoc], lang: Lang) -> list[tuple[str, str]]:
    """(mark, meaning) pairs shown under every table."""
    axes = ", ".join(a.label(lang).lower() for a in doc_axes) or "-"
    found = [
        (UNVERIFIED, word("legend_unverified", lang)),
        (PROVINCIAL, word("legend_provincial", lang)),
        (EXCEPTION, word("legend_exception", lang)),
        ("", word("legend_open", lang, open=word("province_decides", lang))),
    ]
    if doc_axes:
        general = word("general", lang)
        found.append(("", word("legend_single", lang, axes=axes, general=general)))
    return found
