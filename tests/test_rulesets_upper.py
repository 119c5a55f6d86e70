"""The district, town and province rulesets and the synthetic Sơn La province: member groups point
at ladders that exist, every aggregate level is a level of its ladder, the example data set is
what its generator writes, and it evaluates as the notes say (Sơn La city completed, Quỳnh Nhai
short of NTM in 2023)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules import evaluate_province, evaluator_for
from ntm_rules.aggregate.report import DataSetReport
from ntm_rules.ladder import evaluate_ladder, get_ladder, level_rulesets
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.district_2021 import DISTRICT_CRITERIA_FLAGS
from ntm_rules.models.structuring import load_records
from ntm_rules.result import MET, NOT_APPLICABLE, NOT_MET
from ntm_rules.ruleset.files import ruleset_files
from ntm_rules.ruleset.loader import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PROVINCE_DATA = EXAMPLES / "sonla-province-2023.json"
UPPER = ("district", "town", "province")


def _upper_rulesets() -> list[str]:
    return sorted(i for i, p in ruleset_files().items() if load_ruleset(p).unit in UPPER)


@pytest.fixture(scope="module")
def report() -> DataSetReport:
    return evaluate_province(PROVINCE_DATA, "sonla.province.2021", year=2023)


# -- the rulesets ---------------------------------------------------------------------------------
@pytest.mark.parametrize("ruleset_id", _upper_rulesets())
def test_member_ladders_and_levels_exist(ruleset_id: str) -> None:
    """Loading does not resolve a group's ladder or an aggregate's level: check both here."""
    ruleset = load_ruleset(ruleset_files()[ruleset_id])
    for group in ruleset.members.values():
        if group.ladder is None:
            continue
        ladder = get_ladder(group.ladder)
        assert ladder.unit == group.kind, (ruleset_id, group.name)
        levels = {level.level.id for level in level_rulesets(ladder)}
        for aggregate in ruleset.aggregates.values():
            if aggregate.of == group.name and aggregate.level is not None:
                assert aggregate.level in levels, (ruleset_id, aggregate.field, levels)


@pytest.mark.parametrize("ruleset_id", _upper_rulesets())
def test_provincial_sets_count_members_on_provincial_ladders(ruleset_id: str) -> None:
    ruleset = load_ruleset(ruleset_files()[ruleset_id])
    if ruleset.scope is None or ruleset.scope.province != "Sơn La":
        return
    for group in ruleset.members.values():
        if group.ladder is not None:
            assert group.ladder.startswith("sonla."), (ruleset_id, group.name, group.ladder)


def test_unit_targets_name_units_of_the_example() -> None:
    data = json.loads(PROVINCE_DATA.read_text("utf-8"))
    names = {u["code"]: u["name"] for section in ("districts", "towns") for u in data[section]}
    (district,) = get_ladder("sonla.district.2021").targets
    (town,) = get_ladder("sonla.town.2021").targets
    assert [names[c] for c in district.units] == ["Quỳnh Nhai"]
    assert [names[c] for c in town.units] == ["Thành phố Sơn La"]


_THRESHOLDS = {  # vn.district.ntm.2021, verified (320/QĐ-TTg Phụ lục I)
    "communes_ntm_pct": 100,
    "communes_advanced_pct": 10,
    "resident_satisfaction_pct": 90,
    "commune_satisfaction_min_pct": 80,
}
_FLAGS = DISTRICT_CRITERIA_FLAGS
_OFFSETS = st.sampled_from([-20.0, -0.1, 0.0, 0.0, 5.0])  # below, just below, at, above


@settings(max_examples=150, deadline=None)
@given(
    offsets=st.fixed_dictionaries({field: _OFFSETS for field in _THRESHOLDS}),
    townships=st.integers(0, 3),
    civilised=st.sampled_from([50.0, 99.9, 100.0]),
    failing=st.one_of(st.none(), st.none(), st.sampled_from(_FLAGS)),
)
def test_district_is_ntm_exactly_when_the_verified_conditions_hold(
    offsets: dict[str, float], townships: int, civilised: float, failing: str | None
) -> None:
    """An independent reading of 320 Phụ lục I against the ruleset as written: values at, just
    below and above each verified threshold, one district criterion failing or none."""
    shares = {f: min(100.0, max(0.0, t + offsets[f])) for f, t in _THRESHOLDS.items()}
    record: dict[str, Any] = {
        "code": "P-H01",
        "region": "tdmnpb",
        **shares,
        "townships_count": townships,
        "townships_civilised_pct": civilised if townships else None,
        **{flag: flag != failing for flag in _FLAGS},
    }
    result = evaluator_for("vn.district.ntm.2021").evaluate(record, year=2024)
    expected = (
        all(shares[f] >= t for f, t in _THRESHOLDS.items())
        and (townships == 0 or civilised >= 100)
        and failing is None
    )
    assert result.status == (MET if expected else NOT_MET)


# -- the example data set ---------------------------------------------------------------------------
def test_example_data_set_is_what_the_generator_writes() -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        from generate_sonla_province import build
    finally:
        sys.path.remove(str(EXAMPLES))
    written = json.dumps(build(), ensure_ascii=False, indent=1) + "\n"
    assert PROVINCE_DATA.read_text("utf-8") == written, (
        "examples/sonla-province-2023.json is stale: python examples/generate_sonla_province.py"
    )


def test_every_unit_links(report: DataSetReport) -> None:
    run = report.run
    assert run.membership.problems == ()
    communes = run.of_kind("commune")
    districts = run.of_kind("district")
    towns = run.of_kind("town")
    assert communes is not None and districts is not None and towns is not None
    assert (len(communes.units), len(districts.units), len(towns.units)) == (188, 11, 1)
    linked = {
        c
        for d in districts.units
        for c in run.membership.members("district", d.ref.code, "commune")
    }
    linked |= set(run.membership.members("town", "SL-TP", "commune"))
    assert linked == {u.ref.code for u in communes.units}


def test_son_la_city_keeps_its_status(report: DataSetReport) -> None:
    towns = report.run.of_kind("town")
    assert towns is not None
    city = towns.by_code()["SL-TP"]
    assert city.record.recognised_completed_year == 2019
    assert city.placed is not None and city.placed.results[0].status == MET
    values = {a.field: a.value for a in city.aggregates}
    assert values["communes_ntm_pct"] == 100 and values["wards_civilised_pct"] == 100


def test_quynh_nhai_is_short_of_ntm_in_2023(report: DataSetReport) -> None:
    """The shares are recomputed here from the communes' own ladder results."""
    districts = report.run.of_kind("district")
    assert districts is not None
    quynh_nhai = districts.by_code()["SL-QN"]
    assert quynh_nhai.placed is not None
    result = quynh_nhai.placed.results[0]
    assert result.status == NOT_MET
    statuses = {c.id: c.status for c in result.criteria}
    assert sorted(c for c, s in statuses.items() if s == NOT_MET) == ["6", "8", "D1", "D2"]
    indicators = {i.id: i.status for c in result.criteria for i in c.indicators}
    assert indicators["D3"] == NOT_APPLICABLE  # no township in Quỳnh Nhai
    communes = [
        c
        for c in load_records(EXAMPLES / "sonla-communes-2023.json", Commune2021)
        if c.district == "Quỳnh Nhai"
    ]
    ladder = get_ladder("sonla.commune.2021")
    places = [evaluate_ladder(ladder, c, year=2023).reached for c in communes]
    values = {a.field: a.value for a in quynh_nhai.aggregates}
    assert values["communes_ntm_pct"] == pytest.approx(100 * sum(p >= 0 for p in places) / 11)
    assert values["communes_advanced_pct"] == pytest.approx(100 * sum(p >= 1 for p in places) / 11)
    assert 0 < values["communes_ntm_pct"] < 100 and values["communes_advanced_pct"] < 10
    assert values["commune_satisfaction_min_pct"] == min(
        c.resident_satisfaction_pct for c in communes if c.resident_satisfaction_pct is not None
    )


def test_the_province_is_not_completed(report: DataSetReport) -> None:
    (province,) = report.run.target.units
    assert province.placed is not None
    result = province.placed.results[0]
    statuses = {c.id: c.status for c in result.criteria}
    assert statuses["P1"] == NOT_MET and statuses["P2"] == MET and statuses["P5"] == MET
    values = {a.field: a.value for a in province.aggregates}
    assert values["communes_advanced_pct"] == pytest.approx(100 * 5 / 188)
    assert values["towns_completed_pct"] == 100
