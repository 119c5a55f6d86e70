"""Provincial rulesets (`extends`): overrides, tightening, conflicts, open values, new indicators.

Every provincial file here is written to ``tmp_path`` and extends the bundled national set
``vn.commune.ntm.2021`` (or a small national-style set written next to it), with scope
Sơn La / TDMNPB, as docs/provincial-rulesets.md describes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import _cell_value
from strategies import COMPARISONS, LADDER_SPACE, ORACLE, communes

from ntm_rules import RulesetError, evaluator_for, load_ruleset
from ntm_rules.evaluation import Evaluator
from ntm_rules.result import EvaluationResult

MET, NOT_MET, MISSING, NOT_APPLICABLE = "met", "not_met", "missing", "not_applicable"
NATIONAL = "vn.commune.ntm.2021"
PROVINCE_ID = "test.sonla.ntm.2021"
HEAD = f"""format: 1
id: {PROVINCE_ID}
version: "1"
extends: {NATIONAL}
scope: {{province: Sơn La, region: tdmnpb}}
title: {{vi: Bộ tiêu chí thử của tỉnh Sơn La, en: Test Sơn La criteria}}
documents:
  sl1002: {{number: 1002/QĐ-UBND, date: 2022-06-06}}
"""


def write(tmp_path: Path, text: str, name: str = "sonla-test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str, occurrence: int = 0) -> int:
    """1-based line of the ``occurrence``-th line containing ``fragment``."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert len(found) > occurrence, fragment
    return found[occurrence]


def override(
    parameter: str,
    start: str,
    by: str,
    until: str | None = None,
    extra: str = "",
    item: str = "10",
) -> str:
    lines = [f"  - parameter: {parameter}", f"    from: {start}"]
    if until:
        lines.append(f"    until: {until}")
    lines += [
        f"    by: {by}",
        f'    source: {{doc: sl1002, part: "Phụ lục I", item: "{item}"}}',
        "    verified: true",
    ]
    return "\n".join(lines) + "\n" + extra


def load_error(path: Path) -> RulesetError:
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    error = info.value
    assert Path(error.file or "").resolve() == path.resolve(), str(error)
    assert str(error).startswith(f"{error.file}:{error.line}:"), str(error)
    return error


def indicator(result: EvaluationResult, indicator_id: str) -> Any:
    conditions = result.recognition.conditions if result.recognition else ()
    found = [i for i in (*result.indicators, *conditions) if i.id == indicator_id]
    assert len(found) == 1, indicator_id
    return found[0]


def commune(**fields: Any) -> dict[str, Any]:
    """A commune meeting every national criterion, in Sơn La (TDMNPB), assessed for 2023."""
    defaults = {"code": "SL1", "province": "Sơn La", "region": "tdmnpb", "year": 2023}
    return LADDER_SPACE.perfect(**{**defaults, **fields})


# -- a tightening override ---------------------------------------------------------------------
TIGHTER = (
    HEAD
    + "overrides:\n"
    + override("income_per_capita", "2022-06-06", "{tdmnpb: 41}", until="2024-12-31")
    + override("multidimensional_poverty_max", "2022-06-06", "{tdmnpb: 10}", item="11")
)


def test_a_tightening_override_validates_and_is_used(tmp_path: Path) -> None:
    ruleset = load_ruleset(write(tmp_path, TIGHTER))
    assert ruleset.extends == NATIONAL and ruleset.scope is not None
    provincial, national = evaluator_for(ruleset), evaluator_for(NATIONAL)
    record = commune(income_per_capita=40.0, multidimensional_poverty_pct=11.0)
    ours, theirs = provincial.evaluate(record), national.evaluate(record)
    assert theirs.status == MET
    assert ours.status == NOT_MET
    assert [c.id for c in ours.criteria if c.status != MET] == ["10", "11"]

    for ind_id, value, old in (("10", 41.0, 39.0), ("11", 10.0, 13.0)):
        check = indicator(ours, ind_id).checks[0]
        assert check.threshold == value and check.passed is False
        (param,) = check.params
        assert param.value == value
        assert param.cell.authority == "Sơn La"
        assert param.cell.origin == PROVINCE_ID
        assert param.effective_from == dt.date(2022, 6, 6)
        assert param.replaces is not None
        assert (param.replaces.value, param.replaces.origin) == (old, NATIONAL)
        assert param.replaces.authority == "national"
        data = param.to_dict()
        assert data["authority"] == "Sơn La" and data["defined_in"] == PROVINCE_ID
        assert data["replaces"]["value"] == old and data["replaces"]["defined_in"] == NATIONAL
        assert indicator(theirs, ind_id).checks[0].threshold == old

    for lang in ("vi", "en"):
        text = ours.explain(lang)
        basis = [line for line in text.splitlines() if "1002/QĐ-UBND" in line]
        assert len(basis) == 2, text  # one line per provincial threshold
        for line in basis:
            assert NATIONAL in line and PROVINCE_ID in line and "Sơn La" in line
        assert "318/QĐ-TTg" in text
    assert "thay cho mức 39" in ours.explain("vi")
    assert "replacing 13% set by vn.commune.ntm.2021" in ours.explain("en")


def test_the_replaced_national_document_is_cited(tmp_path: Path) -> None:
    text = TIGHTER + (
        '  - indicator: "10"\n'
        '    source: {doc: sl1002, part: "Phụ lục I", item: "10"}\n'
        "    verified: true\n"
    )
    provincial = evaluator_for(load_ruleset(write(tmp_path, text)))
    result = provincial.evaluate(commune(income_per_capita=40.0))
    assert indicator(result, "10").status == NOT_MET
    explanation = result.explain("vi")
    assert "1002/QĐ-UBND" in explanation
    assert "318/QĐ-TTg" in explanation


def test_an_override_ends_on_its_until_date(tmp_path: Path) -> None:
    provincial = evaluator_for(load_ruleset(write(tmp_path, TIGHTER)))
    result = provincial.evaluate(commune(year=2025, income_per_capita=47.0))
    (param,) = indicator(result, "10").checks[0].params
    assert param.value == 48.0  # the national 2025 value again
    assert param.cell.authority == "national" and param.replaces is None
    assert indicator(result, "10").status == NOT_MET
    # before the province's decision took effect the national value applies too
    early = provincial.evaluate(commune(year=2022), on=dt.date(2022, 6, 5))
    assert indicator(early, "10").checks[0].params[0].cell.origin == NATIONAL
    assert indicator(early, "10").checks[0].threshold == 39.0


def test_other_regions_keep_the_national_value(tmp_path: Path) -> None:
    provincial = evaluator_for(load_ruleset(write(tmp_path, TIGHTER)))
    result = provincial.evaluate(commune(region="tn", income_per_capita=46.0))
    (param,) = indicator(result, "10").checks[0].params
    assert (param.value, param.cell.origin, param.replaces) == (46.0, NATIONAL, None)
    # a ĐBKK commune of another region takes the TDMNPB row, hence the provincial value
    dbkk = provincial.evaluate(commune(region="tn", dbkk=True, income_per_capita=40.0))
    assert indicator(dbkk, "10").checks[0].threshold == 41.0


# -- looser values ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("parameter", "by", "item", "fragments"),
    [
        ("income_per_capita", "{tdmnpb: 35}", "10", ("35 is looser than the value 39", "higher")),
        ("multidimensional_poverty_max", "{tdmnpb: 14}", "11", ("14 is looser than", "13")),
        ("multidimensional_poverty_max", "{tdmnpb: 9, dbsh: 2.5}", "11", ("2.5 is looser", "2")),
    ],
)
def test_a_looser_override_is_rejected_at_the_offending_value(
    tmp_path: Path, parameter: str, by: str, item: str, fragments: tuple[str, ...]
) -> None:
    text = HEAD + "overrides:\n" + override(parameter, "2022-06-06", by, "2024-12-31", item=item)
    path = write(tmp_path, text)
    error = load_error(path)
    assert error.line == line_of(text, "    by: ")
    assert "exception: true" in error.message
    for fragment in fragments:
        assert fragment in error.message


def test_a_looser_value_in_its_own_line_is_located_there(tmp_path: Path) -> None:
    by = "\n      tdmnpb: 40\n      dbsh: {value: 50, verified: false, note: looser}"
    text = HEAD + "overrides:\n" + override("income_per_capita", "2022-06-06", by, "2024-12-31")
    error = load_error(write(tmp_path, text))
    assert error.line == line_of(text, "dbsh: {value: 50")
    assert error.key is not None and error.key.endswith("by.dbsh")
    assert "50 is looser than the value 53 (dbsh)" in error.message


@pytest.mark.parametrize(
    "extra_or_cell",
    [
        ("    exception: true\n", "{tdmnpb: 35}"),
        ("", "{tdmnpb: {value: 35, exception: true}}"),
    ],
)
def test_an_exception_allows_a_looser_value(tmp_path: Path, extra_or_cell: tuple[str, str]) -> None:
    extra, by = extra_or_cell
    text = (
        HEAD
        + "overrides:\n"
        + override("income_per_capita", "2022-06-06", by, "2024-12-31", extra=extra)
    )
    provincial = evaluator_for(load_ruleset(write(tmp_path, text)))
    record = commune(income_per_capita=36.0)
    result = provincial.evaluate(record)
    (param,) = indicator(result, "10").checks[0].params
    assert param.value == 35.0 and param.cell.exception is True
    assert param.to_dict()["exception"] is True
    assert indicator(result, "10").status == MET
    assert indicator(evaluator_for(NATIONAL).evaluate(record), "10").status == NOT_MET
    below = provincial.evaluate(commune(income_per_capita=34.0))  # the basis of a failure
    assert indicator(below, "10").status == NOT_MET
    assert "ngoại lệ: mức của tỉnh được phép thấp hơn mức quốc gia" in below.explain("vi")


def test_an_open_override_running_into_2025_must_not_be_looser_than_2025(tmp_path: Path) -> None:
    # 41 is tighter than the 2022 value 39 but looser than the 2025 value 48
    text = HEAD + "overrides:\n" + override("income_per_capita", "2022-06-06", "{tdmnpb: 41}")
    error = load_error(write(tmp_path, text))
    assert error.line == line_of(text, "    by: ")
    assert "41 is looser than the value 48 (tdmnpb)" in error.message
    # ending the override before 2025, or raising it above 48, is fine
    for fixed in (
        override("income_per_capita", "2022-06-06", "{tdmnpb: 41}", until="2024-12-31"),
        override("income_per_capita", "2022-06-06", "{tdmnpb: 48}"),
    ):
        load_ruleset(write(tmp_path, HEAD + "overrides:\n" + fixed, name="fixed.yaml"))


def test_a_general_override_cell_may_not_loosen_a_regional_value(tmp_path: Path) -> None:
    text = HEAD.replace("{province: Sơn La, region: tdmnpb}", "{province: Đồng Nai, region: dnb}")
    text += "overrides:\n" + override(
        "income_per_capita", "2022-06-06", "{general: 50}", until="2024-12-31"
    )
    path = write(tmp_path, text)
    try:
        ruleset = load_ruleset(path)
    except RulesetError:
        return  # rejected: what the documentation promises
    record = commune(province="Đồng Nai", region="dnb", income_per_capita=55.0)
    provincial = evaluator_for(ruleset).evaluate(record)
    national = evaluator_for(NATIONAL).evaluate(record)
    assert indicator(national, "10").status == NOT_MET  # the dnb value is 62
    assert indicator(provincial, "10").status == NOT_MET, "the province loosened 62 to 50"


# -- conflicts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2022-06-06", "2024-12-31"), ("2022-06-06", "2024-12-31")),  # same dates
        (("2022-06-06", "2024-12-31"), ("2023-01-01", None)),  # second starts inside first
        (("2023-01-01", "2024-12-31"), ("2022-06-06", "2023-06-30")),  # first starts inside
        (("2022-06-06", "2024-12-31"), ("2023-01-01", "2023-06-30")),  # second inside first
        (("2022-06-06", "2022-12-31"), ("2022-12-31", "2024-12-31")),  # one day shared
        pytest.param(
            ("2022-06-06", None),
            ("2023-01-01", None),
        ),
        pytest.param(
            ("2023-01-01", "2023-12-31"),
            ("2022-06-06", None),
        ),
    ],
)
def test_two_overrides_in_force_on_the_same_date_conflict(
    tmp_path: Path, first: tuple[str, str | None], second: tuple[str, str | None]
) -> None:
    text = (
        HEAD
        + "overrides:\n"
        + override("income_per_capita", first[0], "{tdmnpb: 49}", until=first[1])
        + override("income_per_capita", second[0], "{tdmnpb: 50}", until=second[1])
    )
    error = load_error(write(tmp_path, text))
    assert "conflicting" in error.message
    assert error.line == line_of(text, "- parameter: income_per_capita", occurrence=1)


def test_overrides_of_different_cells_or_periods_do_not_conflict(tmp_path: Path) -> None:
    text = (
        HEAD
        + "overrides:\n"
        + override("income_per_capita", "2022-06-06", "{tdmnpb: 40}", until="2022-12-31")
        + override("income_per_capita", "2023-01-01", "{tdmnpb: 42}", until="2024-12-31")
        + override("income_per_capita", "2022-06-06", "{tn: 47}", until="2024-12-31")
    )
    provincial = evaluator_for(load_ruleset(write(tmp_path, text)))
    thresholds = [
        indicator(provincial.evaluate(commune(year=year)), "10").checks[0].threshold
        for year in (2022, 2023, 2024, 2025)
    ]
    assert thresholds == [40.0, 42.0, 42.0, 48.0]
    tn = provincial.evaluate(commune(region="tn", year=2023))
    assert indicator(tn, "10").checks[0].threshold == 47.0


# -- values left to the province -------------------------------------------------------------------
BASE = """format: 1
id: test.national.open
version: "1"
unit: commune
inputs: commune_2021
title: {vi: Bộ tiêu chí quốc gia thử, en: Test national criteria}
level:
  id: ntm
  name: {vi: Đạt chuẩn thử, en: Test standard}
valid: {from: 2022-03-08, until: 2025-12-31}
documents:
  qd1: {number: 1/QĐ-TTg, date: 2022-03-08}
axes:
  region:
    choices: {tdmnpb: {vi: Vùng tdmnpb, en: Region tdmnpb}, dbsh: {vi: Vùng dbsh, en: Region dbsh}, btb: {vi: Vùng btb, en: Region btb}, dhntb: {vi: Vùng dhntb, en: Region dhntb}, tn: {vi: Vùng tn, en: Region tn}, dnb: {vi: Vùng dnb, en: Region dnb}, dbscl: {vi: Vùng dbscl, en: Region dbscl}}
    rules:
      - id: own_region
        when: "true"
        value: region
        reason: {vi: Vùng của xã, en: The commune's own region}
parameters:
  clean_water:
    name: {vi: Tỷ lệ hộ dùng nước sạch, en: Households using clean water}
    unit: percent
    axis: region
    values:
      - from: 2022-03-08
        source: {doc: qd1, item: "2"}
        verified: true
        by: {general: 60, tdmnpb: province_decides}
  irrigation:
    name: {vi: Tỷ lệ tưới tiêu, en: Irrigation share}
    unit: percent
    values:
      - from: 2022-03-08
        source: {doc: qd1, item: "1"}
        verified: true
        value: 80
criteria:
  - id: "1"
    name: {vi: Thủy lợi, en: Irrigation}
    source: {doc: qd1, item: "1"}
    indicators:
      - id: "1"
        name: {vi: Tỷ lệ tưới tiêu, en: Irrigation share}
        condition: irrigated_farmland_pct >= param.irrigation
        source: {doc: qd1, item: "1"}
        verified: true
  - id: "2"
    name: {vi: Nước sạch, en: Clean water}
    source: {doc: qd1, item: "2"}
    indicators:
      - id: "2"
        name: {vi: Tỷ lệ hộ dùng nước sạch, en: Households using clean water}
        condition: clean_water_pct >= param.clean_water
        source: {doc: qd1, item: "2"}
        verified: true
"""
OPEN_HEAD = HEAD.replace(f"extends: {NATIONAL}", "extends: test.national.open")
SMALL = {"code": "W1", "region": "tdmnpb", "year": 2023, "irrigated_farmland_pct": 90.0}


def test_the_open_value_is_missing_in_the_national_style_set(tmp_path: Path) -> None:
    base = evaluator_for(load_ruleset(write(tmp_path, BASE, "base.yaml")))
    result = base.evaluate({**SMALL, "clean_water_pct": 99.0})
    assert indicator(result, "2").status == MISSING
    assert indicator(result, "2").missing == ("param.clean_water",)
    assert result.status == MISSING
    other = base.evaluate({**SMALL, "region": "dnb", "clean_water_pct": 59.0})
    assert indicator(other, "2").status == NOT_MET  # the general 60 applies elsewhere


def test_a_provincial_set_must_fill_the_open_value(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    path = write(tmp_path, OPEN_HEAD)
    error = load_error(path)
    assert "clean_water" in error.message and "province_decides" in error.message
    # filling another region's cell does not fill Sơn La's
    text = OPEN_HEAD + "overrides:\n" + override("clean_water", "2022-03-08", "{tn: 70}", item="2")
    error = load_error(write(tmp_path, text))
    assert "clean_water" in error.message and "tdmnpb" in error.message


def test_a_filled_open_value_validates_and_is_used(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    text = (
        OPEN_HEAD + "overrides:\n" + override("clean_water", "2022-03-08", "{tdmnpb: 55}", item="2")
    )
    provincial = evaluator_for(load_ruleset(write(tmp_path, text)))
    met = provincial.evaluate({**SMALL, "clean_water_pct": 55.0})
    failed = provincial.evaluate({**SMALL, "clean_water_pct": 54.9})
    assert (met.status, failed.status) == (MET, NOT_MET)
    (param,) = indicator(met, "2").checks[0].params
    assert param.value == 55.0 and param.cell.authority == "Sơn La"
    assert param.replaces is not None and param.replaces.value is None  # it was open
    assert "1002/QĐ-UBND" in failed.explain("vi")


def test_an_open_value_filled_for_part_of_the_validity_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    text = (
        OPEN_HEAD
        + "overrides:\n"
        + override("clean_water", "2022-03-08", "{tdmnpb: 55}", until="2023-12-31", item="2")
    )
    load_error(write(tmp_path, text))


def test_a_provincial_set_valid_from_its_own_decision_fills_from_then(tmp_path: Path) -> None:
    write(tmp_path, BASE, "base.yaml")
    late = (
        OPEN_HEAD + "overrides:\n" + override("clean_water", "2022-06-06", "{tdmnpb: 55}", item="2")
    )
    error = load_error(write(tmp_path, late))  # open from 2022-03-08 to 2022-06-05
    assert "2022-03-08" in error.message
    text = late.replace("documents:", "valid: {from: 2022-06-06, until: 2025-12-31}\ndocuments:")
    assert load_ruleset(write(tmp_path, text, "own-valid.yaml")).valid_from == dt.date(2022, 6, 6)


# -- new and changed indicators ------------------------------------------------------------------
ADDED = (
    HEAD
    + """add_indicators:
  - criterion: "3"
    id: "3.3"
    name: {vi: Tỷ lệ diện tích tưới tiết kiệm nước, en: Share of water-saving irrigation}
    condition: water_saving_irrigation_pct >= 50
    source: {doc: sl1002, part: "Phụ lục I", item: "3.3"}
    verified: false
    note: test indicator
"""
)


def test_an_added_indicator_is_needed_by_the_commune(tmp_path: Path) -> None:
    provincial = evaluator_for(load_ruleset(write(tmp_path, ADDED)))
    criterion = next(c for c in provincial.ruleset.criteria if c.id == "3")
    assert [i.id for i in criterion.indicators] == ["3.1", "3.2", "3.3"]
    national = evaluator_for(NATIONAL)
    for value, ours in ((None, MISSING), (49.9, NOT_MET), (50.0, MET)):
        record = commune(water_saving_irrigation_pct=value)
        assert national.evaluate(record).status == MET
        result = provincial.evaluate(record)
        added = indicator(result, "3.3")
        assert added.status == ours
        assert added.defined_in == PROVINCE_ID
        assert next(c for c in result.criteria if c.id == "3").status == ours
        assert result.status == ours


def test_an_indicator_override_changes_the_condition(tmp_path: Path) -> None:
    text = HEAD + (
        "overrides:\n"
        '  - indicator: "1.2"\n'
        "    condition: planning_rules_enforced and master_plan_approved\n"
        '    source: {doc: sl1002, part: "Phụ lục I", item: "1.2"}\n'
        "    verified: false\n"
        "    note: test\n"
    )
    provincial = evaluator_for(load_ruleset(write(tmp_path, text)))
    record = commune(master_plan_approved=False)
    ours, theirs = provincial.evaluate(record), evaluator_for(NATIONAL).evaluate(record)
    assert indicator(theirs, "1.2").status == MET
    assert indicator(ours, "1.2").status == NOT_MET
    assert indicator(ours, "1.2").defined_in == PROVINCE_ID
    assert indicator(theirs, "1.2").defined_in == NATIONAL
    assert [c.text for c in indicator(ours, "1.2").checks] == [
        "planning_rules_enforced",
        "master_plan_approved",
    ]
    assert indicator(ours, "1.2").source.doc.number == "1002/QĐ-UBND"
    others = [i for i in ours.indicators if i.id != "1.2"]
    assert {i.defined_in for i in others} == {NATIONAL}
    assert provincial.evaluate(commune()).status == MET


@pytest.mark.parametrize(
    ("entry", "fragment", "message"),
    [
        (
            override("income_per_capit", "2022-06-06", "{tdmnpb: 50}"),
            "parameter: income_per_capit",
            "unknown parameter 'income_per_capit'",
        ),
        (
            '  - indicator: "10.9"\n    condition: master_plan_approved\n'
            "    source: {doc: sl1002}\n    verified: true\n",
            'indicator: "10.9"',
            "unknown indicator '10.9'",
        ),
        (
            '  - indicator: "1.2"\n    condition: planning_rule_enforced\n'
            "    source: {doc: sl1002}\n    verified: true\n",
            "condition: planning_rule_enforced",
            "unknown name 'planning_rule_enforced'",
        ),
    ],
)
def test_unknown_names_in_overrides_are_located(
    tmp_path: Path, entry: str, fragment: str, message: str
) -> None:
    text = (
        HEAD
        + "overrides:\n"
        + override("multidimensional_poverty_max", "2022-06-06", "{tdmnpb: 12}", item="11")
        + entry
    )
    error = load_error(write(tmp_path, text))
    assert error.line == line_of(text, fragment)
    assert message in error.message


# -- property: a tightening never helps a commune --------------------------------------------------
DIRECTIONS: dict[str, str] = {}
for _input, _op, _param, _ in COMPARISONS:
    if _param is not None:
        DIRECTIONS[_param] = "higher" if _op in (">", ">=") else "lower"
PARAMETERS = sorted(DIRECTIONS)
AMOUNTS = (0.5, 5.0)
RANK = {NOT_MET: 0, MISSING: 1, MET: 2}
_tightened: dict[tuple[str, float], Evaluator] = {}


def tightened_text(parameter: str, amount: float) -> str:
    """Overrides that tighten every cell of every dated value of ``parameter`` by ``amount``."""
    definition = ORACLE.parameters[parameter]
    entries = definition["values"]
    raise_it = DIRECTIONS[parameter] == "higher"
    lines = ["overrides:"]
    for entry, following in itertools.zip_longest(entries, entries[1:]):
        start: dt.date = entry["from"]
        cells = entry["by"] if "by" in entry else {"general": entry["value"]}
        values = {}
        for key, cell in cells.items():
            value = _cell_value(cell)
            assert value is not None
            values[key] = value + amount if raise_it else max(value - amount, 0.0)
        lines += [f"  - parameter: {parameter}", f"    from: {start.isoformat()}"]
        if following is not None:
            until = following["from"] - dt.timedelta(days=1)
            lines.append(f"    until: {until.isoformat()}")
        if "by" in entry:
            lines.append("    by: {" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}")
        else:
            lines.append(f"    value: {values['general']}")
        lines += ["    source: {doc: sl1002}", "    verified: true"]
    return HEAD + "\n".join(lines) + "\n"


def tightened(tmp_dir: Path, parameter: str, amount: float) -> Evaluator:
    key = (parameter, amount)
    if key not in _tightened:
        path = tmp_dir / f"{parameter}-{amount}.yaml"
        path.write_text(tightened_text(parameter, amount), encoding="utf-8")
        _tightened[key] = evaluator_for(load_ruleset(path))
    return _tightened[key]


@pytest.fixture(scope="module")
def tight_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tightened")


@settings(max_examples=40, deadline=None)
@given(
    record=communes(),
    parameter=st.sampled_from(PARAMETERS),
    amount=st.sampled_from(AMOUNTS),
    province=st.sampled_from(["Sơn La", None]),
)
def test_a_tightening_never_raises_a_result(
    tight_dir: Path, record: dict[str, Any], parameter: str, amount: float, province: str | None
) -> None:
    record = {**record, "province": province}
    provincial = tightened(tight_dir, parameter, amount)
    ours = provincial.evaluate(record)
    theirs = evaluator_for(NATIONAL).evaluate(record)
    assert RANK[ours.status] <= RANK[theirs.status]
    assert ours.criteria_met <= theirs.criteria_met
    for crit_ours, crit_theirs in zip(ours.criteria, theirs.criteria, strict=True):
        assert RANK[crit_ours.status] <= RANK[crit_theirs.status]
    national = {i.id: i for i in (*theirs.indicators, *theirs.recognition.conditions)}  # type: ignore[union-attr]
    uses = f"param.{parameter}"
    for ind in (*ours.indicators, *ours.recognition.conditions):  # type: ignore[union-attr]
        before = national[ind.id]
        if before.status == NOT_MET:
            assert ind.status == NOT_MET
        if ind.status == MET:
            assert before.status == MET
        if ind.status != before.status:
            assert (before.status, ind.status) == (MET, NOT_MET)
        reads = any(uses in c.text for c in ind.checks)
        if not reads:
            assert ind.status == before.status
            continue
        for new, old in zip(ind.checks, before.checks, strict=True):
            if uses not in new.text or new.threshold is None:
                continue
            (param,) = new.params
            assert param.cell.origin == PROVINCE_ID and param.replaces is not None
            if DIRECTIONS[parameter] == "higher":
                assert new.threshold == pytest.approx(old.threshold + amount)
            else:
                assert new.threshold == pytest.approx(max(old.threshold - amount, 0.0))
