"""Reading the tables offices really have: Vietnamese headings, STT and ghi chú columns,
semicolons, UTF-16, Excel, 85 %, decimal commas and thousands dots read from the column's own
cells (never guessed), region names, and every bad cell reported in one run."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ntm_rules import evaluate
from ntm_rules.errors import InputError, InputErrors
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.structuring import load_records, load_records_checked
from ntm_rules.models.tables import column_key, decimal_mark, plain_number

HEADINGS = (
    "STT;Mã xã;Tên xã;Vùng;Năm đánh giá;Thu nhập bình quân đầu người khu vực nông thôn;Ghi chú"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_vietnamese_headings_semicolons_and_office_values(tmp_path: Path) -> None:
    text = (
        f"{HEADINGS}\n"
        "1;X1;Xã A;TDMNPB;2024;41,5;đã kiểm tra\n"
        "2;X2;Xã B;Trung du và miền núi phía Bắc;2024;38,25;\n"
        "3;X3;Xã C;ĐBSCL;2024;;\n"
    )
    records = load_records(write(tmp_path, "a.csv", text), Commune2021)
    assert [r.region for r in records] == ["tdmnpb", "tdmnpb", "dbscl"]
    assert [r.income_per_capita for r in records] == [41.5, 38.25, None]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_and_utf16(tmp_path: Path, encoding: str) -> None:
    text = "code,name,region,year\nX1,Xã Chiềng Cọ,tdmnpb,2024\n"
    (record,) = load_records(write(tmp_path, "a.csv", text, encoding), Commune2021)
    assert record.name == "Xã Chiềng Cọ"


def test_english_labels_and_case_spacing_diacritics_do_not_matter(tmp_path: Path) -> None:
    text = "COMMUNE  CODE,region,YEAR ASSESSED,thu nhap binh quan dau nguoi khu vuc nong thon\n"
    text += "X1,tn,2024,40\n"
    (record,) = load_records(write(tmp_path, "a.csv", text), Commune2021)
    assert record.income_per_capita == 40


def test_a_percent_sign_and_a_column_of_decimal_commas(tmp_path: Path) -> None:
    text = "code,region,year,irrigated_farmland_pct,income_per_capita\n"
    text += 'X1,tn,2024,85%,"41,5"\nX2,tn,2024,"90,5 %","1.041,5"\n'
    records = load_records(write(tmp_path, "a.csv", text), Commune2021)
    assert [r.irrigated_farmland_pct for r in records] == [85, 90.5]
    assert [r.income_per_capita for r in records] == [41.5, 1041.5]


def test_an_ambiguous_cell_is_read_by_its_column_or_refused_with_both_readings(
    tmp_path: Path,
) -> None:
    told = 'code,region,year,income_per_capita\nX1,tn,2024,41.500\nX2,tn,2024,"41,5"\n'
    records = load_records(write(tmp_path, "a.csv", told), Commune2021)
    assert [r.income_per_capita for r in records] == [41500, 41.5]  # the column writes "41,5"
    alone = "code,region,year,income_per_capita\nX1,tn,2024,41.500\n"
    with pytest.raises(InputError) as caught:
        load_records(write(tmp_path, "b.csv", alone), Commune2021)
    assert "ambiguous" in caught.value.describe("en") and "41.5" in caught.value.describe("en")


def test_every_bad_cell_is_reported_in_one_run(tmp_path: Path) -> None:
    text = (
        f"{HEADINGS}\n1;X1;Xã A;tdmnpb;2024;abc;\n2;X2;Xã B;tdmnpx;2024;40;\n3;X3;Xã C;tn;1800;x;\n"
    )
    with pytest.raises(InputErrors) as caught:
        load_records(write(tmp_path, "a.csv", text), Commune2021)
    problems = caught.value.errors
    assert [(p.record.split(":")[-1], p.field) for p in problems] == [
        ("2 (code X1)", "income_per_capita"),
        ("3 (code X2)", "region"),
        ("4 (code X3)", "income_per_capita"),
        ("4 (code X3)", "year"),
    ]
    assert "cột 'Thu nhập bình quân" in problems[0].describe("vi")
    good, errors = load_records_checked(write(tmp_path, "b.csv", text), Commune2021)
    assert good == [] and len(errors) == 4


def test_unknown_headings_are_listed_once_with_suggestions(tmp_path: Path) -> None:
    text = "code,region,year,Thu nhap,Ho ngheo\nX1,tn,2024,1,2\n"
    with pytest.raises(InputError) as caught:
        load_records(write(tmp_path, "a.csv", text), Commune2021)
    shown = caught.value.describe("en")
    assert shown.count("unknown column(s)") == 1 and "Thu nhap" in shown and "Ho ngheo" in shown


def test_an_excel_workbook_with_a_second_heading_row(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "STT",
            "Mã xã",
            "Vùng",
            "Năm đánh giá",
            "Có quy hoạch chung xây dựng xã được phê duyệt, công bố công khai",
        ]
    )
    sheet.append(["", "code", "region", "year", "master_plan_approved"])
    sheet.append([1, "X1", "Tây Nguyên", 2024, "Có"])
    sheet.append([2, "X2", "tn", 2024.0, True])
    path = tmp_path / "a.xlsx"
    book.save(path)
    records = load_records(path, Commune2021)
    assert [(r.code, r.region, r.year, r.master_plan_approved) for r in records] == [
        ("X1", "tn", 2024, True),
        ("X2", "tn", 2024, True),
    ]


def test_an_nfd_province_is_the_province() -> None:
    record = {
        "code": "A",
        "region": "tdmnpb",
        "year": 2024,
        "province": unicodedata.normalize("NFD", "Sơn La"),
    }
    assert evaluate("sonla.commune.ntm.2021", record).unit.province == "Sơn La"


def test_column_keys() -> None:
    assert column_key("  Thu nhập  (triệu đồng) ") == "thu nhap"
    assert column_key("Đường") == column_key("duong")


@settings(max_examples=200)
@given(
    value=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    vietnamese=st.booleans(),
)
def test_a_column_in_either_style_reads_back(value: object, vietnamese: bool) -> None:
    whole, _, decimals = f"{value:,.2f}".partition(".")
    written = whole.replace(",", ".") + "," + decimals if vietnamese else whole + "." + decimals
    evidence = "1,5" if vietnamese else "1.5"
    mark = decimal_mark([written, evidence])
    assert mark == ("," if vietnamese else ".")
    assert float(plain_number(written, mark)) == pytest.approx(float(str(value)))


def test_skip_invalid_evaluates_the_good_rows_and_lists_the_bad(tmp_path: Path) -> None:
    import json

    from cli_support import ok, run

    text = f"{HEADINGS}\n1;X1;Xã A;tdmnpb;2024;abc;\n2;X2;Xã B;tn;2024;40;\n"
    path = write(tmp_path, "a.csv", text)
    refused = run("evaluate", "-r", "vn.commune.ntm.2021", path)
    assert refused.exit_code == 1 and "X1" in refused.stderr
    done = ok(run("evaluate", "-r", "vn.commune.ntm.2021", path, "--skip-invalid", "-f", "json"))
    document = json.loads(done.stdout)
    assert [r["unit"]["code"] for r in document["results"]] == ["X2"]
    assert document["skipped"][0]["field"] == "income_per_capita"
    assert "X1" in done.stderr


def test_skipped_records_go_to_the_workbook_errors_sheet(tmp_path: Path) -> None:
    from cli_support import ok, run
    from openpyxl import load_workbook

    text = f"{HEADINGS}\n1;X1;Xã A;tdmnpb;2024;abc;\n2;X2;Xã B;tn;2024;40;\n"
    path = write(tmp_path, "a.csv", text)
    target = tmp_path / "k.xlsx"
    done = ok(
        run(
            "evaluate",
            "-r",
            "vn.commune.ntm.2021",
            path,
            "--skip-invalid",
            "-f",
            "xlsx",
            "-o",
            target,
        )
    )
    assert f"Đã ghi 1 đơn vị vào {target}" in done.stderr
    book = load_workbook(target, read_only=True)
    rows = list(book["Lỗi"].iter_rows(values_only=True))
    assert rows[1][0].endswith("(code X1)") and rows[1][1] == "income_per_capita"


def test_a_stated_decimal_mark_reads_every_column(tmp_path: Path) -> None:
    from cli_support import failed, ok, run

    text = "code,region,year,income_per_capita\nX1,tn,2024,41.500\n"
    path = write(tmp_path, "a.csv", text)
    assert "ambiguous" in failed(run("evaluate", "-r", "vn.commune.ntm.2021", path, "--lang", "en"))
    for mark, value in ((",", 41500.0), (".", 41.5)):
        out = ok(
            run("evaluate", "-r", "vn.commune.ntm.2021", path, "--decimal", mark, "-f", "json")
        ).stdout
        assert f'"value":{value}' in out.replace(" ", "")
    assert failed(run("evaluate", "-r", "vn.commune.ntm.2021", path, "--decimal", ";"), code=2)


def test_csv_to_stdout_with_a_bom_when_asked(tmp_path: Path) -> None:
    from cli_support import ok, run

    path = write(tmp_path, "a.csv", "code,region,year\nX1,tn,2024\n")
    plain = ok(run("evaluate", "-r", "vn.commune.ntm.2021", path, "-f", "csv")).stdout
    marked = ok(run("evaluate", "-r", "vn.commune.ntm.2021", path, "-f", "csv", "--excel")).stdout
    assert not plain.startswith("\ufeff") and marked.startswith("\ufeff")
