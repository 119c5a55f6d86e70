"""Ruleset tests in YAML (``*.test.yaml``): the format's errors, the runner's comparisons, the
``ntm-rules test`` command, the pytest plugin and a property linking results and cases.

The bundled cases themselves run as pytest items (``testpaths`` includes ``rulesets``), not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from cli_support import failed, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules.casetests import (
    default_case_files,
    load_case_file,
    run_case,
    run_file,
)
from ntm_rules.evaluation import evaluator_for
from ntm_rules.result import MET, MISSING, NOT_APPLICABLE, NOT_MET
from ntm_rules.ruleset.search import bundled_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
VILLAGE = "sonla.village.ntm.2021"

# A village at every threshold of sonla.village.ntm.2021, as that file writes them.
VILLAGE_RECORD = """\
    code: B1
    commune_code: X1
    region: tdmnpb
    village_roads_hardened_pct: 70
    alleys_clean_pct: 80
    households_safe_power_pct: 95
    has_culture_house: true
    temporary_houses: 0
    solid_houses_pct: 75
    income_per_capita: 30
    multidimensional_poverty_pct: 15
    has_production_model: true
    school_age_attendance_pct: 95
    health_insurance_pct: 90
    cultural_village: true
    hygienic_water_pct: 90
    households_sanitation_pct: 60
    waste_collected: true
    landscape_green_clean: true
    security_order_safe: true
    resident_satisfaction_pct: 90
"""


def write(folder: Path, text: str, name: str = "cases.test.yaml") -> Path:
    path = folder / "tests" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def village_file(folder: Path, cases: str) -> Path:
    return write(
        folder,
        f"format: 1\nruleset: {VILLAGE}\nrecords:\n  base:\n{VILLAGE_RECORD}cases:\n{cases}",
    )


PASSING = """\
  - name: at every threshold
    year: 2024
    record: base
    expect: {status: met, indicators: {V5.1: {status: met, threshold: 30}}}
"""
FAILING = """\
  - name: income just short
    year: 2024
    record: base
    changes: {income_per_capita: 29.5}
    expect: {status: met, indicators: {V5.1: met}}
"""


# -- the format's errors ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line", "vi", "en"),
    [
        ("format: 1\nruleset: x\ncase: []\n", 3, "có phải 'cases'", "did you mean 'cases'"),
        ("ruleset: x\ncases: []\n", 1, "thiếu khóa bắt buộc 'format'", "missing required key"),
        ("format: 2\ncases: []\n", 1, "'format' phải là 1", "'format' must be 1"),
        ("format: 1\nruleset: x\ncases: []\n", 3, "chưa có ca kiểm thử nào", "there are no cases"),
        ("format: 1\nruleset: x\ncases:\n  - name: a\n   record: {}\n", 5, "", ""),
        (
            "format: 1\nruleset: x\nladder: y\ncases: [{name: a, record: {}, expect: {}}]\n",
            3,
            "chỉ ghi một trong hai",
            "either 'ruleset' or 'ladder'",
        ),
    ],
)
def test_file_errors_name_the_line_in_both_languages(
    tmp_path: Path, text: str, line: int, vi: str, en: str
) -> None:
    loaded = load_case_file(write(tmp_path, text))
    assert loaded.cases == ()
    (problem,) = loaded.errors
    assert getattr(problem, "line", None) == line
    assert vi in problem.describe("vi")
    assert en in problem.describe("en")


CASE_ERRORS = [
    ("record: basse\n    expect: {status: met}", "có phải 'base'", "did you mean 'base'"),
    ("record: base\n    expect: {status: passed}", "trạng thái phải là", "a status must be"),
    ("record: base\n    expect: {statsu: met}", "có phải 'status'", "did you mean 'status'"),
    ("record: base\n    date: 2024-13-01\n    expect: {status: met}", "YYYY-MM-DD", "YYYY-MM-DD"),
    (
        "year: 2024\n    date: 2024-01-01\n    record: base\n    expect: {}",
        "chỉ ghi 'year'",
        "either",
    ),
    ("year: 24\n    record: base\n    expect: {status: met}", "năm đánh giá", "assessment year"),
    ("record: base\n    expect: {indicators: {17.10: met}}", "ngoặc kép", "put the id in quotes"),
    ("record: base\n    changes: {income_per_capita: [1]}\n    expect: {status: met}", "", "list"),
    ("record: base\n    expect: {}", "chưa ghi điều gì", "nothing is expected"),
    ("record: base", "thiếu khóa bắt buộc 'expect'", "missing required key 'expect'"),
    ("record: base\n    expect: {place: below}", "khóa 'place' không hợp lệ", "unknown key"),
]


@pytest.mark.parametrize(("body", "vi", "en"), CASE_ERRORS)
def test_a_bad_case_is_reported_at_its_line_and_the_others_still_load(
    tmp_path: Path, body: str, vi: str, en: str
) -> None:
    cases = f"  - name: bad\n    {body}\n{PASSING}"
    path = village_file(tmp_path, cases)
    loaded = load_case_file(path)
    assert [case.name for case in loaded.cases] == ["at every threshold"]
    (problem,) = loaded.errors
    bad_line = path.read_text(encoding="utf-8").splitlines().index("  - name: bad") + 1
    assert getattr(problem, "line", 0) >= bad_line
    assert getattr(problem, "file", None) == str(path)
    assert vi in problem.describe("vi") and en in problem.describe("en")


def test_two_cases_with_one_name_are_an_error(tmp_path: Path) -> None:
    loaded = load_case_file(village_file(tmp_path, PASSING + PASSING))
    assert len(loaded.cases) == 1
    assert "already used at line" in loaded.errors[0].describe("en")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    loaded = load_case_file(write(tmp_path, "format: 1\ncases:\n  - name: [a\n"))
    assert loaded.errors and getattr(loaded.errors[0], "line", None) is not None


# -- running cases --------------------------------------------------------------------------
def test_a_passing_case_passes(tmp_path: Path) -> None:
    result = run_file(village_file(tmp_path, PASSING))
    assert result.passed
    (case,) = result.results
    assert case.target_id == VILLAGE
    assert [c.kind for c in case.comparisons] == ["status", "indicator", "threshold"]


def test_a_failing_case_names_the_difference_with_value_and_threshold(tmp_path: Path) -> None:
    (case,) = run_file(village_file(tmp_path, FAILING)).results
    assert not case.passed
    kinds = {d.kind: d for d in case.differences}
    assert set(kinds) == {"status", "indicator"}
    indicator = kinds["indicator"]
    assert indicator.key == "V5.1"
    assert indicator.data["expected_status"] == MET
    assert indicator.data["actual_status"] == NOT_MET
    (check,) = indicator.data["checks"]
    assert (check["value"], check["threshold"]) == (29.5, 30)
    assert "income_per_capita" in check["parameters"]
    assert "giá trị 29,5" in indicator.describe("vi") and "≥ 30" in indicator.describe("vi")
    assert "expected met, got not met" in indicator.describe("en")
    assert "V5" in (kinds["status"].detail or kinds["status"].subject).en


def test_criteria_met_exact_includes_and_count(tmp_path: Path) -> None:
    all_ten = ", ".join(f"V{n}" for n in range(1, 11))
    cases = (
        "  - name: criteria\n    year: 2024\n    record: base\n"
        "    changes: {income_per_capita: 29.5}\n"
        f"    expect:\n      criteria_met: [{all_ten}]\n"
        "  - name: includes\n    year: 2024\n    record: base\n"
        "    changes: {income_per_capita: 29.5}\n"
        "    expect: {criteria_met: {includes: [V1, V5], excludes: [V6], count: 9}}\n"
    )
    exact, includes = run_file(village_file(tmp_path, cases)).results
    (difference,) = exact.differences
    assert difference.detail is not None and difference.detail.en == "not met: V5"
    assert [d.kind for d in includes.differences] == ["criteria_met"]
    assert "without V6" in includes.differences[0].expected.en


def test_unknown_ids_in_expectations_are_errors_at_their_line(tmp_path: Path) -> None:
    cases = (
        "  - name: unknown\n    year: 2024\n    record: base\n"
        "    expect: {indicators: {V5.2: met}}\n"
    )
    (case,) = run_file(village_file(tmp_path, cases)).results
    assert case.error is not None and not case.passed
    assert "there is no indicator 'V5.2' (did you mean" in case.error.describe("en")
    assert "không có chỉ tiêu 'V5.2' (có phải" in case.error.describe("vi")
    assert getattr(case.error, "line", None) == case.case.expect.indicators[0].where.line


def test_a_missing_field_makes_the_indicator_missing(tmp_path: Path) -> None:
    cases = (
        "  - name: partial\n    year: 2024\n    record: {commune_code: X, region: tdmnpb}\n"
        "    expect: {status: missing, criteria_met: [], indicators: {V5.1: missing}}\n"
    )
    assert run_file(village_file(tmp_path, cases)).passed


def test_ids_resolve_beside_the_test_file_before_the_bundled_sets(tmp_path: Path) -> None:
    """A working copy with a changed threshold is what its tests see."""
    source = (bundled_dir() / "son-la" / "village-ntm-2021.yaml").read_text(encoding="utf-8")
    edited = source.replace("        value: 30\n", "        value: 31\n", 1)
    assert edited != source
    (tmp_path / "village-ntm-2021.yaml").write_text(edited, encoding="utf-8")
    result = run_file(village_file(tmp_path, PASSING))
    (case,) = result.results
    threshold = next(d for d in case.differences if d.kind == "threshold")
    assert threshold.data["checks"][0]["threshold"] == 31
    assert run_file(village_file(tmp_path / "elsewhere", PASSING)).passed  # bundled: 30


def test_a_ruleset_named_by_a_path_relative_to_the_test_file(tmp_path: Path) -> None:
    path = village_file(tmp_path, PASSING)
    relative = os.path.relpath(bundled_dir() / "son-la" / "village-ntm-2021.yaml", path.parent)
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"ruleset: {VILLAGE}", f"ruleset: {relative}"),
        encoding="utf-8",
    )
    assert run_file(path).passed


def test_a_ladder_named_as_a_ruleset_is_an_error(tmp_path: Path) -> None:
    path = village_file(tmp_path, PASSING)
    path.write_text(
        path.read_text(encoding="utf-8").replace(VILLAGE, "sonla.village.2021"), encoding="utf-8"
    )
    (case,) = run_file(path).results
    assert case.error is not None and "use the key 'ladder'" in case.error.describe("en")


def test_a_data_file_record_checked_by_hand(tmp_path: Path) -> None:
    """SL-001 of the examples, read by hand against the Sơn La sets (TDMNPB values): it meets
    every NTM indicator (income 41.5 >= 39, ...), but its income 41.5 is under the nâng cao
    threshold 43, so it stands at NTM on the ladder."""
    text = (
        "format: 1\nladder: sonla.commune.2021\nrecords:\n"
        f"  sl001: {{file: {EXAMPLES / 'sonla-communes-2023.csv'}, code: SL-001}}\n"
        "cases:\n  - name: SL-001\n    record: sl001\n    expect:\n"
        "      place: ntm\n      levels:\n        sonla.commune.ntm.2021: {criteria_met: {count: 19}}\n"
        "        nang_cao:\n          prerequisite: met\n"
        "          indicators: {'10': {status: not_met, value: 41.5, threshold: 43}}\n"
    )
    assert run_file(write(tmp_path, text)).passed


def test_a_case_on_a_date_outside_the_rules_is_an_error(tmp_path: Path) -> None:
    cases = PASSING.replace("year: 2024", "date: 2021-06-30")
    (case,) = run_file(village_file(tmp_path, cases)).results
    assert case.error is not None and "outside the validity" in case.error.describe("en")


# -- the command -----------------------------------------------------------------------------
def test_command_passes_and_fails_with_exit_codes(tmp_path: Path) -> None:
    passing = village_file(tmp_path / "a", PASSING)
    failing = village_file(tmp_path / "b", FAILING)
    output = ok(run("test", passing)).stdout
    assert "✓" in output and "1 ca trong 1 tệp: 1 đạt, 0 không đạt" in output
    result = run("test", passing, failing, "--lang", "en")
    assert result.exit_code == 1
    assert "expected met, got not met" in result.stdout
    assert "2 cases in 2 files: 1 passed, 1 failed" in result.stdout


def test_command_fails_on_an_invalid_file(tmp_path: Path) -> None:
    result = run("test", village_file(tmp_path, PASSING + "  - name: x\n"))
    assert result.exit_code == 1
    assert "tệp kiểm thử không hợp lệ" in result.stdout
    assert "1 lỗi trong tệp kiểm thử" in result.stdout


def test_command_json(tmp_path: Path) -> None:
    result = run("test", tmp_path / "b", "--format", "json")
    village_file(tmp_path / "b", FAILING)
    result = run("test", tmp_path / "b", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["summary"] == {"cases": 1, "passed": 0, "failed": 1, "files": 1, "invalid": 0}
    (case,) = document["files"][0]["cases"]
    assert case["passed"] is False
    assert {c["kind"] for c in case["comparisons"] if not c["matched"]} == {"status", "indicator"}


def test_command_usage_and_missing_paths(tmp_path: Path) -> None:
    assert "không tìm thấy" in failed(run("test", tmp_path / "nothing.test.yaml"))
    assert "*.test.yaml" in failed(run("test", tmp_path))
    failed(run("test", tmp_path, "--format", "xml"), code=2)


def test_command_fits_80_columns(tmp_path: Path) -> None:
    village_file(tmp_path, PASSING + FAILING)
    for lang in ("vi", "en"):
        result = run("test", tmp_path, "--lang", lang, env={"COLUMNS": "80"})
        assert result.exit_code == 1
        assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_default_runs_the_search_paths_tests_leaving_out_shadowed_bundled_ones(
    tmp_path: Path,
) -> None:
    bundled = {path.name for path in default_case_files()}
    assert "commune-ntm-2021.test.yaml" in bundled and "village-ntm-2021.test.yaml" in bundled
    source = bundled_dir() / "son-la" / "village-ntm-2021.yaml"
    (tmp_path / "village-ntm-2021.yaml").write_bytes(source.read_bytes())
    mine = village_file(tmp_path, PASSING)
    from ntm_rules.ruleset.search import use_rulesets

    with use_rulesets([tmp_path]):
        found = default_case_files()
    assert found[0] == mine
    bundled_village = bundled_dir() / "son-la" / "tests" / "village-ntm-2021.test.yaml"
    assert bundled_village not in found  # it names a set the user's folder shadows
    assert bundled_dir() / "national" / "tests" / "commune-ntm-2021.test.yaml" in found


# -- the pytest plugin --------------------------------------------------------------------------
def test_the_plugin_is_registered() -> None:
    names = {ep.value for ep in entry_points(group="pytest11")}
    assert "ntm_rules.casetests.pytest_plugin" in names


def test_pytest_collects_and_reports_cases(pytester: pytest.Pytester) -> None:
    village_file(pytester.path, PASSING + FAILING + "  - name: broken\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*case 'income just short'*failed*",
            "*indicator V5.1: expected met, got not met (value 29.5*threshold ≥ 30*",
            "*invalid test file*missing required key 'record'*",
        ]
    )


def test_our_suite_collects_every_bundled_case() -> None:
    """``testpaths`` includes ``rulesets``: each bundled case is an item of the suite."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    collected = [line for line in proc.stdout.splitlines() if ".test.yaml::" in line]
    expected = sum(len(load_case_file(path).cases) for path in default_case_files())
    assert len(collected) == expected > 100


# -- property: a case written from a result passes; changing one expectation fails it ----------
PERCENT = st.one_of(st.none(), st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)))
FLAG = st.one_of(st.none(), st.booleans())
VILLAGE_FIELDS: dict[str, Any] = {
    "village_roads_hardened_pct": PERCENT,
    "alleys_clean_pct": PERCENT,
    "households_safe_power_pct": PERCENT,
    "has_culture_house": FLAG,
    "temporary_houses": st.one_of(st.none(), st.integers(0, 3)),
    "solid_houses_pct": PERCENT,
    "income_per_capita": st.one_of(st.none(), st.floats(0, 60).map(lambda x: round(x, 1))),
    "multidimensional_poverty_pct": PERCENT,
    "has_production_model": FLAG,
    "school_age_attendance_pct": PERCENT,
    "health_insurance_pct": PERCENT,
    "cultural_village": FLAG,
    "hygienic_water_pct": PERCENT,
    "households_sanitation_pct": PERCENT,
    "waste_collected": FLAG,
    "landscape_green_clean": FLAG,
    "security_order_safe": FLAG,
    "resident_satisfaction_pct": PERCENT,
}
OTHER = {MET: NOT_MET, NOT_MET: MET, MISSING: MET, NOT_APPLICABLE: MET}


@settings(max_examples=25)
@given(fields=st.fixed_dictionaries(VILLAGE_FIELDS), data=st.data())
def test_a_case_written_from_a_result_passes_and_a_changed_status_fails(
    fields: dict[str, Any], data: st.DataObject
) -> None:
    record = {"code": "P1", "commune_code": "X1", "region": "tdmnpb", **fields}
    result = evaluator_for(VILLAGE).evaluate(record, year=2024)
    statuses = {i.id: i.status for i in result.indicators}
    expect: dict[str, Any] = {
        "status": result.status,
        "criteria_met": [c.id for c in result.criteria if c.status == MET],
        "indicators": statuses,
    }
    case = {"name": "generated", "year": 2024, "record": record, "expect": expect}
    document = {"format": 1, "ruleset": VILLAGE, "cases": [case]}
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), json.dumps(document))  # JSON is YAML
        assert run_file(path).passed
        changed = data.draw(st.sampled_from(sorted(statuses)))
        statuses[changed] = OTHER[statuses[changed]]
        path.write_text(json.dumps(document), encoding="utf-8")
        (outcome,) = load_case_file(path).cases
        differences = run_case(outcome).differences
    assert [(d.kind, d.key) for d in differences] == [("indicator", changed)]
