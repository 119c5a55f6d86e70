"""Boundary values of every simple indicator of the bundled national ruleset, in every region.

For each indicator whose condition is one comparison of an input with a parameter or a number,
each region (and the ĐBKK / ATK exceptions in regions other than TDMNPB) and each dated value
of its parameter, a value just below, at and just above the threshold (the oracle's, read from
the YAML) gives the status the comparison operator prescribes. Yes/no indicators, the two-part
17.1 and the conditional 13.4 have their own tables.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from strategies import ORACLE, REGION_KEYS, SPECS, simple_comparison, valid_years

from ntm_rules.evaluation import Evaluator
from ntm_rules.expr.ast import Name
from ntm_rules.models.fields import KIND_INT
from ntm_rules.result import EvaluationResult, IndicatorResult

MET, NOT_MET, MISSING, NOT_APPLICABLE = "met", "not_met", "missing", "not_applicable"
DEFAULT_YEAR = 2024
assert DEFAULT_YEAR in valid_years()

# (label, unit attributes): every region as itself, then exceptions outside TDMNPB.
REGION_CASES: list[tuple[str, dict[str, Any]]] = [
    *((key, {"region": key}) for key in REGION_KEYS),
    ("dbsh-dbkk", {"region": "dbsh", "dbkk": True}),
    ("dnb-atk-poor", {"region": "dnb", "atk": True, "poor_district": True}),
    ("btb-atk-only", {"region": "btb", "atk": True}),
]
EXPECTED_REGION = {
    **{key: key for key in REGION_KEYS},
    "dbsh-dbkk": "tdmnpb",
    "dnb-atk-poor": "tdmnpb",
    "btb-atk-only": "btb",
}

# Status by comparison operator for a value below / at / above the threshold.
EXPECTED = {
    ">=": {"below": NOT_MET, "at": MET, "above": MET},
    ">": {"below": NOT_MET, "at": NOT_MET, "above": MET},
    "<=": {"below": MET, "at": MET, "above": NOT_MET},
    "<": {"below": MET, "at": NOT_MET, "above": NOT_MET},
}


def delta(field: str) -> float | int:
    return 1 if SPECS[field].kind == KIND_INT else 0.1


def in_bounds(field: str, value: float) -> bool:
    spec = SPECS[field]
    low = spec.minimum if spec.minimum is not None else -math.inf
    high = spec.maximum if spec.maximum is not None else math.inf
    return low <= value <= high


def shifted(field: str, threshold: float, position: str) -> float | int:
    step = {"below": -1, "at": 0, "above": 1}[position] * delta(field)
    value = threshold + step
    if SPECS[field].kind == KIND_INT:
        assert float(threshold).is_integer()
        return int(value)
    return round(value, 9)


def unit(attributes: dict[str, Any], year: int, **values: Any) -> dict[str, Any]:
    return {"code": "B1", "year": year, **attributes, **values}


def find(result: EvaluationResult, indicator_id: str) -> IndicatorResult:
    found = [i for i in result.indicators if i.id == indicator_id]
    if result.recognition:
        found += [i for i in result.recognition.conditions if i.id == indicator_id]
    assert len(found) == 1, indicator_id
    return found[0]


def _simple_cases() -> list[Any]:
    cases = []
    for ind in ORACLE.indicators:
        simple = simple_comparison(ind["condition"])
        if simple is None or ind["applies_if"] is not None:
            continue
        field, op, param, _ = simple
        years = ORACLE.entry_years(param) if param else [DEFAULT_YEAR]
        for year in years:
            for label, attributes in REGION_CASES:
                record = unit(attributes, year)
                threshold = ORACLE.evaluate(record)["indicators"][ind["id"]]["thresholds"][0]
                for position in ("below", "at", "above"):
                    value = shifted(field, threshold, position)
                    if not in_bounds(field, value):
                        continue  # e.g. above a threshold of 100 %
                    cases.append(
                        pytest.param(
                            ind["id"],
                            field,
                            op,
                            label,
                            year,
                            threshold,
                            value,
                            EXPECTED[op][position],
                            id=f"{ind['id']}-{label}-{year}-{position}",
                        )
                    )
    return cases


SIMPLE_CASES = _simple_cases()
SIMPLE_IDS = sorted({case.values[0] for case in SIMPLE_CASES})
BOOLEAN_IDS = [
    ind["id"]
    for ind in ORACLE.indicators
    if isinstance(ind["condition"], Name) and ind["applies_if"] is None
]


def test_every_indicator_is_covered() -> None:
    """Each indicator of the file is a simple comparison, a yes/no, or one of the special
    cases below: nothing escapes the boundary tables."""
    special = {"17.1", "13.4"}
    every = {ind["id"] for ind in ORACLE.indicators}
    assert every == set(SIMPLE_IDS) | set(BOOLEAN_IDS) | special
    assert not set(SIMPLE_IDS) & set(BOOLEAN_IDS)
    assert {"10", "11", "9.1", "15.3", "R2"} <= set(SIMPLE_IDS)


@pytest.mark.parametrize(
    ("indicator_id", "field", "op", "label", "year", "threshold", "value", "expected"),
    SIMPLE_CASES,
)
def test_single_comparison_boundary(
    national: Evaluator,
    indicator_id: str,
    field: str,
    op: str,
    label: str,
    year: int,
    threshold: float,
    value: float,
    expected: str,
) -> None:
    result = national.evaluate(unit(dict(REGION_CASES)[label], year, **{field: value}))
    assert [a.value for a in result.axes if a.axis == "region"] == [EXPECTED_REGION[label]]
    indicator = find(result, indicator_id)
    (check,) = indicator.checks
    assert check.op == op
    assert check.threshold == pytest.approx(threshold, abs=1e-12)
    assert check.value == value
    assert indicator.status == expected, (
        f"{indicator_id} ({check.text}) with {field}={value} against {threshold} in {label} {year}"
    )
    assert check.passed is (expected == MET)
    assert indicator.missing == ()
    higher_better = op in (">", ">=")
    assert check.margin == pytest.approx(
        (value - threshold) if higher_better else (threshold - value), abs=1e-9
    )
    # a criterion of one indicator has its status (recognition conditions have no criterion)
    criterion = next((c for c in result.criteria if indicator in c.indicators), None)
    if criterion is not None and len(criterion.indicators) == 1:
        assert criterion.status == expected


@pytest.mark.parametrize("indicator_id", BOOLEAN_IDS)
@pytest.mark.parametrize(("value", "expected"), [(True, MET), (False, NOT_MET), (None, MISSING)])
def test_yes_no_indicator(
    national: Evaluator, indicator_id: str, value: bool | None, expected: str
) -> None:
    field = ORACLE.indicator(indicator_id)["condition"].dotted
    result = national.evaluate(unit({"region": "tn"}, DEFAULT_YEAR, **{field: value}))
    indicator = find(result, indicator_id)
    assert indicator.status == expected
    assert indicator.checks[0].value == value
    assert indicator.missing == ((field,) if value is None else ())


def _threshold(label: str, year: int, param: str) -> float:
    value = ORACLE.evaluate(unit(dict(REGION_CASES)[label], year))["params"][param]
    assert value is not None
    return value


# 17.1: hygienic water >= param.hygienic_water and clean water >= param.clean_water.
TWO_PART = [
    ("at", "at", MET),
    ("above", "above", MET),
    ("below", "at", NOT_MET),
    ("at", "below", NOT_MET),
    ("below", "below", NOT_MET),
    ("above", "below", NOT_MET),
    (None, "at", MISSING),
    ("at", None, MISSING),
    ("below", None, MISSING),  # a missing part is never read as failed either
    (None, None, MISSING),
]


@pytest.mark.parametrize(("label", "attributes"), REGION_CASES, ids=[c[0] for c in REGION_CASES])
@pytest.mark.parametrize(("hygienic", "clean", "expected"), TWO_PART)
def test_water_two_comparisons(
    national: Evaluator,
    label: str,
    attributes: dict[str, Any],
    hygienic: str | None,
    clean: str | None,
    expected: str,
) -> None:
    values: dict[str, Any] = {}
    for field, param, position in (
        ("hygienic_water_pct", "hygienic_water", hygienic),
        ("clean_water_pct", "clean_water", clean),
    ):
        threshold = _threshold(label, DEFAULT_YEAR, param)
        if position is None:
            values[field] = None
            continue
        value = shifted(field, threshold, position)
        assert in_bounds(field, value)
        values[field] = value
    result = national.evaluate(unit(attributes, DEFAULT_YEAR, **values))
    indicator = find(result, "17.1")
    assert indicator.status == expected
    assert [c.threshold for c in indicator.checks] == [
        _threshold(label, DEFAULT_YEAR, "hygienic_water"),
        _threshold(label, DEFAULT_YEAR, "clean_water"),
    ]
    assert set(indicator.missing) == {f for f, v in values.items() if v is None}


# 13.4: applies_if has_craft_village, condition craft_village_plan.
CRAFT_VILLAGE = [
    (False, None, NOT_APPLICABLE),
    (False, True, NOT_APPLICABLE),
    (False, False, NOT_APPLICABLE),
    (True, True, MET),
    (True, False, NOT_MET),
    (True, None, MISSING),
    (None, True, MISSING),
    (None, False, MISSING),
    (None, None, MISSING),
]


@pytest.mark.parametrize(("has_village", "plan", "expected"), CRAFT_VILLAGE)
def test_craft_village_applies_if(
    national: Evaluator, has_village: bool | None, plan: bool | None, expected: str
) -> None:
    others = {
        ind["condition"].dotted: True
        for ind in ORACLE.criteria[[c["id"] for c in ORACLE.criteria].index("13")]["indicators"]
        if ind["id"] != "13.4"
    }
    record = unit(
        {"region": "btb"},
        DEFAULT_YEAR,
        has_craft_village=has_village,
        craft_village_plan=plan,
        **others,
    )
    result = national.evaluate(record)
    indicator = find(result, "13.4")
    assert indicator.status == expected
    expected_missing = {"has_craft_village"} if has_village is None else set()
    if plan is None and has_village is not False:
        expected_missing.add("craft_village_plan")
    assert set(indicator.missing) == expected_missing
    # Not applicable counts as met for the criterion (policy all); the other four are met.
    criterion = next(c for c in result.criteria if c.id == "13")
    assert criterion.status == (MET if expected == NOT_APPLICABLE else expected)
