"""What the report shows, gathered from results: one section per ladder or ruleset evaluated,
with its counts, its units (place, criteria met, nearest gap, explanation), the criteria most
often missed and the units by district."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..aggregate.assess import Assessed
from ..aggregate.report import DataSetReport
from ..aggregate.tally import RECOGNISED, LadderTally, Tally, held_by_recognition
from ..explain import render
from ..gap import Gap, gap
from ..ladder import Ladder, LadderResult
from ..result import MET, MISSING, NOT_MET, EvaluationResult
from ..ruleset.model import Ruleset
from ..text import Lang, Text
from .words import STATUS, word


@attrs.frozen
class UnitRow:
    """One unit of a section's table."""

    code: str
    name: str
    district: str | None
    place: str
    status: str  # met, not_met, missing, recognised: the colour of the place
    criteria: str  # "15/19" (of the next level on a ladder)
    nearest: str
    explanation: str


@attrs.frozen
class Missed:
    """The criteria of one level that units aiming for it do not meet, most missed first."""

    level: str
    units: int  # units whose results were counted
    criteria: tuple[tuple[str, str, int], ...]  # id, name, units not meeting it


@attrs.frozen
class District:
    """A district and its units by place (or status), in the order of :attr:`Section.places`."""

    name: str
    counts: tuple[int, ...]


@attrs.frozen
class Section:
    """One ladder's (or ruleset's) results."""

    title: str
    ident: str
    kind: str  # the unit kind: commune, village, district…
    ladder: bool
    summary: dict[str, Any]  # LadderTally.summary() or Tally.summary()
    places: tuple[str, ...]  # names of the places (or statuses) units are counted in
    rows: tuple[UnitRow, ...]
    missed: tuple[Missed, ...]
    districts: tuple[District, ...]


def ruleset_section(
    ruleset: Ruleset, records: Sequence[Any], results: Sequence[EvaluationResult], lang: Lang
) -> Section:
    """A ruleset's results, one per record."""
    tally = Tally(ruleset)
    rows = []
    for record, result in zip(records, results, strict=True):
        tally.add(result)
        rows.append(
            UnitRow(
                code=result.unit.code,
                name=result.unit.name or "",
                district=district_of(record),
                place=STATUS[result.status](lang),
                status=result.status,
                criteria=f"{result.criteria_met}/{result.criteria_total}",
                nearest=nearest_text(gap(result), lang),
                explanation=render(result, lang).rstrip("\n"),
            )
        )
    order = (MET, NOT_MET, MISSING)
    by_district = _districts(
        (district_of(record), order.index(result.status))
        for record, result in zip(records, results, strict=True)
    )
    failing = [r for r in results if r.status != MET]
    return Section(
        title=ruleset.title(lang),
        ident=f"{ruleset.id} {ruleset.version}",
        kind=ruleset.unit,
        ladder=False,
        summary=tally.summary(),
        places=tuple(STATUS[status](lang) for status in order),
        rows=tuple(rows),
        missed=(_missed(ruleset.level.name(lang), failing, lang),) if failing else (),
        districts=tuple(District(name, _padded(counts, 3)) for name, counts in by_district),
    )


def ladder_section(
    ladder: Ladder,
    levels: Sequence[Ruleset],
    placed: Sequence[LadderResult],
    lang: Lang,
    *,
    districts: Sequence[str | None] | None = None,
    extra: Sequence[Sequence[str]] = (),
    progress: Sequence[District] | None = None,
) -> Section:
    """A ladder's results; ``districts``: each unit's district (or None); ``extra``: lines
    put before each unit's explanation (the aggregates of a data set's units); ``progress``:
    the districts' bars when they come from elsewhere (a data set's progress table)."""
    tally = LadderTally(ladder, levels)
    rows = []
    for n, result in enumerate(placed):
        tally.add(result)
        following = result.next_result
        shown = following if following is not None else result.results[-1]
        reached = result.reached
        status = MET if reached >= 0 else NOT_MET
        if reached >= 0 and held_by_recognition(result, reached):
            status = RECOGNISED
        if following is not None and following.status == MISSING:
            status = MISSING
        unit = result.results[0].unit
        rows.append(
            UnitRow(
                code=unit.code,
                name=unit.name or "",
                district=districts[n] if districts is not None else None,
                place=result.place(lang),
                status=status,
                criteria=f"{shown.criteria_met}/{shown.criteria_total}",
                nearest=nearest_text(result.next_gap, lang),
                explanation=ladder_explanation(result, lang, extra[n] if extra else ()),
            )
        )
    summary = tally.summary()
    places = tuple(Text(**place["name"])(lang) for place in summary["places"])
    if progress is None:
        found = _districts(
            (districts[n] if districts is not None else None, result.reached + 1)
            for n, result in enumerate(placed)
        )
        progress = [District(name, _padded(counts, len(places))) for name, counts in found]
    return Section(
        title=ladder.title(lang),
        ident=ladder.id,
        kind=ladder.unit,
        ladder=True,
        summary=summary,
        places=places,
        rows=tuple(rows),
        missed=_ladder_missed(levels, placed, lang),
        districts=tuple(progress),
    )


def data_set_sections(report: DataSetReport, lang: Lang) -> list[Section]:
    """One section per ladder of a data set, the target's first; the communes' section has the
    district-by-district bars of the progress table."""
    progress = []
    for row in report.progress():
        counts = row.summary()
        if counts is not None:
            name = row.unit.ref.name or row.unit.ref.code
            progress.append(District(name, tuple(p["units"] for p in counts["places"])))
    sections = []
    for assessment in report.assessments():
        if assessment.ladder is None:
            continue
        units = [unit for unit in assessment.units if unit.placed is not None]
        sections.append(
            ladder_section(
                assessment.ladder,
                assessment.levels,
                [unit.placed for unit in units if unit.placed is not None],
                lang,
                districts=[district_of(unit.record) for unit in units],
                extra=[_aggregate_lines(unit, lang) for unit in units],
                progress=progress if assessment.kind == "commune" and progress else None,
            )
        )
    return sections


def _aggregate_lines(unit: Assessed, lang: Lang) -> list[str]:
    if not unit.aggregates:
        return []
    lines = [word("aggregates", lang) + ":"]
    return lines + [f"- {value.describe(lang, limit=50)}" for value in unit.aggregates]


def ladder_explanation(result: LadderResult, lang: Lang, extra: Iterable[str] = ()) -> str:
    """A unit's place, what it was judged on, the next level's (or the top level's) result,
    and what it lacks for that level and the levels below it."""
    following = result.next_result
    shown = following if following is not None else result.results[-1]
    parts = [f"{word('place', lang)}: {result.place(lang)}"]
    lines = list(extra)
    if lines:
        parts.append("\n".join(lines))
    parts.append(render(shown, lang).rstrip("\n"))
    found: Gap | None = result.next_gap
    if found is None:
        parts.append(word("top", lang))
    while found is not None:
        parts.append(found.render(lang))
        found = found.prerequisite_gap
    return "\n\n".join(parts)


def nearest_text(found: Gap | None, lang: Lang) -> str:
    """The nearest unmet requirement in words, else the lower level to reach first, else how
    many indicators lack data; empty when nothing is lacking."""
    if found is None or found.closed:
        return ""
    if found.nearest is not None:
        return found.nearest.describe(lang)
    if found.prerequisite is not None:
        return found.prerequisite(lang)
    if found.missing:
        return word("missing_count", lang).format(count=len(found.missing))
    return ""


def _ladder_missed(
    levels: Sequence[Ruleset], placed: Sequence[LadderResult], lang: Lang
) -> tuple[Missed, ...]:
    """For each level, the criteria missed by the units for which it is the next level."""
    aiming: dict[int, list[EvaluationResult]] = {}
    for result in placed:
        following = result.next_result
        if following is not None:
            aiming.setdefault(result.reached + 1, []).append(following)
    return tuple(_missed(levels[n].level.name(lang), aiming[n], lang) for n in sorted(aiming))


def _missed(level: str, results: Sequence[EvaluationResult], lang: Lang) -> Missed:
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for result in results:
        for criterion in result.criteria:
            names[criterion.id] = criterion.name(lang)
            if criterion.status == NOT_MET:
                counts[criterion.id] += 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])  # stable: ruleset order on ties
    return Missed(level, len(results), tuple((c, names[c], n) for c, n in ranked))


def district_of(record: Any) -> str | None:
    """The district a record names (its ``district`` field), if any."""
    found = getattr(record, "district", None)
    return found if isinstance(found, str) and found else None


def _districts(pairs: Iterable[tuple[str | None, int]]) -> list[tuple[str, list[int]]]:
    """Counts per district (in order of first appearance) of units by the index given; none
    when no unit names a district."""
    found: dict[str, list[int]] = {}
    for district, index in pairs:
        if district is None:
            continue
        counts = found.setdefault(district, [0] * (index + 1))
        counts.extend([0] * (index + 1 - len(counts)))
        counts[index] += 1
    return list(found.items())


def _padded(counts: list[int], length: int) -> tuple[int, ...]:
    return tuple(counts + [0] * (length - len(counts)))
