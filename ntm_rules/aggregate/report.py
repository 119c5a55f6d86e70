"""The report of a data set's evaluation: every unit of the target's kind with its place and
the aggregates it was judged on, district-by-district progress of the communes (by level and by
bucket), the counts and targets of every ladder evaluated, and what did not link."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ..compact.detail import STANDARD, check_detail
from ..errors import NtmRulesError
from ..ladder import Ladder, LadderResult
from ..ruleset.model import Ruleset
from ..text import Text
from ..unit_kinds import unit_kind
from .assess import Assessed, Assessment, DataSetRun, as_ladder, assess, input_models
from .dataset import DataSet, read_data_set
from .tally import LadderTally, ladder_summary

REPORT_FORMAT = 1
REPORT_SCHEMA: dict[str, Any] = json.loads(
    resources.files("ntm_rules").joinpath("report.schema.json").read_text(encoding="utf-8")
)
"""The JSON Schema of :meth:`DataSetReport.to_dict` (``ntm_rules/report.schema.json``)."""
PROGRESS_KINDS = ("district", "town")
"""The units the progress table has a row for: district-level units."""


@attrs.frozen
class ProgressRow:
    """One district-level unit: its own place, and where its communes stand."""

    unit: Assessed
    members: Assessment | None  # the communes' assessment the counts come from
    communes: tuple[LadderResult, ...]
    missing: tuple[str, ...]  # listed communes without a record

    def summary(self) -> dict[str, Any] | None:
        if self.members is None or self.members.ladder is None:
            return None
        return ladder_summary(self.members.ladder, self.members.levels, self.communes)

    def to_dict(self) -> dict[str, Any]:
        placed = self.unit.placed
        found: dict[str, Any] = {
            "kind": self.unit.ref.kind,
            "code": self.unit.ref.code,
            "name": self.unit.ref.name,
            "place": _place(placed),
            "communes": len(self.communes) + len(self.missing),
            "communes_without_record": list(self.missing),
        }
        counts = self.summary()
        if counts is not None:
            found["levels"] = [
                {"level": level["level"], "at_or_above": level["at_or_above"]}
                for level in counts["levels"]
            ]
            found["distribution"] = counts["distribution"]
            found["average_criteria_met"] = counts["average_criteria_met"]
            found["next_level_missing_data"] = counts["next_level_missing_data"]
        return found


def _place(placed: LadderResult | None) -> dict[str, Any] | None:
    if placed is None:
        return None
    reached = placed.reached
    return {
        "ladder": placed.ladder.id,
        "level": placed.results[reached].level_id if reached >= 0 else None,
        "name": placed.place.to_dict(),
        "levels": [{"level": r.level_id, "status": r.status} for r in placed.results],
    }


@attrs.frozen
class DataSetReport:
    """A data set evaluated for a target ladder or ruleset, ready to show or store."""

    run: DataSetRun

    @property
    def target(self) -> Assessment:
        return self.run.target

    @property
    def ladder(self) -> Ladder:
        assert self.run.target.ladder is not None
        return self.run.target.ladder

    @property
    def units(self) -> tuple[Assessed, ...]:
        return self.run.target.units

    def assessments(self) -> list[Assessment]:
        """Every ladder evaluated, the target's first, then members from the largest unit down."""
        found = [self.run.target]
        found += [a for a in self.run.assessments.values() if a.ladder is not None]
        return sorted(found, key=lambda a: -_rank(a.kind))

    def ladders(self) -> list[dict[str, Any]]:
        """Every ladder evaluated with its counts and targets (target first)."""
        return [_ladder(a) for a in self.assessments()]

    def progress(self) -> list[ProgressRow]:
        """One row per district-level unit of the run, in data-set order."""
        communes = self.run.of_kind("commune")
        by_code = communes.by_code() if communes else {}
        rows = []
        for kind in PROGRESS_KINDS:
            assessment = self.run.of_kind(kind)
            if assessment is None:
                continue
            for unit in assessment.units:
                membership = self.run.membership
                codes = membership.members(kind, unit.ref.code, "commune")
                placed = tuple(
                    found
                    for found in (by_code[c].placed for c in codes if c in by_code)
                    if found is not None
                )
                missing = membership.missing_members(kind, unit.ref.code, "commune")
                rows.append(ProgressRow(unit, communes, placed, missing))
        return rows

    def to_dict(self, detail: str = STANDARD) -> dict[str, Any]:
        """The report as JSON-ready data; each unit's results at ``detail``."""
        check_detail(detail)
        return {
            "report_format": REPORT_FORMAT,
            "data": self.run.data.file,
            "target": {
                "ladder": self.ladder.id,
                "kind": self.target.kind,
                "rulesets": [_ruleset(level) for level in self.target.levels],
            },
            "units": [_unit(unit, detail) for unit in self.units],
            "progress": [row.to_dict() for row in self.progress()],
            "ladders": self.ladders(),
            "links": [problem.to_dict() for problem in self.run.membership.problems],
        }


def _rank(kind: str) -> int:
    order = ("village", "commune", "township", "ward", "district", "town", "province")
    return order.index(kind) if kind in order else -1


def _ruleset(ruleset: Ruleset) -> dict[str, Any]:
    return {
        "id": ruleset.id,
        "version": ruleset.version,
        "hash": ruleset.content_hash,
        "level": ruleset.level.id,
    }


def _unit(unit: Assessed, detail: str) -> dict[str, Any]:
    placed = unit.placed
    return {
        "kind": unit.ref.kind,
        "code": unit.ref.code,
        "name": unit.ref.name,
        "place": _place(placed),
        "aggregates": [value.to_dict() for value in unit.aggregates],
        "result": placed.to_dict(detail) if placed is not None else None,
    }


def _ladder(assessment: Assessment) -> dict[str, Any]:
    assert assessment.ladder is not None
    tally = LadderTally(assessment.ladder, assessment.levels)
    for unit in assessment.units:
        if unit.placed is not None:
            tally.add(unit.placed)
    return {
        "ladder": assessment.ladder.id,
        "kind": assessment.kind,
        "title": assessment.ladder.title.to_dict(),
        "summary": tally.summary(),
    }


def evaluate_data_set(
    target: Ruleset | Ladder | str | Path,
    data: DataSet | str | Path,
    *,
    year: int | None = None,
) -> DataSetReport:
    """Evaluate a data set (a file, or a :class:`DataSet`) for a ladder or ruleset whose units
    contain others: members first, then the target's units."""
    ladder = as_ladder(target)
    if not isinstance(data, DataSet):
        data = read_data_set(Path(data), input_models(ladder))
    return DataSetReport(assess(ladder, data, year=year))


def evaluate_province(
    data: DataSet | str | Path,
    target: Ruleset | Ladder | str | Path = "vn.province.2021",
    *,
    year: int | None = None,
) -> DataSetReport:
    """The province, each district and town, and their communes, from one data set:
    ``report = evaluate_province("examples/sonla-province-2023.json", "sonla.province.2021")``."""
    ladder = as_ladder(target)
    if ladder.unit != "province":
        kind = unit_kind(ladder.unit).name
        raise NtmRulesError(
            Text(
                vi=f"{ladder.id} đánh giá {kind.vi}, không phải tỉnh",
                en=f"{ladder.id} assesses a {kind.en}, not a province",
            )
        )
    return evaluate_data_set(ladder, data, year=year)


def has_members(levels: Iterable[Ruleset]) -> bool:
    """Whether a ladder's levels count members (so that it evaluates a data set)."""
    return any(level.members for level in levels)
