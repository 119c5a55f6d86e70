"""Properties every evaluation must have, whatever the values.

* monotonicity: a better value never makes a result worse;
* missing data is never counted as met, and an indicator lacking a value is ``missing``;
* results survive a JSON round trip and are deterministic (same evaluator, fresh evaluator);
* the ĐBKK / ATK exception gives exactly the TDMNPB result;
* the income threshold depends on the assessment year as the ruleset dates it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from oracle import NATIONAL_2021, UNKNOWN, names
from oracle import evaluate as oracle_evaluate
from strategies import (
    BARE_FLAGS,
    CANDIDATES,
    HIGHER_BETTER,
    LOWER_BETTER,
    MEASURES,
    ORACLE,
    READ_BY_RULESET,
    REGION_KEYS,
    SPECS,
    bounds,
    ceiling,
    communes,
)

from ntm_rules.evaluation import Evaluator
from ntm_rules.models.fields import KIND_INT
from ntm_rules.result import EvaluationResult
from ntm_rules.ruleset.loader import load_ruleset

MET, NOT_MET, MISSING, NOT_APPLICABLE = "met", "not_met", "missing", "not_applicable"
NON_NORTH = tuple(r for r in REGION_KEYS if r != "tdmnpb")


def outcome(result: EvaluationResult) -> dict[str, Any]:
    """Every status and threshold of a result, keyed by what it is about."""
    conditions = result.recognition.conditions if result.recognition else ()
    found: dict[str, Any] = {
        f"indicator {i.id}": (i.status, tuple(c.threshold for c in i.checks), i.missing)
        for i in (*result.indicators, *conditions)
    }
    found.update({f"criterion {c.id}": c.status for c in result.criteria})
    found["level"] = result.status
    found["criteria_met"] = result.criteria_met
    found["recognition"] = result.recognition.status if result.recognition else None
    found["recognition_eligible"] = result.recognition_eligible
    return found


def statuses(result: EvaluationResult) -> dict[str, str]:
    """Status of every indicator, recognition condition, criterion, the level and recognition."""
    conditions = result.recognition.conditions if result.recognition else ()
    found = {f"indicator {i.id}": i.status for i in (*result.indicators, *conditions)}
    found.update({f"criterion {c.id}": c.status for c in result.criteria})
    found["level"] = result.status
    found["recognition"] = result.recognition.status if result.recognition else MET
    found["recognition_eligible"] = result.recognition_eligible
    return found


# -- monotonicity -----------------------------------------------------------------------------
def improved(field: str, old: Any) -> st.SearchStrategy[Any]:
    """A value at least as good as ``old``: higher for >= inputs, lower for <= inputs."""
    if field in BARE_FLAGS:
        return st.just(True)
    low, _ = bounds(field)
    integer = SPECS[field].kind == KIND_INT
    if field in HIGHER_BETTER:
        near = {c for c in CANDIDATES[field] if c >= old} | {old, ceiling(field)}
        free = st.integers(old, int(ceiling(field))) if integer else st.floats(old, ceiling(field))
    else:
        near = {c for c in CANDIDATES[field] if c <= old} | {old, low}
        free = st.integers(int(low), old) if integer else st.floats(low, old)
    if integer:
        near = {int(v) for v in near}
    return st.sampled_from(sorted(near)) | free


ORDER = {NOT_MET: 0, MET: 1}


@settings(max_examples=150, deadline=None)
@given(record=communes(), data=st.data())
def test_better_values_never_make_a_result_worse(
    national: Evaluator, record: dict[str, Any], data: st.DataObject
) -> None:
    assert set(HIGHER_BETTER).isdisjoint(LOWER_BETTER)
    improvable = [f for f in (*HIGHER_BETTER, *LOWER_BETTER) if record[f] is not None]
    improvable += [f for f in BARE_FLAGS if record[f] is False]
    assume(improvable)
    chosen = data.draw(st.lists(st.sampled_from(improvable), min_size=1, unique=True))
    better = dict(record)
    for field in chosen:
        better[field] = data.draw(improved(field, record[field]), label=field)
    before, after = statuses(national.evaluate(record)), statuses(national.evaluate(better))
    for key, old in before.items():
        new = after[key]
        change = f"{key}: {old} -> {new} after improving {chosen}"
        if key.startswith("indicator"):
            # which values are missing did not change, so neither did missing / n/a; a decided
            # indicator stays decided and never goes from met to not met
            if old in ORDER:
                assert new in ORDER and ORDER[new] >= ORDER[old], change
            else:
                assert new == old, change
        else:
            # criteria, level, recognition: met stays met, and no new failure appears
            if old == MET:
                assert new == MET, change
            if new == NOT_MET:
                assert old == NOT_MET, change
    assert national.evaluate(better).criteria_met >= national.evaluate(record).criteria_met


@pytest.mark.parametrize(
    ("field", "worse", "better"),
    [("income_per_capita", 52.9, 53.0), ("multidimensional_poverty_pct", 2.1, 2.0)],
)
def test_improvement_example_reaches_the_level(
    national: Evaluator, field: str, worse: float, better: float
) -> None:
    """A concrete, all-else-met commune in the Red River Delta (2024): one value decides."""
    record = perfect_commune(region="dbsh", year=2024)
    assert national.evaluate(record).status == MET
    record[field] = worse
    assert national.evaluate(record).status == NOT_MET
    record[field] = better
    assert national.evaluate(record).status == MET


def perfect_commune(**identity: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"code": "P1", **identity}
    for field in sorted(READ_BY_RULESET & set(MEASURES)):
        if SPECS[field].kind == "bool":
            record[field] = True
        elif field in LOWER_BETTER:
            low = bounds(field)[0]
            record[field] = int(low) if SPECS[field].kind == KIND_INT else float(low)
        else:
            record[field] = ceiling(field)
    return record


# -- missing data -----------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(record=communes(missing_rates=(0, 0, 5)), data=st.data())
def test_missing_data_never_counts_as_met(
    national: Evaluator, record: dict[str, Any], data: st.DataObject
) -> None:
    present = [f for f in MEASURES if record[f] is not None]
    assume(present)
    removed = data.draw(st.lists(st.sampled_from(present), min_size=1, unique=True))
    fewer = {**record, **dict.fromkeys(removed)}
    before_result, after_result = national.evaluate(record), national.evaluate(fewer)
    before, after = statuses(before_result), statuses(after_result)
    for key, old in before.items():
        if old != MET:
            assert after[key] != MET, f"{key}: {old} -> met after removing {removed}"
        if key.startswith("indicator"):
            # an indicator either keeps its status or becomes missing
            assert after[key] in (old, MISSING), f"{key}: {old} -> {after[key]}"
    assert after_result.criteria_met <= before_result.criteria_met

    env = {k: v for k, v in fewer.items() if v is not None}
    conditions = after_result.recognition.conditions if after_result.recognition else ()
    for indicator in (*after_result.indicators, *conditions):
        spec = ORACLE.indicator(indicator.id)
        needed = [n for n in names(spec["condition"]) if not n.startswith("param.")]
        gate = spec["applies_if"]
        gate_needs = [n for n in names(gate) if not n.startswith("param.")] if gate else []
        absent_gate = {n for n in gate_needs if fewer.get(n) is None}
        absent = {n for n in needed if fewer.get(n) is None}
        if absent_gate:
            expected_status, expected_missing = MISSING, absent_gate | absent
        elif gate is not None and oracle_evaluate(gate, env) is False:
            expected_status, expected_missing = NOT_APPLICABLE, set()
        elif absent:
            expected_status, expected_missing = MISSING, absent
        else:
            assert indicator.status in (MET, NOT_MET), indicator.id
            assert indicator.missing == (), indicator.id
            continue
        assert indicator.status == expected_status, f"{indicator.id} lacking {absent_gate | absent}"
        assert set(indicator.missing) == expected_missing, indicator.id
        if expected_status == MISSING and not absent_gate:
            assert oracle_evaluate(spec["condition"], env) is UNKNOWN


def test_empty_commune_is_missing_everywhere(national: Evaluator) -> None:
    result = national.evaluate({"code": "E0", "region": "tn", "year": 2023})
    assert result.status == MISSING
    assert result.criteria_met == 0
    assert {i.status for i in result.indicators} == {MISSING}
    assert {c.status for c in result.criteria} == {MISSING}
    assert result.recognition_eligible == MISSING


# -- JSON and determinism ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def fresh() -> Evaluator:
    """A second evaluator of the same file, loaded and compiled anew (own caches)."""
    return Evaluator(load_ruleset(NATIONAL_2021))


@settings(max_examples=100, deadline=None)
@given(record=communes())
def test_json_round_trip_and_determinism(
    national: Evaluator, fresh: Evaluator, record: dict[str, Any]
) -> None:
    first = national.evaluate(record).to_dict()
    text = json.dumps(first, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == first
    second = national.evaluate(record).to_dict()
    assert second == first
    assert json.dumps(second, ensure_ascii=False, allow_nan=False) == text
    other = fresh.evaluate(record).to_dict()
    assert other == first
    assert first["ruleset"]["id"] == "vn.commune.ntm.2021"
    assert first["level"]["status"] in (MET, NOT_MET, MISSING)
    assert first["criteria_total"] == len(first["criteria"]) == len(ORACLE.criteria)


# -- ĐBKK / ATK exception ---------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(record=communes(regions=NON_NORTH))
def test_dbkk_commune_is_assessed_as_tdmnpb(national: Evaluator, record: dict[str, Any]) -> None:
    north = national.evaluate({**record, "region": "tdmnpb", "dbkk": False, "atk": False})
    dbkk = national.evaluate({**record, "dbkk": True})
    atk_poor = national.evaluate({**record, "dbkk": False, "atk": True, "poor_district": True})
    own = national.evaluate({**record, "dbkk": False, "atk": False})
    atk_only = national.evaluate({**record, "dbkk": False, "atk": True, "poor_district": False})
    assert outcome(dbkk) == outcome(north)
    assert outcome(atk_poor) == outcome(north)
    assert outcome(atk_only) == outcome(own)
    assert [(a.value, a.rule_id) for a in dbkk.axes] == [("tdmnpb", "dbkk_atk")]
    assert [(a.value, a.rule_id) for a in own.axes] == [(record["region"], "own_region")]
    # the exception matters: the thresholds of the commune's own region are not TDMNPB's
    assert outcome(own) != outcome(north)


# -- year dependence --------------------------------------------------------------------------
def income_values() -> list[dict[str, Any]]:
    """The dated entries of income_per_capita exactly as the YAML file writes them."""
    return ORACLE.parameters["income_per_capita"]["values"]


@pytest.mark.parametrize("region", REGION_KEYS)
def test_income_threshold_depends_on_the_year(national: Evaluator, region: str) -> None:
    first, second = income_values()
    assert first["from"] <= dt.date(2023, 12, 31) < second["from"] == dt.date(2025, 1, 1)

    def threshold(**when: Any) -> float:
        record = {"code": "Y1", "region": region, "income_per_capita": 50.0}
        result = national.evaluate(record, **when)
        (indicator,) = [i for i in result.indicators if i.id == "10"]
        (param,) = indicator.checks[0].params
        assert param.param.name == "income_per_capita"
        return indicator.checks[0].threshold

    in_2023 = threshold(year=2023)
    in_2025 = threshold(year=2025)
    assert in_2023 == first["by"][region]
    assert in_2025 == second["by"][region]
    assert in_2023 != in_2025
    # the change takes effect on the date the ruleset gives, not at the start of the year after
    assert threshold(on=dt.date(2024, 12, 31)) == in_2023
    assert threshold(on=second["from"]) == in_2025
    # the ĐBKK exception picks the TDMNPB value of the right year
    north = national.evaluate(
        {"code": "Y2", "region": region, "dbkk": True, "income_per_capita": 50.0}, year=2025
    )
    assert (
        next(i for i in north.indicators if i.id == "10").checks[0].threshold
        == (second["by"]["tdmnpb"])
    )
