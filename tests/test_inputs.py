"""Input records (dicts, CSV, JSON): every bad value is an InputError naming record and field,
and no value is ever silently converted (``"80"`` is not 80)."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ntm_rules import EvaluationError, InputError, evaluator_for
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.structuring import load_records, parse_cell, structure
from ntm_rules.models.vocabulary import field_specs

NATIONAL_ID = "vn.commune.ntm.2021"
SPECS = {spec.name: spec for spec in field_specs(Commune2021)}
LABEL = "#1 (code X1)"
BASE: dict[str, Any] = {"code": "X1", "region": "tdmnpb", "year": 2024}


def structure_error(row: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        structure(Commune2021, row, LABEL)
    return info.value


# -- dicts -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("irrigated_farmland_pct", "80", "expected a number, found the text '80'"),
        ("income_per_capita", "48.5", "expected a number, found the text '48.5'"),
        ("irrigated_farmland_pct", 100.5, "100.5 is above the largest allowed value 100"),
        ("irrigated_farmland_pct", -0.1, "-0.1 is below the smallest allowed value 0"),
        ("irrigated_farmland_pct", float("nan"), "NaN"),
        ("irrigated_farmland_pct", True, "expected a number"),
        ("income_per_capita", -1, "below the smallest allowed value 0"),
        ("temporary_houses", -1, "-1 is below the smallest allowed value 0"),
        ("temporary_houses", 2.5, "expected a whole number, found float 2.5"),
        ("year", 2024.5, "expected a whole number, found float 2024.5"),
        ("year", "2024", "expected a whole number, found the text '2024'"),
        ("year", 1800, "below the smallest allowed value 1990"),
        ("master_plan_approved", "có", "expected true or false, found the text 'có'"),
        ("master_plan_approved", 1, "expected true or false, found int 1"),
        ("dbkk", "true", "expected true or false"),
        ("region", "mekong", "'mekong' is not one of tdmnpb"),
        ("region", "TDMNPX", "not one of"),
        ("region", 3, "expected a text"),
        ("code", "", "is required"),
        ("code", "   ", "is required"),
        ("code", 14103, "expected a text, found int 14103"),
        ("irrigated_farmland_pct", [80], "expected a number, found list [80]"),
        ("irrigated_farmland_pct", {"value": 80}, "expected a number"),
    ],
)
def test_bad_value_names_record_and_field(field: str, value: Any, fragment: str) -> None:
    error = structure_error({**BASE, field: value})
    assert error.record == LABEL
    assert error.field == field
    assert str(error).startswith(f"record {LABEL}, field '{field}': ")
    assert fragment in error.message


@pytest.mark.parametrize("field", ["code", "region"])
def test_missing_required_field(field: str) -> None:
    row = dict(BASE)
    del row[field]
    error = structure_error(row)
    assert (error.record, error.field) == (LABEL, field)
    assert "is required" in error.message


def test_unknown_field_is_named() -> None:
    error = structure_error({**BASE, "income_per_capta": 50.0})
    assert error.record == LABEL
    assert "unknown field(s): income_per_capta" in str(error)


def test_several_unknown_fields_are_all_named() -> None:
    error = structure_error({**BASE, "zeta": 1, "alpha": 2})
    assert "alpha, zeta" in str(error)


def test_a_record_that_is_not_a_mapping() -> None:
    with pytest.raises(InputError, match="expected an object, found list"):
        structure(Commune2021, [1, 2], LABEL)  # type: ignore[arg-type]


def test_valid_values_are_kept_as_given() -> None:
    row = {
        **BASE,
        "irrigated_farmland_pct": 80,
        "income_per_capita": 48.5,
        "temporary_houses": 0,
        "master_plan_approved": False,
        "dbkk": True,
    }
    record = structure(Commune2021, row, LABEL)
    for key, value in row.items():
        assert getattr(record, key) == value
        assert type(getattr(record, key)) is type(value)
    assert record.atk is False  # a known flag defaults to no
    assert record.solid_houses_pct is None  # a measure not given is missing


def test_whole_number_fields_take_integral_floats() -> None:
    """pandas writes a whole-number column with a missing value as floats (2024.0)."""
    record = structure(Commune2021, {**BASE, "year": 2024.0, "temporary_houses": 2.0}, LABEL)
    assert (record.year, record.temporary_houses) == (2024, 2)
    assert type(record.year) is int and type(record.temporary_houses) is int


def test_boundaries_are_allowed() -> None:
    record = structure(
        Commune2021, {**BASE, "irrigated_farmland_pct": 0, "solid_houses_pct": 100.0}, LABEL
    )
    assert (record.irrigated_farmland_pct, record.solid_houses_pct) == (0, 100.0)


def test_infinite_amount_is_an_input_error() -> None:
    error = structure_error({**BASE, "income_per_capita": math.inf})
    assert error.field == "income_per_capita"


@pytest.mark.parametrize("extra", [{1: "x"}, {None: "x"}, {1: "x", "zz": 2}])
def test_non_text_keys_are_an_input_error(extra: dict[Any, Any]) -> None:
    error = structure_error({**BASE, **extra})
    assert error.record == LABEL


# -- CSV ---------------------------------------------------------------------------------------
def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = (
    "code,region,year,master_plan_approved,planning_rules_enforced,"
    "disaster_prevention_on_site,irrigated_farmland_pct,income_per_capita,temporary_houses\n"
)


def test_csv_vietnamese_booleans_decimal_comma_and_empty_cells(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "communes.csv",
        HEADER
        + 'A1,tdmnpb,2024,có,không,đạt,"80,5",,0\n'
        + "A2,dbsh,2024,Có,Không đạt,chưa đạt,79.5,60,\n"
        + 'A3,btb,2024,CÓ,KHÔNG,Đạt, 81 ,"47,25",3\n',
    )
    a1, a2, a3 = load_records(path, Commune2021)
    assert (a1.master_plan_approved, a1.planning_rules_enforced) == (True, False)
    assert a1.disaster_prevention_on_site is True
    assert a1.irrigated_farmland_pct == 80.5
    assert a1.income_per_capita is None
    assert a1.temporary_houses == 0 and type(a1.temporary_houses) is int
    assert a1.year == 2024 and type(a1.year) is int
    assert (a2.master_plan_approved, a2.planning_rules_enforced) == (True, False)
    assert a2.disaster_prevention_on_site is False
    assert a2.temporary_houses is None
    assert (a3.master_plan_approved, a3.planning_rules_enforced) == (True, False)
    assert a3.disaster_prevention_on_site is True
    assert (a3.irrigated_farmland_pct, a3.income_per_capita) == (81.0, 47.25)


def test_csv_empty_cell_is_missing_never_met_or_failed(tmp_path: Path) -> None:
    path = write(tmp_path, "communes.csv", HEADER + 'A1,tdmnpb,2024,có,không,đạt,"80,5",,0\n')
    (record,) = load_records(path, Commune2021)
    result = evaluator_for(NATIONAL_ID).evaluate(record)
    by_id = {i.id: i for i in result.indicators}
    income = by_id["10"]
    assert income.status == "missing"
    assert income.missing == ("income_per_capita",)
    assert income.checks[0].passed is None
    assert result.to_dict()["criteria"][9]["status"] == "missing"
    # the cells that were given decide their indicators
    assert by_id["1.1"].status == "met"
    assert by_id["1.2"].status == "not_met"
    assert by_id["3.1"].status == "met"  # 80.5 >= 80
    assert by_id["9.1"].status == "met"  # 0 temporary houses


@pytest.mark.parametrize(
    ("column", "cell", "fragment"),
    [
        ("master_plan_approved", "maybe", "expected true/false (có/không), found 'maybe'"),
        ("irrigated_farmland_pct", "tám mươi", "expected a number, found 'tám mươi'"),
        ("irrigated_farmland_pct", "1.234,5", "1234.5 is above the largest allowed value 100"),
        ("irrigated_farmland_pct", "150", "150 is above the largest allowed value 100"),
        ("temporary_houses", "2,5", "expected a whole number, found '2,5'"),
        ("temporary_houses", "-3", "below the smallest allowed value 0"),
        ("year", "2024,5", "expected a whole number"),
    ],
)
def test_csv_bad_cell_names_line_code_and_field(
    tmp_path: Path, column: str, cell: str, fragment: str
) -> None:
    path = write(tmp_path, "communes.csv", f'code,region,{column}\nA1,dbsh,\nA2,dbsh,"{cell}"\n')
    with pytest.raises(InputError) as info:
        load_records(path, Commune2021)
    assert info.value.record == f"{path}:3 (code A2)"
    assert info.value.field == column
    assert fragment in info.value.message


def test_csv_unknown_column(tmp_path: Path) -> None:
    path = write(tmp_path, "communes.csv", "code,region,year,income_per_capta\nA1,dbsh,2024,50\n")
    with pytest.raises(InputError) as info:
        load_records(path, Commune2021)
    assert str(path) in info.value.record
    assert "unknown column(s): income_per_capta" in str(info.value)


def test_csv_duplicate_code(tmp_path: Path) -> None:
    path = write(
        tmp_path, "communes.csv", "code,region,year\nA1,dbsh,2024\nA2,tn,2024\nA1,btb,2024\n"
    )
    with pytest.raises(InputError) as info:
        load_records(path, Commune2021)
    assert info.value.field == "code"
    assert "duplicate code 'A1'" in str(info.value)
    assert str(path) in str(info.value)


def test_csv_missing_code_and_bad_region(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "code,region,year\n,dbsh,2024\n")
    with pytest.raises(InputError) as info:
        load_records(path, Commune2021)
    assert (info.value.record, info.value.field) == (f"{path}:2 (code ?)", "code")
    path = write(tmp_path, "b.csv", "code,region,year\nB1,Tây Bắc,2024\n")
    with pytest.raises(InputError) as info:
        load_records(path, Commune2021)
    assert (info.value.record, info.value.field) == (f"{path}:2 (code B1)", "region")


def test_csv_more_cells_than_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "communes.csv", "code,region,year\nA1,dbsh,2024,extra\n")
    with pytest.raises(InputError, match="more cells than columns") as info:
        load_records(path, Commune2021)
    assert info.value.record == f"{path}:2 (code A1)"


def test_csv_with_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("code,region,year\nA1,dbsh,2024\n".encode("utf-8-sig"))
    (record,) = load_records(path, Commune2021)
    assert record.code == "A1"


@pytest.mark.parametrize("word", ["có", "không", "đạt", "không đạt"])
def test_csv_booleans_in_decomposed_unicode(word: str) -> None:
    spec = SPECS["master_plan_approved"]
    expected = parse_cell(spec, word, "x")
    assert parse_cell(spec, unicodedata.normalize("NFD", word), "x") is expected


def test_csv_empty_known_flag_means_no(tmp_path: Path) -> None:
    path = write(
        tmp_path, "flags.csv", "code,region,year,dbkk,atk,poor_district\nA1,dbsh,2024,,,\n"
    )
    (record,) = load_records(path, Commune2021)
    assert record.dbkk is False
    assert evaluator_for(NATIONAL_ID).evaluate(record).axes[0].value == "dbsh"


# -- JSON --------------------------------------------------------------------------------------
def test_json_invalid_reports_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "communes.json", '[\n  {"code": "X1",\n   "region": }\n]\n')
    with pytest.raises(InputError) as info:
        load_records(path, Commune2021)
    assert info.value.record == str(path)
    assert "invalid JSON at line 3, column 14" in str(info.value)


def test_json_units_object_and_record_labels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "communes.json",
        '{"units": [{"code": "X1", "region": "tn", "year": 2024},'
        ' {"code": "X2", "region": "tn", "irrigated_farmland_pct": "80"}]}',
    )
    with pytest.raises(InputError) as info:
        load_records(path, Commune2021)
    assert info.value.record == f"{path} #2 (code X2)"
    assert info.value.field == "irrigated_farmland_pct"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"code": "X1"}', "expected a list of records"),
        ('[{"code": "X1", "region": "tn"}, 7]', "expected an object, found int"),
        ('"communes"', "expected a list of records"),
    ],
)
def test_json_wrong_shapes(tmp_path: Path, text: str, fragment: str) -> None:
    path = write(tmp_path, "communes.json", text)
    with pytest.raises(InputError, match=fragment):
        load_records(path, Commune2021)


def test_json_duplicate_code(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "communes.json",
        '[{"code": "X1", "region": "tn"}, {"code": "X1", "region": "dbsh"}]',
    )
    with pytest.raises(InputError, match="duplicate code 'X1'"):
        load_records(path, Commune2021)


def test_missing_input_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_records(tmp_path / "none.json", Commune2021)


# -- random junk -------------------------------------------------------------------------------
junk_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.sampled_from(["80", "có", "tdmnpb", "", " ", "province_decides", "80,5"]),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.integers()),
)
junk_keys = st.one_of(st.sampled_from(sorted(SPECS)), st.text(max_size=12))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(junk_keys, junk_values, max_size=8),
    st.sampled_from([{}, BASE]),
)
def test_random_junk_only_raises_input_error(junk: dict[str, Any], base: dict[str, Any]) -> None:
    row = {**base, **junk}
    try:
        record = structure(Commune2021, row, "junk")
    except InputError as error:
        assert error.record == "junk"
        assert error.field is None or error.field in SPECS
        return
    # accepted: every value is kept as given, names and texts normalised (NFC, stripped; a blank
    # text is missing), a whole number given as an integral float is that int, and a blank list
    # flag such as dbkk means "not on the list"
    assert isinstance(record, Commune2021)
    for key, value in row.items():
        name = unicodedata.normalize("NFC", key).strip()  # "year " is the field year
        kept = getattr(record, name)
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value).strip() or None
        if SPECS[name].kind == "int" and isinstance(value, float):
            value = int(value)
        if value is None and name in ("dbkk", "atk", "poor_district"):
            value = False
        assert kept is value or (kept == value and type(kept) is type(value))
    for field in attrs.fields(Commune2021):
        value = getattr(record, field.name)
        spec = SPECS[field.name]
        if value is None:
            continue
        if spec.kind == "bool":
            assert isinstance(value, bool)
        elif spec.kind in ("number", "int"):
            assert isinstance(value, int | float) and not isinstance(value, bool)
            assert spec.minimum is None or value >= spec.minimum
            assert spec.maximum is None or value <= spec.maximum
        else:
            assert isinstance(value, str)


# -- the assessment year and date ---------------------------------------------------------------
@pytest.mark.parametrize("year", [0, 10_000, -1, 1989, 2101])
def test_a_record_year_outside_the_allowed_range_names_the_field(year: int) -> None:
    with pytest.raises(InputError) as info:
        evaluator_for("vn.commune.ntm.2021").evaluate({"code": "Y", "region": "tn", "year": year})
    assert (info.value.record, info.value.field) == ("code Y", "year")


@pytest.mark.parametrize("year", ["2023", 2023.5, True])
def test_a_record_year_that_is_not_a_whole_number_names_the_field(year: Any) -> None:
    with pytest.raises(InputError) as info:
        evaluator_for("vn.commune.ntm.2021").evaluate({"code": "Y", "region": "tn", "year": year})
    assert info.value.field == "year"


def test_a_record_year_written_as_an_integral_float_is_that_year() -> None:
    result = evaluator_for("vn.commune.ntm.2021").evaluate(
        {"code": "Y", "region": "tn", "year": 2023.0}
    )
    assert result.assessed_on == dt.date(2023, 12, 31)


@pytest.mark.parametrize("year", [0, 10_000, "2023", 2023.0, True])
def test_a_wrong_year_argument_is_an_evaluation_error(year: Any) -> None:
    with pytest.raises(EvaluationError, match="assessment year must be a whole number"):
        evaluator_for("vn.commune.ntm.2021").evaluate({"code": "Y", "region": "tn"}, year=year)


@pytest.mark.parametrize(
    "on", [dt.datetime(2024, 12, 31, 8, 0), "2024-12-31", 20241231], ids=["datetime", "str", "int"]
)
def test_a_wrong_date_argument_is_an_evaluation_error(on: Any) -> None:
    with pytest.raises(EvaluationError, match=r"must be a datetime\.date"):
        evaluator_for("vn.commune.ntm.2021").evaluate({"code": "Y", "region": "tn"}, on=on)
