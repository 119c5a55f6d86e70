"""The ``ntm-rules`` command line: every command's happy path, and errors that are one line on
stderr with exit code 1 (2 for a wrong option), never a traceback, never half a file."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from cli_support import failed, ok, run
from typer.testing import Result

from ntm_rules.cli import app
from ntm_rules.models.vocabulary import VOCABULARIES, field_specs
from ntm_rules.ruleset.registry import ruleset_files

NATIONAL = "vn.commune.ntm.2021"
REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "sonla-communes-2023.json"
IDENTITY = (
    "code",
    "name",
    "province",
    "district",
    "region",
    "year",
    "dbkk",
    "atk",
    "poor_district",
)


def full_commune(code: str, name: str, **changes: Any) -> dict[str, Any]:
    """A commune that meets every criterion of the national 2021 set (before ``changes``)."""
    record: dict[str, Any] = {"code": code, "name": name, "region": "tdmnpb", "year": 2024}
    for spec in field_specs(VOCABULARIES["commune_2021"]):
        if spec.name in IDENTITY or spec.name.startswith("recognised_") or spec.kind == "text":
            continue
        if spec.kind == "bool":
            record[spec.name] = True
        elif spec.unit == "percent":
            lower_better = "poverty" in spec.name or "stunting" in spec.name
            record[spec.name] = 0.0 if lower_better else 100.0
        elif spec.unit == "count":
            record[spec.name] = 0
        else:
            record[spec.name] = 1000.0
    record.update(changes)
    return record


def communes() -> list[dict[str, Any]]:
    return [
        full_commune("14101", "Xã Chiềng Cọ"),
        # recognised in 2020, but income now below the threshold: criterion 10 not met
        full_commune("14102", "Xã Hua La", income_per_capita=10.0, recognised_ntm_year=2020),
        {"code": "14103", "name": "Xã Chiềng Đen", "region": "tdmnpb", "year": 2024},
    ]


@pytest.fixture
def data_json(tmp_path: Path) -> Path:
    path = tmp_path / "communes.json"
    path.write_text(json.dumps(communes(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def data_csv(tmp_path: Path) -> Path:
    rows = communes()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: str(v).lower() if isinstance(v, bool) else v for k, v in row.items()})
    path = tmp_path / "communes.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def national_file() -> Path:
    return ruleset_files()[NATIONAL]


# -- rulesets -----------------------------------------------------------------------------------
def listed(result: Result, prefix: str = "Lỗi: ") -> str:
    """The output of a command over every bundled ruleset: a bundled file that does not load is
    reported on stderr (one line naming file and line, exit code 1) and the others still listed."""
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exit_code == 1, result.output
        for line in result.stderr.strip().splitlines():
            assert line.startswith(prefix) and ".yaml:" in line, line
    return result.stdout


def test_rulesets_table() -> None:
    out = listed(run("rulesets"))
    assert NATIONAL in out
    assert "Phiên bản" in out and "Hiệu lực" in out and "Bộ tiêu chí quốc gia" in out
    assert "19 / 57" in out and "2022-03-08" in out


def test_rulesets_json_english() -> None:
    document = json.loads(listed(run("rulesets", "--format", "json", "--lang", "en"), "Error: "))
    infos = document["rulesets"]  # bundled ladders are listed apart, under "ladders"
    national = next(i for i in infos if i["id"] == NATIONAL)
    assert national["criteria"] == 19 and national["unit"] == "commune"
    assert national["title"]["en"] == "National criteria for new rural communes, 2021-2025"
    assert national["unverified"] > 0  # the bundled set is mostly unverified, and says so


# -- validate -----------------------------------------------------------------------------------
def test_validate_file_and_directory(national_file: Path) -> None:
    out = ok(run("validate", national_file, national_file.parent)).stdout
    assert out.count(f"OK  {national_file}") == 2
    assert "19 tiêu chí, 57 chỉ tiêu" in out


def test_validate_duplicate_key(tmp_path: Path, national_file: Path) -> None:
    text = national_file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("unit:"))
    lines.insert(at + 1, "unit: commune\n")
    bad = tmp_path / "dup.yaml"
    bad.write_text("".join(lines), encoding="utf-8")
    result = run("validate", bad, "--lang", "en")
    line = failed(result)
    assert f"{bad}:{at + 2}:" in line and "duplicate key 'unit'" in line
    said = failed(run("validate", bad))
    assert f"khóa 'unit' xuất hiện hai lần trong cùng một ánh xạ (lần đầu ở dòng {at + 1})" in said
    assert "OK" not in result.stdout


def test_validate_unknown_name_names_file_line_column(tmp_path: Path, national_file: Path) -> None:
    text = national_file.read_text(encoding="utf-8")
    needle = "condition: income_per_capita >= param.income_per_capita"
    line_no = text[: text.index(needle)].count("\n") + 1
    column = text.splitlines()[line_no - 1].index("income_per_capita") + 1
    bad = tmp_path / "typo.yaml"
    bad.write_text(text.replace(needle, needle.replace("capita >=", "capit >=")), encoding="utf-8")
    line = failed(run("validate", "--lang", "en", bad))
    assert line.startswith("Error: ")
    assert f"{bad}:{line_no}:{column}: criteria[" in line
    assert "unknown name 'income_per_capit'" in line and "did you mean 'income_per_capita'" in line
    # the same error stops `evaluate` before anything is printed
    data = tmp_path / "d.json"
    data.write_text(json.dumps(communes()), encoding="utf-8")
    result = run("evaluate", "--ruleset", bad, data)
    assert f"{bad}:{line_no}:{column}:" in failed(result)
    assert result.stdout == ""


def test_validate_reports_each_bad_file_and_still_checks_the_good(
    tmp_path: Path, national_file: Path
) -> None:
    missing = tmp_path / "nope.yaml"
    result = run("validate", national_file, missing)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"OK  {national_file}" in result.stdout
    assert result.stderr.strip() == f"Lỗi: không tìm thấy tệp: {missing}"


# -- evaluate -----------------------------------------------------------------------------------
def test_evaluate_table(data_json: Path) -> None:
    out = ok(run("evaluate", "--ruleset", NATIONAL, data_json)).stdout
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "│ 141" in line}
    assert set(rows) == {"14101", "14102", "14103"}
    assert "Đạt chuẩn" in rows["14101"] and "19/19" in rows["14101"]
    assert "Chưa đạt" in rows["14102"] and "18/19" in rows["14102"]
    assert "│ 10 " in rows["14102"]  # the unmet criterion
    assert "Thiếu dữ liệu" in rows["14103"] and "0/19" in rows["14103"]
    assert "Đạt chuẩn: 1/3 xã" in out
    assert "19 tiêu chí: 1 · 15–18 tiêu chí: 1 · 10–14 tiêu chí: 0 · 5–9 tiêu chí: 0" in out
    assert "dưới 5 tiêu chí: 1" in out
    assert "Bình quân số tiêu chí đạt: 12,33/19" in out
    assert "Đã được công nhận đạt chuẩn nhưng nay chưa đạt: 1 xã" in out


def test_evaluate_table_english_from_csv(data_csv: Path) -> None:
    out = ok(run("evaluate", "-r", NATIONAL, data_csv, "--lang", "en")).stdout
    assert "Met: 1/3 communes" in out and "Not met" in out and "Missing data" in out
    assert "Average criteria met: 12.33/19" in out


def test_evaluate_json(data_json: Path) -> None:
    document = json.loads(ok(run("evaluate", "-r", NATIONAL, data_json, "-f", "json")).stdout)
    assert document["ruleset"]["id"] == NATIONAL
    assert [r["unit"]["code"] for r in document["results"]] == ["14101", "14102", "14103"]
    assert [r["level"]["status"] for r in document["results"]] == ["met", "not_met", "missing"]
    assert document["results"][0]["unit"]["name"] == "Xã Chiềng Cọ"
    assert document["summary"]["recognised_not_met"] == 1
    # every result matches the published result schema
    schema = json.loads(ok(run("schema", "--result")).stdout)
    for result in document["results"]:
        jsonschema.validate(result, schema)


def test_evaluate_json_is_never_wrapped(data_json: Path) -> None:
    result = ok(run("evaluate", "-r", NATIONAL, data_json, "-f", "json", env={"COLUMNS": "40"}))
    json.loads(result.stdout)
    assert any(len(line) > 40 for line in result.stdout.splitlines())


def test_evaluate_csv_and_year_option(data_json: Path) -> None:
    out = ok(
        run("evaluate", "-r", NATIONAL, data_json, "-f", "csv", "--year", "2023", "--lang", "en")
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["code"] for r in rows] == ["14101", "14102", "14103"]
    assert rows[1]["status"] == "not_met" and rows[1]["criteria_met"] == "18"
    assert rows[1]["criteria_total"] == "19" and rows[1]["criterion_10"] == "not_met"
    assert rows[0]["criterion_10"] == "met" and rows[2]["criterion_1"] == "missing"
    assert rows[1]["rests_on_unverified"] in ("true", "false")
    assert rows[0]["name"] == "Xã Chiềng Cọ"


def test_csv_headings_and_statuses_in_vietnamese_by_default(data_json: Path) -> None:
    out = ok(run("evaluate", "-r", NATIONAL, data_json, "-f", "csv", "--year", "2023")).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["Mã"] for r in rows] == ["14101", "14102", "14103"]
    assert rows[1]["Kết quả"] == "chưa đạt" and rows[1]["Tiêu chí 10"] == "chưa đạt"
    assert rows[2]["Tiêu chí 1"] == "thiếu dữ liệu" and rows[0]["Tiêu chí 10"] == "đạt"
    assert rows[1]["Dựa trên giá trị chưa kiểm chứng"] in ("có", "không")


def test_output_is_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Xã Mường Giàng")
    data = tmp_path / "nfd.json"
    data.write_text(json.dumps([full_commune("1", decomposed)]), encoding="utf-8")
    out = ok(run("evaluate", "-r", NATIONAL, data, "-f", "csv")).stdout
    assert "Xã Mường Giàng" in out and unicodedata.is_normalized("NFC", out)


def test_evaluate_output_file(tmp_path: Path, data_json: Path) -> None:
    target = tmp_path / "out" / "results.csv"
    target.parent.mkdir()
    result = ok(run("evaluate", "-r", NATIONAL, data_json, "-f", "csv", "-o", target))
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3
    assert sorted(p.name for p in target.parent.iterdir()) == ["results.csv"]
    table = tmp_path / "out" / "results.txt"
    ok(run("evaluate", "-r", NATIONAL, data_json, "-o", table))
    assert "Đạt chuẩn: 1/3 xã" in table.read_text(encoding="utf-8")


@pytest.mark.parametrize("output_format", ["json", "csv", "table"])
def test_output_not_half_written_when_evaluation_fails(tmp_path: Path, output_format: str) -> None:
    rows = communes()
    rows[1]["year"] = 2019  # before the ruleset is in force: the second evaluation fails
    data = tmp_path / "d.json"
    data.write_text(json.dumps(rows), encoding="utf-8")
    fresh = tmp_path / f"fresh.{output_format}"
    args = ("evaluate", "-r", NATIONAL, data, "-f", output_format, "-o", fresh)
    line = failed(run(*args, "--lang", "en"))
    assert "record code 14102" in line and "2019-12-31" in line
    assert not fresh.exists()
    assert "Lỗi: bản ghi mã 14102: ngày đánh giá 2019-12-31 nằm ngoài" in failed(run(*args))
    assert not fresh.exists()
    kept = tmp_path / f"kept.{output_format}"
    kept.write_text("previous results\n", encoding="utf-8")
    failed(run("evaluate", "-r", NATIONAL, data, "-f", output_format, "-o", kept))
    assert kept.read_text(encoding="utf-8") == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.json", kept.name]
    # and nothing is printed to stdout either
    assert run("evaluate", "-r", NATIONAL, data, "-f", output_format).stdout == ""


def test_bad_input_names_record_and_field(tmp_path: Path) -> None:
    rows = communes()
    rows[1]["income_per_capita"] = "45"
    data = tmp_path / "d.json"
    data.write_text(json.dumps(rows), encoding="utf-8")
    line = failed(run("evaluate", "-r", NATIONAL, data, "--lang", "en"))
    assert "#2 (code 14102)" in line and "field 'income_per_capita'" in line
    assert "expected a number" in line


def test_bad_csv_cell_names_row_and_field(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("code,region,year,income_per_capita\n1,tdmnpb,2024,45\n2,tdmnpb,2024,abc\n")
    line = failed(run("evaluate", "-r", NATIONAL, data, "--lang", "en"))
    assert f"{data}:3 (code 2)" in line and "field 'income_per_capita'" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-r", NATIONAL, "missing.json"], "Lỗi: không tìm thấy tệp: missing.json"),
        (["-r", "no/such/rules.yaml", "DATA"], "Lỗi: không tìm thấy tệp: no/such/rules.yaml"),
        (["-r", "vn.no.such", "DATA"], "không tìm thấy bộ tiêu chí 'vn.no.such'"),
        (["-r", "vn.no.such", "DATA", "--lang", "en"], "unknown ruleset 'vn.no.such'"),
        (["-r", NATIONAL, "DATA", "--lang", "en", "-o", "no/dir/x.json"], "directory not found"),
    ],
)
def test_evaluate_errors(data_json: Path, args: list[str], expected: str) -> None:
    args = [str(data_json) if a == "DATA" else a for a in args]
    assert expected in failed(run("evaluate", *args))


def test_data_file_must_be_json_csv_or_xlsx(tmp_path: Path) -> None:
    data = tmp_path / "d.ods"
    data.write_bytes(b"PK")
    assert ".json, .csv" in failed(run("evaluate", "-r", NATIONAL, data))
    broken = tmp_path / "d.xlsx"
    broken.write_bytes(b"PK")
    assert "Excel" in failed(run("evaluate", "-r", NATIONAL, broken, "--lang", "en"))


def test_bad_format_and_lang_are_usage_errors(data_json: Path) -> None:
    line = failed(run("evaluate", "-r", NATIONAL, data_json, "-f", "xml"), code=2)
    assert "--format" in line and "table | json | jsonl | csv" in line and "'xml'" in line
    assert "--lang" in failed(run("evaluate", "-r", NATIONAL, data_json, "--lang", "fr"), code=2)
    assert "--format" in failed(run("audit", "-f", "csv"), code=2)


@pytest.mark.skipif(not EXAMPLE.exists(), reason="examples/sonla-communes-2023.json not generated")
def test_evaluate_example_data() -> None:
    units = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    units = units["units"] if isinstance(units, dict) else units
    document = json.loads(ok(run("evaluate", "-r", NATIONAL, EXAMPLE, "-f", "json")).stdout)
    assert len(document["results"]) == len(units)
    assert document["summary"]["units"] == len(units)
    ok(run("explain", "-r", NATIONAL, EXAMPLE, "--unit", units[0]["code"]))
    as_csv = EXAMPLE.with_suffix(".csv")
    if as_csv.exists():
        from_csv = json.loads(ok(run("evaluate", "-r", NATIONAL, as_csv, "-f", "json")).stdout)
        assert from_csv["summary"] == document["summary"]


# -- explain ------------------------------------------------------------------------------------
def test_explain(data_json: Path) -> None:
    out = ok(run("explain", "-r", NATIONAL, data_json, "--unit", "14102")).stdout
    assert "Xã Hua La" in out and "14102" in out
    assert "Thu nhập" in out  # the failing criterion is explained
    english = ok(run("explain", "-r", NATIONAL, data_json, "-u", "14102", "--lang", "en")).stdout
    assert "Income" in english and english != out


def test_explain_unknown_code(data_json: Path) -> None:
    line = failed(run("explain", "-r", NATIONAL, data_json, "--unit", "99999"))
    assert "'99999'" in line and "14101, 14102, 14103" in line
    line = failed(run("explain", "-r", NATIONAL, data_json, "--unit", "1410", "--lang", "en"))
    assert line.startswith("Error: no unit with code '1410'") and "did you mean" in line


# -- gap --------------------------------------------------------------------------------------
def test_gap_text(tmp_path: Path) -> None:
    data = tmp_path / "d.json"
    rows = [*communes(), full_commune("14104", "Xã Chiềng Sinh", income_per_capita=35.2)]
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    out = ok(run("gap", "-r", NATIONAL, data, "--unit", "14104")).stdout
    assert out.splitlines()[0] == "Đơn vị: 14104 Xã Chiềng Sinh"
    assert "Còn thiếu để đạt: Xã đạt chuẩn nông thôn mới" in out
    assert "Tiêu chí 10 Thu nhập" in out and "còn thiếu 3,8 triệu đồng/người/năm" in out
    english = ok(run("gap", "-r", NATIONAL, data, "-u", "14104", "--lang", "en")).stdout
    assert "short by 3.8 million VND/person/year" in english
    assert "Đã đạt." in ok(run("gap", "-r", NATIONAL, data, "-u", "14101")).stdout
    missing = ok(run("gap", "-r", NATIONAL, data, "-u", "14103")).stdout
    assert "Thiếu dữ liệu:" in missing and "income_per_capita" in missing


def test_gap_json(data_json: Path) -> None:
    document = json.loads(
        ok(run("gap", "-r", NATIONAL, data_json, "-u", "14102", "-f", "json")).stdout
    )
    assert isinstance(document, dict) and isinstance(document["criteria"], list)
    assert document["unit"]["code"] == "14102" and document["ruleset"] == NATIONAL
    (criterion,) = document["criteria"]
    assert criterion["criterion"] == "10" and criterion["items"][0]["shortfall"] > 0
    assert document["closed"] is False and document["status"] == "not_met"


def test_gap_errors(data_json: Path) -> None:
    line = failed(run("gap", "-r", NATIONAL, data_json, "-u", "14102", "--target", "kieu_mau"))
    assert "--target" in line and "'kieu_mau'" in line and NATIONAL in line
    assert "text | json" in failed(
        run("gap", "-r", NATIONAL, data_json, "-u", "14102", "-f", "csv"), code=2
    )
    assert "'99999'" in failed(run("gap", "-r", NATIONAL, data_json, "-u", "99999"))


# -- the package ----------------------------------------------------------------------------------
def test_help_lists_every_command() -> None:
    out = ok(run("--help")).stdout
    for command in ("rulesets", "validate", "evaluate", "explain", "gap", "schema", "audit"):
        assert command in out


def test_cli_is_a_package_with_app_and_main() -> None:
    import ntm_rules.cli as cli

    assert hasattr(cli, "__path__") and cli.__all__ == ["app", "main"]
    assert callable(cli.main) and cli.app is app


# -- schema -------------------------------------------------------------------------------------
def test_schema_of_inputs_accepts_the_test_data() -> None:
    schema = json.loads(ok(run("schema")).stdout)
    assert "income_per_capita" in schema["properties"]
    assert json.loads(ok(run("schema", "--inputs", "commune_2021")).stdout) == schema
    for record in communes():
        jsonschema.validate(record, schema)


def test_schema_unknown_vocabulary() -> None:
    assert "commune_2021" in failed(run("schema", "--inputs", "village_2030"))


# -- audit --------------------------------------------------------------------------------------
def test_audit_json(national_file: Path) -> None:
    document = json.loads(ok(run("audit", "--ruleset", NATIONAL, "--format", "json")).stdout)
    items = document["items"]
    assert items and document["summary"]["total"] == len(items)
    assert all(i["file"] == str(national_file) for i in items)
    lines = national_file.read_text(encoding="utf-8").splitlines()
    parameter = next(i for i in items if i["kind"] == "parameter")
    assert parameter["line"] and parameter["verified"] is False and parameter["note"]
    assert 0 < parameter["line"] <= len(lines)
    # by default every bundled ruleset is audited
    everything = json.loads(listed(run("audit", "-f", "json")))
    assert everything["summary"]["total"] >= len(items)


def test_audit_table(national_file: Path) -> None:
    out = ok(run("audit", "-r", str(national_file))).stdout
    assert "Giá trị chưa kiểm chứng" in out and "Nội dung chưa kiểm chứng" in out
    assert "Tổng cộng:" in out
    assert "Total:" in listed(run("audit", "--lang", "en"), "Error: ")


# -- the installed program ----------------------------------------------------------------------
def _programs() -> list[Any]:
    script = shutil.which("ntm-rules", path=str(Path(sys.executable).parent))
    installed = pytest.param(
        [script] if script else [],
        id="console-script",
        marks=pytest.mark.skipif(script is None, reason="ntm-rules console script not installed"),
    )
    return [installed, pytest.param([sys.executable, "-m", "ntm_rules"], id="python-m")]


@pytest.mark.parametrize("program", _programs())
def test_subprocess(program: list[str], data_json: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [*program, "evaluate", "-r", NATIONAL, str(data_json)],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("utf-8")  # UTF-8 whatever the locale says
    assert "Đạt chuẩn: 1/3 xã" in out and unicodedata.is_normalized("NFC", out)
    done = subprocess.run(
        [*program, "evaluate", "-r", NATIONAL, str(tmp_path / "nope.json")],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and done.stdout == b""
    expected = f"Lỗi: không tìm thấy tệp: {tmp_path / 'nope.json'}"
    assert done.stderr.decode("utf-8").strip() == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["evaluate", "--bogus"], "Lỗi: không có tùy chọn --bogus (xem ntm-rules evaluate --help)"),
        (["evaluate"], "Lỗi: thiếu đối số 'data'. (xem ntm-rules evaluate --help)"),
        (
            ["evaluate", "--lang", "en", "--bogus"],
            "Error: No such option: --bogus (see ntm-rules evaluate --help)",
        ),
        (["nosuch"], "Lỗi: không có lệnh 'nosuch'. (xem ntm-rules --help)"),
        (["evaluate", "-y", "năm", "x.json"], None),
    ],
)
def test_usage_errors_of_the_installed_program_are_one_line(
    args: list[str], expected: str | None, tmp_path: Path
) -> None:
    """typer draws a box around usage errors; the program prints one line and exits with 2."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "ntm_rules", *args],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    lines = done.stderr.decode("utf-8").splitlines()
    assert done.returncode == 2 and done.stdout == b""
    assert len(lines) == 1 and not any(c in lines[0] for c in "╭│╰"), lines
    if expected is None:
        assert lines[0].startswith("Lỗi: giá trị không hợp lệ cho '--year'")
    else:
        assert lines[0] == expected
