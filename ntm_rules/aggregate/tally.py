"""Counts over many results, read one at a time: units by status and by criteria met (the
buckets provinces report), the average, places on a ladder, "recognised but no longer
meeting", and progress against a ladder's targets (counts, named units, floors)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..ladder import Ladder, LadderResult, Target
from ..result import MET, MISSING, NOT_MET, EvaluationResult, PrerequisiteResult
from ..ruleset.model import Ruleset
from ..text import Text

RECOGNISED = "recognised"


def buckets(total: int) -> list[tuple[int, int]]:
    """The bands provinces report communes in: all criteria, 15-18, 10-14, 5-9, under 5."""
    found = [(total, total)]
    for low, high in ((15, total - 1), (10, 14), (5, 9), (0, 4)):
        high = min(high, total - 1)
        if low <= high:
            found.append((low, high))
    return found


def distribution(criteria_met: Counter[int], total: int) -> list[dict[str, int]]:
    """Units per bucket, from units by number of criteria met."""
    met = criteria_met.items()
    return [
        {"min": low, "max": high, "units": sum(n for k, n in met if low <= k <= high)}
        for low, high in buckets(total)
    ]


def average(criteria_met: Counter[int]) -> float | None:
    count = criteria_met.total()
    return round(sum(k * n for k, n in criteria_met.items()) / count, 2) if count else None


def summary(results: Iterable[EvaluationResult], ruleset: Ruleset) -> dict[str, Any]:
    tally = Tally(ruleset)
    for result in results:
        tally.add(result)
    return tally.summary()


class Tally:
    """The summary of a ruleset's results, counted one result at a time (a stream of results
    is summed up without being kept)."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.statuses: Counter[str] = Counter()
        self.criteria_met: Counter[int] = Counter()  # units by number of criteria met
        self.recognised_not_met = 0
        self.rests_on_unverified = 0

    def add(self, result: EvaluationResult) -> None:
        self.statuses[result.status] += 1
        self.criteria_met[result.criteria_met] += 1
        if result.recognised_year is not None and result.status == NOT_MET:
            self.recognised_not_met += 1
        if result.rests_on_unverified:
            self.rests_on_unverified += 1

    def summary(self) -> dict[str, Any]:
        total = len(self.ruleset.criteria)
        return {
            "units": self.statuses.total(),
            "met": self.statuses[MET],
            "not_met": self.statuses[NOT_MET],
            "missing": self.statuses[MISSING],
            "criteria_total": total,
            "distribution": distribution(self.criteria_met, total),
            "average_criteria_met": average(self.criteria_met),
            "recognised_not_met": self.recognised_not_met
            if self.ruleset.level.recognised_field is not None
            else None,
            "rests_on_unverified": self.rests_on_unverified,
        }


def held_by_recognition(result: LadderResult, n: int) -> PrerequisiteResult | None:
    """The prerequisite of level ``n + 1`` when it holds level ``n`` by formal recognition
    rather than by meeting its criteria now; None otherwise (and for the top level)."""
    if n + 1 >= len(result.results):
        return None
    prerequisite = result.results[n + 1].prerequisite
    if prerequisite is not None and prerequisite.satisfied_by == RECOGNISED:
        return prerequisite
    return None


def level_status(result: LadderResult, n: int) -> str:
    """``met`` / ``not_met`` / ``missing``, or ``recognised`` when held through recognition."""
    return RECOGNISED if held_by_recognition(result, n) else result.results[n].status


def rests_on_unverified(result: LadderResult) -> bool:
    """Whether the place could change with unverified values: the level held, or the next."""
    parts = []
    if result.reached >= 0:
        parts.append(result.results[result.reached])
    following = result.next_result
    if following is not None:
        parts.append(following)
    return any(part.rests_on_unverified for part in parts)


def ladder_summary(
    ladder: Ladder, levels: Sequence[Ruleset], results: Iterable[LadderResult]
) -> dict[str, Any]:
    tally = LadderTally(ladder, levels)
    for result in results:
        tally.add(result)
    return tally.summary()


class LadderTally:
    """The summary of a ladder's results, counted one result at a time (a stream of results
    is summed up without being kept)."""

    def __init__(self, ladder: Ladder, levels: Sequence[Ruleset]) -> None:
        self.ladder = ladder
        self.levels = levels
        self.reached: Counter[int] = Counter()  # units by index of the level reached, -1 none
        self.criteria_met: Counter[int] = Counter()  # units by criteria met of the first level
        self.met = [0] * len(levels)
        self.recognised = [0] * len(levels)
        self.recognised_not_met = [0] * len(levels)
        self.next_level_missing_data = 0
        self.rests_on_unverified = 0
        self.named = {code for target in ladder.targets for code in target.units}
        self.named_places: dict[str, tuple[int, str | None]] = {}  # code -> reached, name

    def add(self, result: LadderResult) -> None:
        self.reached[result.reached] += 1
        self.criteria_met[result.results[0].criteria_met] += 1
        for n, level in enumerate(result.results):
            if level.status == MET:
                self.met[n] += 1
            if held_by_recognition(result, n):
                self.recognised[n] += 1
            if level.recognised_year is not None and level.status == NOT_MET:
                self.recognised_not_met[n] += 1
        following = result.next_result
        if following is not None and following.status == MISSING:
            self.next_level_missing_data += 1
        if rests_on_unverified(result):
            self.rests_on_unverified += 1
        unit = result.results[0].unit
        if unit.code in self.named:
            self.named_places[unit.code] = (result.reached, unit.name)

    def at_or_above(self, n: int) -> int:
        return sum(units for reached, units in self.reached.items() if reached >= n)

    def summary(self) -> dict[str, Any]:
        levels = self.levels
        places: list[dict[str, Any]] = [
            {
                "level": None,
                "ruleset": None,
                "name": self.ladder.below.to_dict(),
                "units": self.reached[-1],
            }
        ]
        summary_levels = []
        for n, level in enumerate(levels):
            places.append(
                {
                    "level": level.level.id,
                    "ruleset": level.id,
                    "name": level.level.name.to_dict(),
                    "units": self.reached[n],
                }
            )
            field = level.level.recognised_field
            summary_levels.append(
                {
                    "ruleset": level.id,
                    "level": level.level.id,
                    "name": level.level.name.to_dict(),
                    "met": self.met[n],
                    "recognised": self.recognised[n],
                    "at_or_above": self.at_or_above(n),
                    "recognised_field": field,
                    "recognised_not_met": None if field is None else self.recognised_not_met[n],
                }
            )
        total = len(levels[0].criteria)
        return {
            "units": self.reached.total(),
            "places": places,
            "levels": summary_levels,
            "criteria_total": total,
            "distribution": distribution(self.criteria_met, total),
            "average_criteria_met": average(self.criteria_met),
            "targets": [self.target(target) for target in self.ladder.targets],
            "next_level_missing_data": self.next_level_missing_data,
            "rests_on_unverified": self.rests_on_unverified,
        }

    def target(self, target: Target) -> dict[str, Any]:
        """A target and how far the units are from it."""
        index = {level.id: n for n, level in enumerate(self.levels)}
        n = index.get(target.level or "", -1)
        name = self.levels[n].level.name if n >= 0 else None
        kind = self.ladder.unit
        text = Text(
            vi=target.describe(name.vi if name else "", "vi", kind),
            en=target.describe(name.en if name else "", "en", kind),
        )
        found: dict[str, Any] = {
            "kind": "floor" if target.floor is not None else "units" if target.units else "count",
            "level": target.level,
            "name": name.to_dict() if name else None,
            "year": target.year,
            "note": target.note,
            "text": text.to_dict(),
        }
        if target.floor is not None:
            below = sum(units for met, units in self.criteria_met.items() if met < target.floor)
            found.update(floor=target.floor, below=below, met=below == 0)
        elif target.units:
            units = []
            for code in target.units:
                place = self.named_places.get(code)
                reached = None if place is None else place[0] >= n
                units.append(
                    {"code": code, "name": place[1] if place else None, "reached": reached}
                )
            reached_count = sum(1 for unit in units if unit["reached"])
            found.update(units=units, reached=reached_count, met=reached_count == len(units))
        else:
            reached_count = self.at_or_above(n)
            found.update(count=target.count, reached=reached_count)
            found["met"] = target.count is not None and reached_count >= target.count
        return found
