"""The results of one ruleset: the table with its summary, the summary as data, and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from ..aggregate.tally import Tally
from ..gap import gap
from ..result import MISSING, NOT_MET, EvaluationResult, RulesetRef
from ..ruleset.model import Ruleset
from ..ruleset.search import is_installed_copy
from ..text import Lang, format_number
from .messages import STATUS, STATUS_STYLE, csv_flag, csv_heading, csv_status, t, unit_words


def ruleset_ref(ruleset: Ruleset) -> dict[str, Any]:
    installed = ruleset.file is not None and is_installed_copy(ruleset.file)
    return RulesetRef(
        ruleset.id,
        ruleset.version,
        ruleset.content_hash,
        ruleset.title,
        file=ruleset.file,
        installed_copy=installed,
    ).to_dict()


def bucket_label(low: int, high: int, lang: Lang) -> str:
    if low == high:
        return t("bucket_exact", lang, n=low)
    if low == 0:
        return t("bucket_below", lang, n=high + 1)
    return t("bucket_range", lang, low=low, high=high)


def status_cell(status: str, lang: Lang) -> RichText:
    label = STATUS[status](lang) if status in STATUS else status
    return RichText(label, style=STATUS_STYLE.get(status, ""))


def results_table(
    results: Iterable[EvaluationResult], ruleset: Ruleset, lang: Lang, limit: int | None = None
) -> RenderableType:
    """The table and summary, from results read once (they need not all be kept); with more
    units than ``limit``, only those that matter most are listed."""
    tally = Tally(ruleset)
    table = Table(
        title=RichText(f"{ruleset.title(lang)} ({ruleset.id} {ruleset.version})"),
        show_lines=False,
    )
    table.add_column(t("col_code", lang), no_wrap=True)
    table.add_column(t("col_name", lang))
    table.add_column(t("col_status", lang), no_wrap=True)
    table.add_column(t("col_met", lang), justify="right", no_wrap=True)
    table.add_column(t("col_unmet", lang))
    table.add_column(t("col_missing", lang), justify="right")
    table.add_column("*", justify="center", no_wrap=True)
    rows = []
    ranks: list[tuple[int, float]] = []
    for r in results:
        tally.add(r)
        ranks.append(result_rank(r) if limit is not None else (0, 0.0))
        rows.append(
            (
                RichText(r.unit.code),
                RichText(r.unit.name or ""),
                status_cell(r.status, lang),
                RichText(f"{r.criteria_met}/{r.criteria_total}"),
                RichText(", ".join(r.criterion_ids(NOT_MET))),
                RichText(str(r.indicator_statuses.count(MISSING))),
                RichText("*" if r.rests_on_unverified else ""),
            )
        )
    shown = (
        rows if limit is None or len(rows) <= limit else [rows[n] for n in matters(ranks, limit)]
    )
    for row in shown:
        table.add_row(*row)
    found = tally.summary()
    words = unit_words(ruleset.unit, lang)
    lines = [t("summary_met", lang, met=found["met"], total=found["units"], **words)]
    if len(shown) < len(rows):
        lines.insert(0, t("rows_shown", lang, shown=len(shown), total=len(rows), **words))
    if found["missing"]:
        lines.append(t("summary_missing", lang, count=found["missing"], **words))
    bands = " · ".join(
        f"{bucket_label(b['min'], b['max'], lang)}: {b['units']}" for b in found["distribution"]
    )
    lines.append(f"{t('summary_distribution', lang)}: {bands}")
    if found["average_criteria_met"] is not None:
        average = format_number(found["average_criteria_met"], lang)
        lines.append(t("summary_average", lang, average=average, total=found["criteria_total"]))
    if found["recognised_not_met"] is not None:
        lines.append(t("summary_recognised", lang, count=found["recognised_not_met"], **words))
    if found["rests_on_unverified"]:
        lines.append(t("summary_unverified", lang, count=found["rests_on_unverified"], **words))
    return Group(table, *(RichText(line) for line in lines))


def matters(ranks: Sequence[tuple[int, float]], limit: int) -> list[int]:
    """The indices of the ``limit`` units that matter most, in their input order."""
    chosen = sorted(range(len(ranks)), key=lambda n: (ranks[n], n))[:limit]
    return sorted(chosen)


def result_rank(result: EvaluationResult) -> tuple[int, float]:
    """0 recognised but no longer meeting, 1 lacking data, 2 not met (nearest first), 3 met."""
    if result.recognised_year is not None and result.status == NOT_MET:
        return (0, 0.0)
    if result.status == MISSING:
        return (1, 0.0)
    if result.status == NOT_MET:
        nearest = gap(result).nearest
        return (2, nearest.distance if nearest is not None else float("inf"))
    return (3, 0.0)


def results_csv(results: Iterable[EvaluationResult], ruleset: Ruleset, lang: Lang = "en") -> str:
    """One row per unit; headings and statuses in ``lang`` (English: stable field-like names)."""
    ids = [c.id for c in ruleset.criteria]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            *(csv_heading(key, lang) for key in ("code", "name", "status")),
            *(csv_heading(key, lang) for key in ("criteria_met", "criteria_total")),
            *(csv_heading("criterion", lang, suffix=f"_{i}") for i in ids),
            csv_heading("rests_on_unverified", lang),
        ]
    )
    for r in results:
        statuses = dict(zip(r.detail.criterion_ids, r.detail.criterion_statuses, strict=True))
        writer.writerow(
            [
                r.unit.code,
                r.unit.name or "",
                csv_status(r.status, lang),
                r.criteria_met,
                r.criteria_total,
                *(csv_status(statuses[i], lang) if i in statuses else "" for i in ids),
                csv_flag(r.rests_on_unverified, lang),
            ]
        )
    return buffer.getvalue()
