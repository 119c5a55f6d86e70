#!/usr/bin/env python3
"""Generate a SYNTHETIC data set of Sơn La's communes and villages for ntm-rules examples.

Nothing in the output is real data about a real commune or village. The generator is calibrated
on a few published provincial figures (see ``examples/README.md``). With the defaults (188
communes, 360 villages, seed 2023, year 2023), on Sơn La's commune ladder ``sonla.commune.2021``
exactly 54 communes reach the NTM level (as Sơn La reported in October 2023; the national set
``vn.commune.ntm.2021`` gives the same 54), 5 of them nâng cao (recognised in 2022-2023) and 1
kiểu mẫu; the others spread over 5 to 18 NTM criteria met, weakest on income (10),
multidimensional poverty (11) and environment (17). On the village ladder ``sonla.village.2021``,
41 villages (bản) reach bản NTM, 12 of them bản NTM kiểu mẫu, all in communes not yet NTM.

How it works: for each unit the generator first decides its outcome on every level of the
ladder (which criteria fail, which values are missing), then derives every input from the
loaded rulesets: each indicator's condition is solved for "holds" or "does not hold" against the
thresholds that apply to that unit (``choose_axes`` / ``resolve_params``), and a realistic value
is drawn on that side, inside what the lower levels already fixed. Fields that no condition uses
get plausible values from their kind and unit, so new input fields of the models are covered
without changing this file. Every record is then evaluated on the ladder with the library and
the planned outcome is asserted; the generator stops with an error if a single record
disagrees, or if the number of units at a level is not the target.

    python examples/generate_sonla.py                        # the checked-in example files
    python examples/generate_sonla.py --count 10000 --villages 0 --format json --out /tmp
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
from ntm_rules.ladder import Ladder, evaluate_ladder, get_ladder, level_rulesets
from ntm_rules.models.fields import KIND_BOOL, KIND_INT, KIND_NUMBER, KIND_TEXT
from ntm_rules.models.structuring import structure
from ntm_rules.models.vocabulary import FieldSpec, field_specs
from ntm_rules.result import EvaluationResult
from ntm_rules.ruleset.model import Criterion, Indicator, Ruleset
from ntm_rules.ruleset.resolve import choose_axes, resolve_params

HERE = Path(__file__).resolve().parent
RULESET_ID = "vn.commune.ntm.2021"  # the national NTM set; the communes are also checked on it
LADDER_ID = "sonla.commune.2021"  # NTM -> nâng cao -> kiểu mẫu, Sơn La's rulesets
VILLAGE_LADDER_ID = "sonla.village.2021"  # bản NTM -> bản NTM kiểu mẫu
DEFAULT_COUNT = 188
DEFAULT_VILLAGES = 360
DEFAULT_SEED = 2023
DEFAULT_YEAR = 2023
PROVINCE = "Sơn La"
REGION = "tdmnpb"
MET = "met"
NOT_MET = "not_met"
MISSING = "missing"

# -- calibration (figures for Sơn La; sources in examples/README.md) --------------------------
MET_AT_DEFAULT = 54  # communes at the NTM standard, October 2023 report
ADVANCED_AT_DEFAULT = 5  # of which at the nâng cao standard (recognised 2022-2023)
MODEL_AT_DEFAULT = 1  # synthetic: of which meeting the kiểu mẫu conditions (not recognised)
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

# Higher levels of the ladder. Nâng cao: how many of its criteria the NTM communes below it fail
# (relative weights; communes recognised NTM earlier and not ĐBKK tend to take the small gaps),
# and which criteria fail most (synthetic: income, clean water from a centralised supply,
# environment, production/OCOP, poverty, level-2 schools).
ADVANCED_WEIGHT_BY_DISTRICT = {CITY: 2.0, "Quỳnh Nhai": 3.0, "Mộc Châu": 1.5, "Mai Sơn": 1.5}
ADVANCED_GAP_WEIGHTS = {1: 4, 2: 6, 3: 7, 4: 7, 5: 6, 6: 5, 7: 4, 8: 3, 9: 3, 10: 2, 11: 1, 12: 1}
ADVANCED_CRITERION_WEIGHT = {
    "10": 10.0,
    "18": 9.0,
    "17": 8.0,
    "13": 7.0,
    "11": 6.0,
    "5": 6.0,
    "2": 5.0,
    "12": 5.0,
    "14": 4.0,
    "8": 4.0,
    "3": 3.0,
    "6": 3.0,
    "9": 3.0,
    "7": 2.0,
    "4": 1.5,
    "15": 1.5,
    "16": 1.5,
    "1": 1.0,
    "19": 1.0,
}
ADVANCED_DBKK_FACTOR = {"10": 1.5, "11": 1.5, "18": 1.3, "5": 1.2}
ADVANCED_INDICATOR_WEIGHT = {
    "18.1": 3.0,
    "18.2": 2.0,
    "17.3": 2.0,
    "17.4": 3.0,
    "13.3": 2.0,
    "13.4": 2.0,
    "5.1": 2.0,
    "5.2": 2.0,
    "2.1": 2.0,
    "2.3": 2.0,
    "12.3": 2.0,
}
# Kiểu mẫu: the nâng cao communes that are not kiểu mẫu fail 1 or 2 of its 3 conditions.
MODEL_GAP_WEIGHTS = {1: 3, 2: 1}
MODEL_CRITERION_WEIGHT = {"2": 2.0, "3": 3.0, "4": 2.0}
# A unit not planned at a level (its prerequisite not reached) still reports that level's inputs,
# mostly failing: the share of indicators that hold is LOOSE_HOLD[level] x (share of NTM criteria
# met), halved for each further level. Communes not at the NTM standard leave the inputs of the
# higher levels empty with this chance per level (nested): not assessed.
LOOSE_HOLD = (0.0, 0.5, 0.12)
LOOSE_DECAY = 0.5
UNREPORTED_SHARE = 0.5

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
    # inputs of the nâng cao and kiểu mẫu sets
    "commune_roads_maintained_pct": (40, 100),
    "alleys_hardened_pct": (30, 100),
    "field_roads_hardened_pct": (20, 95),
    "water_saving_irrigation_pct": (0, 25),
    "irrigation_works_maintained_pct": (50, 100),
    "schools_facility_level2_pct": (10, 80),
    "national_standard_level2_schools": (0, 2),
    "cultural_families_pct": (70, 98),
    "smartphone_subscribers_pct": (40, 90),
    "trained_certified_workers_pct": (8, 40),
    "ocop_products": (0, 4),
    "elderly_health_managed_pct": (50, 100),
    "mediation_success_pct": (70, 100),
    "legal_aid_provided_pct": (80, 100),
    "solid_waste_treated_pct": (20, 95),
    "organic_waste_reused_pct": (5, 60),
    "wastewater_treated_pct": (0, 40),
    "centralised_clean_water_pct": (10, 80),
    "water_works_sustainable_pct": (20, 90),
    "smart_village_models": (0, 2),
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
    "{ruleset} version {version} (the 54 of Sơn La's October 2023 report, for 188 communes){ladder}."
)
LADDER_NOTE = "; on the ladder {ladder}: {reached}"

# -- villages (bản): the programme's village standard in communes not yet NTM -----------------
VILLAGE_NTM_AT_DEFAULT = 41  # villages at bản NTM (22-NQ/TU target for 2025: 41, 17 kiểu mẫu)
VILLAGE_MODEL_AT_DEFAULT = 12  # of which at bản NTM kiểu mẫu
VILLAGE_SLIPPED_AT_DEFAULT = 3  # synthetic: recognised bản NTM in 2022, failing a criterion now
VILLAGE_IN_NTM_COMMUNES_SHARE = 0.1  # the others are in communes not yet NTM
VILLAGE_MISSING_SHARE = 0.10  # villages with 1-2 values not reported
VILLAGE_UNDECIDED_AT_DEFAULT = 3  # of which lacking only the values of the criterion not met
VILLAGE_RECOGNISED_SHARE = 0.6  # villages at bản NTM with a recognition year (2022 or later)
VILLAGE_MODEL_RECOGNISED_SHARE = 0.5  # kiểu mẫu villages recognised as such (in YEAR)
# Criteria met by villages not at bản NTM (of 10; relative weights).
VILLAGE_K_WEIGHTS = {2: 1, 3: 3, 4: 6, 5: 9, 6: 11, 7: 11, 8: 9, 9: 6}
VILLAGE_CRITERION_WEIGHT = {
    "V5": 10.0,  # income
    "V6": 10.0,  # multidimensional poverty
    "V9": 8.0,  # environment
    "V4": 6.0,  # housing
    "V1": 6.0,  # roads
    "V7": 5.0,  # production organisation
    "V8": 4.0,  # education, health, culture
    "V2": 3.0,  # power
    "V3": 2.0,  # culture house
    "V10": 1.0,  # security
}
VILLAGE_DBKK_FACTOR = {"V5": 1.5, "V6": 1.5, "V4": 1.3}
VILLAGE_INDICATOR_WEIGHT = {"V9.2": 3.0, "V9.3": 2.0, "V4.2": 2.0, "V1.1": 2.0}
VILLAGE_MODEL_GAP_WEIGHTS = {1: 4, 2: 3, 3: 2}  # bản NTM not kiểu mẫu: conditions failed
VILLAGE_MODEL_CRITERION_WEIGHT = {"K1": 3.0, "K2": 4.0, "K3": 2.0, "K4": 3.0, "K5": 0.5}
VILLAGE_LOOSE_HOLD = (0.0, 0.35)
VILLAGE_RANGE: dict[str, tuple[float, float]] = {  # a village of a poorer commune
    "village_roads_hardened_pct": (30, 100),
    "alleys_clean_pct": (40, 100),
    "households_safe_power_pct": (80, 100),
    "temporary_houses": (0, 12),
    "solid_houses_pct": (40, 100),
    "income_per_capita": (16, 48),
    "multidimensional_poverty_pct": (4, 45),
    "school_age_attendance_pct": (85, 100),
    "health_insurance_pct": (80, 100),
    "hygienic_water_pct": (70, 100),
    "households_sanitation_pct": (25, 95),
    "model_gardens": (0, 6),
    "resident_satisfaction_pct": (80, 100),
}
VILLAGE_NAME_FIRST = (
    "Nà",
    "Huổi",
    "Pá",
    "Co",
    "Phiêng",
    "Noong",
    "Búng",
    "Hua",
    "Lọng",
    "Bó",
    "Nậm",
    "Tà",
)
VILLAGE_NOTE = (
    "SYNTHETIC DATA: invented villages (bản) of Sơn La province for examples, tests and "
    "benchmarks of ntm-rules; no value describes a real village. Each commune_code is a "
    "synthetic commune of {communes}. Generated by examples/generate_sonla.py (villages {count}, "
    "seed {seed}, year {year}); on the ladder {ladder} (PLACEHOLDER rulesets: Sơn La's village "
    "criteria were not found): {reached}."
)

STEP_NUMBER = 0.1  # every decimal value has one decimal
MARGIN_SHARE = 0.04  # keep values this share of their range away from thresholds when possible


class GeneratorError(RuntimeError):
    """The ruleset asks for something the generator cannot produce, or a check failed."""


@dataclass(frozen=True)
class LevelWeights:
    """How likely each criterion (and indicator) of a level is to be the one that fails."""

    criterion: Mapping[str, float] = field(default_factory=dict)
    indicator: Mapping[str, float] = field(default_factory=dict)
    dbkk_factor: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Calibration:
    """What is realistic for one kind of unit: failure weights by level, value ranges."""

    name: str  # also keys the cache of value ranges
    levels: tuple[LevelWeights, ...]  # by ladder level, lowest first
    loose_hold: tuple[float, ...]  # by level: see LOOSE_HOLD
    unreported: float  # see UNREPORTED_SHARE
    ranges: Mapping[str, tuple[float, float]]
    true_share: Mapping[str, float] = field(default_factory=lambda: TRUE_SHARE)

    def weights(self, level: int) -> LevelWeights:
        return self.levels[level] if level < len(self.levels) else LevelWeights()


COMMUNES = Calibration(
    "communes",
    (
        LevelWeights(CRITERION_WEIGHT, INDICATOR_WEIGHT, DBKK_CRITERION_FACTOR),
        LevelWeights(ADVANCED_CRITERION_WEIGHT, ADVANCED_INDICATOR_WEIGHT, ADVANCED_DBKK_FACTOR),
        LevelWeights(MODEL_CRITERION_WEIGHT),
    ),
    LOOSE_HOLD,
    UNREPORTED_SHARE,
    NATURAL_RANGE,
)
VILLAGES = Calibration(
    "villages",
    (
        LevelWeights(VILLAGE_CRITERION_WEIGHT, VILLAGE_INDICATOR_WEIGHT, VILLAGE_DBKK_FACTOR),
        LevelWeights(VILLAGE_MODEL_CRITERION_WEIGHT),
    ),
    VILLAGE_LOOSE_HOLD,
    0.0,  # villages report every input (the ~10% with a missing value are planned)
    {**NATURAL_RANGE, **VILLAGE_RANGE},
)


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
def natural_range(spec: FieldSpec, cal: Calibration = COMMUNES) -> tuple[float, float]:
    found = cal.ranges.get(spec.name) or RANGE_BY_UNIT.get(spec.unit)
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


_RANGES: dict[tuple[str, str, str, str | None, tuple[Constraint, ...]], NumberRange] = {}


def number_range(
    spec: FieldSpec, constraints: tuple[Constraint, ...], cal: Calibration = COMMUNES
) -> NumberRange:
    """The values inside every constraint, inside the natural range when possible (cached)."""
    key = (cal.name, spec.name, spec.kind, spec.unit, constraints)
    found = _RANGES.get(key)
    if found is None:
        found = _RANGES[key] = _number_range(spec, constraints, cal)
    return found


def _number_range(
    spec: FieldSpec, constraints: tuple[Constraint, ...], cal: Calibration
) -> NumberRange:
    step = 1.0 if spec.kind == KIND_INT else STEP_NUMBER
    nat_low, nat_high = natural_range(spec, cal)
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
    # (a count in a small range, e.g. 0-2 OCOP products, may sit on its threshold)
    margin = max(0 if spec.kind == KIND_INT else 1, round((n_hi - n_lo) * MARGIN_SHARE))
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
    spec: FieldSpec,
    constraints: tuple[Constraint, ...],
    rng: random.Random,
    cal: Calibration = COMMUNES,
) -> float | int:
    """A value inside every constraint, inside the natural range when possible, one decimal."""
    r = number_range(spec, constraints, cal)
    while True:
        if r.mode is not None:  # near misses are more common than far ones
            units = round(rng.triangular(r.low, r.high, r.mode))
        else:
            units = r.low + int(rng.random() * (r.high - r.low + 1))  # randint, faster
        if units not in r.excluded:
            return units if r.whole else units / 10  # one decimal, printed without noise


def draw_bool(
    spec: FieldSpec,
    constraints: Sequence[Constraint],
    rng: random.Random,
    cal: Calibration = COMMUNES,
) -> bool:
    if not constraints:
        return rng.random() < cal.true_share.get(spec.name, DEFAULT_TRUE_SHARE)
    wanted = _bool_values(constraints)
    if len(wanted) > 1:
        raise GeneratorError(f"field '{spec.name}' must be both true and false")
    return wanted.pop()


def _bool_values(constraints: Iterable[Constraint]) -> set[bool]:
    return {bool(c.bound) if c.op == "==" else not c.bound for c in constraints}


def draw(
    spec: FieldSpec,
    constraints: tuple[Constraint, ...],
    rng: random.Random,
    cal: Calibration = COMMUNES,
) -> Any:
    """A plausible value of any field: from its constraints, else from its kind and unit."""
    if spec.kind == KIND_BOOL:
        return draw_bool(spec, constraints, rng, cal)
    if spec.kind in (KIND_NUMBER, KIND_INT):
        if spec.unit == "year" and not constraints:
            return None  # a year of some event: none unless a rule needs one
        return draw_number(spec, constraints, rng, cal)
    if spec.kind == KIND_TEXT:
        return draw_text(spec, constraints, rng)
    return None


def _text_options(spec: FieldSpec, constraints: Sequence[Constraint]) -> list[str]:
    options: list[str] = list(spec.choices)
    for c in constraints:
        if c.op == "==":
            options = [str(c.bound)]
        elif c.op == "in":
            options = [o for o in (options or [str(b) for b in c.bound]) if o in c.bound]
        elif c.op in ("!=", "not in"):
            banned = c.bound if c.op == "not in" else (c.bound,)
            options = [o for o in options if o not in banned]
    return options


def draw_text(spec: FieldSpec, constraints: Sequence[Constraint], rng: random.Random) -> str | None:
    options = _text_options(spec, constraints)
    return rng.choice(options) if options else None


def fits(spec: FieldSpec, constraints: tuple[Constraint, ...], cal: Calibration) -> bool:
    """Whether some value of the field satisfies every constraint."""
    if spec.kind == KIND_BOOL:
        return len(_bool_values(constraints)) <= 1
    if spec.kind in (KIND_NUMBER, KIND_INT):
        try:
            number_range(spec, constraints, cal)
        except GeneratorError:
            return False
        return True
    if spec.kind == KIND_TEXT:
        return not constraints or bool(_text_options(spec, constraints))
    return True


# -- the rulesets of a ladder, prepared once --------------------------------------------------
@dataclass(frozen=True, eq=False)
class Item:
    """An indicator (or recognition condition) with what the generator needs to know of it."""

    key: str  # "0:10/10", "1:17/17.1" (level:criterion/indicator); "0:R/R1" for recognition
    criterion: str | None  # criterion id; None for a recognition condition
    indicator: Indicator
    fields: tuple[str, ...]  # inputs its condition reads


@dataclass(frozen=True)
class Prepared:
    """One ruleset (a level of the ladder), read once: indicators and which inputs decide what."""

    level: int  # 0 for the first level of the ladder
    ruleset: Ruleset
    criteria: tuple[tuple[Criterion, tuple[Item, ...]], ...]
    recognition: tuple[Item, ...]
    applies_fields: tuple[str, ...]  # inputs that decide applicability (never left empty)
    axis_inputs: tuple[str, ...]  # inputs that decide the row of the threshold tables

    @property
    def items(self) -> tuple[Item, ...]:
        return (*(it for _, items in self.criteria for it in items), *self.recognition)


@dataclass(frozen=True)
class PreparedLadder:
    """Every level of a ladder (or a single ruleset), over one input model."""

    ladder: Ladder | None
    levels: tuple[Prepared, ...]
    specs: tuple[FieldSpec, ...]
    order: Mapping[str, int]  # field name -> position in the model
    applies_fields: tuple[str, ...]  # of every level
    own_fields: tuple[frozenset[str], ...]  # by level: inputs no lower level reads

    @property
    def rulesets(self) -> tuple[Ruleset, ...]:
        return tuple(p.ruleset for p in self.levels)

    def spec(self, name: str) -> FieldSpec:
        return self.specs[self.order[name]]


@dataclass
class Cache:
    """What does not depend on the unit drawn: thresholds and solved conditions."""

    params: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    solved: dict[tuple[Any, ...], tuple[Constraint, ...]] = field(default_factory=dict)


def _inputs(expr: Expr | None) -> tuple[str, ...]:
    if expr is None:
        return ()
    return tuple(dict.fromkeys(n.dotted for n in names_in(expr) if not n.is_param))


def prepare(ruleset: Ruleset, level: int = 0) -> Prepared:
    def item(criterion: str | None, indicator: Indicator) -> Item:
        key = f"{level}:{criterion or 'R'}/{indicator.id}"
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
    return Prepared(level, ruleset, criteria, recognition, tuple(applies), tuple(axis_inputs))


def prepare_ladder(ladder: Ladder | None, ruleset: Ruleset | None = None) -> PreparedLadder:
    """A ladder's levels, or a single ``ruleset`` when ``ladder`` is None."""
    rulesets = level_rulesets(ladder) if ladder is not None else (ruleset,) if ruleset else ()
    if not rulesets:
        raise GeneratorError("nothing to calibrate on: give a ladder or a ruleset")
    models = {r.model for r in rulesets}
    if len(models) != 1:
        raise GeneratorError("the levels of the ladder read different input models")
    levels = tuple(prepare(r, n) for n, r in enumerate(rulesets))
    specs = field_specs(rulesets[0].model)
    applies = tuple(dict.fromkeys(f for p in levels for f in p.applies_fields))
    decided = set(applies) | {f for p in levels for f in p.axis_inputs}
    own: list[frozenset[str]] = []
    seen: set[str] = set()
    for p in levels:
        read = {f for it in p.items for f in it.fields} - decided
        own.append(frozenset(read - seen))
        seen |= read
    return PreparedLadder(
        ladder,
        levels,
        specs,
        {s.name: n for n, s in enumerate(specs)},
        applies,
        tuple(own),
    )


# -- planning the province ---------------------------------------------------------------------
@dataclass(eq=False)
class Plan:
    """What one unit (commune or village) is planned to be, level by level."""

    index: int
    code: str
    name: str
    district: str
    dbkk: bool = False
    atk: bool = False
    poor_district: bool = False
    target: str = NOT_MET  # met | not_met | missing: the status expected at the first level
    criteria_met: int = 0  # at the first level
    slipped: bool = False
    missing_values: int = 0
    ntm_year: int | None = None  # recognised at the first level (recognised_*ntm_year)
    advanced_year: int | None = None  # recognised nâng cao (communes)
    model_year: int | None = None  # recognised kiểu mẫu
    failing: list[str] = field(default_factory=list)  # criterion ids, first level
    missing_criteria: list[str] = field(default_factory=list)
    place: int = -1  # the highest level of the ladder reached (-1: none)
    # Higher levels planned exactly: level -> criteria to fail (0: the level is met). A level
    # left out is drawn loosely (mostly failing): the unit cannot reach it anyway.
    gaps: dict[int, int] = field(default_factory=dict)
    upper_failing: dict[int, list[str]] = field(default_factory=dict)
    commune: Plan | None = None  # a village's commune


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


def synthetic_names(
    count: int,
    rng: random.Random,
    kind: str = "Xã",
    first: Sequence[str] = NAME_FIRST,
    second: Sequence[str] = NAME_SECOND,
) -> list[str]:
    """Names in the form of Sơn La's communes (or villages, ``kind`` "Bản"), numbered and tagged
    so that none passes for a real one."""
    pairs = [(a, b) for a in first for b in second]
    names: list[str] = []
    while len(names) < count:
        rng.shuffle(pairs)
        names += [
            unicodedata.normalize("NFC", f"{kind} {a} {b} {len(names) + n + 1:02d} (tổng hợp)")
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
    # Recognised nâng cao in 2022 or later, under the 2021-2025 set (a recognition under the
    # 2016-2020 set, before 2022, would not count for kiểu mẫu).
    eligible = [p for p in met if p.ntm_year is not None and p.ntm_year <= year - 2]
    for p in weighted_sample(
        eligible, advanced_weight, min(len(eligible), scaled(ADVANCED_AT_DEFAULT, count)), rng
    ):
        assert p.ntm_year is not None
        p.advanced_year = rng.randint(max(p.ntm_year + 1, 2022), max(year, 2022))
    return plans


def advanced_weight(p: Plan) -> float:
    """How likely an NTM commune is to be among those at nâng cao (or kiểu mẫu)."""
    return ADVANCED_WEIGHT_BY_DISTRICT.get(p.district, 1.0) * (1.0 if p.dbkk else 3.0)


def _expand(counts: Mapping[int, int]) -> list[int]:
    return [k for k, n in counts.items() for _ in range(n)]


def plan_upper_communes(
    plans: Sequence[Plan], n_levels: int, year: int, count: int, rng: random.Random
) -> None:
    """Places on the ladder NTM -> nâng cao -> kiểu mẫu, and the gaps to the next level."""
    met = [p for p in plans if p.target == MET]
    for p in met:
        p.place = 0
    if n_levels < 2:
        return
    advanced = [p for p in met if p.advanced_year is not None]
    for p in advanced:
        p.place, p.gaps[1] = 1, 0
    # The others: recognised NTM earlier and not ĐBKK tend to be closer to nâng cao.
    others = [p for p in met if p.advanced_year is None]
    ks = sorted(_expand(quotas(len(others), ADVANCED_GAP_WEIGHTS)))
    ranked = sorted(others, key=lambda p: (p.ntm_year or year) + 6.0 * rng.random() + 2.0 * p.dbkk)
    for p, k in zip(ranked, ks, strict=True):
        p.gaps[1] = k
    if n_levels < 3:
        return
    model = weighted_sample(
        advanced, advanced_weight, min(len(advanced), scaled(MODEL_AT_DEFAULT, count)), rng
    )
    for p in model:
        p.place, p.gaps[2] = 2, 0
    rest = [p for p in advanced if p not in model]
    for p, k in zip(rest, _expand(quotas(len(rest), MODEL_GAP_WEIGHTS)), strict=True):
        p.gaps[2] = k


def plan_villages(
    communes: Sequence[Plan], count: int, year: int, n_criteria: int, rng: random.Random
) -> list[Plan]:
    """Villages (bản) of the synthetic communes, mostly in communes not yet NTM, and their
    places on the village ladder (bản NTM -> bản NTM kiểu mẫu)."""
    not_ntm = [c for c in communes if c.place < 0] or list(communes)
    ntm = [c for c in communes if c.place >= 0]
    n_in_ntm = round(count * VILLAGE_IN_NTM_COMMUNES_SHARE) if ntm else 0
    hosts = rng.choices(not_ntm, [1.0 + c.dbkk for c in not_ntm], k=count - n_in_ntm)
    hosts += rng.choices(ntm, k=n_in_ntm) if ntm else []
    hosts.sort(key=lambda c: c.index)
    names = synthetic_names(count, rng, "Bản", VILLAGE_NAME_FIRST, NAME_SECOND)
    plans: list[Plan] = []
    per_commune: Counter[str] = Counter()
    for index, commune in enumerate(hosts):
        per_commune[commune.code] += 1
        plans.append(
            Plan(
                index,
                f"{commune.code}-{per_commune[commune.code]:02d}",
                names[index],
                commune.district,
                dbkk=commune.dbkk,
                commune=commune,
            )
        )

    def host(p: Plan) -> Plan:
        assert p.commune is not None
        return p.commune

    # At bản NTM: villages of communes not yet NTM, more often in communes closer to it.
    programme = [p for p in plans if host(p).place < 0]
    n_met = min(len(programme), scaled_villages(VILLAGE_NTM_AT_DEFAULT, count))
    met = weighted_sample(programme, lambda p: float(host(p).criteria_met) ** 2, n_met, rng)
    for p in met:
        p.target, p.criteria_met, p.place = MET, n_criteria, 0
    n_model = min(len(met), scaled_villages(VILLAGE_MODEL_AT_DEFAULT, count))
    model = set(rng.sample(range(len(met)), n_model))
    rest = [p for n, p in enumerate(met) if n not in model]
    for n, p in enumerate(met):
        if n in model:
            p.place, p.gaps[1] = 1, 0
    for p, k in zip(rest, _expand(quotas(len(rest), VILLAGE_MODEL_GAP_WEIGHTS)), strict=True):
        p.gaps[1] = k

    # Criteria met by the others (villages of NTM communes take the higher counts).
    others = [p for p in plans if p.target != MET]
    ks = sorted(_expand(quotas(len(others), VILLAGE_K_WEIGHTS)), reverse=True)
    ranked = sorted(others, key=lambda p: -host(p).criteria_met / n_criteria - 1.2 * rng.random())
    for p, k in zip(ranked, ks, strict=True):
        p.criteria_met = min(k, n_criteria - 1)

    # Recognised in 2022 as bản NTM, failing a criterion now (and so not kiểu mẫu either).
    close = [p for p in others if p.criteria_met >= n_criteria - 2 and host(p).place < 0]
    n_slipped = scaled_villages(VILLAGE_SLIPPED_AT_DEFAULT, count)
    for p in rng.sample(close, min(len(close), n_slipped)):
        p.slipped, p.ntm_year, p.gaps[1] = True, min(2022, year), rng.choice((1, 2))

    # Values not reported (villages not at bản NTM); a few lack only the values of the one
    # criterion they do not meet, so that their status is 'missing'.
    candidates = [p for p in others if not p.slipped]
    n_missing = min(len(candidates), round(count * VILLAGE_MISSING_SHARE))
    undecided = [p for p in candidates if p.criteria_met == n_criteria - 1]
    chosen = rng.sample(
        undecided,
        min(len(undecided), n_missing, scaled_villages(VILLAGE_UNDECIDED_AT_DEFAULT, count)),
    )
    for p in chosen:
        p.target, p.missing_values = MISSING, 1
    candidates = [p for p in candidates if p.target != MISSING]
    for p in rng.sample(candidates, min(len(candidates), n_missing - len(chosen))):
        p.missing_values = rng.choice((1, 1, 1, 2))

    # Recognition years of the villages at bản NTM (the criteria apply from 2022).
    first = min(2022, year)
    for n, p in enumerate(met):
        if rng.random() < VILLAGE_RECOGNISED_SHARE or (n in model and rng.random() < 0.5):
            p.ntm_year = rng.randint(first, year)
        if n in model and p.ntm_year is not None and rng.random() < VILLAGE_MODEL_RECOGNISED_SHARE:
            p.model_year = rng.randint(p.ntm_year, year)
    return plans


def scaled_villages(value: int, count: int) -> int:
    return value if count == DEFAULT_VILLAGES else round(count * value / DEFAULT_VILLAGES)


# -- one unit --------------------------------------------------------------------------------
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


def commune_identity(plan: Plan, year: int) -> dict[str, Any]:
    return dict(
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
                plan.model_year,
            ),
            strict=True,
        )
    )


def village_identity(plan: Plan, year: int) -> dict[str, Any]:
    assert plan.commune is not None
    return {
        "code": plan.code,
        "name": plan.name,
        "commune_code": plan.commune.code,
        "commune_name": plan.commune.name,
        "province": PROVINCE,
        "district": plan.district,
        "region": REGION,
        "year": year,
        "dbkk": plan.dbkk,
        "recognised_village_ntm_year": plan.ntm_year,
        "recognised_village_model_year": plan.model_year,
    }


class Draft:
    """One unit being drawn: its record so far and the constraints on its other inputs."""

    def __init__(
        self,
        lp: PreparedLadder,
        cal: Calibration,
        label: str,
        identity: Mapping[str, Any],
        on: dt.date,
        rng: random.Random,
        cache: Cache,
    ) -> None:
        self.lp, self.cal, self.label, self.on, self.rng, self.cache = (
            lp,
            cal,
            label,
            on,
            rng,
            cache,
        )
        self.record: dict[str, Any] = dict(identity)
        self.constraints: dict[str, list[Constraint]] = {}
        self._params: dict[int, tuple[dict[str, Any], tuple[Any, ...]]] = {}
        self._solutions: dict[tuple[str, bool, bool], tuple[Constraint, ...]] = {}

    def params(self, prep: Prepared) -> tuple[dict[str, Any], tuple[Any, ...]]:
        """Thresholds of a level that apply to this unit (by its axis values; cached)."""
        found = self._params.get(prep.level)
        if found is None:
            axis_key = tuple(self.record.get(n) for n in prep.axis_inputs)
            key = (prep.level, axis_key)
            params = self.cache.params.get(key)
            if params is None:
                values = dict(zip(prep.axis_inputs, axis_key, strict=True))
                axes = choose_axes(prep.ruleset, values, self.label)
                resolved = resolve_params(prep.ruleset, self.on, axes)
                params = {f"param.{n}": p.value for n, p in resolved.items()}
                self.cache.params[key] = params
            found = self._params[prep.level] = (params, axis_key)
        return found

    def solution(
        self, prep: Prepared, it: Item, holds: bool, passing: bool
    ) -> tuple[Constraint, ...]:
        """Constraints on inputs under which ``it`` holds (or not); the same answer every time
        for this unit."""
        key = (it.key, holds, passing)
        found = self._solutions.get(key)
        if found is None:
            params, axis_key = self.params(prep)
            shared_key = (it.key, holds, passing, axis_key)
            found = self.cache.solved.get(shared_key)
            if found is None:
                out: list[Constraint] = []
                solve(it.indicator.condition, holds, params, self.rng, out, passing)
                found = tuple(out)
                if not needs_choice(it.indicator.condition, holds):
                    self.cache.solved[shared_key] = found
            self._solutions[key] = found
        return found

    def fits(self, new: Iterable[Constraint]) -> bool:
        by_field: dict[str, list[Constraint]] = {}
        for c in new:
            by_field.setdefault(c.field, []).append(c)
        return all(
            fits(self.lp.spec(name), (*self.constraints.get(name, ()), *extra), self.cal)
            for name, extra in by_field.items()
        )

    def can(self, prep: Prepared, it: Item, holds: bool) -> bool:
        return self.fits(self.solution(prep, it, holds, holds))

    def attempt(self, prep: Prepared, it: Item, holds: bool, passing: bool | None = None) -> bool:
        """Add the constraints making ``it`` hold (or not) if they fit what is fixed already."""
        found = self.solution(prep, it, holds, holds if passing is None else passing)
        if not self.fits(found):
            return False
        for c in found:
            self.constraints.setdefault(c.field, []).append(c)
        return True

    def require(self, prep: Prepared, it: Item, holds: bool) -> None:
        if not self.attempt(prep, it, holds):
            raise GeneratorError(
                f"{self.label}: {prep.ruleset.id} indicator {it.indicator.id} cannot "
                f"{'hold' if holds else 'fail'} together with the other levels"
            )


def build_record(
    plan: Plan,
    identity: Mapping[str, Any],
    lp: PreparedLadder,
    cal: Calibration,
    on: dt.date,
    rng: random.Random,
    cache: Cache,
) -> dict[str, Any]:
    """Draw one unit's inputs so that it comes out as ``plan`` says on every level (``plan`` is
    completed with the criteria chosen to fail or to lack a value)."""
    draft = Draft(lp, cal, plan.code, identity, on, rng, cache)
    record = draft.record

    # Facts that decide applicability first (e.g. has_craft_village), then what applies.
    for name in lp.applies_fields:
        if name not in record:
            record[name] = draw(lp.spec(name), (), rng, cal)
    applicable: dict[str, bool] = {}
    for prep in lp.levels:
        scope = {**record, **draft.params(prep)[0]}
        for it in prep.items:
            applicable[it.key] = it.indicator.applies_if is None or bool(
                evaluate_expr(it.indicator.applies_if, scope)
            )

    # The first level: which criteria fail and which lack a value.
    base = lp.levels[0]
    weights = cal.weights(0)
    open_criteria = [c for c, items in base.criteria if any(applicable[it.key] for it in items)]
    not_met: list[Criterion] = []
    if plan.target != MET:
        factor = weights.dbkk_factor if plan.dbkk else {}
        not_met = weighted_sample(
            open_criteria,
            lambda c: weights.criterion.get(c.id, DEFAULT_CRITERION_WEIGHT) * factor.get(c.id, 1.0),
            len(base.ruleset.criteria) - plan.criteria_met,
            rng,
        )
    missing_criteria: list[Criterion] = []
    allowed = [c for c in not_met if c.policy.kind == "all"]
    if plan.target == MISSING and len(allowed) == len(not_met):
        missing_criteria = allowed
    elif plan.missing_values and allowed:
        missing_criteria = [rng.choice(allowed)]
    plan.missing_criteria = [c.id for c in missing_criteria]
    plan.failing = [c.id for c in not_met if c.id not in plan.missing_criteria]
    plan.target = MET if not not_met else NOT_MET if plan.failing else MISSING

    # Every applicable indicator holds except one or two of each failing criterion.
    failed: list[Item] = []
    for criterion, items in base.criteria:
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
                candidates, lambda it: weights.indicator.get(it.indicator.id, 1.0), n_fail, rng
            )
        failed += failing
        for it in candidates:
            draft.require(base, it, it not in failing)
    for it in base.recognition:
        draft.require(base, it, plan.target == MET or rng.random() >= RECOGNITION_FAIL_RATE)

    # The higher levels: exactly as planned where the unit can reach them, else loosely.
    n_first = len(base.ruleset.criteria)
    unreported_from: int | None = None
    for prep in lp.levels[1:]:
        gap = plan.gaps.get(prep.level)
        if gap is not None:
            plan.gaps[prep.level], plan.upper_failing[prep.level] = constrain_level(
                draft, prep, gap, applicable, cal.weights(prep.level), plan.dbkk
            )
            continue
        if unreported_from is None and plan.place < 0:
            chance = 1.0 - (1.0 - cal.unreported) ** prep.level
            if rng.random() < chance:
                unreported_from = prep.level
        if unreported_from is not None:
            continue
        share = cal.loose_hold[prep.level] if prep.level < len(cal.loose_hold) else 0.0
        share *= plan.criteria_met / n_first * LOOSE_DECAY ** max(0, prep.level - plan.place - 2)
        for it in prep.items:
            if applicable[it.key]:
                holds = rng.random() < share
                if not draft.attempt(prep, it, holds, True):
                    draft.attempt(prep, it, not holds, True)

    # Every other field, from its constraints or from its kind and unit; the inputs of levels
    # the unit does not report stay empty.
    silent = {f for own in lp.own_fields[unreported_from or len(lp.levels) :] for f in own}
    for spec in lp.specs:
        if spec.name not in record:
            if spec.name in silent:
                record[spec.name] = None
            else:
                found = tuple(draft.constraints.get(spec.name, ()))
                record[spec.name] = draw(spec, found, rng, cal)

    # An indicator that does not apply has nothing to report (e.g. no craft village, no plan).
    all_items = [it for prep in lp.levels for it in prep.items]
    used = {f for it in all_items if applicable[it.key] for f in it.fields}
    for it in all_items:
        if not applicable[it.key]:
            for name in it.fields:
                if name not in used and name not in lp.applies_fields:
                    record[name] = None

    # Values not reported: one in each criterion chosen to be 'missing', the others where they
    # cannot change a status already decided (criteria not met, recognition conditions, and
    # nothing a higher level planned exactly reads).
    if plan.missing_values:
        first_items = list(base.items)
        not_met_ids = {c.id for c in not_met}
        blocked = {
            f
            for it in first_items
            if (it.criterion is not None and it.criterion not in not_met_ids) or it in failed
            for f in it.fields
        } | set(lp.applies_fields)
        blocked |= {
            f
            for prep in lp.levels[1:]
            if prep.level in plan.gaps
            for it in prep.items
            for f in it.fields
        }

        def open_fields(items: Iterable[Item]) -> list[str]:
            found = {f for it in items if applicable[it.key] for f in it.fields} - blocked
            return sorted(found, key=lp.order.__getitem__)

        chosen: list[str] = []
        for criterion in missing_criteria:
            chosen.append(
                rng.choice(open_fields(it for it in first_items if it.criterion == criterion.id))
            )
        others = [f for f in open_fields(first_items) if f not in chosen]
        chosen += rng.sample(others, max(0, min(len(others), plan.missing_values - len(chosen))))
        for name in chosen:
            record[name] = None
        plan.missing_values = len(chosen)
    return {spec.name: record.get(spec.name) for spec in lp.specs}


def _need(criterion: Criterion, n: int, holds: bool) -> int:
    """How many of ``n`` indicators must hold (or, for ``holds`` False, fail) for the
    criterion to hold (or fail)."""
    kind, k = criterion.policy.kind, criterion.policy.k
    if holds:
        return n if kind == "all" else 1 if kind == "any" else k
    return 1 if kind == "all" else n if kind == "any" else n - k + 1


def constrain_level(
    draft: Draft,
    prep: Prepared,
    gap: int,
    applicable: Mapping[str, bool],
    weights: LevelWeights,
    dbkk: bool,
) -> tuple[int, list[str]]:
    """Make exactly ``gap`` criteria of a higher level fail (all hold for 0), inside what the
    lower levels fixed. A criterion that cannot hold any more fails too, so the gap may grow
    (never for a level planned as met). Returns the gap and the failing criterion ids."""
    rng = draft.rng
    open_ = [(c, [it for it in items if applicable[it.key]]) for c, items in prep.criteria]
    open_ = [(c, its) for c, its in open_ if its]
    can_hold = {it.key: draft.can(prep, it, True) for _, its in open_ for it in its}
    can_fail = {it.key: draft.can(prep, it, False) for _, its in open_ for it in its}

    def possible(c: Criterion, its: list[Item], holds: bool) -> bool:
        table = can_hold if holds else can_fail
        return sum(table[it.key] for it in its) >= _need(c, len(its), holds)

    forced = [c for c, its in open_ if not possible(c, its, True)]
    if gap == 0 and forced:
        raise GeneratorError(
            f"{draft.label}: planned at {prep.ruleset.id} but criteria "
            f"{', '.join(c.id for c in forced)} cannot hold given the lower levels"
        )
    pool = [c for c, its in open_ if c not in forced and possible(c, its, False)]
    k = max(gap, len(forced))
    if k - len(forced) > len(pool):
        raise GeneratorError(f"{draft.label}: cannot make {k} criteria of {prep.ruleset.id} fail")
    factor = weights.dbkk_factor if dbkk else {}
    chosen = forced + weighted_sample(
        pool,
        lambda c: weights.criterion.get(c.id, DEFAULT_CRITERION_WEIGHT) * factor.get(c.id, 1.0),
        k - len(forced),
        rng,
    )

    def weight(it: Item) -> float:
        return weights.indicator.get(it.indicator.id, 1.0)

    for criterion, its in open_:
        fails = criterion in chosen
        # Indicators with only one possible outcome take it; the others are chosen.
        fixed_fail = [it for it in its if not can_hold[it.key]]
        fixed_hold = [it for it in its if not can_fail[it.key]]
        free = [it for it in its if it not in fixed_fail and it not in fixed_hold]
        if fails:
            wanted = _need(criterion, len(its), False)
            if criterion.policy.kind == "all" and len(its) > 1 and rng.random() < 0.3:
                wanted = 2
            extra = max(0, wanted - len(fixed_fail))
            failing = fixed_fail + weighted_sample(free, weight, extra, rng)
        else:
            need = _need(criterion, len(its), True)
            if criterion.policy.kind != "all":  # any / at least k: one more holds at times
                need = min(len(its), need + (rng.random() < 0.3))
            extra = max(0, need - len(fixed_hold))
            holding = fixed_hold + weighted_sample(free, lambda it: 1.0, extra, rng)
            failing = [it for it in its if it not in holding]
        for it in its:
            draft.require(prep, it, it not in failing)
    for it in prep.recognition:
        if applicable[it.key]:
            if k == 0:
                draft.require(prep, it, True)
            else:
                holds = rng.random() >= RECOGNITION_FAIL_RATE
                if not draft.attempt(prep, it, holds):
                    draft.attempt(prep, it, not holds)
    return k, [c.id for c in chosen]


# -- the data sets -----------------------------------------------------------------------------
@dataclass
class Dataset:
    unit: str  # "communes" or "villages"
    count: int
    seed: int
    year: int
    lp: PreparedLadder
    plans: list[Plan]
    records: list[dict[str, Any]]
    targets: tuple[int, ...]  # units expected at or above each level of the ladder
    check: Ruleset | None = None  # a single ruleset the first level must agree with

    @property
    def ruleset(self) -> Ruleset:
        """The first level's ruleset."""
        return self.lp.levels[0].ruleset

    @property
    def met(self) -> int:
        return sum(p.target == MET for p in self.plans)

    def reached(self, level: int) -> int:
        return sum(p.place >= level for p in self.plans)


def _check_year(rulesets: Iterable[Ruleset], on: dt.date) -> None:
    for ruleset in rulesets:
        if on < ruleset.valid_from or (
            ruleset.valid_until is not None and on > ruleset.valid_until
        ):
            raise GeneratorError(f"{ruleset.id} does not apply in {on.year}")


def _ladder(ladder_id: str | None) -> Ladder | None:
    return None if ladder_id in (None, "", "none") else get_ladder(ladder_id)


def generate(
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    year: int = DEFAULT_YEAR,
    ruleset_id: str = RULESET_ID,
    ladder_id: str | None = LADDER_ID,
) -> Dataset:
    """Plan and build ``count`` synthetic communes (not yet checked; see :func:`verify`).

    With a ladder the communes are calibrated on its levels and ``ruleset_id`` is a ruleset
    the first level must agree with; without one (``ladder_id`` None or "none") they are
    calibrated on ``ruleset_id`` alone."""
    if count < 1:
        raise GeneratorError("--count must be at least 1")
    ruleset = get_ruleset(ruleset_id)
    lp = prepare_ladder(_ladder(ladder_id), ruleset)
    if lp.ladder is not None and ruleset.model is not lp.levels[0].ruleset.model:
        raise GeneratorError(f"{ruleset.id} and the ladder {lp.ladder.id} read different inputs")
    on = dt.date(year, 12, 31)
    _check_year((ruleset, *lp.rulesets), on)
    rng = random.Random(seed)
    plans = plan_province(count, year, len(lp.levels[0].ruleset.criteria), rng)
    plan_upper_communes(plans, len(lp.levels), year, count, rng)
    cache = Cache()
    records = [
        build_record(p, commune_identity(p, year), lp, COMMUNES, on, rng, cache) for p in plans
    ]
    targets = (
        scaled(MET_AT_DEFAULT, count),
        min(scaled(ADVANCED_AT_DEFAULT, count), scaled(MET_AT_DEFAULT, count)),
        scaled(MODEL_AT_DEFAULT, count),
    )[: len(lp.levels)]
    check = ruleset if lp.ladder is not None else None
    return Dataset("communes", count, seed, year, lp, plans, records, targets, check)


def generate_villages(
    communes: Dataset, count: int = DEFAULT_VILLAGES, ladder_id: str = VILLAGE_LADDER_ID
) -> Dataset:
    """Plan and build ``count`` synthetic villages of the communes of ``communes``."""
    if count < 1:
        raise GeneratorError("--villages must be at least 1 (or 0 for none)")
    ladder = get_ladder(ladder_id)
    lp = prepare_ladder(ladder)
    on = dt.date(communes.year, 12, 31)
    _check_year(lp.rulesets, on)
    rng = random.Random(communes.seed * 1_000_003 + 360)
    plans = plan_villages(
        communes.plans, count, communes.year, len(lp.levels[0].ruleset.criteria), rng
    )
    cache = Cache()
    records = [
        build_record(p, village_identity(p, communes.year), lp, VILLAGES, on, rng, cache)
        for p in plans
    ]
    n_met = sum(p.target == MET for p in plans)
    targets = (
        scaled_villages(VILLAGE_NTM_AT_DEFAULT, count),
        min(n_met, scaled_villages(VILLAGE_MODEL_AT_DEFAULT, count)),
    )[: len(lp.levels)]
    return Dataset("villages", count, communes.seed, communes.year, lp, plans, records, targets)


@dataclass
class Checked:
    """What the library found: criteria met at each level, by planned place."""

    evaluated: int = 0
    first: Counter[int] = field(default_factory=Counter)  # criteria met at the first level
    upper: dict[int, Counter[int]] = field(default_factory=dict)  # level -> criteria met
    places: Counter[int] = field(default_factory=Counter)


def _results(data: Dataset, model: Any) -> tuple[EvaluationResult, ...]:
    if data.lp.ladder is not None:
        return evaluate_ladder(data.lp.ladder, model, year=data.year).results
    return (evaluator_for(data.ruleset).evaluate(model, year=data.year),)


def verify(data: Dataset, sample: int | None = None) -> Checked:
    """Check the records with the library; raise :class:`GeneratorError` on any disagreement.

    Every record is read into the model (types and ranges). Every record, or only ``sample``
    of them spread evenly (for very large sets), is evaluated on the ladder: its place, its
    status and number of criteria met at the first level, and at every higher level planned
    exactly, must be the planned ones; a unit at a level must also meet its recognition
    conditions. For communes the single ruleset to check against (``vn.commune.ntm.2021``)
    must give the first level's status and criteria. With every record evaluated, the number
    of units at or above each level must be the target (54, 5 and 1 for 188 communes).
    """
    model = data.ruleset.model
    for level, target in enumerate(data.targets):
        if data.reached(level) != target:
            raise GeneratorError(
                f"{data.unit}: expected {target} at or above level {level}, "
                f"planned {data.reached(level)}"
            )
    models = [
        structure(model, row, plan.code) for plan, row in zip(data.plans, data.records, strict=True)
    ]
    total = len(models)
    chosen = (
        range(total)
        if sample is None or sample >= total
        else sorted({n * total // sample for n in range(sample)})
    )
    check = evaluator_for(data.check) if data.check is not None else None
    problems: list[str] = []
    found = Checked()
    for n in chosen:
        plan = data.plans[n]
        results = _results(data, models[n])
        place = -1
        for level, result in enumerate(results):
            if result.status == MET:
                place = level
        first = results[0]
        found.evaluated += 1
        found.first[first.criteria_met] += 1
        found.places[place] += 1
        if first.status != plan.target or first.criteria_met != plan.criteria_met:
            problems.append(
                f"{plan.code}: planned {plan.target} with {plan.criteria_met} criteria met, "
                f"found {first.status} with {first.criteria_met}"
            )
        if place != plan.place:
            problems.append(f"{plan.code}: planned at level {plan.place}, found at {place}")
        for level, result in enumerate(results):
            at = level <= plan.place
            if at and result.recognition_eligible != MET:
                problems.append(
                    f"{plan.code}: reaches {result.ruleset.id} but not its recognition conditions"
                )
            gap = plan.gaps.get(level)
            if level == 0 or gap is None:
                continue
            found.upper.setdefault(level, Counter())[result.criteria_met] += 1
            expected = result.criteria_total - gap
            if result.criteria_met != expected or (result.status == MET) != (gap == 0):
                problems.append(
                    f"{plan.code}: planned {expected} criteria of {result.ruleset.id}, "
                    f"found {result.status} with {result.criteria_met}"
                )
        if check is not None:
            other = check.evaluate(models[n], year=data.year)
            if (other.status, other.criteria_met) != (first.status, first.criteria_met):
                problems.append(
                    f"{plan.code}: {data.check.id if data.check else ''} gives {other.status} "
                    f"with {other.criteria_met}, {first.ruleset.id} {first.status} with "
                    f"{first.criteria_met}"
                )
    if problems:
        raise GeneratorError(
            f"{len(problems)} disagreements between the generated {data.unit} and the plan:\n  "
            + "\n  ".join(problems[:20])
        )
    if len(chosen) == total:
        for level, target in enumerate(data.targets):
            reached = sum(n for place, n in found.places.items() if place >= level)
            if reached != target:
                raise GeneratorError(
                    f"expected {target} {data.unit} at or above level {level}, found {reached}"
                )
    return found


# -- output --------------------------------------------------------------------------------------
def _reached_text(data: Dataset) -> str:
    return ", ".join(
        f"{data.reached(level)} at or above {prep.ruleset.id}"
        for level, prep in enumerate(data.lp.levels)
    )


def to_json(data: Dataset, communes_file: str | None = None) -> str:
    ladder = data.lp.ladder
    generator: dict[str, Any] = {
        "script": "examples/generate_sonla.py",
        "count": data.count,
        "seed": data.seed,
        "year": data.year,
        "ladder": ladder.id if ladder else None,
        "levels": [
            {"ruleset": r.id, "version": r.version, "reached": data.reached(n)}
            for n, r in enumerate(data.lp.rulesets)
        ],
    }
    if data.unit == "communes":
        check = data.check or data.ruleset
        generator["ruleset"] = check.id
        generator["ruleset_version"] = check.version
        note = NOTE.format(
            count=data.count,
            seed=data.seed,
            year=data.year,
            met=data.met,
            ruleset=check.id,
            version=check.version,
            ladder=LADDER_NOTE.format(ladder=ladder.id, reached=_reached_text(data))
            if ladder
            else "",
        )
    else:
        generator["communes"] = communes_file
        note = VILLAGE_NOTE.format(
            communes=communes_file,
            count=data.count,
            seed=data.seed,
            year=data.year,
            ladder=ladder.id if ladder else data.ruleset.id,
            reached=_reached_text(data),
        )
    document = {"synthetic": True, "note": note, "generator": generator, "units": data.records}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(data: Dataset) -> str:
    names = [s.name for s in data.lp.specs]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in data.records:
        writer.writerow([_cell(row[n]) for n in names])
    return buffer.getvalue()


def _histogram(counter: Counter[int]) -> str:
    return ", ".join(f"{k}: {counter[k]}" for k in sorted(counter)) or "-"


def _places(data: Dataset) -> str:
    return "; ".join(
        f"{prep.ruleset.id} {data.reached(level)}" for level, prep in enumerate(data.lp.levels)
    )


def summary(data: Dataset, checked: Checked) -> str:
    plans = data.plans
    statuses = Counter(p.target for p in plans)
    total = len(data.ruleset.criteria)
    first = data.ruleset.id
    lines = [
        f"{data.count} synthetic {data.unit}, seed {data.seed}, year {data.year}, "
        f"ladder {data.lp.ladder.id if data.lp.ladder else '-'}",
        f"at or above: {_places(data)}",
        f"{first}: " + ", ".join(f"{s} {statuses[s]}" for s in (MET, NOT_MET, MISSING)),
    ]
    if data.unit == "communes":
        lines += [
            f"at >= 15 criteria: {sum(p.criteria_met >= 15 for p in plans)}; below 15: "
            f"{sum(p.criteria_met < 15 for p in plans)}; mean criteria met "
            f"{sum(p.criteria_met for p in plans) / len(plans):.1f} of {total}",
            f"recognised NTM but slipped: {sum(p.slipped for p in plans)}; recognised nâng cao: "
            f"{sum(p.advanced_year is not None for p in plans)}; with missing values: "
            f"{sum(p.missing_values > 0 for p in plans)}; ĐBKK: {sum(p.dbkk for p in plans)}; "
            f"ATK: {sum(p.atk for p in plans)}; poor district: "
            f"{sum(p.poor_district for p in plans)}",
        ]
    else:
        in_ntm = sum(p.commune is not None and p.commune.place >= 0 for p in plans)
        lines += [
            f"in communes not yet NTM: {len(plans) - in_ntm}, in NTM communes: {in_ntm}; in "
            f"ĐBKK communes: {sum(p.dbkk for p in plans)}; communes with villages: "
            f"{len({p.commune.code for p in plans if p.commune is not None})}",
            f"recognised bản NTM: {sum(p.ntm_year is not None for p in plans)} (of which "
            f"slipped {sum(p.slipped for p in plans)}); recognised kiểu mẫu: "
            f"{sum(p.model_year is not None for p in plans)}; with missing values: "
            f"{sum(p.missing_values > 0 for p in plans)}",
        ]
    lines.append(
        f"criteria met at {first} (library, {checked.evaluated} evaluated): "
        + _histogram(checked.first)
    )
    for level, counter in sorted(checked.upper.items()):
        rid = data.lp.levels[level].ruleset.id
        lines.append(f"criteria met at {rid}, units planned exactly: {_histogram(counter)}")
    failing = Counter(c for p in plans for c in p.failing)
    lines.append(
        f"criteria failing most often at {first}: "
        + ", ".join(f"{c} ({n})" for c, n in failing.most_common(8))
    )
    for level in range(1, len(data.lp.levels)):
        failing = Counter(c for p in plans for c in p.upper_failing.get(level, ()))
        if failing:
            lines.append(
                f"criteria failing most often at {data.lp.levels[level].ruleset.id}: "
                + ", ".join(f"{c} ({n})" for c, n in failing.most_common(8))
            )
    return "\n".join(lines)


def _write(data: Dataset, out: Path, stem: str, fmt: str, communes_file: str | None) -> list[Path]:
    written = []
    if fmt in ("json", "both"):
        path = out / f"{stem}.json"
        path.write_text(to_json(data, communes_file), encoding="utf-8")
        written.append(path)
    if fmt in ("csv", "both"):
        path = out / f"{stem}.csv"
        path.write_text(to_csv(data), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="communes (default 188)")
    parser.add_argument(
        "--villages",
        type=int,
        default=DEFAULT_VILLAGES,
        help="villages (bản) of those communes (default 360; 0: none)",
    )
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
        help="commune file name without extension (default sonla-communes-YEAR, with -COUNT "
        "appended unless COUNT is 188); the village files are STEM-villages (default "
        "sonla-villages-YEAR, with -VILLAGES appended unless it is 360)",
    )
    parser.add_argument(
        "--check",
        choices=("auto", "all", "sample", "none"),
        default="auto",
        help="evaluate every record with the library (all), 500 of them (sample) or none; "
        "auto: all up to 2000 records, else a sample",
    )
    parser.add_argument(
        "--ruleset",
        default=RULESET_ID,
        help=f"NTM ruleset id or file the communes' first level must agree with ({RULESET_ID}); "
        "with --ladder none, the ruleset to calibrate on",
    )
    parser.add_argument(
        "--ladder",
        default=LADDER_ID,
        help=f"commune ladder id or file to calibrate on ({LADDER_ID}); 'none': --ruleset only",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    if args.villages < 0:
        parser.error("--villages must be 0 or more")

    started = time.perf_counter()
    try:
        communes = generate(args.count, args.seed, args.year, args.ruleset, args.ladder)
        villages = generate_villages(communes, args.villages) if args.villages else None
        generated = time.perf_counter()
        checks: list[tuple[Dataset, Checked]] = []
        modes: list[str] = []
        for data in (communes, villages):
            if data is None:
                continue
            mode = args.check
            if mode == "auto":
                mode = "all" if data.count <= 2000 else "sample"
            found = Checked()
            if mode != "none":
                found = verify(data, None if mode == "all" else 500)
            checks.append((data, found))
            modes.append(f"{data.unit} {mode}")
    except (GeneratorError, NtmRulesError) as exc:
        print(f"generate_sonla: error: {exc}", file=sys.stderr)
        return 1
    checked = time.perf_counter()

    stem = args.stem or (
        f"sonla-communes-{args.year}" + ("" if args.count == DEFAULT_COUNT else f"-{args.count}")
    )
    village_stem = (
        f"{args.stem}-villages"
        if args.stem
        else (
            f"sonla-villages-{args.year}"
            + ("" if args.villages == DEFAULT_VILLAGES else f"-{args.villages}")
        )
    )
    args.out.mkdir(parents=True, exist_ok=True)
    written = _write(communes, args.out, stem, args.format, None)
    if villages is not None:
        written += _write(villages, args.out, village_stem, args.format, f"{stem}.json")
    if not args.quiet:
        for data, found in checks:
            print(summary(data, found))
        print(
            f"generated in {generated - started:.2f} s, checked ({', '.join(modes)}) in "
            f"{checked - generated:.2f} s; wrote " + ", ".join(str(p) for p in written)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
