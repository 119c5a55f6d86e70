"""The verification worksheet: ``audit --format xlsx`` out, ``audit --apply`` back in.

Every test works on a temporary copy of rulesets put first on the search path
(``NTM_RULES_PATH``), so the repository's files are never written."""

from __future__ import annotations

import difflib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import failed, ok, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import ntm_rules
from ntm_rules.audit import audit
from ntm_rules.ruleset.loader import load_ruleset
from ntm_rules.worksheet import apply as apply_module
from ntm_rules.worksheet.apply import WorksheetRefused, apply_worksheet
from ntm_rules.worksheet.columns import COLUMNS, FILLED, KEYS
from ntm_rules.worksheet.files import is_installed_copy
from ntm_rules.worksheet.read import parse_number
from ntm_rules.worksheet.write import sheet_items, worksheet_bytes
from ntm_rules.worksheet.yaml_edit import bump_version

REPO_RULESETS = Path(__file__).resolve().parent.parent / "rulesets"
NATIONAL = Path("national/commune-ntm-2021.yaml")
SONLA = Path("son-la/commune-ntm-2021.yaml")
VILLAGE = Path("son-la/village-ntm-2021.yaml")
OVERRIDE = """overrides:
  # Sơn La's own level for village roads (to read in 1002/QĐ-UBND)
  - parameter: village_roads_hardened
    from: 2022-06-06
    source: {doc: sl1002, item: "2.2"}
    verified: false
    note: "Placeholder: read 1002/QĐ-UBND, indicator 2.2."
    by: {tdmnpb: 80}
"""
Fill = dict[str, Any]


def copy_rulesets(root: Path, *names: Path) -> Path:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_RULESETS / name, root / name)
    return root


@pytest.fixture
def rulesets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the national and Sơn La commune NTM rulesets, standing in for the bundled ones."""
    root = copy_rulesets(tmp_path / "rulesets", NATIONAL, SONLA)
    monkeypatch.setenv("NTM_RULES_PATH", str(root))
    return root


def make_sheet(ruleset_file: Path, sheet: Path, lang: str = "vi") -> Path:
    ok(run("audit", "--ruleset", ruleset_file, "--format", "xlsx", "--output", sheet, "-l", lang))
    return sheet


def header_index(sheet: Any) -> dict[str, int]:
    """Column key -> 1-based column, found by the header in either language."""
    titles = {cell.value: n for n, cell in enumerate(sheet[1], start=1)}
    return {
        c.key: titles[c.title(lang)]
        for c in COLUMNS
        for lang in ("vi", "en")
        if c.title(lang) in titles
    }


def fill(path: Path, choose: Callable[[dict[str, Any]], Fill | None]) -> list[int]:
    """Fill the rows ``choose`` returns values for (by column key); their row numbers."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    index = header_index(sheet)
    filled = []
    for row in range(2, sheet.max_row + 1):
        keys = {k: sheet.cell(row=row, column=n).value for k, n in index.items()}
        values = choose(keys)
        if values:
            for key, value in values.items():
                sheet.cell(row=row, column=index[key]).value = value
            filled.append(row)
    book.save(path)
    return filled


def duplicate_row(path: Path, row: int, changes: Fill) -> int:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    index = header_index(sheet)
    sheet.append([cell.value for cell in sheet[row]])
    for key, value in changes.items():
        sheet.cell(row=sheet.max_row, column=index[key]).value = value
    book.save(path)
    return sheet.max_row


def confirm(value: Any, **more: Any) -> Fill:
    return {"confirmed_value": value, "document": "318/QĐ-TTg", **more}


def is_cell(
    name: str, axis_key: str | None = None, start: str | None = None
) -> Callable[..., bool]:
    def test(keys: dict[str, Any]) -> bool:
        return bool(
            keys["key:name"] == name
            and (axis_key is None or keys["key:axis_key"] == axis_key)
            and (start is None or keys["key:from"] == start)
        )

    return test


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    """(old line, new line) of each changed line; lines are never added or removed."""
    old = before.decode().splitlines()
    new = after.decode().splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    pairs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        assert tag == "replace" and i2 - i1 == j2 - j1, (tag, old[i1:i2], new[j1:j2])
        pairs.extend(zip(old[i1:i2], new[j1:j2], strict=True))
    return pairs


# -- the workbook --------------------------------------------------------------------------------
def test_sheet_lists_every_unverified_value_and_wording(rulesets: Path, tmp_path: Path) -> None:
    sheet_path = make_sheet(rulesets / SONLA, tmp_path / "sheet.xlsx")
    ruleset = load_ruleset(rulesets / SONLA)
    expected = sheet_items(audit(ruleset))
    book = load_workbook(sheet_path)
    assert book.sheetnames == ["Kiểm chứng", "Hướng dẫn", "_meta"]
    sheet = book.worksheets[0]
    index = header_index(sheet)
    assert sheet.max_row - 1 == len(expected) > 0
    rows = [
        {k: sheet.cell(row=r, column=n).value for k, n in index.items()}
        for r in range(2, sheet.max_row + 1)
    ]
    assert [(r["key:name"], r["key:axis_key"], r["key:line"]) for r in rows] == [
        (i.name, i.axis_key, i.line) for i in expected
    ]
    national = str((rulesets / NATIONAL).resolve())
    # inherited values name the national file actually loaded, and are left to fill
    assert {r["key:file"] for r in rows} == {national}
    assert all(r["location"].startswith(f"{national}:") for r in rows)
    assert all(r[c.key] is None for r in rows for c in FILLED)
    # layout: header frozen, keys hidden, only the columns to fill unlocked
    assert sheet.freeze_panes == "D2" and sheet.protection.sheet
    for col in COLUMNS:
        letter = sheet.cell(row=1, column=index[col.key]).column_letter
        assert sheet.column_dimensions[letter].hidden == col.hidden
    value_row = next(n for n, r in enumerate(rows, start=2) if r["key:kind"] == "parameter")
    wording_row = next(n for n, r in enumerate(rows, start=2) if r["key:kind"] == "indicator")
    assert not sheet.cell(row=value_row, column=index["confirmed_value"]).protection.locked
    assert sheet.cell(row=value_row, column=index["wording_ok"]).protection.locked
    assert sheet.cell(row=wording_row, column=index["confirmed_value"]).protection.locked
    assert sheet.cell(row=value_row, column=index["label"]).protection.locked
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert {"decimal", "list", "date"} <= kinds
    guide = "\n".join(str(c.value) for c in book["Hướng dẫn"]["A"] if c.value)
    assert "ntm-rules audit --apply" in guide and "sonla.commune.ntm.2021" in guide


def test_sheet_in_english(rulesets: Path, tmp_path: Path) -> None:
    sheet = load_workbook(make_sheet(rulesets / NATIONAL, tmp_path / "s.xlsx", "en"))
    assert sheet.sheetnames[:2] == ["Verification", "Instructions"]
    headers = [c.value for c in sheet.worksheets[0][1]]
    assert "Confirmed value" in headers and "Document (number)" in headers
    assert all(k.key in headers for k in KEYS)


def test_xlsx_needs_output() -> None:
    assert "--output" in failed(run("audit", "--format", "xlsx"), code=2)
    assert "--apply" in failed(run("audit", "--apply", "x.xlsx", "--ruleset", "r"), code=2)
    assert "--dry-run" in failed(run("audit", "--dry-run", "-l", "en"), code=2)


# -- applying ------------------------------------------------------------------------------------
def test_round_trip(rulesets: Path, tmp_path: Path) -> None:
    national = rulesets / NATIONAL
    sheet = make_sheet(rulesets / SONLA, tmp_path / "sheet.xlsx")
    before = national.read_bytes()
    income_2025 = is_cell("income_per_capita", start="2025-01-01")

    def choose(keys: dict[str, Any]) -> Fill | None:
        if is_cell("village_roads_hardened", "tdmnpb")(keys):  # one region of a shared entry
            return confirm(72, article="Phụ lục I, mục 2.2", page="5", confirmed_by="Nguyễn Văn An")
        if income_2025(keys):  # every region of an entry, one value corrected
            return confirm("60,5" if keys["key:axis_key"] == "dnb" else keys["value"])
        if is_cell("employment_rate")(keys):
            return confirm(90, confirmed_on="2026-12-01")
        if keys["key:name"] == "1.1":
            return {"wording_ok": "Đúng", "document": "318/QĐ-TTg", "page": "2"}
        if keys["key:name"] == "1.2":
            return {"wording_ok": "Sai", "remarks": "the text differs"}
        return None

    rows = fill(sheet, choose)
    result = ok(run("audit", "--apply", sheet))
    assert str(rows[-1]) in result.stdout  # the "Sai" row is reported, not written
    after = national.read_bytes()
    changes = changed_lines(before, after)
    assert len(changes) == 9  # version; 1 `by:`; 3 + 2 + 2 lines of verified/note/by
    for old, new in changes:
        assert new.lstrip().startswith(("version:", "verified:", "note:", "by:")), new
        assert old.split(":")[0] == new.split(":")[0]
    comments = [line for line in before.decode().splitlines() if line.lstrip().startswith("#")]
    assert comments == [
        line for line in after.decode().splitlines() if line.lstrip().startswith("#")
    ]

    ruleset = load_ruleset(national)
    assert ruleset.version == "2024.03.1"
    roads = ruleset.parameters["village_roads_hardened"].entries[0].cells
    assert roads["tdmnpb"].value == 72 and roads["tdmnpb"].verified
    assert "318/QĐ-TTg" in (roads["tdmnpb"].note or "") and "trang 5" in (
        roads["tdmnpb"].note or ""
    )
    assert "70" in (roads["tdmnpb"].note or "")  # the previous value is recorded
    assert not roads["dbsh"].verified and roads["dbsh"].value == 100
    income = ruleset.parameters["income_per_capita"].entries[1].cells
    assert income["dnb"].value == 60.5 and all(c.verified for c in income.values())
    assert not any(
        c.verified for c in ruleset.parameters["income_per_capita"].entries[0].cells.values()
    )
    employment = ruleset.parameters["employment_rate"].entries[0].cells["general"]
    assert employment.verified and "2026-12-01" in (employment.note or "")
    indicators = {i.id: i for i in ruleset.indicators}
    assert indicators["1.1"].verified and "trang 2" in (indicators["1.1"].note or "")
    assert not indicators["1.2"].verified
    ok(run("validate", rulesets))
    # applied once: the same sheet again is refused, naming the rows
    again = run("audit", "--apply", sheet, "--lang", "en")
    assert again.exit_code == 1 and f"row {rows[0]}:" in again.stderr
    assert "already verified" in again.stderr
    assert national.read_bytes() == after


def test_dry_run_writes_nothing(rulesets: Path, tmp_path: Path) -> None:
    sheet = make_sheet(rulesets / NATIONAL, tmp_path / "sheet.xlsx")
    fill(sheet, lambda k: confirm(91) if is_cell("employment_rate")(k) else None)
    before = snapshot(rulesets)
    result = ok(run("audit", "--apply", sheet, "--dry-run", "--lang", "en"))
    assert "-        value: 90" in result.stdout and "+        value: 91" in result.stdout
    assert "Dry run" in result.stdout
    assert snapshot(rulesets) == before


def test_contradictory_rows_refused(rulesets: Path, tmp_path: Path) -> None:
    sheet = make_sheet(rulesets / NATIONAL, tmp_path / "sheet.xlsx")
    (row,) = fill(sheet, lambda k: confirm(90) if is_cell("employment_rate")(k) else None)
    copy = duplicate_row(sheet, row, {"confirmed_value": 85})
    before = snapshot(rulesets)
    result = run("audit", "--apply", sheet)
    assert result.exit_code == 1
    assert f"dòng {row}, {copy}:" in result.stderr
    assert snapshot(rulesets) == before
    # the same value twice is one confirmation
    duplicate_row(sheet, row, {})
    fill(sheet, lambda k: {"confirmed_value": 90} if is_cell("employment_rate")(k) else None)
    ok(run("audit", "--apply", sheet))
    assert (
        load_ruleset(rulesets / NATIONAL)
        .parameters["employment_rate"]
        .entries[0]
        .cells["general"]
        .verified
    )


def test_wording_right_and_wrong_refused(rulesets: Path, tmp_path: Path) -> None:
    sheet = make_sheet(rulesets / NATIONAL, tmp_path / "sheet.xlsx", "en")
    right = {"wording_ok": "Yes", "document": "318/QĐ-TTg"}
    (row,) = fill(sheet, lambda k: right if k["key:name"] == "1.1" else None)
    copy = duplicate_row(sheet, row, {"wording_ok": "No"})
    with pytest.raises(WorksheetRefused) as refused:
        apply_worksheet(sheet, lang="en")
    (problem,) = refused.value.problems
    assert problem.en == f"rows {row}, {copy}: the same indicator (1.1) both Yes and No"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("employment_rate", "nhiều", "not a valid number in % (0 to 100)"),
        ("employment_rate", 120, "not a valid number in % (0 to 100)"),
        ("employment_rate", "7O", "not a valid number in % (0 to 100)"),
        ("public_green_area", -2, "not a valid number in m²/person (0 or more)"),
        ("public_green_area", "2%", "not a valid number in m²/person (0 or more)"),
    ],
)
def test_values_not_numbers_in_the_unit_refused(
    rulesets: Path, tmp_path: Path, name: str, value: Any, expected: str
) -> None:
    sheet = make_sheet(rulesets / NATIONAL, tmp_path / "sheet.xlsx")
    (row,) = fill(sheet, lambda k: confirm(value) if is_cell(name)(k) else None)
    before = snapshot(rulesets)
    with pytest.raises(WorksheetRefused) as refused:
        apply_worksheet(sheet)
    (problem,) = refused.value.problems
    assert problem.en.startswith(f"row {row}: ") and expected in problem.en
    assert snapshot(rulesets) == before


def test_row_without_document_refused(rulesets: Path, tmp_path: Path) -> None:
    sheet = make_sheet(rulesets / NATIONAL, tmp_path / "sheet.xlsx")
    (row,) = fill(
        sheet, lambda k: {"confirmed_value": 90} if is_cell("employment_rate")(k) else None
    )
    with pytest.raises(WorksheetRefused) as refused:
        apply_worksheet(sheet)
    assert (
        refused.value.problems[0].en
        == f"row {row}: no document (number) is given for what was read"
    )


def test_loosening_provincial_value_refused(rulesets: Path, tmp_path: Path) -> None:
    sonla = rulesets / SONLA
    sonla.write_text(sonla.read_text(encoding="utf-8") + OVERRIDE, encoding="utf-8")
    sheet = make_sheet(sonla, tmp_path / "sheet.xlsx")
    own = lambda k: k["key:ruleset"] == "sonla.commune.ntm.2021"  # noqa: E731
    (row,) = fill(sheet, lambda k: confirm(65, document="1002/QĐ-UBND") if own(k) else None)
    before = snapshot(rulesets)
    result = run("audit", "--apply", sheet, "--lang", "en")
    assert result.exit_code == 1
    assert (
        f"row {row}: once edited" in result.stderr and "looser than the value 70" in result.stderr
    )
    assert snapshot(rulesets) == before
    # the same row with a tighter value is applied in the provincial file
    fill(sheet, lambda k: {"confirmed_value": 82} if own(k) else None)
    ok(run("audit", "--apply", sheet))
    override = load_ruleset(sonla).parameters["village_roads_hardened"].overrides[0]
    assert override.cells["tdmnpb"].value == 82 and override.cells["tdmnpb"].verified
    assert load_ruleset(sonla).version == "2022.06.1"


def test_national_value_that_makes_a_provincial_one_looser_is_undone(
    rulesets: Path, tmp_path: Path
) -> None:
    sonla = rulesets / SONLA
    sonla.write_text(sonla.read_text(encoding="utf-8") + OVERRIDE, encoding="utf-8")
    sheet = make_sheet(sonla, tmp_path / "sheet.xlsx")
    national_roads = is_cell("village_roads_hardened", "tdmnpb", "2022-03-08")
    (row,) = fill(sheet, lambda k: confirm(85) if national_roads(k) else None)
    before = snapshot(rulesets)
    result = run("audit", "--apply", sheet, "--lang", "en")
    assert result.exit_code == 1 and f"row {row}: once edited, another ruleset" in result.stderr
    assert "80 is looser than the value 85" in result.stderr
    assert snapshot(rulesets) == before


def test_stale_sheet_refused(rulesets: Path, tmp_path: Path) -> None:
    national = rulesets / NATIONAL
    sheet = make_sheet(rulesets / NATIONAL, tmp_path / "sheet.xlsx")
    (insurance,) = fill(
        sheet, lambda k: confirm(95) if is_cell("health_insurance_coverage", "tdmnpb")(k) else None
    )
    (employment,) = fill(sheet, lambda k: confirm(90) if is_cell("employment_rate")(k) else None)
    text = national.read_text(encoding="utf-8")
    edited = text.replace("        value: 90\n", "        value: 89\n", 1)  # employment_rate
    assert edited != text
    national.write_text("# a comment added above\n" + edited, encoding="utf-8")
    before = snapshot(rulesets)
    with pytest.raises(WorksheetRefused) as refused:
        apply_worksheet(sheet, lang="en")
    (problem,) = refused.value.problems
    assert problem.en.startswith(f"row {employment}: employment_rate 2022-03-08")
    assert "is now 89, the sheet shows 90.0" in problem.en
    assert snapshot(rulesets) == before
    # the row whose value did not change still applies, though its line moved
    fill(
        sheet,
        lambda k: (
            dict.fromkeys(("confirmed_value", "document"))
            if is_cell("employment_rate")(k)
            else None
        ),
    )
    apply_worksheet(sheet)
    cells = load_ruleset(national).parameters["health_insurance_coverage"].entries[0].cells
    assert cells["tdmnpb"].value == 95 and cells["tdmnpb"].verified
    assert insurance > employment


def test_installed_copy_refused(
    rulesets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = make_sheet(rulesets / NATIONAL, tmp_path / "sheet.xlsx")
    (row,) = fill(sheet, lambda k: confirm(90) if is_cell("employment_rate")(k) else None)
    monkeypatch.setattr(apply_module, "is_installed_copy", lambda path: True)
    with pytest.raises(WorksheetRefused) as refused:
        apply_worksheet(sheet, lang="en")
    (problem,) = refused.value.problems
    assert problem.en.startswith(f"row {row}: ") and "ntm-rules init" in problem.en


def test_installed_copy_detected(tmp_path: Path) -> None:
    package = Path(ntm_rules.__file__).resolve().parent
    assert is_installed_copy(package / "_bundled" / "rulesets" / "national" / "x.yaml")
    assert is_installed_copy(tmp_path / "lib" / "site-packages" / "x.yaml")
    assert not is_installed_copy(tmp_path / "x.yaml")
    assert not is_installed_copy(REPO_RULESETS / NATIONAL)  # a checkout is edited in place


def test_line_endings_and_byte_order_mark_kept(rulesets: Path, tmp_path: Path) -> None:
    national = rulesets / NATIONAL
    national.write_bytes(b"\xef\xbb\xbf" + national.read_bytes().replace(b"\n", b"\r\n"))
    sheet = make_sheet(national, tmp_path / "sheet.xlsx")
    fill(sheet, lambda k: confirm(90) if is_cell("employment_rate")(k) else None)
    before = national.read_bytes()
    apply_worksheet(sheet)
    after = national.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == before.count(b"\r\n")
    assert (
        len(changed_lines(before[3:].replace(b"\r\n", b"\n"), after[3:].replace(b"\r\n", b"\n")))
        == 3
    )


# -- properties ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def village_items() -> list[tuple[str, str | None, str | None]]:
    ruleset = load_ruleset(REPO_RULESETS / VILLAGE)
    return [
        (i.name, i.axis_key, i.effective_from.isoformat() if i.effective_from else None)
        for i in sheet_items(audit(ruleset))
        if i.kind == "parameter"
    ]


@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_confirming_current_values_changes_only_verification(
    data: st.DataObject,
    village_items: list[tuple[str, str | None, str | None]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = set(data.draw(st.lists(st.sampled_from(village_items), min_size=1, unique=True)))
    with tempfile.TemporaryDirectory() as folder:
        root = copy_rulesets(Path(folder), VILLAGE)
        monkeypatch.setenv("NTM_RULES_PATH", str(root))
        path = root / VILLAGE
        before_ruleset = load_ruleset(path)
        sheet = Path(folder) / "sheet.xlsx"
        sheet.write_bytes(worksheet_bytes([before_ruleset], audit(before_ruleset)))
        fill(
            sheet,
            lambda k: (
                confirm(k["value"])
                if (k["key:name"], k["key:axis_key"], k["key:from"]) in chosen
                else None
            ),
        )
        before = path.read_bytes()
        apply_worksheet(sheet)
        for _old, new in changed_lines(before, path.read_bytes()):
            assert new.lstrip().startswith(("version:", "verified:", "note:", "by:", "value:"))
        after_ruleset = load_ruleset(path)
    assert after_ruleset.version == bump_version(before_ruleset.version)
    for name, param in before_ruleset.parameters.items():
        for old_entry, new_entry in zip(
            param.entries, after_ruleset.parameters[name].entries, strict=True
        ):
            for key, cell in old_entry.cells.items():
                new = new_entry.cells[key]
                assert new.value == cell.value
                picked = (name, key if param.axis else None, old_entry.start.isoformat()) in chosen
                assert new.verified == (cell.verified or picked)


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_numbers_read_with_comma_or_point(number: Any) -> None:
    text = f"{number}"
    assert parse_number(text, "percent") == float(text)
    assert parse_number(text.replace(".", ","), "percent") == float(text)
    assert parse_number(f"{text}%", "percent") == float(text)
    assert parse_number(f"{text}%", "count") is None


@pytest.mark.parametrize("raw", ["", "abc", "1e3", "1,000.5", True, None, float("nan")])
def test_not_numbers(raw: Any) -> None:
    assert parse_number(raw, "percent") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("2022.06", "2022.06.1"),
        ("2022.06.1", "2022.06.2"),
        ("1", "1.1"),
        ("2025.01.9", "2025.01.10"),
    ],
)
def test_version_scheme(old: str, new: str) -> None:
    assert bump_version(old) == new
