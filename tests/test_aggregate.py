"""Units that contain units: linking members, aggregates with provenance, districts evaluated
from their communes by the engine, and the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import Oracle
from strategies import communes

from ntm_rules.aggregate.assess import assess
from ntm_rules.aggregate.compute import Member, compute
from ntm_rules.aggregate.dataset import DataSet
from ntm_rules.aggregate.membership import (
    EXTRA_MEMBER,
    LISTED_TWICE,
    MISSING_MEMBER,
    UNLINKED,
    UnitRef,
    link,
)
from ntm_rules.aggregate.report import REPORT_SCHEMA, evaluate_data_set
from ntm_rules.errors import InputError, NtmRulesError, RulesetError
from ntm_rules.models.vocabulary import VOCABULARIES, field_specs
from ntm_rules.result import MET, MISSING, NOT_MET
from ntm_rules.ruleset.loader import load_ruleset
from ntm_rules.ruleset.model import Aggregate

FIXTURES = Path(__file__).parent / "fixtures" / "districts"
DISTRICT = FIXTURES / "district-ntm.yaml"
ORACLE_DISTRICT = FIXTURES / "district-oracle.yaml"
MODELS = {
    kind: VOCABULARIES[name]
    for kind, name in (
        ("commune", "commune_2021"),
        ("district", "district_2021"),
        ("township", "township"),
        ("town", "town_2021"),
        ("province", "province_2021"),
    )
}
LOWER_BETTER = ("poverty", "stunting", "temporary", "dilapidated")


def strong_commune(code: str, district: str = "D1", **changes: Any) -> dict[str, Any]:
    """A commune far above every threshold of the national NTM and nâng cao sets."""
    record: dict[str, Any] = {"code": code, "name": f"Xã {code}", "region": "tdmnpb", "year": 2024}
    record["district_code"] = district
    for spec in field_specs(VOCABULARIES["commune_2021"]):
        if spec.name in record or spec.kind == "text" or spec.name.startswith("recognised_"):
            continue
        if spec.name in ("dbkk", "atk", "poor_district"):
            continue
        lower = any(word in spec.name for word in LOWER_BETTER)
        if spec.kind == "bool":
            record[spec.name] = True
        elif spec.unit == "percent":
            record[spec.name] = 0.0 if lower else 100.0
        elif spec.kind == "int":
            record[spec.name] = 0 if lower or (spec.unit == "count" and lower) else 10
        else:
            record[spec.name] = 1000.0
    record.update(changes)
    return record


def weak_commune(code: str, district: str = "D1", **changes: Any) -> dict[str, Any]:
    """A commune that fails NTM (income far too low) but reports everything."""
    return strong_commune(code, district, income_per_capita=1.0, **changes)


def district(code: str = "D1", **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "code": code,
        "name": f"Huyện {code}",
        "year": 2024,
        "resident_satisfaction_pct": 95.0,
    }
    record.update(changes)
    return record


def data(**sections: list[dict[str, Any]]) -> DataSet:
    return DataSet.from_sections(sections, models=MODELS)


def the_district(found: Any, code: str = "D1") -> Any:
    return next(u for u in found.target.units if u.ref.code == code)


def statuses(unit: Any) -> dict[str, str]:
    result = unit.placed.results[-1]
    return {i.id: i.status for i in result.indicators}


def values(unit: Any) -> dict[str, Any]:
    return {a.field: a for a in unit.aggregates}


@pytest.fixture(scope="module")
def strong() -> dict[str, Any]:
    return strong_commune("S")


def test_the_strong_commune_reaches_nang_cao() -> None:
    found = assess(DISTRICT, data(districts=[district()], communes=[strong_commune("C1")]))
    communes_run = found.of_kind("commune")
    assert communes_run is not None
    assert communes_run.units[0].placed is not None
    assert communes_run.units[0].placed.reached >= 1  # nâng cao: the properties rely on it


# -- linking -----------------------------------------------------------------------------------
def test_members_link_by_code_then_by_name_and_problems_are_reported() -> None:
    found = link(
        data(
            districts=[
                {"code": "D1", "name": "Quỳnh Nhai"},
                {"code": "D2", "name": "Mường La", "members": {"communes": ["C3", "C9"]}},
            ],
            communes=[
                {"code": "C1", "district_code": "D1", "region": "tdmnpb"},
                {"code": "C2", "district": "quỳnh nhai", "region": "tdmnpb"},  # by name
                {"code": "C3", "district_code": "D1", "region": "tdmnpb"},  # D2 lists it
                {"code": "C4", "district_code": "D2", "region": "tdmnpb"},  # D2 does not
                {"code": "C5", "district": "Sông Mã", "region": "tdmnpb"},  # no such district
                {"code": "C6", "region": "tdmnpb"},  # names none
            ],
        )
    )
    assert found.members("district", "D1", "commune") == ("C1", "C2")
    assert found.members("district", "D2", "commune") == ("C3",)
    assert found.missing_members("district", "D2", "commune") == ("C9",)
    problems = {(p.problem, p.code) for p in found.problems}
    assert problems == {
        (MISSING_MEMBER, "C9"),
        (EXTRA_MEMBER, "C4"),
        (UNLINKED, "C5"),
        (UNLINKED, "C6"),
    }
    described = {p.code: p.describe("vi") for p in found.problems}
    assert "Sông Mã" in described["C5"] and "không ghi" in described["C6"]
    assert "Mường La (D2)" in described["C9"]


@pytest.mark.parametrize(
    "written",
    ["Huyện Quỳnh Nhai", "QUỲNH  NHAI", "Quy\u0300nh Nhai", " quỳnh nhai ", "huyện quỳnh nhai"],
)
def test_a_name_links_as_offices_write_it(written: str) -> None:
    found = link(
        data(
            districts=[{"code": "D1", "name": "Quỳnh Nhai"}, {"code": "D2", "name": "Mường La"}],
            communes=[{"code": "C1", "district": written, "region": "tdmnpb"}],
        )
    )
    assert found.members("district", "D1", "commune") == ("C1",)
    assert not found.problems


def test_a_member_listed_by_two_parents_counts_in_the_first_only() -> None:
    found = link(
        data(
            districts=[
                {"code": "D1", "members": {"communes": ["C1"]}},
                {"code": "D2", "members": {"communes": ["C1"]}},
            ],
            communes=[{"code": "C1", "region": "tdmnpb"}],
        )
    )
    assert found.members("district", "D1", "commune") == ("C1",)
    assert found.members("district", "D2", "commune") == ()
    assert [p.problem for p in found.problems] == [LISTED_TWICE]


def test_a_province_reaches_communes_through_its_districts_and_towns() -> None:
    found = link(
        data(
            provinces=[{"code": "SL", "name": "Sơn La"}],
            districts=[{"code": "D1", "province": "Sơn La"}],
            towns=[{"code": "T1", "province_code": "SL"}],
            communes=[
                {"code": "C1", "district_code": "D1", "region": "tdmnpb"},
                {"code": "C2", "district_code": "T1", "region": "tdmnpb"},
            ],
        )
    )
    assert found.members("province", "SL", "district") == ("D1",)
    assert found.members("province", "SL", "commune") == ("C1", "C2")


# -- aggregates --------------------------------------------------------------------------------
def _refs(n: int) -> list[UnitRef]:
    return [UnitRef("commune", f"C{i}", f"Xã {i}") for i in range(n)]


@given(flags=st.lists(st.one_of(st.booleans(), st.none()), max_size=30))
def test_share_count_and_all_follow_the_members(flags: list[bool | None]) -> None:
    where = load_ruleset(DISTRICT).aggregates["townships_civilised_pct"].where
    members = [
        Member(ref, {"civilised_urban": flag})
        for ref, flag in zip(_refs(len(flags)), flags, strict=True)
    ]
    for op in ("share", "count", "all"):
        found = compute(Aggregate("x", op, "townships", where=where), "township", members)
        assert found.members == len(flags)
        assert [r.code for r in found.counted] == [
            m.ref.code for m, f in zip(members, flags, strict=True) if f is True
        ]
        assert len(found.not_counted) == flags.count(False)
        if None in flags:
            assert found.value is None and len(found.undecided) == flags.count(None)
        elif op == "share":
            assert found.value == (100 * flags.count(True) / len(flags) if flags else 100.0)
        elif op == "count":
            assert found.value == flags.count(True)
        else:
            assert found.value is (False not in flags)


@given(values=st.lists(st.one_of(st.floats(0, 100), st.none()), min_size=1, max_size=20))
def test_min_and_max_name_the_members_and_their_values(values: list[float | None]) -> None:
    members = [
        Member(ref, {"resident_satisfaction_pct": value})
        for ref, value in zip(_refs(len(values)), values, strict=True)
    ]
    for op in ("min", "max"):
        aggregate = Aggregate("x", op, "communes", member_field="resident_satisfaction_pct")
        found = compute(aggregate, "commune", members)
        known = [v for v in values if v is not None]
        assert [v for _, v in found.values] == sorted(known)
        if None in values:
            assert found.value is None
        else:
            assert found.value == (min(known) if op == "min" else max(known))


# -- districts from their communes --------------------------------------------------------------
def test_a_district_of_strong_communes_is_ntm_and_explains_its_aggregates() -> None:
    found = assess(
        DISTRICT,
        data(
            districts=[district()],
            communes=[strong_commune(f"C{i}") for i in range(3)],
            townships=[{"code": "T1", "district_code": "D1", "civilised_urban": True}],
        ),
    )
    unit = the_district(found)
    assert unit.placed.results[0].status == MET
    shown = values(unit)
    assert shown["communes_ntm_pct"].value == 100.0
    assert shown["townships_civilised_pct"].counted == (UnitRef("township", "T1", None),)
    assert "3/3 xã" in shown["communes_ntm_pct"].describe("vi")


@pytest.mark.parametrize(
    ("advanced", "total", "status"),
    [(1, 10, MET), (1, 11, NOT_MET), (2, 20, MET), (2, 21, NOT_MET)],
)
def test_ten_percent_of_communes_nang_cao_is_the_boundary(
    advanced: int, total: int, status: str
) -> None:
    # 1 of 10 is 10 % (met); 1 of 11 is 9.09 % (not met)
    rows = [strong_commune(f"C{i}") for i in range(advanced)]
    # NTM but not nâng cao: an indicator only the nâng cao set reads is not met
    ntm_only = strong_commune("X", public_wifi_free=False)
    rows += [{**ntm_only, "code": f"N{i}"} for i in range(total - advanced)]
    found = assess(DISTRICT, data(districts=[district()], communes=rows))
    unit = the_district(found)
    assert values(unit)["communes_ntm_pct"].value == 100.0
    assert statuses(unit)["D2.1"] == status
    not_counted = values(unit)["communes_advanced_pct"].not_counted
    assert {r.code for r in not_counted} == {f"N{i}" for i in range(total - advanced)}


@pytest.mark.parametrize(("lowest", "status"), [(79.0, NOT_MET), (79.99, NOT_MET), (80.0, MET)])
def test_one_commune_below_80_percent_satisfaction_fails_the_district(
    lowest: float, status: str
) -> None:
    rows = [strong_commune("C1"), strong_commune("C2", resident_satisfaction_pct=lowest)]
    found = assess(DISTRICT, data(districts=[district()], communes=rows))
    unit = the_district(found)
    assert statuses(unit)["D4.2"] == status
    value = values(unit)["commune_satisfaction_min_pct"]
    assert value.value == lowest and value.values[0][0].code == "C2"


@pytest.mark.parametrize(("overall", "status"), [(89.9, NOT_MET), (90.0, MET)])
def test_district_satisfaction_boundary(overall: float, status: str) -> None:
    found = assess(
        DISTRICT,
        data(
            districts=[district(resident_satisfaction_pct=overall)], communes=[strong_commune("C")]
        ),
    )
    assert statuses(the_district(found))["D4.1"] == status


def test_a_commune_without_data_leaves_the_share_undecided_not_failed() -> None:
    rows = [strong_commune("C1"), strong_commune("C2", income_per_capita=None)]
    found = assess(DISTRICT, data(districts=[district()], communes=rows))
    unit = the_district(found)
    share = values(unit)["communes_ntm_pct"]
    assert share.value is None and [r.code for r in share.undecided] == ["C2"]
    assert share.bounds() == [50.0, 100.0]
    assert "(từ 50 % đến 100 %" in share.describe("vi")
    assert statuses(unit)["D1.1"] == MISSING


def test_a_listed_commune_without_a_record_is_undecided_and_reported() -> None:
    found = assess(
        DISTRICT,
        data(
            districts=[district(members={"communes": ["C1", "C404"]})],
            communes=[strong_commune("C1")],
        ),
    )
    unit = the_district(found)
    share = values(unit)["communes_ntm_pct"]
    assert share.members == 2 and [r.code for r in share.undecided] == ["C404"]
    assert [p.code for p in found.membership.problems] == ["C404"]


def test_a_given_aggregate_is_kept_without_members_and_refused_when_it_disagrees() -> None:
    given_only = assess(
        DISTRICT,
        data(districts=[district(communes_ntm_pct=100.0, communes_advanced_pct=20.0)]),
    )
    unit = the_district(given_only)
    assert values(unit)["communes_ntm_pct"].source == "reported"
    assert statuses(unit)["D1.1"] == MET
    with pytest.raises(InputError) as caught:
        assess(
            DISTRICT,
            data(
                districts=[district(communes_ntm_pct=100.0)],
                communes=[strong_commune("C1"), weak_commune("C2")],
            ),
        )
    assert caught.value.field == "communes_ntm_pct" and "Huyện D1" not in caught.value.record
    assert "50" in caught.value.describe("en")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mix=st.lists(st.sampled_from(["strong", "weak", "ntm_only", "unhappy"]), min_size=1, max_size=6)
)
def test_adding_a_commune_that_meets_everything_never_lowers_a_district(mix: list[str]) -> None:
    make = {
        "strong": lambda c: strong_commune(c),
        "weak": lambda c: weak_commune(c),
        "ntm_only": lambda c: strong_commune(c, public_wifi_free=False),
        "unhappy": lambda c: strong_commune(c, resident_satisfaction_pct=70.0),
    }
    rows = [make[kind](f"C{i}") for i, kind in enumerate(mix)]
    before = the_district(assess(DISTRICT, data(districts=[district()], communes=rows)))
    after = the_district(
        assess(DISTRICT, data(districts=[district()], communes=[*rows, strong_commune("NEW")]))
    )
    rank = {NOT_MET: 0, MISSING: 1, MET: 2}
    for indicator, status in statuses(before).items():
        assert rank[statuses(after)[indicator]] >= rank[status], indicator
    assert after.placed.reached >= before.placed.reached
    # and a district is NTM only if every commune is
    ntm = {"strong", "ntm_only", "unhappy"}
    if before.placed.reached >= 0:
        assert set(mix) <= ntm


# -- oracle agreement --------------------------------------------------------------------------
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    members=st.lists(communes(years=[2024], regions=("tdmnpb",)), min_size=1, max_size=5),
    townships=st.lists(st.one_of(st.booleans(), st.none()), max_size=3),
    overall=st.one_of(st.none(), st.floats(80, 100)),
)
def test_districts_agree_with_the_oracle(
    members: list[dict[str, Any]], townships: list[bool | None], overall: float | None
) -> None:
    rows = [{**m, "code": f"C{i}", "district_code": "D1"} for i, m in enumerate(members)]
    towns = [
        {"code": f"T{i}", "district_code": "D1", "civilised_urban": flag}
        for i, flag in enumerate(townships)
    ]
    record = district(resident_satisfaction_pct=overall)
    found = assess(ORACLE_DISTRICT, data(districts=[record], communes=rows, townships=towns))
    unit = the_district(found)
    # the oracle's own reading: each commune by the oracle, then plain counting
    commune_oracle = Oracle()
    levels = [commune_oracle.evaluate(row)["level"] for row in rows]
    income = [row.get("income_per_capita") for row in rows]
    satisfaction = [row.get("resident_satisfaction_pct") for row in rows]

    def share(flags: list[bool | None]) -> float | None:
        if None in flags:
            return None
        return 100 * flags.count(True) / len(flags) if flags else 100.0

    expected = {
        "communes_ntm_pct": share([None if s == MISSING else s == MET for s in levels]),
        "communes_advanced_pct": share([None if v is None else v >= 50 for v in income]),
        "townships_civilised_pct": share(townships),
        "commune_satisfaction_min_pct": None if None in satisfaction else min(satisfaction),
    }
    got = {field: value.value for field, value in values(unit).items()}
    assert got == pytest.approx(expected)
    oracle = Oracle(ORACLE_DISTRICT).evaluate({**record, **expected})
    result = unit.placed.results[0]
    assert result.status == oracle["level"]
    assert {c.id: c.status for c in result.criteria} == oracle["criteria"]


# -- the ruleset format ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("communes_ntm_pct: {share: communes, level: ntm}", None),
        ("communes_ntm_pct: {share: villages, level: ntm}", "no member group 'villages'"),
        ("no_such_field: {share: communes, level: ntm}", "'no_such_field' is not an input"),
        ("communes_ntm_pct: {count: communes, level: ntm}", "cannot hold this result"),
        ("communes_ntm_pct: {share: communes}", "exactly one of 'level'"),
        ("communes_ntm_pct: {min: communes, field: code}", "not a numeric field"),
        ("communes_ntm_pct: {share: townships, level: ntm}", "has no ladder"),
        ("communes_ntm_pct: {share: townships, where: civilised_urban > 1}", None),
    ],
)
def test_aggregate_errors_name_file_and_line(
    tmp_path: Path, change: str, message: str | None
) -> None:
    text = DISTRICT.read_text(encoding="utf-8")
    text = text.replace("communes_ntm_pct: {share: communes, level: ntm}", change)
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    if message is None and "> 1" not in change:
        load_ruleset(path)
        return
    with pytest.raises(NtmRulesError) as caught:
        load_ruleset(path)
    shown = caught.value.describe("en")
    assert f"{path}:" in shown
    if message is not None:
        assert message in shown


def test_member_kind_must_be_contained_in_the_unit(tmp_path: Path) -> None:
    text = DISTRICT.read_text(encoding="utf-8").replace(
        "townships: {kind: township", "townships: {kind: province"
    )
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        load_ruleset(path)
    assert "does not contain units of kind 'province'" in caught.value.describe("en")


# -- the report --------------------------------------------------------------------------------
def test_the_report_matches_its_schema_and_counts_by_district(tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    sections = {
        "districts": [district("D1"), district("D2", name="Huyện Hai")],
        "townships": [{"code": "T1", "district_code": "D1", "civilised_urban": False}],
        "communes": [
            strong_commune("C1"),
            weak_commune("C2"),
            strong_commune("C3", district="D2"),
            {"code": "C4", "district_code": "NOWHERE", "region": "tdmnpb", "year": 2024},
        ],
    }
    path.write_text(json.dumps(sections, ensure_ascii=False), encoding="utf-8")
    report = evaluate_data_set(DISTRICT, path)
    document = report.to_dict()
    jsonschema.validate(document, REPORT_SCHEMA)
    progress = {row["code"]: row for row in document["progress"]}
    assert progress["D1"]["communes"] == 2 and progress["D2"]["communes"] == 1
    assert progress["D1"]["levels"][0] == {"level": "ntm", "at_or_above": 1}
    assert progress["D1"]["distribution"][0]["units"] == 1
    assert [link["code"] for link in document["links"]] == ["C4"]
    units = {unit["code"]: unit for unit in document["units"]}
    assert units["D2"]["place"]["level"] == "ntm" and units["D1"]["place"]["level"] is None
    d1 = {a["field"]: a for a in units["D1"]["aggregates"]}
    assert [m["code"] for m in d1["communes_ntm_pct"]["not_counted"]] == ["C2"]
    assert [m["code"] for m in d1["townships_civilised_pct"]["not_counted"]] == ["T1"]
    assert json.loads(json.dumps(document)) == document


def test_the_report_is_the_same_on_every_run(tmp_path: Path) -> None:
    sections = {"districts": [district()], "communes": [strong_commune("C1"), weak_commune("C2")]}
    first = evaluate_data_set(DISTRICT, data(**sections)).to_dict()
    second = evaluate_data_set(DISTRICT, data(**sections)).to_dict()
    assert first == second


def test_assessed_units_keep_their_records() -> None:
    found = assess(DISTRICT, data(districts=[district()], communes=[strong_commune("C1")]))
    unit = the_district(found)
    assert attrs.asdict(unit.record)["communes_ntm_pct"] == 100.0


def test_an_unknown_member_ladder_is_an_error_at_load(tmp_path: Path) -> None:
    text = DISTRICT.read_text(encoding="utf-8").replace(
        "ladder: vn.commune.2021", "ladder: vn.commune.2012"
    )
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NtmRulesError) as caught:
        load_ruleset(path)
    shown = caught.value.describe("en")
    assert f"{path}:" in shown and "no ladder or ruleset 'vn.commune.2012'" in shown
    assert "vn.commune.2021" in shown  # the suggestion


def test_a_level_the_member_ladder_lacks_is_an_error_naming_the_line(tmp_path: Path) -> None:
    text = DISTRICT.read_text(encoding="utf-8").replace("level: nang_cao", "level: nangcao")
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        assess(path, data(districts=[district()], communes=[strong_commune("C1")]))
    shown = caught.value.describe("en")
    assert f"{path}:" in shown and "'nangcao' is not a level" in shown and "nang_cao" in shown


def test_impact_of_a_district_threshold_on_a_data_set(tmp_path: Path) -> None:
    from ntm_rules.compare.impact import impact

    changed = tmp_path / "district.yaml"
    text = DISTRICT.read_text(encoding="utf-8")
    changed.write_text(
        text.replace("verified: true, value: 10}", "verified: true, value: 5}"), encoding="utf-8"
    )
    assert changed.read_text(encoding="utf-8") != text
    rows = [strong_commune("C0")]
    rows += [{**strong_commune("X", public_wifi_free=False), "code": f"N{i}"} for i in range(14)]
    township = {"code": "T1", "district_code": "D1", "civilised_urban": True}
    sections = data(districts=[district()], communes=rows, townships=[township])  # 6.67 % NC
    found = impact(load_ruleset(DISTRICT), load_ruleset(changed), sections)
    (unit,) = found.units
    assert unit.before.key == NOT_MET and unit.after.key == MET
    assert "communes_advanced" in json.dumps(unit.to_dict(), ensure_ascii=False)


def test_the_sample_province_is_the_same_from_any_thread() -> None:
    from concurrent.futures import ThreadPoolExecutor

    sample = Path(__file__).parent.parent / "examples" / "sonla-province-2023.json"
    alone = evaluate_data_set("sonla.province.2021", sample).to_dict("summary")
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = list(
            pool.map(
                lambda _: evaluate_data_set("sonla.province.2021", sample).to_dict("summary"),
                range(3),
            )
        )
    assert all(run == alone for run in runs)
