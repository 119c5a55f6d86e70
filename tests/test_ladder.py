"""Qualification ladders: chưa đạt → NTM → nâng cao → kiểu mẫu (and bản NTM → bản kiểu mẫu).

* the bundled ladders load, lowest level first, each level requiring the one below;
* with prerequisites taken as computed (no formal recognition), the ladder is monotone and
  ``LadderResult.reached`` is the number of leading met levels minus one;
* a recognition of the previous phase does not count but stays visible in the result and its
  explanation; a recognition of this phase holds the lower level even when data is missing;
* the kiểu mẫu income condition is relative to the nâng cao threshold in force;
* ladder files whose levels do not chain through ``requires`` are rejected.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import Oracle
from strategies import LADDER_FILES, LADDER_SPACE, REGION_KEYS, ladder_communes

from ntm_rules import RulesetError, evaluator_for, get_ruleset, load_ruleset
from ntm_rules.ladder import Ladder, LadderResult, evaluate_ladder, get_ladder
from ntm_rules.result import EvaluationResult

MET, NOT_MET, MISSING = "met", "not_met", "missing"
NATIONAL_LEVELS = ("vn.commune.ntm.2021", "vn.commune.nang-cao.2021", "vn.commune.kieu-mau.2021")
SONLA_LEVELS = (
    "sonla.commune.ntm.2021",
    "sonla.commune.nang-cao.2021",
    "sonla.commune.kieu-mau.2021",
)
NANG_CAO = Oracle(LADDER_FILES[1])


@pytest.fixture(scope="module")
def national_ladder() -> Ladder:
    return get_ladder("vn.commune.2021")


@pytest.fixture(scope="module")
def sonla_ladder() -> Ladder:
    return get_ladder("sonla.commune.2021")


@pytest.fixture(scope="module")
def village_ladder() -> Ladder:
    return get_ladder("sonla.village.2021")


def indicator(result: EvaluationResult, indicator_id: str) -> Any:
    found = [i for i in result.indicators if i.id == indicator_id]
    assert len(found) == 1, indicator_id
    return found[0]


# -- the bundled ladders -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ladder_id", "levels", "unit"),
    [
        ("vn.commune.2021", NATIONAL_LEVELS, "commune"),
        ("sonla.commune.2021", SONLA_LEVELS, "commune"),
        (
            "sonla.village.2021",
            ("sonla.village.ntm.2021", "sonla.village.kieu-mau.2021"),
            "village",
        ),
        ("vn.district.2021", ("vn.district.ntm.2021", "vn.district.nang-cao.2021"), "district"),
        (
            "sonla.district.2021",
            ("sonla.district.ntm.2021", "sonla.district.nang-cao.2021"),
            "district",
        ),
        ("vn.town.2021", ("vn.town.completed.2021",), "town"),
        ("sonla.town.2021", ("sonla.town.completed.2021",), "town"),
        ("vn.province.2021", ("vn.province.completed.2021",), "province"),
        ("sonla.province.2021", ("sonla.province.completed.2021",), "province"),
    ],
)
def test_bundled_ladders_load(ladder_id: str, levels: tuple[str, ...], unit: str) -> None:
    ladder = get_ladder(ladder_id)
    assert ladder.id == ladder_id
    assert ladder.levels == levels
    assert ladder.unit == unit
    assert ladder.below.vi and ladder.below.en
    for lower, higher in itertools.pairwise(levels):
        required = evaluator_for(higher).ruleset.requires
        assert required is not None and required.ruleset == lower
    assert evaluator_for(levels[0]).ruleset.requires is None
    assert all(target.level in levels for target in ladder.targets if target.floor is None)


def test_sonla_targets_are_read(sonla_ladder: Ladder) -> None:
    counts = {t.key: (t.count, t.floor, t.year) for t in sonla_ladder.targets}
    assert counts == {
        "sonla.commune.ntm.2021": (83, None, 2025),
        "sonla.commune.nang-cao.2021": (20, None, 2025),
        "sonla.commune.kieu-mau.2021": (3, None, 2025),
        "floor": (None, 15, 2025),  # 22-NQ/TU: no commune below 15 criteria
    }


def test_sonla_unit_targets_are_read() -> None:
    """22-NQ/TU: Quỳnh Nhai reaches NTM, Sơn La city keeps its status, by 2025 (sample codes)."""
    (district,) = get_ladder("sonla.district.2021").targets
    assert (district.level, district.units, district.year) == (
        "sonla.district.ntm.2021",
        ("SL-QN",),
        2025,
    )
    (town,) = get_ladder("sonla.town.2021").targets
    assert (town.level, town.units, town.year) == ("sonla.town.completed.2021", ("SL-TP",), 2025)


# -- monotonicity ------------------------------------------------------------------------------
def leading_met(result: LadderResult) -> int:
    count = 0
    for level in result.results:
        if level.status != MET:
            break
        count += 1
    return count


def check_monotone(ladder: Ladder, result: LadderResult) -> None:
    assert tuple(r.ruleset.id for r in result.results) == ladder.levels
    statuses = [r.status for r in result.results]
    for n, status in enumerate(statuses):
        if status == MET:  # meeting a level means meeting every level below it
            assert all(s == MET for s in statuses[:n]), statuses
    assert result.reached == leading_met(result) - 1, statuses
    # each level's prerequisite is the level below it, as computed (never recognised here)
    for lower, higher in itertools.pairwise(result.results):
        pre = higher.prerequisite
        assert pre is not None and pre.computed is lower
        assert pre.satisfied_by in (None, "computed")
        assert (pre.status == MET) == (lower.status == MET)
    if result.reached >= 0:
        assert result.place == result.results[result.reached].level_name
    else:
        assert result.place == ladder.below
    following = result.next_result
    if result.reached + 1 < len(ladder.levels):
        assert following is result.results[result.reached + 1]
        assert following is not None and following.status != MET
    else:
        assert following is None and result.next_gap is None


@settings(max_examples=60, deadline=None)
@given(record=ladder_communes())
def test_national_ladder_is_monotone(national_ladder: Ladder, record: dict[str, Any]) -> None:
    check_monotone(national_ladder, evaluate_ladder(national_ladder, record))


@settings(max_examples=30, deadline=None)
@given(record=ladder_communes(), province=st.sampled_from([None, "Sơn La"]))
def test_sonla_ladder_is_monotone(
    sonla_ladder: Ladder, record: dict[str, Any], province: str | None
) -> None:
    check_monotone(sonla_ladder, evaluate_ladder(sonla_ladder, {**record, "province": province}))


def test_a_perfect_commune_reaches_the_top(national_ladder: Ladder) -> None:
    result = evaluate_ladder(national_ladder, LADDER_SPACE.perfect())
    assert [r.status for r in result.results] == [MET, MET, MET]
    assert result.reached == 2
    assert result.place.en == "Model new rural commune"
    assert result.next_result is None


def test_a_commune_failing_only_a_kieu_mau_condition_stops_at_nang_cao(
    national_ladder: Ladder,
) -> None:
    result = evaluate_ladder(national_ladder, LADDER_SPACE.perfect(smart_village_models=0))
    assert [r.status for r in result.results] == [MET, MET, NOT_MET]
    assert result.reached == 1
    assert result.next_result is result.results[2]
    gap = result.next_gap
    assert gap is not None
    assert [(i.criterion_id, i.indicator_id) for i in gap.items] == [("3", "3")]


# -- recognition -------------------------------------------------------------------------------
def test_recognition_before_2022_does_not_count_but_stays_visible() -> None:
    record = LADDER_SPACE.perfect(
        recognised_ntm_year=2019, multidimensional_poverty_pct=60.0, year=2024
    )
    result = evaluator_for("vn.commune.nang-cao.2021").evaluate(record)
    pre = result.prerequisite
    assert pre is not None
    assert pre.ruleset_id == "vn.commune.ntm.2021"
    assert pre.recognised_year == 2019
    assert pre.recognition_counts is False
    assert pre.satisfied_by is None
    assert pre.status == NOT_MET
    assert pre.computed is not None and pre.computed.status == NOT_MET
    unmet = [c.id for c in pre.computed.criteria if c.status == NOT_MET]
    assert "11" in unmet
    assert unmet == ["11"]  # everything else of the perfect commune still holds
    assert result.status == NOT_MET
    as_dict = pre.to_dict()
    assert as_dict["recognised_year"] == 2019 and as_dict["recognition_counts"] is False
    assert as_dict["computed"]["unmet_criteria"] == ["11"]

    english = result.explain("en")
    assert "Year recognised: 2019 (does not count" in english
    assert "recognised, but does not currently meet criterion 11" in english
    vietnamese = result.explain()
    assert "Năm được công nhận: 2019 (không được tính" in vietnamese
    assert "hiện chưa đạt tiêu chí 11" in vietnamese


def test_recognition_in_2023_holds_ntm_while_data_is_missing() -> None:
    record = {"code": "R23", "region": "tn", "year": 2024, "recognised_ntm_year": 2023}
    result = evaluator_for("vn.commune.nang-cao.2021").evaluate(record)
    pre = result.prerequisite
    assert pre is not None
    assert pre.computed is not None and pre.computed.status == MISSING
    assert pre.recognised_year == 2023 and pre.recognition_counts is True
    assert pre.satisfied_by == "recognised"
    assert pre.status == MET
    assert "held through formal recognition" in result.explain("en")
    # the same commune without the recognition does not hold NTM (it is only missing data)
    bare = evaluator_for("vn.commune.nang-cao.2021").evaluate(
        {**record, "recognised_ntm_year": None}
    )
    assert bare.prerequisite is not None
    assert bare.prerequisite.status == MISSING and bare.prerequisite.satisfied_by is None


def test_recognition_holds_the_lower_level_on_the_ladder(national_ladder: Ladder) -> None:
    record = LADDER_SPACE.perfect(recognised_ntm_year=2023, field_roads_pct=0.0)
    result = evaluate_ladder(national_ladder, record)
    ntm, nang_cao, _ = result.results
    assert ntm.status == NOT_MET  # 2.4 fails against the NTM set as computed
    assert nang_cao.prerequisite is not None
    assert nang_cao.prerequisite.satisfied_by == "recognised"


# -- kiểu mẫu income is relative to the nâng cao threshold ---------------------------------------
def kieu_mau_income(record: dict[str, Any]) -> tuple[Any, float]:
    """(indicator 2 of the kiểu mẫu result, the nâng cao income threshold T it rests on)."""
    result = evaluator_for("vn.commune.kieu-mau.2021").evaluate(record)
    income = indicator(result, "2")
    (check,) = income.checks
    (param,) = check.params
    assert param.param.name == "nang_cao.income_per_capita"
    return income, float(param.value)


@settings(max_examples=40, deadline=None)
@given(
    region=st.sampled_from(REGION_KEYS),
    dbkk=st.booleans(),
    year=st.sampled_from([2022, 2023, 2024, 2025]),
)
def test_kieu_mau_income_is_ten_percent_above_nang_cao(region: str, dbkk: bool, year: int) -> None:
    record = LADDER_SPACE.perfect(region=region, dbkk=dbkk, year=year)
    income, threshold = kieu_mau_income({**record, "income_per_capita": 0.0})
    # T is the nâng cao value in force for this commune's region row and date (read independently)
    row, _ = NANG_CAO.region(record)
    assert threshold == NANG_CAO.param_value("income_per_capita", dt.date(year, 12, 31), row)
    nang_cao = evaluator_for("vn.commune.nang-cao.2021").evaluate(record)
    assert indicator(nang_cao, "10").checks[0].threshold == threshold
    assert income.checks[0].threshold == pytest.approx(1.1 * threshold)
    assert income.status == NOT_MET

    at, _ = kieu_mau_income({**record, "income_per_capita": 1.1 * threshold})
    below, _ = kieu_mau_income({**record, "income_per_capita": 1.1 * threshold - 0.01})
    assert at.status == MET
    assert below.status == NOT_MET


def test_kieu_mau_income_threshold_follows_the_2025_nang_cao_value() -> None:
    thresholds = {}
    for year in (2024, 2025):
        record = LADDER_SPACE.perfect(region="dbsh", year=year)
        income, base = kieu_mau_income(record)
        nang_cao = evaluator_for("vn.commune.nang-cao.2021").evaluate(record)
        assert indicator(nang_cao, "10").checks[0].threshold == base
        thresholds[year] = (base, income.checks[0].threshold)
    (base_2024, kieu_2024), (base_2025, kieu_2025) = thresholds[2024], thresholds[2025]
    assert (base_2024, base_2025) == (58.0, 70.0)  # the nâng cao dbsh values of 2022 and 2025
    assert kieu_2024 == pytest.approx(1.1 * 58) and kieu_2025 == pytest.approx(1.1 * 70)
    # an income that is 110 % of the 2024 value meets in 2024 but not in 2025
    income = 1.1 * base_2024
    met_2024, _ = kieu_mau_income(
        LADDER_SPACE.perfect(region="dbsh", year=2024, income_per_capita=income)
    )
    met_2025, _ = kieu_mau_income(
        LADDER_SPACE.perfect(region="dbsh", year=2025, income_per_capita=income)
    )
    assert (met_2024.status, met_2025.status) == (MET, NOT_MET)


def test_an_income_of_exactly_110_percent_written_in_decimal_meets() -> None:
    failed = []
    for region in REGION_KEYS:
        for year in (2024, 2025):
            record = LADDER_SPACE.perfect(region=region, year=year)
            _, threshold = kieu_mau_income(record)
            exact = round(1.1 * threshold, 2)  # how a report writes 110 % of 43: 47.3
            income, _ = kieu_mau_income({**record, "income_per_capita": exact})
            if income.status != MET:
                failed.append((region, year, exact))
    assert failed == []


# -- ladder files that do not chain ----------------------------------------------------------------
LADDER_TEMPLATE = """format: 1
id: test.ladder
title: {{vi: Thang thử, en: Test ladder}}
ladder:
  below: {{vi: Chưa đạt, en: Not reached}}
  levels:
{levels}
"""


def write_ladder(tmp_path: Path, levels: list[str]) -> Path:
    path = tmp_path / "ladder.yaml"
    lines = "\n".join(f"    - {level}" for level in levels)
    path.write_text(LADDER_TEMPLATE.format(levels=lines), encoding="utf-8")
    return path


def test_a_well_chained_ladder_file_loads(tmp_path: Path) -> None:
    ladder = get_ladder(write_ladder(tmp_path, list(NATIONAL_LEVELS)))
    assert ladder.levels == NATIONAL_LEVELS


@pytest.mark.parametrize(
    ("levels", "bad", "fragments"),
    [
        (  # a level skipped: kiểu mẫu requires nâng cao, not NTM
            ["vn.commune.ntm.2021", "vn.commune.kieu-mau.2021"],
            1,
            ("vn.commune.kieu-mau.2021 requires vn.commune.nang-cao.2021", "vn.commune.ntm.2021"),
        ),
        (  # the lowest level must require nothing
            ["vn.commune.nang-cao.2021", "vn.commune.kieu-mau.2021"],
            0,
            ("requires vn.commune.ntm.2021", "below it is none"),
        ),
        (  # upside down
            ["vn.commune.nang-cao.2021", "vn.commune.ntm.2021"],
            0,
            ("requires vn.commune.ntm.2021",),
        ),
        (  # the Sơn La nâng cao set requires Sơn La's NTM set, not the national one
            ["vn.commune.ntm.2021", "sonla.commune.nang-cao.2021"],
            1,
            ("requires sonla.commune.ntm.2021", "vn.commune.ntm.2021"),
        ),
    ],
)
def test_a_level_not_requiring_the_one_below_is_rejected(
    tmp_path: Path, levels: list[str], bad: int, fragments: tuple[str, ...]
) -> None:
    path = write_ladder(tmp_path, levels)
    with pytest.raises(RulesetError) as info:
        get_ladder(path)
    error = info.value
    assert Path(error.file or "").resolve() == path.resolve()
    assert error.line == 7 + bad, str(error)  # the line of the offending level
    for fragment in fragments:
        assert fragment in str(error)


def test_an_unknown_level_is_rejected(tmp_path: Path) -> None:
    path = write_ladder(tmp_path, ["vn.commune.ntm.2021", "vn.commune.nang-cao.2099"])
    with pytest.raises(RulesetError, match=r"unknown ruleset 'vn.commune.nang-cao.2099'") as info:
        get_ladder(path)
    assert info.value.line == 8


# -- villages ----------------------------------------------------------------------------------
GOOD_VILLAGE: dict[str, Any] = {
    "code": "B01",
    "name": "Bản Mòng",
    "commune_code": "X01",
    "province": "Sơn La",
    "region": "tdmnpb",
    "year": 2024,
    "dbkk": True,
    "village_roads_hardened_pct": 100.0,
    "alleys_clean_pct": 100.0,
    "households_safe_power_pct": 100.0,
    "has_culture_house": True,
    "temporary_houses": 0,
    "solid_houses_pct": 95.0,
    "income_per_capita": 45.0,
    "multidimensional_poverty_pct": 3.0,
    "has_production_model": True,
    "school_age_attendance_pct": 100.0,
    "health_insurance_pct": 100.0,
    "cultural_village": True,
    "hygienic_water_pct": 100.0,
    "households_sanitation_pct": 95.0,
    "waste_collected": True,
    "landscape_green_clean": True,
    "security_order_safe": True,
    "model_gardens": 5,
    "lit_roads": True,
    "community_digital": True,
    "resident_satisfaction_pct": 98.0,
}


def test_a_good_village_reaches_ban_ntm_kieu_mau(village_ladder: Ladder) -> None:
    result = evaluate_ladder(village_ladder, GOOD_VILLAGE)
    assert [r.status for r in result.results] == [MET, MET]
    assert result.reached == 1
    assert result.place.vi == "Bản nông thôn mới kiểu mẫu"
    assert result.next_gap is None


@pytest.mark.parametrize(
    ("changes", "statuses", "reached"),
    [
        ({"model_gardens": 1, "lit_roads": False}, [MET, NOT_MET], 0),  # bản NTM, not kiểu mẫu
        ({"income_per_capita": 31.0}, [MET, NOT_MET], 0),  # above 30, below 1.2 * 30
        ({"income_per_capita": 20.0, "temporary_houses": 3}, [NOT_MET, NOT_MET], -1),
        ({"hygienic_water_pct": 40.0}, [NOT_MET, NOT_MET], -1),  # fails bản NTM only
    ],
)
def test_a_weak_village_stays_below(
    village_ladder: Ladder, changes: dict[str, Any], statuses: list[str], reached: int
) -> None:
    result = evaluate_ladder(village_ladder, {**GOOD_VILLAGE, **changes})
    assert [r.status for r in result.results] == statuses
    assert result.reached == reached
    assert result.place == (village_ladder.below if reached < 0 else result.results[0].level_name)
    following = result.next_result
    assert following is not None and following.status == NOT_MET


def test_content_hash_covers_the_rulesets_drawn_on(tmp_path: Path) -> None:
    """A stored result must trace to the exact rules: editing a lower level's file (imported
    and required by kiểu mẫu) changes the kiểu mẫu ruleset's hash."""
    national = Path(get_ruleset("vn.commune.ntm.2021").file).parent
    for name in (
        "commune-ntm-2021.yaml",
        "commune-nang-cao-2021.yaml",
        "commune-kieu-mau-2021.yaml",
    ):
        (tmp_path / name).write_text(
            (national / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    before = load_ruleset(tmp_path / "commune-kieu-mau-2021.yaml").content_hash
    lower = tmp_path / "commune-nang-cao-2021.yaml"
    lower.write_text(lower.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = load_ruleset(tmp_path / "commune-kieu-mau-2021.yaml").content_hash
    assert before != after
