"""The library agrees with the independent oracle (tests/oracle.py) on random communes.

Agreement is checked on every indicator status, every criterion status, the level, the
recognition conditions, the region chosen and the threshold reported by every check.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from oracle import NATIONAL_2021, Oracle
from ruamel.yaml import YAML
from strategies import communes

from ntm_rules import evaluator_for
from ntm_rules.evaluation import Evaluator
from ntm_rules.result import EvaluationResult


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return not isinstance(b, bool) and math.isclose(a, b, rel_tol=0, abs_tol=1e-12)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    return a == b and type(a) is type(b)


def disagreements(result: EvaluationResult, expected: dict[str, Any]) -> list[str]:
    """Every difference between the library's result and the oracle's, in reading order."""
    found: list[str] = []

    def differ(what: str, got: Any, want: Any) -> None:
        if not _same(got, want):
            found.append(f"{what}: library {got!r}, oracle {want!r}")

    region = next((a.value for a in result.axes if a.axis == "region"), None)
    differ("region axis", region, expected["region"])
    differ("assessment date", result.assessed_on, expected["assessed_on"])
    conditions = result.recognition.conditions if result.recognition else ()
    seen = []
    for criterion_id, indicators in [
        *((c.id, c.indicators) for c in result.criteria),
        (None, conditions),
    ]:
        for ind in indicators:
            seen.append(ind.id)
            want = expected["indicators"].get(ind.id)
            if want is None:
                found.append(f"indicator {ind.id}: unknown to the oracle")
                continue
            differ(f"indicator {ind.id} criterion", criterion_id, want["criterion"])
            differ(f"indicator {ind.id} status", ind.status, want["status"])
            differ(f"indicator {ind.id} number of checks", len(ind.checks), len(want["thresholds"]))
            for j, (check, threshold) in enumerate(
                zip(ind.checks, want["thresholds"], strict=False)
            ):
                differ(
                    f"indicator {ind.id} check {j} ({check.text}) threshold",
                    check.threshold,
                    threshold,
                )
    differ("indicator ids", seen, list(expected["indicators"]))
    for criterion in result.criteria:
        differ(
            f"criterion {criterion.id} status",
            criterion.status,
            expected["criteria"].get(criterion.id),
        )
    differ("criterion ids", [c.id for c in result.criteria], list(expected["criteria"]))
    differ("criteria_met", result.criteria_met, expected["criteria_met"])
    differ("level status", result.status, expected["level"])
    differ(
        "recognition status",
        result.recognition.status if result.recognition else None,
        expected["recognition"],
    )
    differ("recognition_eligible", result.recognition_eligible, expected["recognition_eligible"])
    return found


def assert_agree(engine: Evaluator, oracle: Oracle, record: dict[str, Any]) -> EvaluationResult:
    result = engine.evaluate(record)
    expected = oracle.evaluate(record)
    found = disagreements(result, expected)
    assert not found, (
        f"engine and oracle disagree ({len(found)} difference(s)); first: {found[0]}\n"
        + "\n".join(found[1:10])
    )
    return result


@settings(max_examples=400, deadline=None)
@given(record=communes())
def test_engine_agrees_with_oracle(
    national: Evaluator, oracle: Oracle, record: dict[str, Any]
) -> None:
    assert_agree(national, oracle, record)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trained_workers_pct", 1e-05),  # JSON writes 1e-05: once rejected by the engine (204)
        ("food_safety_compliant_pct", 2e-07),
        ("multidimensional_poverty_pct", 9.5e-05),
        ("multidimensional_poverty_pct", 5e-324),  # subnormal
        ("public_green_m2_per_person", 1e-300),  # large ones (1e16) are beyond ±10^15: refused
    ],
)
def test_numbers_written_with_an_exponent(
    national: Evaluator, oracle: Oracle, field: str, value: float
) -> None:
    """Regression: the durable-rules parser rejected numbers JSON writes with an exponent, so
    evaluate() raised 'rule engine error 204' for a valid record."""
    assert "e" in json.dumps(value)
    result = assert_agree(
        national, oracle, {"code": "E1", "region": "dbsh", "year": 2024, field: value}
    )
    (indicator,) = [i for i in result.indicators if i.checks[0].text.startswith(f"{field} ")]
    assert indicator.checks[0].value == value
    assert indicator.status in ("met", "not_met")


def test_agreement_covers_every_status(national: Evaluator, oracle: Oracle) -> None:
    """The generator reaches met, not met and missing levels, and n/a indicators (so the
    agreement property above is not vacuous)."""
    seen_levels: set[str] = set()
    seen_indicator: set[str] = set()

    @settings(max_examples=150, deadline=None, database=None)
    @given(record=communes())
    def collect(record: dict[str, Any]) -> None:
        result = assert_agree(national, oracle, record)
        seen_levels.add(result.status)
        seen_indicator.update(i.status for i in result.indicators)

    collect()
    assert seen_levels == {"met", "not_met", "missing"}
    assert seen_indicator == {"met", "not_met", "missing", "not_applicable"}


# -- a variant of the national file that uses every feature the national file does not -------
def _variant(data: dict[str, Any]) -> dict[str, Any]:
    """Policies any / at_least, a province_decides value, arithmetic, not, in, applies_if
    with a comparison, and a threshold dated mid-validity for one region only."""
    data["id"] = "test.variant.commune.2021"
    data["version"] = "test"
    params = data["parameters"]
    params["employment_rate"]["values"][0]["value"] = "province_decides"
    params["clean_water"]["values"][0]["by"]["dnb"] = "province_decides"
    params["trained_workers"]["values"].append(
        {
            **{k: v for k, v in params["trained_workers"]["values"][0].items() if k != "by"},
            "from": params["income_per_capita"]["values"][1]["from"],
            "by": {"general": 45, "tn": 33},
        }
    )
    criteria = {c["id"]: c for c in data["criteria"]}

    def indicator(criterion: str, indicator_id: str) -> dict[str, Any]:
        return next(i for i in criteria[criterion]["indicators"] if i["id"] == indicator_id)

    criteria["8"]["policy"] = "any"
    criteria["13"]["policy"] = {"at_least": 3}
    criteria["2"]["policy"] = {"at_least": 2}
    indicator("2", "2.1")["condition"] = (
        "commune_roads_paved_pct >= param.commune_roads_paved * 0.9 - 1"
    )
    indicator("11", "11")["condition"] = (
        "not (multidimensional_poverty_pct > param.multidimensional_poverty_max)"
    )
    indicator("3", "3.1")["applies_if"] = "region not in ['dbscl', 'tn']"
    indicator("17", "17.4")["applies_if"] = "public_green_m2_per_person > 0.5 or has_craft_village"
    indicator("9", "9.1")["condition"] = "temporary_houses <= 0 or solid_houses_pct >= 99"
    indicator("14", "14.3")["condition"] = "trained_workers_pct + 10 >= param.trained_workers"
    return data


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evaluator, Oracle]:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    data = yaml.load(NATIONAL_2021.read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("rulesets") / "variant.yaml"
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(_variant(data), handle)
    engine = evaluator_for(path)
    assert engine.ruleset.id == "test.variant.commune.2021"
    return engine, Oracle(path)


@settings(max_examples=200, deadline=None)
@given(record=communes())
def test_engine_agrees_with_oracle_on_variant_features(
    variant: tuple[Evaluator, Oracle], record: dict[str, Any]
) -> None:
    assert_agree(*variant, record)
