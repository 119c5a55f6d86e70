"""The ``impact`` command's outputs: a table (counts, the flips of every changed unit with the
reason, flips per criterion, parameters by units affected) and CSV (a row per unit and
flipped item)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from ..compare.impact import Flip, Impact, Reason, UnitImpact
from ..result import MET, MISSING, NOT_APPLICABLE, NOT_MET
from ..text import Lang, Text, format_number
from ..units import unit_symbol
from .diff_tables import NOTHING, same_file_note, side_line
from .messages import t, unit_words

ITEM_STATUS: dict[str | None, Text] = {
    MET: Text(vi="đạt", en="met"),
    NOT_MET: Text(vi="chưa đạt", en="not met"),
    MISSING: Text(vi="thiếu dữ liệu", en="missing data"),
    NOT_APPLICABLE: Text(vi="không áp dụng", en="not applicable"),
    None: Text(vi="không có", en="absent"),
}
STATUS_STYLE = {MET: "green", NOT_MET: "red", MISSING: "yellow"}
ITEM_WORDS: dict[str, Text] = {
    "level": Text(vi="Mức", en="Level"),
    "criterion": Text(vi="Tiêu chí", en="Criterion"),
    "indicator": Text(vi="Chỉ tiêu", en="Indicator"),
    "recognition": Text(vi="Điều kiện công nhận", en="Recognition condition"),
}
REASONS: dict[str, Text] = {
    "parameter": Text(
        vi="ngưỡng {subject}{axis}: {before} → {after}",
        en="threshold {subject}{axis}: {before} → {after}",
    ),
    "unit_value": Text(vi="; đơn vị có {value}", en="; the unit has {value}"),
    "condition": Text(
        vi="điều kiện đổi: {before} → {after}", en="condition rewritten: {before} → {after}"
    ),
    "applies_if": Text(
        vi="điều kiện áp dụng đổi: {before} → {after}",
        en="applicability rewritten: {before} → {after}",
    ),
    "added": Text(vi="mục mới", en="new item"),
    "removed": Text(vi="mục bị bỏ", en="item removed"),
    "prerequisite": Text(
        vi="mức dưới {subject}: {before} → {after}", en="lower level {subject}: {before} → {after}"
    ),
    "policy": Text(vi="cách tính: {before} → {after}", en="policy: {before} → {after}"),
}


def status_text(status: str | None, lang: Lang) -> RichText:
    return RichText(ITEM_STATUS[status](lang), style=STATUS_STYLE.get(status or "", ""))


def amount(value: Any, unit: str | None, lang: Lang) -> str:
    """A number as the language writes it, followed by its unit's symbol when ``unit``."""
    if value is None:
        return NOTHING
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    symbol = unit_symbol(unit, lang)
    text = format_number(value, lang)
    return text + ("%" if symbol == "%" else f" {symbol}" if symbol else "")


def reason_text(reason: Reason, lang: Lang) -> str:
    template = REASONS[reason.kind](lang)
    if reason.kind == "parameter":
        has_value = reason.unit_value is not None
        text = template.format(
            subject=reason.subject,
            axis=f" [{reason.axis_key}]" if reason.axis_key else "",
            before=amount(reason.before, None, lang),
            after=amount(reason.after, None if has_value else reason.unit, lang),
        )
        if has_value:
            shown = amount(reason.unit_value, reason.unit, lang)
            text += REASONS["unit_value"](lang).format(value=shown)
        return text
    before, after = reason.before, reason.after
    if reason.kind == "prerequisite":
        before = ITEM_STATUS[str(before)](lang)
        after = ITEM_STATUS[str(after)](lang)
    return template.format(subject=reason.subject, before=before, after=after)


def _shown_reasons(flip: Flip, flips: tuple[Flip, ...]) -> list[Reason]:
    """A flip's reasons, without those its own indicators' rows already give (a criterion) or
    that its criteria give (a level)."""
    if flip.kind in ("indicator", "recognition"):
        return list(flip.reasons)
    below = "indicator" if flip.kind == "criterion" else "criterion"
    given = {
        r.key for f in flips if f.kind == below and f.ruleset == flip.ruleset for r in f.reasons
    }
    return [r for r in flip.reasons if r.key not in given]


def item_label(flip: Flip, lang: Lang, ladder: bool) -> str:
    head = f"{ITEM_WORDS[flip.kind](lang)} {flip.item}"
    if flip.kind == "level":
        head = f"{ITEM_WORDS['level'](lang)}: {flip.name(lang)}"
        return f"{head}\n{flip.ruleset}" if ladder else head
    return f"{head} {flip.name(lang)}"


def _unit_rows(table: Table, unit: UnitImpact, ladder: bool, lang: Lang) -> None:
    name = f"{unit.code} {unit.name}" if unit.name else unit.code
    table.add_row(
        RichText(name, style="bold"),
        RichText(unit.before.name(lang)),
        RichText(unit.after.name(lang)),
        RichText(""),
    )
    for flip in unit.flips:
        if flip.kind == "level" and not ladder:
            continue  # the unit's own row says it
        reasons = "\n".join(reason_text(r, lang) for r in _shown_reasons(flip, unit.flips))
        table.add_row(
            RichText("  " + item_label(flip, lang, ladder)),
            status_text(flip.before, lang),
            status_text(flip.after, lang),
            RichText(reasons),
        )


def impact_view(found: Impact, data: Path, lang: Lang) -> RenderableType:
    summary = found.summary()
    words = unit_words(found.unit_kind, lang)
    ladder = found.kind == "ladder"
    year = (
        t("impact_year", lang, year=found.year)
        if found.year is not None
        else t("impact_year_column", lang)
    )
    parts: list[RenderableType] = [
        RichText(t("impact_title", lang), style="bold"),
        RichText(t("diff_before", lang, what=side_line(found.before))),
        RichText(t("diff_after", lang, what=side_line(found.after))),
        RichText(t("impact_data", lang, path=data, count=summary["units"], year=year, **words)),
        RichText(
            t("impact_changed", lang, count=summary["changed"], total=summary["units"], **words)
        ),
        RichText(
            t(
                "impact_place" if ladder else "impact_outcome",
                lang,
                count=summary["standing_changed"],
                up=summary["up"],
                down=summary["down"],
                other=summary["other"],
            )
        ),
    ]
    parts.extend(same_file_note(found.before, found.after, lang))
    changed = found.changed
    if not changed:
        parts.append(RichText(t("impact_none", lang)))
        return Group(*parts)
    parts.append(RichText(""))
    table = Table(title=RichText(t("impact_units", lang)), title_justify="left")
    table.add_column(t("col_item", lang), ratio=4, overflow="fold")
    table.add_column(t("col_before", lang), ratio=2, overflow="fold")
    table.add_column(t("col_after", lang), ratio=2, overflow="fold")
    table.add_column(t("col_why", lang), ratio=4, overflow="fold")
    for unit in changed:
        _unit_rows(table, unit, ladder, lang)
        table.add_section()
    parts.append(table)
    if summary["criteria"]:
        criteria = Table(title=RichText(t("impact_criteria", lang)), title_justify="left")
        criteria.add_column(t("col_item", lang), ratio=4, overflow="fold")
        for key in ("col_lost", "col_gained", "col_other"):
            criteria.add_column(t(key, lang), justify="right", ratio=1)
        for row in summary["criteria"]:
            label = f"{ITEM_WORDS['criterion'](lang)} {row['criterion']} {row['name'][lang]}"
            if ladder:
                label += f"\n{row['ruleset']}"
            criteria.add_row(
                RichText(label), *(RichText(str(row[k])) for k in ("lost", "gained", "other"))
            )
        parts.extend((RichText(""), criteria))
    if summary["parameters"]:
        parts.append(RichText(""))
        parts.append(RichText(t("impact_parameters", lang) + ":"))
        for row in summary["parameters"]:
            label = f" ({row['label'][lang]})" if row["label"] else ""
            parts.append(RichText(f"  {row['parameter']}{label}: {row['units']}"))
    return Group(*parts)


CSV_COLUMNS = (
    "code",
    "name",
    "standing_before",
    "standing_after",
    "direction",
    "ruleset",
    "kind",
    "item",
    "item_name",
    "before",
    "after",
    "parameters",
    "axis_key",
    "threshold_before",
    "threshold_after",
    "unit_value",
    "reasons",
)


def impact_csv(found: Impact, lang: Lang) -> str:
    """One row per changed unit and flipped item (level, criterion, indicator, recognition
    condition); statuses and numbers as in ``evaluate --format csv``, reasons in ``lang``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for unit in found.changed:
        for flip in unit.flips:
            params = [r for r in flip.reasons if r.kind == "parameter"]
            writer.writerow(
                [
                    unit.code,
                    unit.name or "",
                    unit.before.key,
                    unit.after.key,
                    unit.direction,
                    flip.ruleset,
                    flip.kind,
                    flip.item,
                    flip.name(lang),
                    flip.before or "",
                    flip.after or "",
                    "; ".join(r.subject for r in params),
                    "; ".join(r.axis_key or "" for r in params),
                    "; ".join(_raw(r.before) for r in params),
                    "; ".join(_raw(r.after) for r in params),
                    "; ".join(_raw(r.unit_value) for r in params),
                    " | ".join(reason_text(r, lang) for r in flip.reasons),
                ]
            )
    return buffer.getvalue()


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
