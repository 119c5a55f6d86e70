"""The command line on a data set of many unit kinds: the Sơn La province sample evaluated,
explained and compared, as an office runs it (80 columns, Vietnamese and English)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from cli_support import failed, ok, run
from hypothesis import given
from hypothesis import strategies as st

from ntm_rules.aggregate.compute import AggregateValue
from ntm_rules.aggregate.membership import UnitRef
from ntm_rules.aggregate.report import REPORT_SCHEMA

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sonla-province-2023.json"
NARROW = {"COLUMNS": "80"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_province_table_fits_80_columns_and_names_what_holds_it_back(lang: str) -> None:
    out = ok(run("evaluate", "-r", "sonla.province.2021", SAMPLE, "--lang", lang, env=NARROW))
    lines = out.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = out.stdout
    assert "Quỳnh Nhai" in text and "SL-QN" in text  # a district holding a share back
    total = next(line for line in lines if line.startswith(("Tổng", "Total")))
    assert total.split()[1] == "188"  # every commune of the sample counted once
    floor = "không xã nào dưới 15" if lang == "vi" else "no commune below 15"
    assert floor in text


def test_the_province_json_is_the_report_and_matches_its_schema() -> None:
    out = ok(run("evaluate", "-r", "sonla.province.2021", SAMPLE, "-f", "json")).stdout
    document = json.loads(out)
    jsonschema.validate(document, REPORT_SCHEMA)
    (province,) = document["units"]
    assert province["code"] == "SL" and province["place"]["level"] is None
    fields = {a["field"]: a for a in province["aggregates"]}
    assert fields["districts_ntm_pct"]["members"] == 11
    assert len(document["progress"]) == 12


def test_the_progress_csv_has_a_row_per_district_level_unit() -> None:
    out = ok(run("evaluate", "-r", "sonla.province.2021", SAMPLE, "-f", "csv", "--lang", "en"))
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 12
    assert sum(int(row["communes"]) for row in rows) == 188
    city = next(row for row in rows if row["code"] == "SL-TP")
    assert city["place"] == "hoan_thanh" and city["communes_ntm"] == "5"


def test_explain_and_gap_read_the_data_set() -> None:
    out = ok(run("explain", "-r", "sonla.district.2021", SAMPLE, "--unit", "SL-QN")).stdout
    assert "cần thêm 1 xã đạt" in out  # D2: 1 of 11 nâng cao, 10 % needs 2
    assert "Xã Huổi Ban 06" in out
    gap = ok(run("gap", "-r", "sonla.district.2021", SAMPLE, "--unit", "SL-QN", "-f", "json"))
    assert json.loads(gap.stdout)["unit"]["code"] == "SL-QN"
    wrong = failed(run("explain", "-r", "sonla.district.2021", SAMPLE, "--unit", "SL-Q"))
    assert "SL-QN" in wrong  # the close code is suggested


def test_jsonl_and_workers_are_refused_for_a_data_set() -> None:
    result = run("evaluate", "-r", "sonla.province.2021", SAMPLE, "-f", "jsonl")
    assert result.exit_code == 2 and "jsonl" in result.stderr
    result = run("evaluate", "-r", "sonla.province.2021", SAMPLE, "--workers", "2")
    assert result.exit_code == 2 and "--workers" in result.stderr


@given(
    members=st.integers(1, 40),
    counted=st.integers(0, 40),
    threshold=st.floats(0, 100),
    op=st.sampled_from([">=", ">"]),
)
def test_more_needed_is_the_fewest_members_that_meet_a_share(
    members: int, counted: int, threshold: float, op: str
) -> None:
    counted = min(counted, members)
    refs = tuple(UnitRef("commune", f"C{i}") for i in range(members))
    value = AggregateValue(
        "x",
        "share",
        "communes",
        "commune",
        100 * counted / members,
        members,
        counted=refs[:counted],
        not_counted=refs[counted:],
    )

    def holds(count: int) -> bool:
        share = 100 * count / members
        return share >= threshold if op == ">=" else share > threshold

    needed = value.more_needed(op, threshold)
    if needed is None:
        assert not holds(members)
    else:
        assert holds(counted + needed) and (needed == 0 or not holds(counted + needed - 1))


def test_criteria_tables_say_how_inputs_are_computed_from_members() -> None:
    out = ok(run("document", "--ruleset", "vn.district.ntm.2021")).stdout
    assert "Dữ liệu tính từ các đơn vị thành viên" in out
    assert "tỷ lệ % các xã ở mức ntm trở lên trên thang vn.commune.2021" in out
    english = ok(run("document", "--ruleset", "vn.district.ntm.2021", "--lang", "en")).stdout
    assert "percent of the communes at or above level ntm of ladder vn.commune.2021" in english


def test_a_workbook_with_a_sheet_per_kind_is_a_data_set(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from ntm_rules import evaluate_data_set
    from ntm_rules.unit_kinds import KINDS

    document = json.loads(SAMPLE.read_text(encoding="utf-8"))
    communes = json.loads((SAMPLE.parent / document["communes"]).read_text(encoding="utf-8"))
    document["communes"] = communes["units"]
    book = Workbook()
    book.remove(book.worksheets[0])
    for kind in KINDS.values():
        records = document.get(kind.section)
        if not records:
            continue
        sheet = book.create_sheet(kind.heading.vi)  # "Xã", "Huyện", "Thị xã, thành phố"…
        fields = list(
            dict.fromkeys(key for record in records for key in record if key != "members")
        )
        sheet.append(["STT", *fields])
        for n, record in enumerate(records, 1):
            sheet.append([n, *(record.get(field) for field in fields)])
    path = tmp_path / "tinh.xlsx"
    book.save(path)
    from_json = evaluate_data_set("sonla.province.2021", SAMPLE).to_dict("summary")
    from_book = evaluate_data_set("sonla.province.2021", path).to_dict("summary")
    from_json.pop("data")
    from_book.pop("data")
    assert from_book == from_json
    out = ok(run("evaluate", "-r", "sonla.province.2021", path, env=NARROW)).stdout
    assert "Quỳnh Nhai" in out
