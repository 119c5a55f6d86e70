"""The summary sheet's lines, from a ruleset's or a ladder's counts (``Tally.summary()``,
``LadderTally.summary()``): units by status and by criteria met, the average, places, levels,
targets with their progress, recognised-but-slipped and what rests on unverified values."""

from __future__ import annotations

from typing import Any

from ..result import MET, NOT_MET
from ..text import Lang, Text
from .rows import Cell, Row, cells
from .words import SUMMARY

HEADING = "heading"


def _s(key: str, lang: Lang) -> str:
    return SUMMARY[key](lang)


def bucket_label(low: int, high: int, lang: Lang) -> str:
    """``19 tiêu chí``, ``15–18 tiêu chí``, ``dưới 5 tiêu chí``."""
    if low == high:
        return Text(vi=f"{low} tiêu chí", en=f"{low} criteria")(lang)
    if low == 0:
        return Text(vi=f"dưới {high + 1} tiêu chí", en=f"fewer than {high + 1} criteria")(lang)
    return Text(vi=f"{low}–{high} tiêu chí", en=f"{low}–{high} criteria")(lang)


def heading(text: str) -> Row:
    return [Cell(text, HEADING)]


def _counts(found: dict[str, Any], lang: Lang) -> list[Row]:
    """The buckets and the average criteria met."""
    rows = [[], heading(_s("distribution", lang))]
    rows += [
        cells(bucket_label(b["min"], b["max"], lang), b["units"]) for b in found["distribution"]
    ]
    if found["average_criteria_met"] is not None:
        rows.append(
            cells(
                _s("average", lang), found["average_criteria_met"], f"/ {found['criteria_total']}"
            )
        )
    return rows


def ruleset_summary(found: dict[str, Any], title: str, ref: str, lang: Lang) -> list[Row]:
    """The lines of a ruleset's summary (``Tally.summary()``)."""
    rows: list[Row] = [heading(title), cells(_s("ruleset", lang), ref), []]
    rows.append(cells(_s("units", lang), found["units"]))
    rows.append([Cell(_s("met", lang)), Cell(found["met"], MET)])
    rows.append([Cell(_s("not_met", lang)), Cell(found["not_met"], NOT_MET)])
    rows.append(cells(_s("missing", lang), found["missing"]))
    rows += _counts(found, lang)
    rows.append([])
    if found["recognised_not_met"] is not None:
        rows.append(cells(_s("slipped", lang), found["recognised_not_met"]))
    rows.append(cells(_s("unverified", lang), found["rests_on_unverified"]))
    return rows


def ladder_summary_rows(found: dict[str, Any], title: str, ref: str, lang: Lang) -> list[Row]:
    """The lines of a ladder's summary (``LadderTally.summary()``): places, levels, buckets,
    targets with their progress."""
    rows: list[Row] = [heading(title), cells(_s("ladder", lang), ref), []]
    rows.append(cells(_s("units", lang), found["units"]))
    rows += [[], heading(_s("places", lang))]
    rows += [cells(place["name"][lang], place["units"]) for place in found["places"]]
    rows += [[], heading(_s("levels", lang))]
    heads = ("level_met", "level_recognised", "at_or_above", "slipped")
    rows.append(cells("", *(_s(key, lang) for key in heads)))
    for level in found["levels"]:
        rows.append(
            cells(
                level["name"][lang],
                level["met"],
                level["recognised"],
                level["at_or_above"],
                level["recognised_not_met"],
            )
        )
    rows += _counts(found, lang)
    if found["targets"]:
        rows += [[], heading(_s("targets", lang))]
        keys = ("reached", "goal", "done", "still_below", "detail")
        rows.append(cells("", *(_s(key, lang) for key in keys)))
        rows += [target_row(target, lang) for target in found["targets"]]
    rows.append([])
    rows.append(cells(_s("next_missing", lang), found["next_level_missing_data"]))
    rows.append(cells(_s("unverified", lang), found["rests_on_unverified"]))
    return rows


def target_row(target: dict[str, Any], lang: Lang) -> Row:
    """A target: what it asks, how many reached it, the goal, ✓/✗, and which named units."""
    done = Cell("✓" if target["met"] else "✗", MET if target["met"] else NOT_MET)
    text = target["text"][lang]
    if target["kind"] == "floor":
        return [Cell(text), Cell(None), Cell(None), done, Cell(target["below"])]
    if target["kind"] == "units":
        named = "; ".join(
            f"{u['name'] or u['code']}: "
            + (
                _s("unit_absent", lang)
                if u["reached"] is None
                else (_s("reached", lang) if u["reached"] else _s("not_met", lang))
            ).lower()
            for u in target["units"]
        )
        reached, goal = Cell(target["reached"]), Cell(len(target["units"]))
        return [Cell(text), reached, goal, done, Cell(None), Cell(named)]
    return [Cell(text), Cell(target["reached"]), Cell(target["count"]), done]


def notes(lang: Lang, *, ladder: bool, errors: int) -> list[Row]:
    """The legend, and for a ladder what its matrix and indicator sheets hold."""
    rows: list[Row] = [[]]
    if errors:
        rows.append([Cell(_s("errors", lang)), Cell(errors, NOT_MET)])
    rows.append(cells(_s("legend", lang)))
    if ladder:
        rows.append(cells(_s("matrix_note", lang)))
        rows.append(cells(_s("indicators_note", lang)))
    return rows
