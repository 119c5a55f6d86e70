"""The input template (``ntm-rules template``) and the sample workbook in its layout, read back
with openpyxl as Excel would show them."""

from __future__ import annotations

import functools
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from cli_support import failed, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ntm_rules.aggregate.assess import as_ladder
from ntm_rules.batch import resolve
from ntm_rules.expr import names_in
from ntm_rules.ladder import Ladder, level_rulesets
from ntm_rules.models.commune import REGIONS
from ntm_rules.models.fields import KIND_BOOL, KIND_INT, KIND_NUMBER
from ntm_rules.models.vocabulary import field_specs
from ntm_rules.ruleset.model import Ruleset
from ntm_rules.ruleset.registry import ladder_files, ruleset_files
from ntm_rules.template import needed_fields, template_sheets, template_xlsx
from ntm_rules.template.workbook import HEADER_ROWS, META_SHEET
from ntm_rules.text import Lang
from ntm_rules.unit_kinds import unit_kind
from ntm_rules.units import unit_symbol

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAMPLE = EXAMPLES / "sonla-communes-2023.xlsx"
COMMUNE_LADDER = "sonla.commune.2021"
DISTRICT = "sonla.district.ntm.2021"
HELP = {"vi": "Hướng dẫn", "en": "Instructions"}
YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}


@functools.cache
def target(ref: str) -> Ruleset | Ladder:
    return resolve(ref)


@functools.cache
def template_bytes(ref: str, lang: Lang = "vi") -> bytes:
    return template_xlsx(target(ref), lang)


def book_of(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def validations(sheet: Worksheet) -> dict[str, DataValidation]:
    """Each column letter's data validation."""
    found: dict[str, DataValidation] = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            letter = re.match(r"[A-Z]+", cells.coord)
            assert letter is not None
            found[letter.group()] = validation
    return found


def columns(sheet: Worksheet) -> Iterator[tuple[str, str, str]]:
    """(letter, row 1, row 2) of every column of a data sheet."""
    for cell in sheet[1]:
        yield cell.column_letter, cell.value, sheet.cell(2, cell.column).value


def field_of(heading: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", heading)


def every_id() -> list[str]:
    return sorted({*ruleset_files(), *ladder_files()})


# -- layout ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_headers_are_labels_then_field_names_with_units(lang: Lang) -> None:
    book = book_of(template_bytes(COMMUNE_LADDER, lang))
    sheet = book.worksheets[0]
    assert sheet.title == unit_kind("commune").heading(lang)
    specs = {
        s.name: s for s in field_specs(level_rulesets(as_ladder(target(COMMUNE_LADDER)))[-1].model)
    }
    seen = []
    for _, label, names in columns(sheet):
        spec = specs[field_of(names)]
        seen.append(spec.name)
        assert label == spec.label(lang)
        unit = "/".join(YES_NO[lang]) if spec.kind == KIND_BOOL else unit_symbol(spec.unit, lang)
        assert names == (f"{spec.name} ({unit})" if unit else spec.name)
    assert seen[:6] == ["code", "name", "province", "district", "region", "year"]
    assert "income_per_capita (triệu đồng/người/năm)" in [c.value for c in sheet[2]] or lang == "en"
    assert sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A2:")
    assert sheet.max_row == HEADER_ROWS  # an empty template
    assert sheet.column_dimensions["A"].number_format == "@"  # a code 001 stays text
    for letter, _, _ in columns(sheet):
        assert sheet.column_dimensions[letter].width >= 12
        assert sheet.cell(1, sheet[letter + "1"].column).alignment.wrap_text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_column_is_checked_and_explained(lang: Lang) -> None:
    book = book_of(template_bytes(COMMUNE_LADDER, lang))
    sheet = book.worksheets[0]
    checks = validations(sheet)
    model = level_rulesets(as_ladder(target(COMMUNE_LADDER)))[-1].model
    specs = {s.name: s for s in field_specs(model)}
    kinds: set[str] = set()
    for letter, label, names in columns(sheet):
        spec = specs[field_of(names)]
        check = checks[letter]
        assert check.promptTitle == spec.name[:32] or check.promptTitle.endswith("…")
        assert check.prompt.startswith(label[:200])
        if spec.unit == "percent":
            assert (check.type, check.operator, check.formula1, check.formula2) == (
                "decimal",
                "between",
                "0",
                "100",
            )
            assert "(%)" in check.prompt
        elif spec.kind == KIND_BOOL:
            assert check.type == "list"
            assert check.formula1 == '"{}"'.format(",".join(YES_NO[lang]))
        elif spec.kind == KIND_INT and spec.unit == "year":
            assert (check.type, check.formula1, check.formula2) == ("whole", "1990", "2100")
        elif spec.kind == KIND_INT:
            assert (check.type, check.operator, check.formula1) == (
                "whole",
                "greaterThanOrEqual",
                "0",
            )
        elif spec.kind == KIND_NUMBER:
            assert check.type == "decimal" and check.formula1 == "0"
        kinds.add(check.type or "none")
        assert [r.coord for r in check.sqref.ranges] == [f"{letter}3:{letter}5002"]
    assert kinds == {"none", "list", "whole", "decimal"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_region_list_holds_the_region_names(lang: Lang) -> None:
    book = book_of(template_bytes(COMMUNE_LADDER, lang))
    sheet = book.worksheets[0]
    letter = next(letter for letter, _, names in columns(sheet) if names == "region")
    formula = validations(sheet)[letter].formula1
    sheet_name, cells = formula.rsplit("!", 1)
    names = [c.value for row in book[sheet_name.strip("'")][cells.replace("$", "")] for c in row]
    assert names == [region(lang) for region in REGIONS.values()]
    assert book[sheet_name.strip("'")].sheet_state == "hidden"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_instructions_say_how_to_fill_it_in_and_what_to_run_next(lang: Lang) -> None:
    book = book_of(template_xlsx(target(COMMUNE_LADDER), lang, file_name="so-lieu.xlsx"))
    assert book.sheetnames[:2] == [unit_kind("commune").heading(lang), HELP[lang]]
    lines = [str(c.value) for row in book[HELP[lang]].iter_rows() for c in row if c.value]
    text = "\n".join(lines)
    assert "41,5" in text and "41.5" in text
    assert all(word in text for word in YES_NO[lang])
    assert ("thiếu dữ liệu" if lang == "vi" else "missing data") in text
    assert (
        "không bao giờ bị tính là chưa đạt" if lang == "vi" else "never counted as failed"
    ) in text
    assert f"ntm-rules evaluate so-lieu.xlsx --ruleset {COMMUNE_LADDER}" in text
    required = [
        s for s in field_specs(template_sheets(target(COMMUNE_LADDER))[0].model) if s.required
    ]
    assert required and all(s.label(lang) in text for s in required)
    assert "tdmnpb" in text
    # the table of columns: every column of the data sheet, with its field
    fields = {row[1] for row in book[HELP[lang]].iter_rows(values_only=True)}
    assert {field_of(names) for _, _, names in columns(book.worksheets[0])} <= fields


def test_a_ladder_has_the_inputs_of_every_level() -> None:
    ladder = target(COMMUNE_LADDER)
    assert isinstance(ladder, Ladder)
    in_template = {s.name for s in template_sheets(ladder)[0].columns}
    lowest = {s.name for s in template_sheets(level_rulesets(ladder)[0])[0].columns}
    for level in level_rulesets(ladder):
        assert needed_fields(level) <= in_template
    assert lowest < in_template  # nâng cao and kiểu mẫu read more than NTM
    assert "ocop_products" in in_template - lowest


def test_a_district_ruleset_has_a_sheet_per_kind_and_no_column_for_computed_shares() -> None:
    ruleset = target(DISTRICT)
    sheets = template_sheets(ruleset)
    assert [s.kind for s in sheets] == ["district", "commune", "township"]
    book = book_of(template_bytes(DISTRICT, "vi"))
    assert book.sheetnames[:4] == ["Huyện", "Xã", "Thị trấn", "Hướng dẫn"]
    assert isinstance(ruleset, Ruleset)
    computed = set(ruleset.aggregates)
    district = {field_of(str(c.value)) for c in book["Huyện"][2]}
    assert computed and not computed & district
    assert "resident_satisfaction_pct" in district
    communes = {field_of(str(c.value)) for c in book["Xã"][2]}
    assert {"district", "district_code"} <= communes  # the members name their district
    assert "civilised_urban" in {field_of(str(c.value)) for c in book["Thị trấn"][2]}
    help_text = " ".join(
        str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value
    )
    assert all(field in help_text for field in computed)
    meta = {
        row[1]: row[2:] for row in book[META_SHEET].iter_rows(values_only=True) if row[0] == "sheet"
    }
    assert meta["Xã"] == ("commune", "communes")


def test_a_single_kind_leaves_out_the_parent_code() -> None:
    names = {s.name for s in template_sheets(target("vn.commune.ntm.2021"))[0].columns}
    assert "district" in names and "district_code" not in names
    village = [s.name for s in template_sheets(target("sonla.village.2021"))[0].columns]
    assert village[:4] == ["code", "name", "commune_code", "commune_name"]  # required link kept


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(every_id()))
def test_every_input_the_conditions_read_has_a_column_and_no_other(ref: str) -> None:
    sheets = {s.kind: s for s in template_sheets(target(ref))}
    ladder = as_ladder(target(ref))
    top = level_rulesets(ladder)
    assert next(iter(sheets)) == top[0].unit
    for level in top:
        sheet = sheets[level.unit]
        fields = {f.name for f in attrs.fields(level.model)}
        shown = {s.name for s in sheet.columns}
        expressions = [i.condition for i in level.indicators]
        expressions += [i.applies_if for i in level.indicators if i.applies_if is not None]
        if level.recognition is not None:
            expressions += [c.condition for c in level.recognition.conditions]
        read = {n.dotted for e in expressions for n in names_in(e) if not n.is_param} & fields
        assert read - set(sheet.computed) <= shown
        assert not set(sheet.computed) & shown
    for sheet in sheets.values():
        identity = {s.name for s in sheet.columns[: sheet.identity]}
        read_anywhere = set().union(*(needed_fields(level) for level in top))
        extra = {s.name for s in sheet.columns[sheet.identity :]}
        assert extra.isdisjoint(identity)
        if sheet.kind == top[0].unit:
            assert extra <= read_anywhere


# -- bytes ------------------------------------------------------------------------------------
def test_bytes_are_deterministic() -> None:
    first = template_xlsx(target(DISTRICT), "en")
    assert first == template_xlsx(target(DISTRICT), "en")
    assert first != template_xlsx(target(DISTRICT), "vi")
    book = book_of(first)
    assert book.properties.created is not None and book.properties.created.year == 2000


# -- records in the template's layout, and the sample -----------------------------------------
_VALUES = {
    "income_per_capita": st.none() | st.floats(0, 500, allow_nan=False).map(lambda v: round(v, 2)),
    "commune_roads_paved_pct": st.none() | st.floats(0, 100).map(lambda v: round(v, 1)),
    "master_plan_approved": st.none() | st.booleans(),
    "temporary_houses": st.none() | st.integers(0, 10_000),
    "region": st.sampled_from(sorted(REGIONS)),
    "recognised_ntm_year": st.none() | st.integers(1990, 2100),
}


@settings(max_examples=20, deadline=None)
@given(
    records=st.lists(st.fixed_dictionaries({"code": st.just("X"), **_VALUES}), max_size=4),
    lang=st.sampled_from(["vi", "en"]),
)
def test_records_are_written_as_an_office_writes_them(
    records: list[dict[str, Any]], lang: Lang
) -> None:
    book = book_of(template_xlsx(target("vn.commune.ntm.2021"), lang, records={"commune": records}))
    sheet = book.worksheets[0]
    where = {field_of(names): letter for letter, _, names in columns(sheet)}
    assert sheet.max_row == HEADER_ROWS + len(records)
    yes, no = YES_NO[lang]
    for row, record in enumerate(records, HEADER_ROWS + 1):
        for field, value in record.items():
            cell = sheet[f"{where[field]}{row}"].value
            if isinstance(value, bool):
                assert cell == (yes if value else no)
            elif field == "region":
                assert cell == REGIONS[value](lang)
            else:
                assert cell == value


def _sample_units() -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = json.loads(
        (EXAMPLES / "sonla-communes-2023.json").read_text(encoding="utf-8")
    )["units"]
    return units


def test_the_sample_workbook_holds_the_sample_communes() -> None:
    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["Xã"]
    units = _sample_units()
    assert sheet.max_row == HEADER_ROWS + len(units) == HEADER_ROWS + 188
    fields = [field_of(str(c.value)) for c in sheet[2]]
    assert sheet["A1"].value == "Mã xã"
    for row, unit in zip(sheet.iter_rows(min_row=3, values_only=True), units, strict=True):
        for field, cell in zip(fields, row, strict=True):
            value = unit.get(field)
            if isinstance(value, bool):
                assert cell == ("Có" if value else "Không")
            elif field == "region":
                assert cell == REGIONS[value].vi
            else:
                assert cell == value, (unit["code"], field)


def test_the_sample_workbook_is_what_the_script_writes() -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        from generate_sonla_xlsx import workbook
    finally:
        sys.path.remove(str(EXAMPLES))
    assert SAMPLE.read_bytes() == workbook(), (
        "examples/sonla-communes-2023.xlsx is stale: python examples/generate_sonla_xlsx.py"
    )


# -- the command ------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_command_writes_the_template(tmp_path: Path, lang: Lang) -> None:
    out = tmp_path / "mau.xlsx"
    result = ok(run("template", "--ruleset", COMMUNE_LADDER, "-o", out, "--lang", lang))
    assert out.read_bytes() == template_xlsx(target(COMMUNE_LADDER), lang, file_name="mau.xlsx")
    columns_count = len(template_sheets(target(COMMUNE_LADDER))[0].columns)
    assert str(columns_count) in result.stdout
    assert f"ntm-rules evaluate {out} --ruleset {COMMUNE_LADDER}" in result.stdout
    assert ("Đã ghi mẫu" if lang == "vi" else "Input template written") in result.stdout


def test_the_command_writes_to_a_pipe_and_refuses_an_unknown_ruleset(tmp_path: Path) -> None:
    result = ok(run("template", "-r", "vn.commune.ntm.2021"))
    assert result.stdout_bytes.startswith(b"PK")
    assert "vn.commune.nmt.2021" in failed(
        run("template", "-r", "vn.commune.nmt.2021", "-o", tmp_path / "x.xlsx")
    )
    assert not (tmp_path / "x.xlsx").exists()
