"""Qualification ladders: chưa đạt → NTM → nâng cao → kiểu mẫu, each rung a ruleset.

A ladder file lists the rulesets of its levels from the lowest; each level's ruleset must
require the one below it. Evaluating a unit on a ladder gives its place (the highest level it
reaches), every level's result, and the gap to the next level.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from .compact.detail import FULL, SUMMARY, check_detail, shape
from .errors import NtmRulesError, RulesetError
from .evaluation import evaluator_for
from .gap import Gap, gap
from .result import MET, EvaluationResult
from .ruleset.files import (
    find_in_search_path,
    find_ruleset_file,
    is_ladder_file,
    ladder_files,
    ruleset_files,
)
from .ruleset.format_spec import LADDER_FILE, LADDER_SPEC, TARGET
from .ruleset.loader import load_ruleset
from .ruleset.model import Ruleset
from .text import Lang, Text, did_you_mean
from .unit_kinds import unit_kind
from .yaml_source import Node, load_yaml


@attrs.frozen
class Target:
    """A provincial target, by a year: how many units reach a level (``count``), which units
    reach it (``units``, by code), or that no unit stays below ``floor`` criteria of the first
    level."""

    level: str | None  # ruleset id; None for a floor
    count: int | None
    year: int
    note: str | None
    floor: int | None = None
    units: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """What the target is about, unique within a ladder's targets."""
        if self.floor is not None:
            return "floor"
        return f"{self.level}:units" if self.units else str(self.level)

    def describe(self, level_name: str, lang: Lang = "vi", kind: str | None = None) -> str:
        """``83 units reach <level> by 2025`` (or which units, or the floor); ``kind``: the
        ladder's unit kind, to say "xã" rather than "đơn vị"."""
        vi = lang == "vi"
        if self.floor is not None:
            word = unit_kind(kind).name(lang) if kind else ("đơn vị" if vi else "unit")
            return (
                f"không {word} nào dưới {self.floor} tiêu chí đến năm {self.year}"
                if vi
                else f"no {word} below {self.floor} criteria by {self.year}"
            )
        if self.units:
            codes = ", ".join(self.units)
            return (
                f"{level_name}: {codes} đến năm {self.year}"
                if vi
                else f"{level_name}: {codes} by {self.year}"
            )
        words = unit_kind(kind).plural(lang) if kind else ("đơn vị" if vi else "units")
        return (
            f"{level_name}: {self.count} {words} đến năm {self.year}"
            if vi
            else f"{level_name}: {self.count} {words} by {self.year}"
        )


SHORT_LEVELS = (
    (("nâng cao", "advanced"), "NC"),
    (("kiểu mẫu", "model"), "KM"),
    (("hoàn thành", "completed"), "HTNV"),
)


def short_level(name: str) -> str:
    """A level's short name: NTM, NC (nâng cao), KM (kiểu mẫu), HTNV (hoàn thành nhiệm vụ)."""
    folded = name.casefold()
    for words, short in SHORT_LEVELS:
        if any(word in folded for word in words):
            return short
    return "NTM"


@attrs.frozen
class Ladder:
    id: str
    title: Text
    unit: str
    below: Text  # the name of the place under the first level (e.g. "chưa đạt chuẩn")
    levels: tuple[str, ...]  # ruleset ids, lowest first
    targets: tuple[Target, ...]
    file: str


@attrs.frozen
class LadderResult:
    ladder: Ladder
    results: tuple[EvaluationResult, ...]  # one per level, lowest first

    @property
    def reached(self) -> int:
        """Index of the highest level reached, -1 when none."""
        reached = -1
        for n, result in enumerate(self.results):
            if result.status == MET:
                reached = n
        return reached

    @property
    def place(self) -> Text:
        n = self.reached
        return self.ladder.below if n < 0 else self.results[n].level_name

    @property
    def next_result(self) -> EvaluationResult | None:
        n = self.reached + 1
        return self.results[n] if n < len(self.results) else None

    @property
    def next_gap(self) -> Gap | None:
        following = self.next_result
        return gap(following) if following is not None else None

    def to_dict(self, detail: str = FULL) -> dict[str, Any]:
        """The ladder result as JSON-ready data at ``detail`` (see :mod:`ntm_rules.compact`)."""
        if check_detail(detail) == FULL:
            return self._json(FULL)
        return shape(self._json(detail), detail)

    def _json(self, detail: str) -> dict[str, Any]:
        following = self.next_gap if detail != SUMMARY else None
        return {
            "ladder": self.ladder.id,
            "place": {
                "level": self.results[self.reached].level_id if self.reached >= 0 else None,
                "name": self.place.to_dict(),
            },
            "levels": [
                {"ruleset": r.ruleset.id, "level": r.level_id, "status": r.status}
                for r in self.results
            ],
            "next_gap": following.to_dict() if following else None,
            "results": [r._json(detail) for r in self.results],
        }

    def explain(self, lang: Lang = "vi") -> str:
        vi = lang == "vi"
        lines = [("Vị trí: " if vi else "Place: ") + self.place(lang)]
        following = self.next_gap
        if following is not None:
            lines.append(following.render(lang))
        return "\n".join(lines)


def load_ladder(path: Path | str) -> Ladder:
    path = Path(path)
    root = load_yaml(path)
    root.check_keys(LADDER_FILE.allowed, LADDER_FILE.required)
    spec = root.get("ladder")
    spec.check_keys(LADDER_SPEC.allowed, LADDER_SPEC.required)
    levels = []
    units = set()
    previous = None
    for node in spec.get("levels").seq():
        found = find_ruleset_file(node.str(), path)
        if found is None:
            hint = did_you_mean(node.str(), {*ruleset_files(), *ruleset_files(path.parent)})
            raise node.error(
                vi=f"không có bộ tiêu chí '{node.str()}'{hint.vi}",
                en=f"unknown ruleset '{node.str()}'{hint.en}",
            )
        ruleset = load_ruleset(found)
        required = ruleset.requires.ruleset if ruleset.requires else None
        if required != previous:
            raise node.error(
                vi=f"{ruleset.id} đòi hỏi {required or 'không bộ nào'}, nhưng bậc dưới nó là "
                f"{previous or 'không có'}",
                en=f"{ruleset.id} requires {required or 'nothing'}, but the level below it is "
                f"{previous or 'none'}",
            )
        units.add(ruleset.unit)
        levels.append(ruleset.id)
        previous = ruleset.id
    if not levels:
        raise spec.get("levels").error(
            vi="thang cần ít nhất một bậc", en="a ladder needs at least one level"
        )
    if len(units) != 1:
        raise spec.get("levels").error(
            vi="mọi bậc của một thang phải đánh giá cùng một loại đơn vị",
            en="all levels of a ladder must assess the same kind of unit",
        )
    return Ladder(
        id=root.get("id").str(),
        title=root.get("title").text(),
        unit=units.pop(),
        below=spec.get("below").text(),
        levels=tuple(levels),
        targets=_targets(root.opt("targets"), levels),
        file=str(path),
    )


def _targets(node: Node | None, levels: list[str]) -> tuple[Target, ...]:
    if node is None:
        return ()
    targets = []
    for item in node.seq():
        item.check_keys(TARGET.allowed, TARGET.required)
        kinds = [key for key in TARGET.exactly_one if item.has(key)]
        if len(kinds) != 1:
            raise item.error(
                vi="mục tiêu cần đúng một trong count (số đơn vị), units (các đơn vị, theo mã) "
                "hoặc floor (không đơn vị nào dưới số tiêu chí này)",
                en="a target needs exactly one of count (how many units), units (which units, "
                "by code) or floor (no unit below this many criteria)",
            )
        level_node = item.opt("level")
        level = level_node.str() if level_node else None
        if level is None and kinds[0] != "floor":
            raise item.error(vi="thiếu khóa 'level'", en="missing key 'level'")
        if level is not None and level not in levels:
            hint = did_you_mean(level, levels)
            assert level_node is not None
            raise level_node.error(
                vi=f"'{level}' không phải một bậc của thang này{hint.vi}",
                en=f"'{level}' is not a level of this ladder{hint.en}",
            )
        note = item.opt("note")
        count, floor, units = item.opt("count"), item.opt("floor"), item.opt("units")
        targets.append(
            Target(
                level,
                count.int() if count else None,
                item.get("year").int(),
                note.str() if note else None,
                floor=floor.int() if floor else None,
                units=tuple(u.str() for u in units.seq()) if units else (),
            )
        )
    return tuple(targets)


def get_ladder(id_or_path: str | Path) -> Ladder:
    path = Path(id_or_path)
    if not (path.suffix in (".yaml", ".yml") and path.exists()):
        found = find_in_search_path(str(id_or_path), ladder=True)
        if found is None:
            from .ruleset.registry import unknown_id

            raise unknown_id(str(id_or_path), ladder_files(), "ladder")
        path = found
    elif not is_ladder_file(path):
        raise NtmRulesError(
            Text(
                vi=f"{path} là một bộ tiêu chí, không phải thang",
                en=f"{path} is a ruleset, not a ladder",
            )
        )
    return load_ladder(path)


def level_rulesets(ladder: Ladder) -> tuple[Ruleset, ...]:
    """The rulesets of a ladder's levels, lowest first, found as the ladder's file finds them."""
    found = []
    for level in ladder.levels:
        path = find_ruleset_file(level, Path(ladder.file))
        if path is None:
            raise RulesetError(level_not_found(level), file=ladder.file)
        found.append(load_ruleset(path))
    return tuple(found)


def level_not_found(level: str) -> Text:
    return Text(
        vi=f"không tìm thấy bộ tiêu chí của bậc {level}", en=f"ladder level {level} not found"
    )


def evaluate_ladder(ladder: Ladder, record: Any, *, year: int | None = None) -> LadderResult:
    """Evaluate a unit on every level of a ladder (each level's prerequisite is the one below)."""
    return evaluate_on_ladder(ladder, [record], year=year)[0]


def evaluate_on_ladder(
    ladder: Ladder, records: Sequence[Any], *, year: int | None = None
) -> list[LadderResult]:
    """Evaluate units on every level of a ladder; the levels are found and loaded once."""
    top_file = find_ruleset_file(ladder.levels[-1], Path(ladder.file))
    if top_file is None:
        raise RulesetError(level_not_found(ladder.levels[-1]), file=ladder.file)
    top = evaluator_for(load_ruleset(top_file))
    placed = []
    for result in top.evaluate_many(records, year=year):
        chain = [result]
        while chain[-1].prerequisite is not None and chain[-1].prerequisite.computed is not None:
            chain.append(chain[-1].prerequisite.computed)
        placed.append(LadderResult(ladder, tuple(reversed(chain))))
    return placed
