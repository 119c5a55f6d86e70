"""One normaliser for dicts, JSON and CSV: inputs that used to be read silently wrong are read
right or refused with an InputError naming the record and the field, and nothing but an
InputError ever escapes, whatever the input."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from cli_support import failed, run
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules import InputError, evaluator_for
from ntm_rules.bounds import MAX_MAGNITUDE, MAX_TEXT_LENGTH
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.normalise import parse_cell
from ntm_rules.models.structuring import load_records, structure
from ntm_rules.models.vocabulary import field_specs

SPECS = {spec.name: spec for spec in field_specs(Commune2021)}
NUMBER = SPECS["income_per_capita"]  # a number, no upper bound
WHOLE = SPECS["temporary_houses"]  # a whole number (count)
BASE: dict[str, Any] = {"code": "X1", "region": "tdmnpb"}
SON_LA = "Sơn La"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def load_error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_records(path, Commune2021)
    return info.value


def structure_error(row: dict[Any, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        structure(Commune2021, row, "#1")
    return info.value


def cell_error(spec: Any, text: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse_cell(spec, text, "a.csv:2 (code A1)")
    assert (info.value.record, info.value.field) == ("a.csv:2 (code A1)", spec.name)
    return info.value


# -- 1. names given twice --------------------------------------------------------------------
def test_json_key_given_twice(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.json",
        '[{"code": "A1", "region": "tn", "income_per_capita": 10, "income_per_capita": 50}]',
    )
    error = load_error(path)
    assert (error.record, error.field) == (f"{path} #1 (code A1)", "income_per_capita")
    assert "given twice" in error.message


@pytest.mark.parametrize("second", ["code ", " code", "\u00a0code"])
def test_json_keys_equal_after_normalising_are_given_twice(tmp_path: Path, second: str) -> None:
    path = write(tmp_path, "d.json", json.dumps([{"code": "A1", second: "A2", "region": "tn"}]))
    error = load_error(path)
    assert error.field == "code" and "given twice" in error.message


def test_json_units_given_twice(tmp_path: Path) -> None:
    path = write(tmp_path, "d.json", '{"units": [{"code": "A1", "region": "tn"}], "units": []}')
    error = load_error(path)
    assert (error.record, error.field) == (str(path), "units")


@pytest.mark.parametrize("second", ["income_per_capita", " income_per_capita "])
def test_csv_column_given_twice(tmp_path: Path, second: str) -> None:
    path = write(tmp_path, "d.csv", f"code,region,income_per_capita,{second}\nA1,tn,10,50\n")
    error = load_error(path)
    assert (error.record, error.field) == (f"{path} header", "income_per_capita")
    assert "given twice, columns 3 and 4" in error.message


def test_dict_keys_equal_after_normalising_are_given_twice() -> None:
    error = structure_error({**BASE, " region": "dbsh"})
    assert error.field == "region" and "as 'region' and ' region'" in error.message


# -- 2. rows shorter than the header ---------------------------------------------------------
def test_csv_short_row(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "code,region,year,income_per_capita\nA1,tn,2024,40\nA2,tn\n")
    error = load_error(path)
    assert error.record == f"{path}:3 (code A2)"
    assert error.message == "fewer cells than columns: the row has 2 cells, the header has 4"


def test_csv_blank_lines_are_skipped_and_lines_counted(tmp_path: Path) -> None:
    text = '\ncode,region,name\n\n , ,\nA1,tn,"Bản Mòng"\n\nA2,tn,"Bản\nPhiêng"\nA3,tn,x\n'
    error = load_error(write(tmp_path, "d.csv", text))
    assert (error.record, error.field) == (f"{tmp_path / 'd.csv'}:7 (code A2)", "name")
    assert "contains a control character, U+000A" in error.message
    ok = write(tmp_path, "ok.csv", text.replace("Bản\nPhiêng", "Bản Phiêng"))
    assert [r.code for r in load_records(ok, Commune2021)] == ["A1", "A2", "A3"]


# -- 3. numbers in CSV cells -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "decimal", "whole"),
    [
        ("41.500", "41.5", "41500"),
        ("41,500", "41,5", "41500"),
        ("1,234", "1,2340", "1234"),
        ("-7.000", "-7", "-7000"),
        ("100.250", "100.25", "100250"),
    ],
)
def test_csv_number_that_could_be_a_decimal_or_thousands(
    cell: str, decimal: str, whole: str
) -> None:
    message = cell_error(NUMBER, cell).message
    assert message.startswith(f"'{cell}' is ambiguous")
    assert message.endswith(f"write {decimal} or {whole}")


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 234", 1234),
        ("12 345,6", 12345.6),
        ("41.500.000", 41500000),
    ],
)
def test_csv_thousands_separators_that_read_one_way(cell: str, value: float) -> None:
    assert parse_cell(NUMBER, cell, "#1") == value


@pytest.mark.parametrize("cell", ["1.234.5", "1,234,5", "1.23.456"])
def test_csv_mixed_up_separators_are_refused(cell: str) -> None:
    assert cell_error(NUMBER, cell).message.startswith(f"expected a number, found '{cell}'")


@pytest.mark.parametrize(
    "cell",
    ["4_1.5", "１２", "٤١", "1e3", "1E-2", "inf", "-Infinity", "nan", "0x10", "1.", ".5", "--1"],
)
def test_csv_number_grammar_is_strict(cell: str) -> None:
    assert cell_error(NUMBER, cell).message == f"expected a number, found '{cell}'"


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("0.500", 0.5),
        ("0,500", 0.5),
        ("41.5", 41.5),
        ("41,5", 41.5),
        ("41.25", 41.25),
        ("+41.25", 41.25),
        ("1234.567", 1234.567),
        ("41.5000", 41.5),
        ("007", 7.0),
        (" 12 ", 12.0),
    ],
)
def test_csv_unambiguous_numbers(cell: str, value: float) -> None:
    assert parse_cell(NUMBER, cell, "x") == value


@pytest.mark.parametrize(("cell", "value"), [("12", 12), ("12.0", 12), ("12,0", 12), ("0", 0)])
def test_csv_whole_numbers(cell: str, value: int) -> None:
    number = parse_cell(WHOLE, cell, "x")
    assert number == value and type(number) is int


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [("12.5", "expected a whole number"), ("1e3", "expected a number"), ("12.000", "ambiguous")],
)
def test_csv_whole_number_refused(cell: str, fragment: str) -> None:
    assert fragment in cell_error(WHOLE, cell).message


@pytest.mark.parametrize("spec", [NUMBER, WHOLE])
@pytest.mark.parametrize("cell", ["1" + "0" * 16, "9" * 5000, "-" + "9" * 17 + ".5"])
def test_csv_numbers_beyond_the_bounds(spec: Any, cell: str) -> None:
    assert "the largest magnitude allowed" in cell_error(spec, cell).message


# -- 4. numbers in JSON and dicts ------------------------------------------------------------
@pytest.mark.parametrize(
    ("literal", "fragment"),
    [
        ("9" * 400, "a number of 400 digits is beyond"),
        ("-" + "9" * 5000, "a number of 5000 digits is beyond"),
        ("1e400", "1e400 is beyond"),
        ("1e-400", "1e-400 is too close to zero"),
        (str(MAX_MAGNITUDE + 1), f"{MAX_MAGNITUDE + 1} is beyond"),
        ("1.5e15", "1500000000000000 is beyond"),
    ],
)
def test_json_numbers_beyond_the_bounds(tmp_path: Path, literal: str, fragment: str) -> None:
    text = f'[{{"code": "A1", "region": "tn", "income_per_capita": {literal}}}]'
    error = load_error(write(tmp_path, "d.json", text))
    assert error.field == "income_per_capita"
    assert fragment in error.message


def test_json_unusable_number_in_a_text_field(tmp_path: Path) -> None:
    text = '[{"code": ' + "9" * 5000 + ', "region": "tn"}]'
    error = load_error(write(tmp_path, "d.json", text))
    assert error.field == "code" and error.message.startswith("expected a text, found the number 9")


def test_json_nested_too_deeply(tmp_path: Path) -> None:
    path = write(tmp_path, "d.json", "[" * 100_000 + "]" * 100_000)
    error = load_error(path)
    assert (error.record, error.field) == (str(path), None)
    assert "nested too deeply" in error.message


def test_json_whole_numbers_written_as_floats(tmp_path: Path) -> None:
    text = '[{"code": "A1", "region": "tn", "year": 2023.0, "temporary_houses": 0.0}]'
    (record,) = load_records(write(tmp_path, "d.json", text), Commune2021)
    assert (record.year, record.temporary_houses) == (2023, 0)
    assert type(record.year) is int and type(record.temporary_houses) is int
    bad = write(tmp_path, "bad.json", '[{"code": "A1", "region": "tn", "year": 2023.5}]')
    assert load_error(bad).message == "expected a whole number, found float 2023.5"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("income_per_capita", 10**20, "100000000000000000000 is beyond ±1000000000000000"),
        pytest.param(
            "income_per_capita",
            10**5000,
            "a number of about 5001 digits is beyond",
            id="income_per_capita-huge",
        ),
        ("income_per_capita", -1e300, "-1e+300 is beyond"),
        ("temporary_houses", 1e300, "1e+300 is beyond"),
        ("income_per_capita", "35,2", "expected a number, found the text '35,2'"),
        pytest.param(
            "code", 10**5000, "expected a text, found a number of about 5001 digits", id="code-huge"
        ),
        ("code", 10**20, "expected a text, found 100000000000000000000"),
        pytest.param(
            "name", [[[[10**5000]]]], "expected a text, found list [[[…]]]", id="name-huge"
        ),
        ("master_plan_approved", 1.0, "expected true or false, found float 1.0"),
        ("year", True, "expected a whole number, found 'true'"),
    ],
)
def test_dict_numbers_are_strict_and_bounded(field: str, value: Any, message: str) -> None:
    error = structure_error({**BASE, field: value})
    assert error.field == field
    assert error.message.startswith(message)


# -- 5. texts --------------------------------------------------------------------------------
def test_json_text_in_another_unicode_form_is_read_as_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", SON_LA)
    assert decomposed != SON_LA
    row = {"code": "A1", "region": "tdmnpb", "province": f" {decomposed} ", "year": 2023}
    (record,) = load_records(write(tmp_path, "d.json", json.dumps([row])), Commune2021)
    assert record.province == SON_LA
    evaluator_for("sonla.commune.ntm.2021").evaluate(record)  # not refused as another province


def test_dict_texts_are_nfc_stripped_and_blank_is_missing() -> None:
    name = unicodedata.normalize("NFD", "Xã Chiềng Cọ")
    record = structure(Commune2021, {**BASE, "name": f"\t{name} ", "district": "  "}, "#1")
    assert record.name == "Xã Chiềng Cọ"
    assert record.district is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('"A\\ud800"', "contains an unpaired surrogate (the data was decoded wrongly), U+D800"),
        ('"A\\u0007B"', "contains a control character, U+0007"),
        ('"A\\nB"', "contains a control character, U+000A"),
        ('"A\\u200bB"', "contains an invisible formatting character, U+200B"),
        ('"A\\u2028B"', "contains a line separator, U+2028"),
    ],
)
def test_json_text_that_is_not_clean(tmp_path: Path, text: str, fragment: str) -> None:
    path = write(tmp_path, "d.json", f'[{{"code": {text}, "region": "tn"}}]')
    error = load_error(path)
    assert error.field == "code" and fragment in error.message
    str(error).encode("utf-8")  # printable: the character is named, not written


def test_a_json_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Windows Notepad saves UTF-8 with a BOM; CSV files were already read that way."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'[{"code": "B1", "region": "tn", "year": 2024}]')
    (record,) = load_records(path, Commune2021)
    assert record.code == "B1"


def test_cli_lone_surrogate_in_code_is_an_error(tmp_path: Path) -> None:
    data = write(tmp_path, "d.json", '[{"code": "X\\udc80", "region": "tn", "year": 2024}]')
    line = failed(run("evaluate", "-r", "vn.commune.ntm.2021", data, "--lang", "en"))
    assert "field 'code'" in line and "U+DC80" in line


def test_text_longer_than_allowed() -> None:
    assert structure(Commune2021, {**BASE, "name": "x" * MAX_TEXT_LENGTH}, "#1").name
    error = structure_error({**BASE, "name": "x" * (MAX_TEXT_LENGTH + 1)})
    assert error.field == "name" and f"more than the {MAX_TEXT_LENGTH} allowed" in error.message


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(b"code,region\nA1,tn\nChi\xeang,tn\n")  # Windows-1258, not UTF-8
    error = load_error(path)
    assert error.record == f"{path}:3" and "not UTF-8" in error.message


# -- 6. codes that differ only by Unicode form or spaces -------------------------------------
def test_duplicate_codes_after_normalising_name_both_records(tmp_path: Path) -> None:
    code = "Chiềng-01"
    rows = [
        {"code": code, "region": "tn"},
        {"code": "B", "region": "tn"},
        {"code": f" {unicodedata.normalize('NFD', code)}", "region": "tn"},
    ]
    path = write(tmp_path, "d.json", json.dumps(rows))
    error = load_error(path)
    assert (error.record, error.field) == (f"{path} #3 (code {code})", "code")
    assert (
        error.message
        == f"duplicate code '{code}', already the code of record {path} #1 (code {code})"
    )


# -- 7. numbers shown exactly in messages ----------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "irrigated_farmland_pct",
            100.0000001,
            "100.0000001 is above the largest allowed value 100",
        ),
        ("irrigated_farmland_pct", -1e-9, "-0.000000001 is below the smallest allowed value 0"),
        ("irrigated_farmland_pct", -1e-13, "-1e-13 is below the smallest allowed value 0"),
        ("year", 2101, "2101 is above the largest allowed value 2100"),
    ],
)
def test_messages_show_numbers_exactly(field: str, value: Any, message: str) -> None:
    assert structure_error({**BASE, field: value}).message == message


# -- properties: nothing but InputError escapes ----------------------------------------------
NAMES = sorted(SPECS)
odd_chars = st.sampled_from(["\ud800", "\udfff", "\x00", "\x07", "\u200b", "\u0301", "\xa0", " "])
texts = st.one_of(
    st.text(max_size=10),
    st.builds("{}{}{}".format, st.text(max_size=5), odd_chars, st.text(max_size=5)),
)
keys = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES).map(lambda n: f" {n}"), texts)
cells = st.one_of(
    texts,
    st.sampled_from(["tn", "có", "x", "41.500", "1,234,5", "12,0", "0.5", "1e3", "Sơn La"]),
    st.builds(
        "{}{}{}{}".format,
        st.sampled_from(["", "-", "+"]),
        st.text("0123456789", min_size=1, max_size=20),
        st.sampled_from(["", ".", ","]),
        st.text("0123456789", max_size=5),
    ),
)


big_sizes = st.integers(min_value=15, max_value=6000)  # digits of huge integers


@attrs.frozen
class Raw:
    """A JSON number literal written as is (an integer of any size)."""

    literal: str


@attrs.frozen
class Obj:
    """A JSON object as its pairs: names may repeat."""

    pairs: tuple[tuple[str, Any], ...]


def encode(value: Any) -> str:
    if isinstance(value, Raw):
        return value.literal
    if isinstance(value, Obj):
        return "{" + ",".join(f"{json.dumps(k)}:{encode(v)}" for k, v in value.pairs) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    return json.dumps(value)


json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.builds(lambda sign, n: Raw(sign + "9" * n), st.sampled_from(["", "-"]), big_sizes),
    st.floats(),
    st.sampled_from(["1e400", "-1e400", "1e-400", "2023.0", "NaN", "Infinity"]).map(Raw),
    texts,
    cells,
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(st.tuples(keys, inner), max_size=3).map(lambda p: Obj(tuple(p)))
    ),
    max_leaves=5,
)
json_records = st.lists(st.tuples(keys, json_values), max_size=6).map(
    lambda pairs: Obj((("code", "A"), ("region", "tn"), *pairs))
)
json_files = st.one_of(
    st.lists(st.one_of(json_records, json_values), max_size=4).map(encode),
    st.lists(json_records, max_size=3).map(lambda rows: encode(Obj((("units", rows),)))),
    json_values.map(encode),
    texts,
)


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue()


csv_files = st.one_of(
    st.builds(
        csv_text,
        st.lists(keys, min_size=1, max_size=5).map(lambda k: ["code", "region", *k]),
        st.lists(st.lists(cells, max_size=8), max_size=4),
    ),
    st.lists(st.one_of(texts, cells, st.sampled_from([",", "\n", '"', "\r\n"]))).map("".join),
)


def check_outcome(load: Any) -> None:
    """``load()`` returns clean records or raises an InputError that can be printed."""
    try:
        records = load()
    except InputError as error:
        str(error).encode("utf-8")
        return
    for record in records:
        for field in attrs.fields(type(record)):
            value = getattr(record, field.name)
            if isinstance(value, str):
                assert value == unicodedata.normalize("NFC", value).strip() != ""
                assert len(value) <= MAX_TEXT_LENGTH
                assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in value)
            elif value is not None and not isinstance(value, bool):
                assert abs(value) <= MAX_MAGNITUDE


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("normalise")


@settings(max_examples=1500)
@given(json_files)
def test_any_json_file_gives_records_or_an_input_error(scratch: Path, text: str) -> None:
    path = write(scratch, "any.json", text)
    check_outcome(lambda: load_records(path, Commune2021))


@settings(max_examples=1500)
@given(csv_files)
def test_any_csv_file_gives_records_or_an_input_error(scratch: Path, text: str) -> None:
    path = write(scratch, "any.csv", text)
    check_outcome(lambda: load_records(path, Commune2021))


python_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.builds(lambda k, n: k * 10**n, st.integers(-9, 9), big_sizes),
        st.floats(),
        texts,
        cells,
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner)
        | st.dictionaries(st.one_of(keys, st.integers()), inner, max_size=3)
    ),
    max_leaves=5,
)


@settings(max_examples=1500)
@given(st.dictionaries(st.one_of(keys, st.integers(), st.none()), python_values, max_size=6))
def test_any_dict_gives_a_record_or_an_input_error(row: dict[Any, Any]) -> None:
    check_outcome(lambda: [structure(Commune2021, {**BASE, **row}, "#1")])


# -- property: numbers written by Python read back equal ------------------------------------
AMBIGUOUS = re.compile(r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")


def positional(number: float) -> str:
    """``repr`` of a float, without an exponent."""
    text = repr(number)
    return text if "e" not in text else format(Decimal(text), "f")


@settings(max_examples=1500)
@given(
    st.one_of(
        st.floats(min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE).map(positional),
        st.integers(-(10**7), 10**7).map(lambda n: positional(n / 1000)),  # 41.5, 1.234
        st.integers(-MAX_MAGNITUDE, MAX_MAGNITUDE).map(str),
    ),
    st.sampled_from([".", ","]),
)
def test_python_numbers_read_back_equal(text: str, mark: str) -> None:
    cell = text.replace(".", mark)
    if AMBIGUOUS.fullmatch(cell):
        assert "is ambiguous" in cell_error(NUMBER, cell).message
        return
    assert parse_cell(NUMBER, cell, "x") == float(text)
    if "." not in text:
        whole = parse_cell(WHOLE, cell, "x")
        assert whole == int(text) and type(whole) is int


@settings(max_examples=300)
@given(st.floats(min_value=0, max_value=MAX_MAGNITUDE).map(positional), st.sampled_from([".", ","]))
def test_python_numbers_read_back_from_a_csv_file(scratch: Path, text: str, mark: str) -> None:
    cell = text.replace(".", mark)
    path = write(
        scratch, "n.csv", csv_text(["code", "region", "income_per_capita"], [["A", "tn", cell]])
    )
    if AMBIGUOUS.fullmatch(cell):
        assert "is ambiguous" in load_error(path).message
        return
    (record,) = load_records(path, Commune2021)
    assert record.income_per_capita == float(text)
