"""A data set evaluated for a unit that contains others (a province, districts, towns): the
units' table, what their aggregates were computed from, the district-by-district progress of
the communes, every ladder's counts and targets, and what did not link."""

from __future__ import annotations

import csv
import io

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from ..aggregate.report import DataSetReport, ProgressRow
from ..aggregate.tally import buckets
from ..ladder import short_level
from ..text import Lang, format_number
from ..unit_kinds import unit_kind
from .ladders import NARROW, ladder_table, target_line
from .messages import csv_heading, t, unit_words
from .results import bucket_label


def report_view(report: DataSetReport, lang: Lang, width: int = NARROW) -> RenderableType:
    """Everything a coordination office reads, in order: the target's units, their aggregates,
    the progress table, the counts and targets of the member ladders, the link problems."""
    target = report.target
    placed = [unit.placed for unit in target.units if unit.placed is not None]
    parts: list[RenderableType] = [ladder_table(report.ladder, target.levels, placed, lang, width)]
    computed = [unit for unit in target.units if unit.aggregates]
    if computed:
        parts.append(RichText(""))
        parts.append(RichText(t("aggregates_title", lang), style="bold"))
        for unit in computed:
            parts.append(RichText(f"{unit.ref.label()}:"))
            for value in unit.aggregates:
                parts.append(RichText(f"  {value.describe(lang)}"))
    rows = report.progress()
    if rows:
        parts.append(RichText(""))
        parts.append(progress_table(rows, lang, width))
    for found in report.ladders()[1:]:
        summary = found["summary"]
        words = unit_words(found["kind"], lang)
        parts.append(RichText(""))
        title = found["title"][lang]
        parts.append(RichText(f"{title} ({summary['units']} {words['units']})", style="bold"))
        places = " · ".join(f"{p['name'][lang]}: {p['units']}" for p in summary["places"])
        parts.append(RichText(f"{t('ladder_places', lang)}: {places}"))
        bands = " · ".join(
            f"{bucket_label(b['min'], b['max'], lang)}: {b['units']}"
            for b in summary["distribution"]
        )
        parts.append(RichText(f"{t('summary_distribution', lang)}: {bands}"))
        if summary["average_criteria_met"] is not None:
            average = format_number(summary["average_criteria_met"], lang)
            parts.append(
                RichText(
                    t("summary_average", lang, average=average, total=summary["criteria_total"])
                )
            )
        parts += [RichText(target_line(found, lang)) for found in summary["targets"]]
        for level in summary["levels"]:
            if level["recognised_not_met"]:
                parts.append(
                    RichText(
                        t(
                            "ladder_recognised",
                            lang,
                            level=level["name"][lang],
                            count=level["recognised_not_met"],
                            **words,
                        )
                    )
                )
    problems = report.run.membership.problems
    if problems:
        parts.append(RichText(""))
        parts.append(RichText(t("links_title", lang, count=len(problems)), style="bold yellow"))
        parts += [RichText(f"  {problem.describe(lang)}") for problem in problems]
    return Group(*parts)


def _columns(rows: list[ProgressRow]) -> tuple[list[str], list[tuple[int, int]], int]:
    """The commune levels and buckets the progress table has columns for."""
    levels: list[str] = []
    total = 19
    for row in rows:
        found = row.summary()
        if found is not None:
            levels = [level["level"] for level in found["levels"]]
            total = found["criteria_total"]
            break
    return levels, buckets(total), total


def _level_names(rows: list[ProgressRow], lang: Lang) -> dict[str, str]:
    """The commune levels' names, by level id."""
    for row in rows:
        found = row.summary()
        if found is not None:
            return {level["level"]: level["name"][lang] for level in found["levels"]}
    return {}


def progress_table(rows: list[ProgressRow], lang: Lang, width: int = NARROW) -> RenderableType:
    """Communes of each district-level unit, by level reached and by criteria met."""
    levels, bands, _ = _columns(rows)
    names = _level_names(rows, lang)
    title = RichText(t("progress_title", lang))
    narrow = width < NARROW
    caption = t("progress_caption", lang) if levels else None
    table = Table(
        title=title,
        caption=caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
        padding=(0, 1, 0, 0) if narrow else (0, 1),
        show_edge=not narrow,
    )
    table.add_column(t("col_name", lang), overflow="fold", min_width=10)
    table.add_column(t("col_place", lang), overflow="fold", min_width=8)
    table.add_column(t("col_communes", lang), justify="right", no_wrap=True)
    for level in levels:
        table.add_column(short_level(names.get(level, level)), justify="right", no_wrap=True)
    for low, high in bands:
        table.add_column(_band(low, high, lang), justify="right", no_wrap=True)
    table.add_column(t("col_average", lang), justify="right", no_wrap=True)
    totals = [0] * (1 + len(levels) + len(bands))
    criteria_sum, assessed = 0.0, 0
    for row in rows:
        found = row.summary()
        placed = row.unit.placed
        place = "—" if placed is None else placed.place(lang)
        if narrow and placed is not None:
            place = t("place_below", lang) if placed.reached < 0 else short_level(place)
        cells = [RichText(row.unit.ref.name or row.unit.ref.code), RichText(place)]
        count = len(row.communes) + len(row.missing)
        numbers = [count]
        if found is not None:
            numbers += [level["at_or_above"] for level in found["levels"]]
            numbers += [band["units"] for band in found["distribution"]]
        numbers += [0] * (len(totals) - len(numbers))
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        average = found["average_criteria_met"] if found else None
        if average is not None:
            criteria_sum += average * len(row.communes)
            assessed += len(row.communes)
        cells += [RichText(str(n)) for n in numbers]
        cells.append(RichText(format_number(average, lang) if average is not None else "—"))
        table.add_row(*cells)
    table.add_section()
    table.add_row(
        RichText(t("total", lang), style="bold"),
        RichText(""),
        *(RichText(str(n), style="bold") for n in totals),
        RichText(format_number(round(criteria_sum / assessed, 2), lang) if assessed else ""),
    )
    return table


def _band(low: int, high: int, lang: Lang) -> str:
    if low == high:
        return str(low)
    if low == 0:
        return f"<{high + 1}"
    return f"{low}–{high}"


def progress_csv(report: DataSetReport, lang: Lang = "en") -> str:
    """The progress table as CSV: one row per district-level unit; headings in ``lang``."""
    rows = report.progress()
    levels, bands, _ = _columns(rows)
    names = _level_names(rows, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            *(csv_heading(key, lang) for key in ("kind", "code", "name", "place", "place_name")),
            csv_heading("communes", lang),
            *(
                f"communes_{level}" if lang == "en" else f"Số xã: {names.get(level, level)}"
                for level in levels
            ),
            *(
                f"criteria_{low}_{high}"
                if lang == "en"
                else f"Số xã đạt {_band(low, high, lang)} tiêu chí"
                for low, high in bands
            ),
            csv_heading("average_criteria_met", lang),
            csv_heading("communes_without_record", lang),
        ]
    )
    for row in rows:
        found = row.to_dict()
        place = found["place"]
        writer.writerow(
            [
                found["kind"] if lang == "en" else unit_kind(found["kind"]).name(lang),
                found["code"],
                found["name"] or "",
                (place["level"] or "") if place else "",
                place["name"][lang] if place else "",
                found["communes"],
                *(level["at_or_above"] for level in found.get("levels", [])),
                *(band["units"] for band in found.get("distribution", [])),
                found.get("average_criteria_met", ""),
                " ".join(found["communes_without_record"]),
            ]
        )
    return buffer.getvalue()
