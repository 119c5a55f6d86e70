"""Ladders on the command line: one row per unit with its place and every level's status, the
counts per place and against the province's targets, CSV, and the list of bundled ladders."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from ..aggregate.tally import (
    LadderTally,
    held_by_recognition,
    ladder_summary,
    level_status,
    rests_on_unverified,
)
from ..gap import Gap
from ..ladder import Ladder, LadderResult, short_level
from ..result import MISSING, NOT_MET
from ..ruleset.model import Ruleset
from ..text import Lang, Text
from .messages import LEVEL_MARK, STATUS_STYLE, csv_flag, csv_heading, csv_status, t, unit_words
from .results import matters, ruleset_ref


def level_cell(result: LadderResult, n: int, lang: Lang) -> RichText:
    recognised = held_by_recognition(result, n)
    if recognised is not None:
        year = recognised.recognised_year if recognised.recognised_year is not None else "?"
        return RichText(t("recognised_mark", lang, year=year), style="cyan")
    status = result.results[n].status
    label = LEVEL_MARK[status](lang) if status in LEVEL_MARK else status
    return RichText(label, style=STATUS_STYLE.get(status, ""))


def nearest_text(found: Gap | None, lang: Lang) -> str:
    """What is nearest to close for a level: the nearest unmet requirement, else the lower level
    to reach first, else how many indicators lack data."""
    if found is None or found.closed:
        return ""
    nearest = found.nearest
    if nearest is not None:
        return nearest.describe(lang, with_name=False)
    if found.prerequisite is not None:
        return found.prerequisite(lang)
    if found.missing:
        return t("missing_data_count", lang, count=len(found.missing))
    return ""


def ladder_rank(result: LadderResult) -> tuple[int, float]:
    """How much a unit matters to an office: 0 recognised but no longer meeting a level, 1 the
    next level lacks data, 2 anything else; then the distance to the next level."""
    if any(r.recognised_year is not None and r.status == NOT_MET for r in result.results):
        return (0, 0.0)
    following = result.next_result
    if following is not None and following.status == MISSING:
        return (1, 0.0)
    found = result.next_gap
    nearest = found.nearest if found is not None else None
    return (2, nearest.distance if nearest is not None else float("inf"))


def target_line(target: dict[str, Any], lang: Lang) -> str:
    """A target of a ladder summary and where the units stand against it."""
    mark = "✓" if target["met"] else "✗"
    if target["kind"] == "floor":
        line = t("ladder_target_floor", lang, text=target["text"][lang], below=target["below"])
        return f"{mark} {line}"
    if target["kind"] == "units":
        names = ", ".join(
            f"{u['name'] or u['code']}: "
            + t("target_unit_yes" if u["reached"] else "target_unit_no", lang)
            if u["reached"] is not None
            else f"{u['code']}: " + t("target_unit_absent", lang)
            for u in target["units"]
        )
        return f"{mark} " + t("ladder_target_units", lang, text=target["text"][lang], units=names)
    return f"{mark} " + t(
        "ladder_target",
        lang,
        level=target["name"][lang],
        reached=target["reached"],
        count=target["count"],
        year=target["year"],
    )


def ladder_document(
    ladder: Ladder,
    levels: Sequence[Ruleset],
    results: Sequence[LadderResult],
    *,
    with_results: bool = True,
) -> dict[str, Any]:
    """The JSON document of a ladder's results (``with_results=False``: all but the results)."""
    document = {
        "ladder": ladder.id,
        "ladder_file": ladder.file,
        "rulesets": [ruleset_ref(level) for level in levels],
        "summary": ladder_summary(ladder, levels, results),
    }
    if with_results:
        document["results"] = [r.to_dict() for r in results]
    return document


NARROW = 120  # below this many columns, the ladder table drops its vertical lines


def narrow_widths(rows: list[list[RichText]], levels: int, width: int) -> list[int | None]:
    """Column widths for a ladder table in ``width`` columns without vertical lines: the code,
    the counts and the mark as they are, each level 8, the rest shared out between name (3),
    place (3) and nearest requirement (4)."""
    code = max([4, *(row[0].cell_len for row in rows)])
    count = 5
    gaps = 2 * (5 + levels)  # a space of padding and a space of separator between columns
    text = width - 1 - gaps - code - count - 1 - 8 * levels  # one column spare, the mark
    name, place = max(6, text * 3 // 10), max(8, text * 3 // 10)
    nearest = max(8, text - name - place)
    return [code, name, place, *([8] * levels), count, nearest]


def ladder_table(
    ladder: Ladder,
    levels: Sequence[Ruleset],
    results: Iterable[LadderResult],
    lang: Lang,
    width: int = NARROW,
    limit: int | None = None,
) -> RenderableType:
    """The ladder's table and summary, from results read once (they need not all be kept);
    ``width``: the columns it will be shown in; ``limit``: with more units than this, only the
    units that matter (:func:`matters`) are listed."""
    tally = LadderTally(ladder, levels)
    rows = []
    ranks: list[tuple[int, float]] = []
    for r in results:
        tally.add(r)
        following = r.next_result
        ranks.append(ladder_rank(r) if limit is not None else (0, 0.0))
        rows.append(
            [
                RichText(r.results[0].unit.code),
                RichText(r.results[0].unit.name or ""),
                RichText(r.place(lang), style="bold" if r.reached >= 0 else ""),
                *(level_cell(r, n, lang) for n in range(len(levels))),
                RichText(
                    f"{following.criteria_met}/{following.criteria_total}" if following else "—"
                ),
                RichText(nearest_text(r.next_gap, lang)),
                RichText("*" if rests_on_unverified(r) else ""),
            ]
        )
    total_rows = len(rows)
    if limit is not None and total_rows > limit:
        rows = [rows[n] for n in matters(ranks, limit)]
    title = RichText(f"{ladder.title(lang)} ({ladder.id})")
    widths: list[int | None] = [None] * (6 + len(levels))  # natural widths
    if width >= NARROW:
        table = Table(title=title)
    else:  # no vertical lines, and every column its share: nothing squeezed to nothing
        table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), show_edge=False)
        widths = narrow_widths(rows, len(levels), width)
    level_names = [level.level.name(lang) for level in levels]
    shorts = [short_level(name) for name in level_names]
    if width < NARROW and len(set(shorts)) == len(shorts):  # short headings, explained below
        table.caption = " · ".join(f"{s}: {n}" for s, n in zip(shorts, level_names, strict=True))
        table.caption_justify = "left"
        level_names = shorts
    names = [
        t("col_code", lang),
        t("col_name", lang),
        t("col_place", lang),
        *level_names,
        t("col_next_met", lang),
        t("col_nearest", lang),
    ]
    for n, name in enumerate(names):
        if 3 <= n < 3 + len(levels) and widths[n] is None:
            # as wide as the widest status, so the (long) level name wraps in the header only
            widths[n] = max([8, *(row[n].cell_len for row in rows)])
        table.add_column(
            name,
            width=widths[n],
            no_wrap=n == 0,
            justify="right" if n == 3 + len(levels) else "left",
            overflow="fold",
        )
    table.add_column("*", justify="center", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    found = tally.summary()
    words = unit_words(ladder.unit, lang)
    places = " · ".join(f"{p['name'][lang]}: {p['units']}" for p in found["places"])
    lines = [f"{t('ladder_places', lang)}: {places}"]
    if len(rows) < total_rows:
        lines.insert(0, t("rows_shown", lang, shown=len(rows), total=total_rows, **words))
    lines += [target_line(target, lang) for target in found["targets"]]
    for level in found["levels"]:
        if level["recognised_not_met"]:
            lines.append(
                t(
                    "ladder_recognised",
                    lang,
                    level=level["name"][lang],
                    count=level["recognised_not_met"],
                    **words,
                )
            )
    if found["next_level_missing_data"]:
        lines.append(t("ladder_missing", lang, count=found["next_level_missing_data"], **words))
    if found["rests_on_unverified"]:
        lines.append(t("summary_unverified", lang, count=found["rests_on_unverified"], **words))
    return Group(table, *(RichText(line) for line in lines))


def ladder_csv(
    ladder: Ladder, levels: Sequence[Ruleset], results: Iterable[LadderResult], lang: Lang
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            *(csv_heading(key, lang) for key in ("code", "name", "place")),
            *(
                csv_heading("level", lang, suffix=f"_{level.level.id}")
                if lang == "en"
                else f"Mức {level.level.name(lang)}"
                for level in levels
            ),
            *(csv_heading(key, lang) for key in ("next_level", "nearest_requirement")),
            *(csv_heading(key, lang) for key in ("distance", "rests_on_unverified")),
        ]
    )
    for r in results:
        following = r.next_result
        found = r.next_gap
        nearest = found.nearest if found is not None else None
        writer.writerow(
            [
                r.results[0].unit.code,
                r.results[0].unit.name or "",
                r.place(lang),
                *(csv_status(level_status(r, n), lang) for n in range(len(levels))),
                following.level_name(lang) if following else "",
                nearest_text(found, lang),
                "" if nearest is None else nearest.distance,
                csv_flag(rests_on_unverified(r), lang),
            ]
        )
    return buffer.getvalue()


def ladder_info(ladder: Ladder, levels: Sequence[Ruleset]) -> dict[str, Any]:
    """What ``ntm-rules rulesets`` lists about a ladder."""
    names = {level.id: level.level.name for level in levels}
    return {
        "id": ladder.id,
        "title": ladder.title.to_dict(),
        "unit": ladder.unit,
        "below": ladder.below.to_dict(),
        "levels": [
            {"ruleset": level.id, "level": level.level.id, "name": level.level.name.to_dict()}
            for level in levels
        ],
        "targets": [
            {
                "level": target.level,
                "name": names[target.level].to_dict() if target.level in names else None,
                "count": target.count,
                "units": list(target.units),
                "floor": target.floor,
                "year": target.year,
                "note": target.note,
                "text": Text(
                    vi=target.describe(
                        names[target.level].vi if target.level in names else "", "vi"
                    ),
                    en=target.describe(
                        names[target.level].en if target.level in names else "", "en"
                    ),
                ).to_dict(),
            }
            for target in ladder.targets
        ],
        "file": ladder.file,
    }


def ladders_table(infos: Sequence[dict[str, Any]], lang: Lang) -> RenderableType:
    table = Table(title=RichText(t("ladders_title", lang)), title_justify="left")
    table.add_column(t("col_ladder_id", lang), no_wrap=True)
    table.add_column(t("col_unit_kind", lang))
    table.add_column(t("col_title", lang), min_width=20)
    table.add_column(t("col_levels", lang), min_width=24)
    table.add_column(t("col_targets", lang), min_width=16)
    for info in infos:
        levels = [f"{info['below'][lang]}"]
        levels += [f"→ {level['name'][lang]} ({level['ruleset']})" for level in info["levels"]]
        targets = [target["text"][lang] for target in info["targets"]]
        table.add_row(
            RichText(info["id"]),
            RichText(unit_words(info["unit"], lang)["unit"]),
            RichText(info["title"][lang]),
            RichText("\n".join(levels)),
            RichText("\n".join(targets)),
        )
    return table
