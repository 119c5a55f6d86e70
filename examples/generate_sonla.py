#!/usr/bin/env python3
"""Generate a SYNTHETIC data set of Sơn La's communes for ntm-rules examples and benchmarks.

Nothing in the output is real data about a real commune. The generator is calibrated on a few
published provincial figures (see ``examples/README.md``): with the defaults (188 communes,
seed 2023, year 2023) exactly 54 communes meet the national NTM criteria 2021-2025
(``vn.commune.ntm.2021``), as Sơn La reported in October 2023; the others spread over 5 to 18
criteria met, weakest on income (10), multidimensional poverty (11) and environment (17).

How it works: for each commune the generator first decides its outcome (which criteria fail,
which values are missing), then derives every input from the loaded ruleset: each indicator's
condition is solved for "holds" or "does not hold" against the thresholds that apply to that
commune (``choose_axes`` / ``resolve_params``), and a realistic value is drawn on that side.
Fields that no condition uses get plausible values from their kind and unit, so new input
fields of the model are covered without changing this file. Every record is then evaluated
with the library and the planned outcome is asserted; the generator stops with an error if a
single record disagrees, or if the number of communes meeting the standard is not the target.

    python examples/generate_sonla.py                        # the checked-in example files
    python examples/generate_sonla.py --count 10000 --format json --out /tmp   # benchmarks
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import random
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, "") and not any(
    (Path(p or ".") / "ntm_rules").is_dir() for p in sys.path
):  # run from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ntm_rules import NtmRulesError, evaluator_for, get_ruleset
from ntm_rules.expr import And, Compare, Expr, In, Literal, Name, Not, Or, names_in
from ntm_rules.expr import evaluate as evaluate_expr
from ntm_rules.models.fields import KIND_BOOL, KIND_INT, KIND_NUMBER, KIND_TEXT
from ntm_rules.models.structuring import structure
from ntm_rules.models.vocabulary import FieldSpec, field_specs
from ntm_rules.ruleset.model import Criterion, Indicator, Ruleset
from ntm_rules.ruleset.resolve import choose_axes, resolve_params

HERE = Path(__file__).resolve().parent
RULESET_ID = "vn.commune.ntm.2021"
DEFAULT_COUNT = 188
DEFAULT_SEED = 2023
DEFAULT_YEAR = 2023
PROVINCE = "Sơn La"
REGION = "tdmnpb"

# -- calibration (figures for Sơn La; sources in examples/README.md) --------------------------
MET_AT_DEFAULT = 54  # communes at the NTM standard, October 2023 report
ADVANCED_AT_DEFAULT = 5  # of which at the nâng cao standard
SLIPPED_AT_DEFAULT = 6  # synthetic: recognised 2015-2020, failing a 2021-2025 criterion now
NEAR_AT_DEFAULT = 12  # not met but at 15-18 criteria (66 at >= 15 by mid-2024, 65 of them NTM)
MISSING_SHARE = 0.10  # communes with 1-3 values not reported
UNDECIDED_AT_DEFAULT = 2  # of which lacking only the values of the criteria they do not meet
DBKK_SHARE = 0.42  # outside the city
ATK_SHARE = 0.03

# District-level units with weights approximating their number of rural communes before the
# 2023-2025 rearrangement (synthetic layout; the weights sum to 188 but are not verified).
DISTRICTS: tuple[tuple[str, int], ...] = (
    ("Thành phố Sơn La", 5),
    ("Quỳnh Nhai", 11),
    ("Thuận Châu", 28),
    ("Mường La", 15),
    ("Bắc Yên", 15),
    ("Phù Yên", 26),
    ("Mộc Châu", 13),
    ("Vân Hồ", 14),
    ("Yên Châu", 14),
    ("Mai Sơn", 21),
    ("Sông Mã", 18),
    ("Sốp Cộp", 8),
)
CITY = "Thành phố Sơn La"
# Synthetic: districts whose communes carry the poor_district flag, and how likely a commune of
# a district is to be among those at the standard (relative weights).
POOR_DISTRICTS = ("Bắc Yên", "Sốp Cộp")
MET_WEIGHT_BY_DISTRICT = {
    CITY: 1000.0,
    "Quỳnh Nhai": 3.0,
    "Mộc Châu": 2.0,
    "Mai Sơn": 1.6,
    "Yên Châu": 1.3,
    "Bắc Yên": 0.6,
    "Sốp Cộp": 0.5,
}

# How often a criterion is the one that fails (weakest in practice: 10, 11, 17; then 5, 2, 13).
CRITERION_WEIGHT = {
    "10": 10.0,
    "11": 9.0,
    "17": 9.0,
    "5": 6.0,
    "2": 6.0,
    "13": 6.0,
    "9": 4.0,
    "14": 4.0,
    "15": 4.0,
    "6": 3.5,
    "3": 3.0,
    "12": 3.0,
    "16": 3.0,
    "7": 3.0,
    "4": 2.0,
    "18": 2.0,
    "1": 1.5,
    "8": 1.5,
    "19": 1.0,
}
DBKK_CRITERION_FACTOR = {"10": 1.6, "11": 1.6, "9": 1.3, "2": 1.3, "5": 1.2}
DEFAULT_CRITERION_WEIGHT = 2.0
# Within a failing criterion, which indicator tends to be the one that fails.
INDICATOR_WEIGHT = {
    "2.2": 3.0,
    "2.4": 2.0,
    "13.1": 3.0,
    "13.2": 2.0,
    "13.3": 3.0,
    "14.3": 2.0,
    "15.4": 2.5,
    "15.1": 1.5,
    "17.1": 3.0,
    "17.2": 1.5,
    "17.4": 1.5,
    "17.8": 3.0,
    "17.11": 3.0,
    "9.2": 1.5,
}
RECOGNITION_FAIL_RATE = 0.1  # communes not at the standard: each recognition condition fails

# Criteria met by communes not at the standard (relative weights).
LOW_K_WEIGHTS = {5: 1, 6: 2, 7: 4, 8: 7, 9: 10, 10: 13, 11: 15, 12: 15, 13: 13, 14: 10}
NEAR_K_WEIGHTS = {15: 4.0, 16: 4.0, 17: 2.5, 18: 1.5}
# Year of NTM recognition of the communes at the standard (relative weights; 49 NTM by 2020).
NTM_YEAR_WEIGHTS = {
    2012: 2,
    2013: 3,
    2014: 4,
    2015: 5,
    2016: 6,
    2017: 6,
    2018: 6,
    2019: 6,
    2020: 5,
    2021: 3,
    2022: 3,
    2023: 5,
    2024: 6,
    2025: 6,
}

# Realistic range of a value for a commune of Sơn La (the generator stays inside it when the
# thresholds allow). Fields not listed use the range of their unit.
NATURAL_RANGE: dict[str, tuple[float, float]] = {
    "commune_roads_paved_pct": (60, 100),
    "village_roads_hardened_pct": (40, 100),
    "alleys_clean_pct": (50, 100),
    "field_roads_pct": (30, 100),
    "irrigated_farmland_pct": (50, 100),
    "households_safe_power_pct": (85, 100),
    "schools_standard_pct": (30, 100),
    "villages_culture_house_pct": (75, 100),
    "temporary_houses": (0, 40),
    "solid_houses_pct": (55, 100),
    "income_per_capita": (24, 56),
    "multidimensional_poverty_pct": (3, 35),
    "employment_rate_pct": (82, 99),
    "lower_secondary_continuing_pct": (60, 100),
    "trained_workers_pct": (12, 60),
    "health_insurance_pct": (80, 100),
    "child_stunting_pct": (10, 35),
    "e_health_records_pct": (40, 100),
    "cultural_villages_pct": (50, 100),
    "hygienic_water_pct": (85, 100),
    "clean_water_pct": (15, 80),
    "businesses_env_compliant_pct": (70, 100),
    "public_green_m2_per_person": (0.5, 12),
    "pesticide_medical_waste_pct": (60, 100),
    "households_sanitation_pct": (35, 95),
    "livestock_farms_compliant_pct": (35, 100),
    "food_safety_compliant_pct": (80, 100),
    "waste_sorting_households_pct": (5, 70),
    "resident_satisfaction_pct": (80, 100),
}
RANGE_BY_UNIT: dict[str | None, tuple[float, float]] = {
    "percent": (50, 100),
    "count": (0, 20),
    "mvnd_per_person_year": (20, 60),
    "m2_per_person": (0.5, 15),
}
TRUE_SHARE = {"has_craft_village": 0.10}  # yes/no facts no condition constrains
DEFAULT_TRUE_SHARE = 0.9

NAME_FIRST = (
    "Chiềng",
    "Mường",
    "Nà",
    "Púng",
    "Phiêng",
    "Huổi",
    "Nậm",
    "Tà",
    "Pá",
    "Co",
    "Long",
    "Hua",
)
NAME_SECOND = (
    "Mai",
    "Hặc",
    "Pằn",
    "Sại",
    "Lựm",
    "Khoa",
    "Ban",
    "Sung",
    "Chăn",
    "Lương",
    "Ơn",
    "Cang",
    "Hùn",
    "Lầm",
    "Ngàm",
    "Khay",
    "Bằng",
    "Mòn",
    "Piềng",
    "Lao",
    "Giôn",
    "Kim",
    "Thín",
    "Tè",
)
NOTE = (
    "SYNTHETIC DATA: invented communes of Sơn La province for examples, tests and benchmarks "
    "of ntm-rules; no value describes a real commune. Generated by examples/generate_sonla.py "
    "(count {count}, seed {seed}, year {year}), calibrated so that {met} communes meet "
    "{ruleset} version {version} (the 54 of Sơn La's October 2023 report, for 188 communes)."
)

STEP_NUMBER = 0.1  # every decimal value has one decimal
MARGIN_SHARE = 0.04  # keep values this share of their range away from thresholds when possible


class GeneratorError(RuntimeError):
    """The ruleset asks for something the generator cannot produce, or a check failed."""


# -- conditions -> constraints ----------------------------------------------------------------
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


@dataclass(frozen=True)
class Constraint:
    """``field op bound`` must hold; ``passing`` tells whether it makes its indicator hold."""

    field: str
    op: str  # < <= > >= == != in "not in"
    bound: Any
    passing: bool


def solve(
    expr: Expr,
    want: bool,
    params: Mapping[str, Any],
    rng: random.Random,
    out: list[Constraint],
    passing: bool,
) -> None:
    """Append constraints on inputs under which ``expr`` evaluates to ``want``."""
    if isinstance(expr, Name) and not expr.is_param:
        out.append(Constraint(expr.dotted, "==", want, passing))
    elif isinstance(expr, Literal) and isinstance(expr.value, bool):
        if expr.value != want:
            raise GeneratorError(f"the constant '{expr.value}' cannot be made {want}")
    elif isinstance(expr, Not):
        solve(expr.operand, not want, params, rng, out, passing)
    elif isinstance(expr, And | Or):
        if isinstance(expr, Or) or want:  # every item takes the wanted value
            for item in expr.items:
                solve(item, want, params, rng, out, passing)
        else:  # a conjunction that fails: one item fails, the others hold
            chosen = rng.randrange(len(expr.items))
            for n, item in enumerate(expr.items):
                solve(item, n != chosen, params, rng, out, passing)
    elif isinstance(expr, Compare):
        op, left, right = expr.op, expr.left, expr.right
        if _is_input(right) and not _is_input(left):
            left, right, op = right, left, _FLIP[op]
        if not (_is_input(left) and _is_constant(right)):
            raise GeneratorError(
                f"cannot solve the comparison {expr} (one input against a constant)"
            )
        assert isinstance(left, Name)
        bound = evaluate_expr(right, params)
        out.append(Constraint(left.dotted, op if want else _NEGATE[op], bound, passing))
    elif isinstance(expr, In) and _is_input(expr.left):
        assert isinstance(expr.left, Name)
        items = tuple(i.value for i in expr.items.items)
        op = "in" if want != expr.negated else "not in"
        out.append(Constraint(expr.left.dotted, op, items, passing))
    else:
        raise GeneratorError(f"cannot solve the condition {expr}")


def needs_choice(expr: Expr, want: bool) -> bool:
    """Whether solving ``expr`` for ``want`` picks among alternatives (else it can be cached)."""
    if isinstance(expr, Not):
        return needs_choice(expr.operand, not want)
    if isinstance(expr, And | Or):
        if isinstance(expr, And) and not want and len(expr.items) > 1:
            return True
        return any(needs_choice(i, want) for i in expr.items)
    return False


def _is_input(expr: Expr) -> bool:
    return isinstance(expr, Name) and not expr.is_param


def _is_constant(expr: Expr) -> bool:
    return all(n.is_param for n in names_in(expr))


# -- drawing values -----------------------------------------------------------------------------
def natural_range(spec: FieldSpec) -> tuple[float, float]:
    found = NATURAL_RANGE.get(spec.name) or RANGE_BY_UNIT.get(spec.unit)
    if found is None:
        low = spec.minimum if spec.minimum is not None else 0.0
        high = spec.maximum if spec.maximum is not None else low + 100.0
        found = (low, high)
    return found


@dataclass(frozen=True)
class NumberRange:
    """Where to draw a number, in steps of its precision (1 for counts, 0.1 otherwise)."""

    low: int
    high: int
    mode: int | None  # a failing bound: values cluster near it
    excluded: tuple[int, ...]
    whole: bool


_RANGES: dict[tuple[str, str, str | None, tuple[Constraint, ...]], NumberRange] = {}


def number_range(spec: FieldSpec, constraints: tuple[Constraint, ...]) -> NumberRange:
    """The values inside every constraint, inside the natural range when possible (cached)."""
    key = (spec.name, spec.kind, spec.unit, constraints)
    found = _RANGES.get(key)
    if found is None:
        found = _RANGES[key] = _number_range(spec, constraints)
    return found


def _number_range(spec: FieldSpec, constraints: tuple[Constraint, ...]) -> NumberRange:
    step = 1.0 if spec.kind == KIND_INT else STEP_NUMBER
    nat_low, nat_high = natural_range(spec)
    lo = math.ceil(spec.minimum / step - 1e-9) if spec.minimum is not None else -(10**9)
    hi = math.floor(spec.maximum / step + 1e-9) if spec.maximum is not None else 10**9
    excluded: list[int] = []
    fail_bound: int | None = None
    for c in constraints:
        units = float(c.bound) / step
        if c.op == ">=":
            new = math.ceil(units - 1e-9)
        elif c.op == ">":
            new = math.floor(units + 1e-9) + 1
        elif c.op == "<=":
            new = math.floor(units + 1e-9)
        elif c.op == "<":
            new = math.ceil(units - 1e-9) - 1
        elif c.op == "==":
            new = round(units)
        elif c.op == "!=":
            excluded.append(round(units))
            continue
        else:
            raise GeneratorError(f"field '{spec.name}': cannot apply '{c.op}' to a number")
        if c.op in (">=", ">", "=="):
            lo = max(lo, new)
        if c.op in ("<=", "<", "=="):
            hi = min(hi, new)
        if not c.passing:
            fail_bound = new
    if lo > hi:
        raise GeneratorError(f"field '{spec.name}': the constraints {constraints} leave no value")
    n_lo, n_hi = math.ceil(nat_low / step - 1e-9), math.floor(nat_high / step + 1e-9)
    margin = max(1, round((n_hi - n_lo) * MARGIN_SHARE))
    # Prefer a value some way off every bound that comes from a threshold, then any value in
    # the natural range, then the part of [lo, hi] nearest to the natural range.
    bounded_lo = any(c.op in (">=", ">") for c in constraints)
    bounded_hi = any(c.op in ("<=", "<") for c in constraints)
    window = max(1, (n_hi - n_lo) // 4)
    candidates = [
        (max(lo + margin * bounded_lo, n_lo), min(hi - margin * bounded_hi, n_hi)),
        (max(lo, n_lo), min(hi, n_hi)),
        (lo, min(hi, lo + window)) if lo > n_hi else (max(lo, hi - window), hi),
    ]
    low, high = next((a, b) for a, b in candidates if a <= b)
    if high - low < len(excluded) and all(v in excluded for v in range(low, high + 1)):
        raise GeneratorError(f"field '{spec.name}': no value outside {excluded}")
    mode = min(max(fail_bound, low), high) if fail_bound is not None and low < high else None
    return NumberRange(low, high, mode, tuple(excluded), spec.kind == KIND_INT)


def draw_number(
    spec: FieldSpec, constraints: tuple[Constraint, ...], rng: random.Random
) -> float | int:
    """A value inside every constraint, inside the natural range when possible, one decimal."""
    r = number_range(spec, constraints)
    while True:
        if r.mode is not None:  # near misses are more common than far ones
            units = round(rng.triangular(r.low, r.high, r.mode))
        else:
            units = r.low + int(rng.random() * (r.high - r.low + 1))  # randint, faster
        if units not in r.excluded:
            return units if r.whole else units / 10  # one decimal, printed without noise


def draw_bool(spec: FieldSpec, constraints: Sequence[Constraint], rng: random.Random) -> bool:
    if not constraints:
        return rng.random() < TRUE_SHARE.get(spec.name, DEFAULT_TRUE_SHARE)
    wanted = {c.bound if c.op == "==" else not c.bound for c in constraints}
    if len(wanted) > 1:
        raise GeneratorError(f"field '{spec.name}' must be both true and false")
    return bool(wanted.pop())


def draw(spec: FieldSpec, constraints: tuple[Constraint, ...], rng: random.Random) -> Any:
    """A plausible value of any field: from its constraints, else from its kind and unit."""
    if spec.kind == KIND_BOOL:
        return draw_bool(spec, constraints, rng)
    if spec.kind in (KIND_NUMBER, KIND_INT):
        if spec.unit == "year" and not constraints:
            return None  # a year of some event: none unless a rule needs one
        return draw_number(spec, constraints, rng)
    if spec.kind == KIND_TEXT:
        return draw_text(spec, constraints, rng)
    return None


def draw_text(spec: FieldSpec, constraints: Sequence[Constraint], rng: random.Random) -> str | None:
    options: list[str] = list(spec.choices)
    for c in constraints:
        if c.op == "==":
            options = [str(c.bound)]
        elif c.op == "in":
            options = [o for o in (options or [str(b) for b in c.bound]) if o in c.bound]
        elif c.op in ("!=", "not in"):
            banned = c.bound if c.op == "not in" else (c.bound,)
            options = [o for o in options if o not in banned]
    return rng.choice(options) if options else None


# -- the ruleset, prepared once ----------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Item:
    """An indicator (or recognition condition) with what the generator needs to know of it."""

    key: str  # "10/10", "17/17.1"; "R/R1" for recognition conditions
    criterion: str | None  # criterion id; None for a recognition condition
    indicator: Indicator
    fields: tuple[str, ...]  # inputs its condition reads


@dataclass(frozen=True)
class Prepared:
    """The ruleset, read once: fields, indicators and which inputs decide what."""

    ruleset: Ruleset
    specs: tuple[FieldSpec, ...]
    order: Mapping[str, int]  # field name -> position in the model
    criteria: tuple[tuple[Criterion, tuple[Item, ...]], ...]
    recognition: tuple[Item, ...]
    applies_fields: tuple[str, ...]  # inputs that decide applicability (never left empty)
    axis_inputs: tuple[str, ...]  # inputs that decide the row of the threshold tables


@dataclass
class Cache:
    """What does not depend on the commune drawn: thresholds and solved conditions."""

    params: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    solved: dict[tuple[str, bool, tuple[Any, ...]], tuple[Constraint, ...]] = field(
        default_factory=dict
    )


def _inputs(expr: Expr | None) -> tuple[str, ...]:
    if expr is None:
        return ()
    return tuple(dict.fromkeys(n.dotted for n in names_in(expr) if not n.is_param))


def prepare(ruleset: Ruleset) -> Prepared:
    specs = field_specs(ruleset.model)

    def item(criterion: str | None, indicator: Indicator) -> Item:
        key = f"{criterion or 'R'}/{indicator.id}"
        return Item(key, criterion, indicator, _inputs(indicator.condition))

    criteria = tuple((c, tuple(item(c.id, i) for i in c.indicators)) for c in ruleset.criteria)
    conditions = ruleset.recognition.conditions if ruleset.recognition else ()
    recognition = tuple(item(None, i) for i in conditions)
    applies = {
        name: None
        for _, items in criteria
        for it in (*items, *recognition)
        for name in _inputs(it.indicator.applies_if)
    }
    axis_inputs = {
        name: None
        for axis in ruleset.axes.values()
        for rule in axis.rules
        for expr in (rule.when, rule.value)
        for name in _inputs(expr)
    }
    return Prepared(
        ruleset,
        specs,
        {s.name: n for n, s in enumerate(specs)},
        criteria,
        recognition,
        tuple(applies),
        tuple(axis_inputs),
    )


# -- planning the province ---------------------------------------------------------------------
@dataclass
class Plan:
    index: int
    code: str
    name: str
    district: str
    dbkk: bool = False
    atk: bool = False
    poor_district: bool = False
    target: str = "not_met"  # met | not_met | missing (the level status expected)
    criteria_met: int = 0
    slipped: bool = False
    missing_values: int = 0
    ntm_year: int | None = None
    advanced_year: int | None = None
    failing: list[str] = field(default_factory=list)  # criterion ids
    missing_criteria: list[str] = field(default_factory=list)


def quotas(total: int, weights: Mapping[Any, float]) -> dict[Any, int]:
    """Split ``total`` by ``weights`` (largest remainder; deterministic)."""
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w / weight_sum for k, w in weights.items()}
    result = {k: math.floor(v) for k, v in exact.items()}
    order = sorted(weights, key=lambda k: (-(exact[k] - result[k]), list(weights).index(k)))
    for k in order[: total - sum(result.values())]:
        result[k] += 1
    return result


def weighted_sample(
    items: Sequence[Any], weight: Callable[[Any], float], n: int, rng: random.Random
) -> list[Any]:
    """``n`` items without replacement, each with probability proportional to its weight."""
    keyed = [(rng.random() ** (1.0 / max(weight(i), 1e-9)), k) for k, i in enumerate(items)]
    keyed.sort(reverse=True)
    return [items[k] for _, k in keyed[:n]]


def scaled(value: int, count: int) -> int:
    return value if count == DEFAULT_COUNT else round(count * value / DEFAULT_COUNT)


def synthetic_names(count: int, rng: random.Random) -> list[str]:
    """Names in the form of Sơn La's communes, numbered and tagged so none passes for a real one."""
    pairs = [(a, b) for a in NAME_FIRST for b in NAME_SECOND]
    names: list[str] = []
    while len(names) < count:
        rng.shuffle(pairs)
        names += [
            unicodedata.normalize("NFC", f"Xã {a} {b} {len(names) + n + 1:02d} (tổng hợp)")
            for n, (a, b) in enumerate(pairs[: count - len(names)])
        ]
    return names


def plan_province(count: int, year: int, n_criteria: int, rng: random.Random) -> list[Plan]:
    width = max(3, len(str(count)))
    names = synthetic_names(count, rng)
    plans: list[Plan] = []
    for district, n in quotas(count, dict(DISTRICTS)).items():
        for _ in range(n):
            index = len(plans)
            plans.append(Plan(index, f"SL-{index + 1:0{width}d}", names[index], district))
    for plan in plans:
        plan.poor_district = plan.district in POOR_DISTRICTS
        if plan.district != CITY:
            plan.dbkk = rng.random() < DBKK_SHARE
            plan.atk = rng.random() < ATK_SHARE

    # Who is at the standard: the city's communes first, then mostly communes not ĐBKK.
    def met_weight(p: Plan) -> float:
        return MET_WEIGHT_BY_DISTRICT.get(p.district, 1.0) * (1.0 if p.dbkk else 4.0)

    met = weighted_sample(plans, met_weight, scaled(MET_AT_DEFAULT, count), rng)
    for p in met:
        p.target, p.criteria_met = "met", n_criteria
    others = [p for p in plans if p.target != "met"]

    # Criteria met by the others: fixed quotas, the easier-placed communes taking the higher counts.
    n_near = min(scaled(NEAR_AT_DEFAULT, count), len(others))
    ks = [k for k, n in quotas(n_near, NEAR_K_WEIGHTS).items() for _ in range(n)]
    ks += [k for k, n in quotas(len(others) - n_near, LOW_K_WEIGHTS).items() for _ in range(n)]
    ks.sort(reverse=True)
    ranked = sorted(others, key=lambda p: rng.random() + 0.35 * p.dbkk + 0.25 * p.poor_district)
    for p, k in zip(ranked, ks, strict=True):
        p.criteria_met = k

    # Recognised earlier, failing now: among the communes closest to the standard.
    n_slipped = scaled(SLIPPED_AT_DEFAULT, count)
    close = sorted(others, key=lambda p: (-p.criteria_met, rng.random()))
    pool = close[: max(n_slipped, min(len(close), 2 * n_slipped))]
    for p in rng.sample(pool, min(n_slipped, len(pool))):
        p.slipped = True
        p.ntm_year = rng.randint(2015, min(2020, year))

    # Values not reported: only communes not at the standard (a gap can never be 'met'). A few
    # close to the standard lack exactly the values of the criteria they do not meet, so that
    # their status is 'missing' rather than 'not_met'.
    candidates = [p for p in others if not p.slipped]
    n_missing = min(len(candidates), round(count * MISSING_SHARE))
    undecided = [p for p in candidates if p.criteria_met >= n_criteria - 3]
    for p in rng.sample(
        undecided, min(len(undecided), n_missing, scaled(UNDECIDED_AT_DEFAULT, count))
    ):
        p.target, p.missing_values = "missing", n_criteria - p.criteria_met
    candidates = [p for p in candidates if p.target != "missing"]
    n_missing -= sum(p.target == "missing" for p in others)
    for p in rng.sample(candidates, n_missing):
        p.missing_values = rng.choice((1, 1, 2, 2, 3))

    # Years of recognition of the communes at the standard: the city's first.
    weights = {y: float(w) for y, w in NTM_YEAR_WEIGHTS.items() if y <= year}
    years = sorted(y for y, n in quotas(len(met), weights).items() for _ in range(n))
    for p, y in zip(
        sorted(met, key=lambda p: (p.district != CITY, rng.random())), years, strict=True
    ):
        p.ntm_year = y
    eligible = [p for p in met if p.ntm_year is not None and p.ntm_year <= year - 2]
    for p in rng.sample(eligible, min(len(eligible), scaled(ADVANCED_AT_DEFAULT, count))):
        assert p.ntm_year is not None
        p.advanced_year = rng.randint(max(p.ntm_year + 1, 2018), year)
    return plans


# -- one commune -------------------------------------------------------------------------------
IDENTITY = (
    "code",
    "name",
    "province",
    "district",
    "region",
    "year",
    "dbkk",
    "atk",
    "poor_district",
    "recognised_ntm_year",
    "recognised_advanced_year",
    "recognised_model_year",
)


def build_record(
    plan: Plan, prep: Prepared, year: int, on: dt.date, rng: random.Random, cache: Cache
) -> dict[str, Any]:
    """Draw one commune's inputs so that it comes out as ``plan`` says (``plan`` is completed
    with the criteria chosen to fail or to lack a value)."""
    ruleset = prep.ruleset
    record: dict[str, Any] = dict(
        zip(
            IDENTITY,
            (
                plan.code,
                plan.name,
                PROVINCE,
                plan.district,
                REGION,
                year,
                plan.dbkk,
                plan.atk,
                plan.poor_district,
                plan.ntm_year,
                plan.advanced_year,
                None,
            ),
            strict=True,
        )
    )

    # Thresholds that apply to this commune (by its axis values; cached).
    axis_key = tuple(record.get(n) for n in prep.axis_inputs)
    params = cache.params.get(axis_key)
    if params is None:
        axes = choose_axes(ruleset, dict(zip(prep.axis_inputs, axis_key, strict=True)), plan.code)
        params = {f"param.{n}": p.value for n, p in resolve_params(ruleset, on, axes).items()}
        cache.params[axis_key] = params

    # Facts that decide applicability first (e.g. has_craft_village), then what applies.
    for name in prep.applies_fields:
        if name not in record:
            record[name] = draw(prep.specs[prep.order[name]], (), rng)
    scope = {**record, **params}
    applicable = {
        it.key: it.indicator.applies_if is None
        or bool(evaluate_expr(it.indicator.applies_if, scope))
        for _, items in prep.criteria
        for it in (*items, *prep.recognition)
    }

    # Which criteria fail and which lack a value.
    open_criteria = [c for c, items in prep.criteria if any(applicable[it.key] for it in items)]
    not_met: list[Criterion] = []
    if plan.target != "met":
        factor = DBKK_CRITERION_FACTOR if plan.dbkk else {}
        not_met = weighted_sample(
            open_criteria,
            lambda c: CRITERION_WEIGHT.get(c.id, DEFAULT_CRITERION_WEIGHT) * factor.get(c.id, 1.0),
            len(ruleset.criteria) - plan.criteria_met,
            rng,
        )
    missing_criteria: list[Criterion] = []
    allowed = [c for c in not_met if c.policy.kind == "all"]
    if plan.target == "missing" and len(allowed) == len(not_met):
        missing_criteria = allowed
    elif plan.missing_values and allowed:
        missing_criteria = [rng.choice(allowed)]
    plan.missing_criteria = [c.id for c in missing_criteria]
    plan.failing = [c.id for c in not_met if c.id not in plan.missing_criteria]
    plan.target = "met" if not not_met else "not_met" if plan.failing else "missing"

    # Constraints: every applicable indicator holds except one or two of each failing criterion.
    constraints: dict[str, list[Constraint]] = {}

    def constrain(it: Item, holds: bool) -> None:
        solved_key = (it.key, holds, axis_key)
        found = cache.solved.get(solved_key)
        if found is None:
            out: list[Constraint] = []
            solve(it.indicator.condition, holds, params, rng, out, holds)
            found = tuple(out)
            if not needs_choice(it.indicator.condition, holds):
                cache.solved[solved_key] = found
        for c in found:
            constraints.setdefault(c.field, []).append(c)

    failed: list[Item] = []
    for criterion, items in prep.criteria:
        candidates = [it for it in items if applicable[it.key]]
        failing: list[Item] = []
        if criterion.id in plan.failing:
            policy = criterion.policy
            if policy.kind == "all":
                n_fail = 2 if len(candidates) > 1 and rng.random() < 0.3 else 1
            elif policy.kind == "any":
                n_fail = len(candidates)
            else:
                n_fail = len(candidates) - policy.k + 1
            failing = weighted_sample(
                candidates, lambda it: INDICATOR_WEIGHT.get(it.indicator.id, 1.0), n_fail, rng
            )
        failed += failing
        for it in candidates:
            constrain(it, it not in failing)
    for it in prep.recognition:
        constrain(it, plan.target == "met" or rng.random() >= RECOGNITION_FAIL_RATE)

    # Every other field, from its constraints or from its kind and unit.
    for spec in prep.specs:
        if spec.name not in record:
            record[spec.name] = draw(spec, tuple(constraints.get(spec.name, ())), rng)

    # An indicator that does not apply has nothing to report (e.g. no craft village, no plan).
    all_items = [it for _, items in prep.criteria for it in items] + list(prep.recognition)
    used = {f for it in all_items if applicable[it.key] for f in it.fields}
    for it in all_items:
        if not applicable[it.key]:
            for name in it.fields:
                if name not in used and name not in prep.applies_fields:
                    record[name] = None

    # Values not reported: one in each criterion chosen to be 'missing', the others where they
    # cannot change a status already decided (criteria not met, recognition conditions).
    if plan.missing_values:
        not_met_ids = {c.id for c in not_met}
        blocked = {
            f
            for it in all_items
            if (it.criterion is not None and it.criterion not in not_met_ids) or it in failed
            for f in it.fields
        } | set(prep.applies_fields)

        def open_fields(items: Iterable[Item]) -> list[str]:
            found = {f for it in items if applicable[it.key] for f in it.fields} - blocked
            return sorted(found, key=prep.order.__getitem__)

        chosen: list[str] = []
        for criterion in missing_criteria:
            chosen.append(
                rng.choice(open_fields(it for it in all_items if it.criterion == criterion.id))
            )
        others = [f for f in open_fields(all_items) if f not in chosen]
        chosen += rng.sample(others, max(0, min(len(others), plan.missing_values - len(chosen))))
        for name in chosen:
            record[name] = None
        plan.missing_values = len(chosen)
    return {spec.name: record.get(spec.name) for spec in prep.specs}


# -- the data set ------------------------------------------------------------------------------
@dataclass
class Dataset:
    count: int
    seed: int
    year: int
    ruleset: Ruleset
    plans: list[Plan]
    records: list[dict[str, Any]]

    @property
    def met(self) -> int:
        return sum(p.target == "met" for p in self.plans)


def generate(
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    year: int = DEFAULT_YEAR,
    ruleset_id: str = RULESET_ID,
) -> Dataset:
    """Plan and build ``count`` synthetic communes (not yet checked; see :func:`verify`)."""
    if count < 1:
        raise GeneratorError("--count must be at least 1")
    ruleset = get_ruleset(ruleset_id)
    prep = prepare(ruleset)
    on = dt.date(year, 12, 31)
    if on < ruleset.valid_from or (ruleset.valid_until is not None and on > ruleset.valid_until):
        raise GeneratorError(f"{ruleset.id} does not apply in {year}")
    rng = random.Random(seed)
    plans = plan_province(count, year, len(ruleset.criteria), rng)
    cache = Cache()
    records = [build_record(p, prep, year, on, rng, cache) for p in plans]
    return Dataset(count, seed, year, ruleset, plans, records)


def verify(data: Dataset, sample: int | None = None) -> Counter[int]:
    """Check the records with the library; raise :class:`GeneratorError` on any disagreement.

    Every record is read into the model (types and ranges). Every record, or only ``sample``
    of them spread evenly (for very large sets), is evaluated: its status and number of
    criteria met must be the planned ones, and a commune at the standard must also meet the
    recognition conditions. With every record evaluated, the number at the standard must be
    the target (54 for 188 communes). Returns the histogram of criteria met found.
    """
    model = data.ruleset.model
    target = scaled(MET_AT_DEFAULT, data.count)
    if data.met != target:
        raise GeneratorError(f"expected {target} communes at the standard, planned {data.met}")
    models = [
        structure(model, row, plan.code) for plan, row in zip(data.plans, data.records, strict=True)
    ]
    total = len(models)
    chosen = (
        range(total)
        if sample is None or sample >= total
        else sorted({n * total // sample for n in range(sample)})
    )
    evaluator = evaluator_for(data.ruleset)
    problems: list[str] = []
    histogram: Counter[int] = Counter()
    statuses: Counter[str] = Counter()
    for n in chosen:
        plan = data.plans[n]
        result = evaluator.evaluate(models[n], year=data.year)
        histogram[result.criteria_met] += 1
        statuses[result.status] += 1
        if result.status != plan.target or result.criteria_met != plan.criteria_met:
            problems.append(
                f"{plan.code}: planned {plan.target} with {plan.criteria_met} criteria met, "
                f"found {result.status} with {result.criteria_met}"
            )
        elif plan.target == "met" and result.recognition_eligible != "met":
            problems.append(f"{plan.code}: meets the criteria but not the recognition conditions")
    if problems:
        raise GeneratorError(
            f"{len(problems)} generated records disagree with the plan:\n  "
            + "\n  ".join(problems[:20])
        )
    if len(chosen) == total and statuses["met"] != target:
        raise GeneratorError(f"expected {target} communes at the standard, found {statuses['met']}")
    return histogram


# -- output --------------------------------------------------------------------------------------
def to_json(data: Dataset) -> str:
    document = {
        "synthetic": True,
        "note": NOTE.format(
            count=data.count,
            seed=data.seed,
            year=data.year,
            met=data.met,
            ruleset=data.ruleset.id,
            version=data.ruleset.version,
        ),
        "generator": {
            "script": "examples/generate_sonla.py",
            "count": data.count,
            "seed": data.seed,
            "year": data.year,
            "ruleset": data.ruleset.id,
            "ruleset_version": data.ruleset.version,
        },
        "units": data.records,
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(data: Dataset) -> str:
    names = [s.name for s in field_specs(data.ruleset.model)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in data.records:
        writer.writerow([_cell(row[n]) for n in names])
    return buffer.getvalue()


def summary(data: Dataset, histogram: Counter[int]) -> str:
    plans = data.plans
    statuses = Counter(p.target for p in plans)
    total = len(data.ruleset.criteria)
    lines = [
        f"{data.count} synthetic communes, seed {data.seed}, year {data.year}, {data.ruleset.id} "
        f"{data.ruleset.version}",
        "status: " + ", ".join(f"{s} {statuses[s]}" for s in ("met", "not_met", "missing")),
        f"at >= 15 criteria: {sum(p.criteria_met >= 15 for p in plans)}; below 15: "
        f"{sum(p.criteria_met < 15 for p in plans)}; mean criteria met "
        f"{sum(p.criteria_met for p in plans) / len(plans):.1f} of {total}",
        f"recognised NTM but slipped: {sum(p.slipped for p in plans)}; nâng cao: "
        f"{sum(p.advanced_year is not None for p in plans)}; with missing values: "
        f"{sum(p.missing_values > 0 for p in plans)}; ĐBKK: {sum(p.dbkk for p in plans)}; "
        f"ATK: {sum(p.atk for p in plans)}; poor district: {sum(p.poor_district for p in plans)}",
        f"criteria met (library, {histogram.total()} evaluated): "
        + ", ".join(f"{k}: {histogram[k]}" for k in sorted(histogram)),
        "criteria failing most often: "
        + ", ".join(
            f"{c} ({n})" for c, n in Counter(c for p in plans for c in p.failing).most_common(8)
        ),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="communes (default 188)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 2023)")
    parser.add_argument(
        "--year", type=int, default=DEFAULT_YEAR, help="assessment year (default 2023)"
    )
    parser.add_argument(
        "--out", type=Path, default=HERE, help="output directory (default: examples/)"
    )
    parser.add_argument("--format", choices=("json", "csv", "both"), default="both")
    parser.add_argument(
        "--stem",
        help="file name without extension (default sonla-communes-YEAR, "
        "with -COUNT appended unless COUNT is 188)",
    )
    parser.add_argument(
        "--check",
        choices=("auto", "all", "sample", "none"),
        default="auto",
        help="evaluate every record with the library (all), 500 of them (sample) or none; "
        "auto: all up to 2000 records, else a sample",
    )
    parser.add_argument(
        "--ruleset", default=RULESET_ID, help=f"ruleset id or file to calibrate on ({RULESET_ID})"
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        data = generate(args.count, args.seed, args.year, args.ruleset)
        generated = time.perf_counter()
        check = args.check if args.check != "auto" else "all" if args.count <= 2000 else "sample"
        histogram: Counter[int] = Counter()
        if check != "none":
            histogram = verify(data, None if check == "all" else 500)
    except (GeneratorError, NtmRulesError) as exc:
        print(f"generate_sonla: error: {exc}", file=sys.stderr)
        return 1
    checked = time.perf_counter()

    stem = args.stem or (
        f"sonla-communes-{args.year}" + ("" if args.count == DEFAULT_COUNT else f"-{args.count}")
    )
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    if args.format in ("json", "both"):
        path = args.out / f"{stem}.json"
        path.write_text(to_json(data), encoding="utf-8")
        written.append(path)
    if args.format in ("csv", "both"):
        path = args.out / f"{stem}.csv"
        path.write_text(to_csv(data), encoding="utf-8")
        written.append(path)
    if not args.quiet:
        print(summary(data, histogram))
        print(
            f"generated in {generated - started:.2f} s, checked ({check}) in "
            f"{checked - generated:.2f} s; wrote " + ", ".join(str(p) for p in written)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
