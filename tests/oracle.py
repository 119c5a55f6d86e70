"""An independent, deliberately naive interpreter of a ruleset file: the test oracle.

It shares nothing with the library's loader, compiler, evaluation or parameter resolution.
It reads the YAML itself, picks the region itself, chooses parameter values by date and axis
itself and evaluates every condition with its own tree walker. The only library code it uses
is the parser of the condition language (``ntm_rules.expr.parse``), to get the syntax tree.

Semantics implemented (from docs/ruleset-format.md):

* the region axis: the first rule whose ``when`` holds wins; a rule's ``value`` is a region
  name when it is one of the axis choices, otherwise an expression (``region``);
* a parameter's value: the last entry whose ``from`` is on or before the assessment date
  (31 December of the assessment year), the cell of the chosen axis key or else ``general``;
  ``province_decides`` is an open value;
* an indicator is ``missing`` when a value it needs is absent (an input that is None, an open
  parameter, a division by zero), ``not_applicable`` when its ``applies_if`` is false (and its
  own inputs are present), else ``met`` / ``not_met``;
* criterion policies ``all`` / ``any`` / ``at_least: k`` over those statuses, where
  ``not_applicable`` counts as neither met nor failed; the level is met when every criterion is
  met, not met when one is not met, else missing; the recognition conditions combine like a
  criterion with policy ``all``.

Everything is returned as plain dicts and lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ntm_rules.expr import parse
from ntm_rules.expr.ast import And, Binary, Compare, In, ListLit, Literal, Name, Neg, Not, Or

MET = "met"
NOT_MET = "not_met"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"

PROVINCE_DECIDES = "province_decides"
GENERAL = "general"
REPO = Path(__file__).resolve().parent.parent
NATIONAL_2021 = REPO / "rulesets" / "national" / "commune-ntm-2021.yaml"

# Attributes of the unit that default to "no" when a record leaves them out.
_FLAG_DEFAULTS = {"dbkk": False, "atk": False, "poor_district": False}


class Unknown:
    """The third truth value: some value the expression needs is absent."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()


def evaluate(expr: Any, env: Mapping[str, Any]) -> Any:
    """Evaluate a syntax tree; any absent value makes the whole result UNKNOWN.

    The propagation is strict on purpose (also through ``and`` / ``or``): the format says an
    indicator is missing as soon as *a* value it needs is missing.
    """
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Name):
        value = env.get(expr.dotted)
        return UNKNOWN if value is None else value
    if isinstance(expr, Neg):
        operand = evaluate(expr.operand, env)
        return UNKNOWN if operand is UNKNOWN else -operand
    if isinstance(expr, Binary):
        left, right = evaluate(expr.left, env), evaluate(expr.right, env)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if expr.op == "+":
            return left + right
        if expr.op == "-":
            return left - right
        if expr.op == "*":
            return left * right
        if right == 0:
            return UNKNOWN
        return left / right
    if isinstance(expr, Compare):
        left, right = evaluate(expr.left, env), evaluate(expr.right, env)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if expr.op == "<":
            return left < right
        if expr.op == "<=":
            return left <= right
        if expr.op == ">":
            return left > right
        if expr.op == ">=":
            return left >= right
        if expr.op == "==":
            return left == right
        if expr.op == "!=":
            return left != right
        raise AssertionError(f"unknown comparison {expr.op}")
    if isinstance(expr, In):
        left = evaluate(expr.left, env)
        if left is UNKNOWN:
            return UNKNOWN
        found = any(left == item.value for item in expr.items.items)
        return found != expr.negated
    if isinstance(expr, Not):
        operand = evaluate(expr.operand, env)
        return UNKNOWN if operand is UNKNOWN else not operand
    if isinstance(expr, And | Or):
        values = [evaluate(item, env) for item in expr.items]
        if any(v is UNKNOWN for v in values):
            return UNKNOWN
        return all(values) if isinstance(expr, And) else any(values)
    if isinstance(expr, ListLit):
        raise AssertionError("a list is not a value")
    raise AssertionError(f"unknown node {expr!r}")


def comparisons(expr: Any) -> list[Any]:
    """The comparisons and bare names of a condition, left to right (as the decision reads)."""
    if isinstance(expr, And | Or):
        return [c for item in expr.items for c in comparisons(item)]
    if isinstance(expr, Not):
        return comparisons(expr.operand)
    return [expr]


def names(expr: Any) -> list[str]:
    """Every name (input or ``param.x``) an expression reads, in order."""
    if isinstance(expr, Name):
        return [expr.dotted]
    found: list[str] = []
    for attr in ("operand", "left", "right"):
        if hasattr(expr, attr):
            found += names(getattr(expr, attr))
    if isinstance(expr, And | Or):
        for item in expr.items:
            found += names(item)
    return list(dict.fromkeys(found))


def _text(node: Any) -> str:
    """A condition as text (an unquoted YAML ``true`` arrives as a bool)."""
    if isinstance(node, bool):
        return "true" if node else "false"
    return str(node)


def _cell_value(cell: Any) -> float | None:
    value = cell["value"] if isinstance(cell, dict) else cell
    if value == PROVINCE_DECIDES:
        return None
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return float(value)


class Oracle:
    """One ruleset file, read and interpreted without the library."""

    def __init__(self, path: Path | str = NATIONAL_2021) -> None:
        self.path = Path(path)
        yaml = YAML(typ="safe", pure=True)
        with self.path.open(encoding="utf-8") as handle:
            self.data: dict[str, Any] = yaml.load(handle)
        self.id: str = self.data["id"]
        self.valid_from: dt.date = self.data["valid"]["from"]
        self.valid_until: dt.date | None = self.data["valid"].get("until")
        region = self.data.get("axes", {}).get("region")
        self.region_choices: tuple[str, ...] = tuple(region["choices"]) if region else ()
        self.axis_rules: list[dict[str, Any]] = []
        for rule in region["rules"] if region else ():
            value = str(rule["value"])
            self.axis_rules.append(
                {
                    "id": rule["id"],
                    "when": parse(_text(rule["when"])),
                    "value": value if value in self.region_choices else parse(value),
                }
            )
        self.parameters: dict[str, dict[str, Any]] = self.data.get("parameters", {})
        self.criteria: list[dict[str, Any]] = []
        for crit in self.data["criteria"]:
            self.criteria.append(
                {
                    "id": str(crit["id"]),
                    "policy": crit.get("policy", "all"),
                    "indicators": [self._indicator(ind) for ind in crit["indicators"]],
                }
            )
        recognition = self.data.get("recognition")
        self.recognition: list[dict[str, Any]] | None = (
            [self._indicator(ind) for ind in recognition["conditions"]] if recognition else None
        )
        ids = [i["id"] for c in self.criteria for i in c["indicators"]]
        ids += [i["id"] for i in self.recognition or ()]
        assert len(ids) == len(set(ids)), "indicator ids must be unique for the oracle"

    @staticmethod
    def _indicator(node: Mapping[str, Any]) -> dict[str, Any]:
        condition = parse(_text(node["condition"]))
        applies = node.get("applies_if")
        return {
            "id": str(node["id"]),
            "condition_text": str(node["condition"]),
            "condition": condition,
            "applies_if": parse(_text(applies)) if applies is not None else None,
        }

    # -- lookups -------------------------------------------------------------------------
    @property
    def indicators(self) -> list[dict[str, Any]]:
        """Every indicator of the criteria, then the recognition conditions."""
        return [i for c in self.criteria for i in c["indicators"]] + list(self.recognition or ())

    def indicator(self, indicator_id: str) -> dict[str, Any]:
        for ind in self.indicators:
            if ind["id"] == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def all_values(self, param: str) -> list[float]:
        """Every number a parameter takes in the file, any date and any axis key."""
        found = []
        for entry in self.parameters[param]["values"]:
            cells = entry["by"].values() if "by" in entry else [entry["value"]]
            found += [v for v in map(_cell_value, cells) if v is not None]
        return sorted(set(found))

    def entry_years(self, param: str) -> list[int]:
        """One assessment year per dated entry of a parameter (31 Dec of it picks the entry)."""
        starts = [entry["from"] for entry in self.parameters[param]["values"]]
        years = []
        for n, start in enumerate(starts):
            year = start.year
            later = [s for s in starts[n + 1 :] if s <= dt.date(year, 12, 31)]
            if not later and self.covers(dt.date(year, 12, 31)):
                years.append(year)
        return years

    def covers(self, on: dt.date) -> bool:
        return on >= self.valid_from and (self.valid_until is None or on <= self.valid_until)

    # -- evaluation ----------------------------------------------------------------------
    def region(self, record: Mapping[str, Any]) -> tuple[str, str]:
        """(chosen region key, id of the rule that chose it)."""
        env = {**_FLAG_DEFAULTS, **{k: v for k, v in record.items() if v is not None}}
        for rule in self.axis_rules:
            holds = evaluate(rule["when"], env)
            assert holds is not UNKNOWN, f"axis rule {rule['id']} needs a missing value"
            if holds:
                value = rule["value"]
                if not isinstance(value, str):
                    value = evaluate(value, env)
                assert value in self.region_choices, value
                return value, rule["id"]
        raise AssertionError("no axis rule holds")

    def param_value(self, param: str, on: dt.date, region: str | None) -> float | None:
        definition = self.parameters[param]
        chosen = None
        for entry in definition["values"]:  # entries are written in date order
            if entry["from"] <= on:
                chosen = entry
        assert chosen is not None, f"no value of {param} in force on {on}"
        if "by" in chosen:
            by = chosen["by"]
            key = region if definition.get("axis") == "region" and region in by else GENERAL
            return _cell_value(by[key])
        return _cell_value(chosen["value"])

    def params(self, on: dt.date, region: str | None) -> dict[str, float | None]:
        return {name: self.param_value(name, on, region) for name in self.parameters}

    def indicator_status(self, ind: Mapping[str, Any], env: Mapping[str, Any]) -> str:
        if ind["applies_if"] is not None:
            applies = evaluate(ind["applies_if"], env)
            if applies is UNKNOWN:
                return MISSING
            if not applies:
                return NOT_APPLICABLE
        holds = evaluate(ind["condition"], env)
        if holds is UNKNOWN:
            return MISSING
        return MET if holds else NOT_MET

    @staticmethod
    def thresholds(ind: Mapping[str, Any], env: Mapping[str, Any]) -> list[Any]:
        """The threshold of each comparison: its right-hand side (True for a bare yes/no)."""
        found = []
        for part in comparisons(ind["condition"]):
            if isinstance(part, Compare):
                value = evaluate(part.right, env)
                found.append(None if value is UNKNOWN else value)
            elif isinstance(part, In):
                found.append(tuple(item.value for item in part.items.items))
            else:
                found.append(True)
        return found

    @staticmethod
    def combine(policy: Any, statuses: list[str]) -> str:
        met = statuses.count(MET)
        failed = statuses.count(NOT_MET)
        missing = statuses.count(MISSING)
        if policy == "all":
            if failed:
                return NOT_MET
            return MISSING if missing else MET
        if policy == "any":
            if met:
                return MET
            return MISSING if missing else NOT_MET
        k = policy["at_least"]
        if met >= k:
            return MET
        return MISSING if met + missing >= k else NOT_MET

    def evaluate(self, record: Mapping[str, Any], *, year: int | None = None) -> dict[str, Any]:
        """Statuses of every indicator, criterion, the level and recognition, as plain dicts."""
        year = year if year is not None else record.get("year")
        assert year is not None, "no assessment year"
        on = dt.date(year, 12, 31)
        assert self.covers(on), f"{on} outside the validity of {self.id}"
        region, rule = self.region(record) if self.axis_rules else (None, None)
        params = self.params(on, region)
        env: dict[str, Any] = {k: v for k, v in record.items() if v is not None}
        env.update({f"param.{k}": v for k, v in params.items() if v is not None})

        indicators: dict[str, dict[str, Any]] = {}
        criteria: dict[str, str] = {}
        for crit in self.criteria:
            statuses = []
            for ind in crit["indicators"]:
                status = self.indicator_status(ind, env)
                statuses.append(status)
                indicators[ind["id"]] = {
                    "status": status,
                    "criterion": crit["id"],
                    "thresholds": self.thresholds(ind, env),
                }
            criteria[crit["id"]] = self.combine(crit["policy"], statuses)
        crit_statuses = list(criteria.values())
        if all(s == MET for s in crit_statuses):
            level = MET
        elif NOT_MET in crit_statuses:
            level = NOT_MET
        else:
            level = MISSING

        recognition = None
        if self.recognition is not None:
            statuses = []
            for ind in self.recognition:
                status = self.indicator_status(ind, env)
                statuses.append(status)
                indicators[ind["id"]] = {
                    "status": status,
                    "criterion": None,
                    "thresholds": self.thresholds(ind, env),
                }
            recognition = self.combine("all", statuses)
        both = {level, recognition if recognition is not None else level}
        eligible = NOT_MET if NOT_MET in both else MISSING if MISSING in both else MET
        return {
            "assessed_on": on,
            "region": region,
            "axis_rule": rule,
            "params": params,
            "indicators": indicators,
            "criteria": criteria,
            "criteria_met": sum(1 for s in crit_statuses if s == MET),
            "level": level,
            "recognition": recognition,
            "recognition_eligible": eligible,
        }
