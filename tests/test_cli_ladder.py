"""Ladders on the command line: ``evaluate``, ``explain``, ``gap``, ``rulesets``, ``validate`` and
``audit`` accept a ladder wherever they accept a ruleset."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from cli_support import failed, ok, run

from ntm_rules.ladder import get_ladder
from ntm_rules.models.vocabulary import VOCABULARIES, field_specs
from ntm_rules.ruleset.files import ladder_files

REPO = Path(__file__).resolve().parent.parent
COMMUNES = REPO / "examples" / "sonla-communes-2023.json"
VILLAGES = REPO / "examples" / "sonla-villages-2023.json"
VILLAGE_LADDER = "sonla.village.2021"
COMMUNE_LADDERS = ("sonla.commune.2021", "vn.commune.2021")
WIDE = {"COLUMNS": "400"}  # one line per table row
IDENTITY = (
    "code",
    "name",
    "commune_code",
    "commune_name",
    "province",
    "district",
    "district_code",
    "region",
    "year",
    "dbkk",
)


def rows(out: str) -> dict[str, str]:
    """Table rows by unit code (the first line of each row)."""
    found = {}
    for line in out.splitlines():
        cells = line.split("│")
        if len(cells) > 2 and cells[1].strip():
            found[cells[1].strip()] = line
    return found


def full_village(code: str, name: str, **changes: Any) -> dict[str, Any]:
    """A village that meets both levels of the Sơn La village ladder (before ``changes``)."""
    record: dict[str, Any] = {
        "code": code,
        "name": name,
        "commune_code": "14101",
        "commune_name": "Xã Chiềng Cọ",
        "region": "tdmnpb",
        "year": 2024,
    }
    for spec in field_specs(VOCABULARIES["village_2021"]):
        if spec.name in IDENTITY or spec.name.startswith("recognised_"):
            continue
        if spec.kind == "bool":
            record[spec.name] = True
        elif spec.unit == "percent":
            record[spec.name] = 0.0 if "poverty" in spec.name else 100.0
        elif spec.unit == "count":
            record[spec.name] = 0
        else:
            record[spec.name] = 1000.0
    record["model_gardens"] = 5
    record.update(changes)
    return record


def villages() -> list[dict[str, Any]]:
    return [
        full_village("B01", "Bản Mòng"),  # kiểu mẫu
        full_village("B02", "Bản Hụm", income_per_capita=33.0),  # NTM; income short of 1.2 x 30
        full_village("B03", "Bản Phiêng", income_per_capita=26.2),  # below NTM: 3.8 short of 30
        # recognised NTM in 2023 but no longer meets it; not kiểu mẫu (no model gardens)
        full_village(
            "B04",
            "Bản Lả",
            income_per_capita=26.2,
            model_gardens=0,
            recognised_village_ntm_year=2023,
        ),
        {
            "code": "B05",
            "name": "Bản Nà",
            "commune_code": "14101",
            "region": "tdmnpb",
            "year": 2024,
        },  # nothing reported
    ]


@pytest.fixture
def village_data(tmp_path: Path) -> Path:
    path = tmp_path / "villages.json"
    path.write_text(json.dumps(villages(), ensure_ascii=False), encoding="utf-8")
    return path


# -- evaluate on a ladder -----------------------------------------------------------------------
def test_village_ladder_table(village_data: Path) -> None:
    out = ok(run("evaluate", "--ruleset", VILLAGE_LADDER, village_data, env=WIDE)).stdout
    found = rows(out)
    assert {"B01", "B02", "B03", "B04", "B05"} <= set(found)
    assert "Bản nông thôn mới kiểu mẫu" in found["B01"] and found["B01"].count("✓ đạt") == 2
    assert "Bản đạt chuẩn nông thôn mới" in found["B02"] and "✗ chưa đạt" in found["B02"]
    assert "4/5" in found["B02"]  # criteria of the next level (kiểu mẫu) met
    assert "Chưa đạt chuẩn bản NTM" in found["B03"] and "9/10" in found["B03"]
    assert "V5.1" in found["B03"] and "còn thiếu 3,8 triệu đồng/người/năm" in found["B03"]
    # NTM held through recognition, not computation
    assert "✓ (công nhận 2023)" in found["B04"] and "Chưa đạt chuẩn bản NTM" in found["B04"]
    assert "? thiếu dữ liệu" in found["B05"] and "0/10" in found["B05"]
    assert re.search(r"│ thiếu dữ liệu: \d+ chỉ tiêu", found["B05"])
    assert (
        "Phân bố theo vị trí: Chưa đạt chuẩn bản NTM: 3 · Bản đạt chuẩn nông thôn mới: 1 · "
        "Bản nông thôn mới kiểu mẫu: 1" in out
    )
    ladder = get_ladder(VILLAGE_LADDER)
    reached = {ladder.levels[0]: 2, ladder.levels[1]: 1}  # at that level or higher
    assert ladder.targets
    for target in ladder.targets:
        assert f"đạt {reached[target.level]} / mục tiêu {target.count} (năm {target.year})" in out
    assert "Đã được công nhận “Bản đạt chuẩn nông thôn mới” nhưng nay chưa đạt: 1 thôn, bản" in out
    assert "Chưa đủ dữ liệu để kết luận mức kế tiếp: 1 thôn, bản" in out


def test_village_ladder_table_english(village_data: Path) -> None:
    out = ok(run("evaluate", "-r", VILLAGE_LADDER, village_data, "--lang", "en", env=WIDE)).stdout
    found = rows(out)
    assert "✓ met" in found["B01"] and "✗ not met" in found["B02"]
    assert "? missing data" in found["B05"]
    assert "✓ (recognised 2023)" in found["B04"] and "short by 3.8" in found["B03"]
    assert "Distribution by place: Not yet an NTM village: 3" in out
    assert "2 reached / target" in out


def test_village_ladder_json(village_data: Path) -> None:
    document = json.loads(
        ok(run("evaluate", "-r", VILLAGE_LADDER, village_data, "-f", "json")).stdout
    )
    assert document["ladder"] == VILLAGE_LADDER
    results = document["results"]
    assert len(results) == 5
    assert [r["place"]["level"] is None for r in results] == [False, False, True, True, True]
    assert results[1]["levels"][0]["status"] == "met"
    shortfall = results[2]["next_gap"]["criteria"][0]["items"][0]
    assert shortfall["shortfall"] == pytest.approx(3.8) and shortfall["threshold"] == 30
    assert results[0]["next_gap"] is None  # the top level is reached
    summary = document["summary"]
    assert summary["units"] == 5
    assert [p["units"] for p in summary["places"]] == [3, 1, 1]
    ntm, model = summary["levels"]
    assert ntm["recognised_field"] == "recognised_village_ntm_year"
    assert ntm["recognised_not_met"] == 1 and ntm["recognised"] == 1
    assert ntm["at_or_above"] == 2 and model["at_or_above"] == 1
    assert model["recognised_field"] == "recognised_village_model_year"
    assert {t["level"]: t["reached"] for t in summary["targets"]} == {
        ntm["ruleset"]: 2,
        model["ruleset"]: 1,
    }
    assert summary["next_level_missing_data"] == 1


def test_village_ladder_csv(tmp_path: Path, village_data: Path) -> None:
    target = tmp_path / "ladder.csv"
    assert (
        ok(
            run(
                "evaluate",
                "-r",
                VILLAGE_LADDER,
                village_data,
                "-f",
                "csv",
                "-o",
                target,
                "--lang",
                "en",
            )
        ).stdout
        == ""
    )
    table = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert list(table[0]) == [
        "code",
        "name",
        "place",
        "level_ban_ntm",
        "level_ban_kieu_mau",
        "next_level",
        "nearest_requirement",
        "distance",
        "rests_on_unverified",
    ]
    by_code = {row["code"]: row for row in table}
    assert by_code["B01"]["place"] == "Model NTM village"
    assert by_code["B01"]["next_level"] == "" and by_code["B01"]["distance"] == ""
    assert by_code["B03"]["level_ban_ntm"] == "not_met"
    assert by_code["B03"]["next_level"] == "NTM village"
    assert "short by 3.8" in by_code["B03"]["nearest_requirement"]
    assert float(by_code["B03"]["distance"]) == pytest.approx(3.8 / 30, abs=1e-4)
    assert by_code["B04"]["level_ban_ntm"] == "recognised"
    assert by_code["B05"]["level_ban_ntm"] == "missing"
    assert by_code["B05"]["nearest_requirement"].startswith("missing data: ")
    assert by_code["B01"]["rests_on_unverified"] in ("true", "false")


def test_ladder_by_path_is_the_same_as_by_id(village_data: Path) -> None:
    path = ladder_files()[VILLAGE_LADDER]
    by_path = ok(run("evaluate", "-r", path, village_data, "-f", "csv")).stdout
    assert by_path == ok(run("evaluate", "-r", VILLAGE_LADDER, village_data, "-f", "csv")).stdout


def test_ladder_errors(village_data: Path) -> None:
    line = failed(run("evaluate", "-r", VILLAGE_LADDER, village_data, "-f", "xml"), code=2)
    assert "table | json | jsonl | csv" in line
    # an unknown id names the folders searched and the ladders found there too
    line = failed(run("evaluate", "-r", "sonla.no.such", village_data))
    assert "không tìm thấy bộ tiêu chí 'sonla.no.such'" in line and VILLAGE_LADDER in line
    line = failed(run("evaluate", "-r", "sonla.no.such", village_data, "--lang", "en"))
    assert "unknown ruleset 'sonla.no.such' (searched: " in line and VILLAGE_LADDER in line


# -- explain and gap on a ladder ----------------------------------------------------------------
def test_explain_on_ladder(village_data: Path) -> None:
    out = ok(run("explain", "-r", VILLAGE_LADDER, village_data, "--unit", "B03")).stdout
    first, *rest = out.splitlines()
    assert first.endswith(": Chưa đạt chuẩn bản NTM") and first.startswith("Vị trí trên thang")
    body = "\n".join(rest)
    assert "Bản Phiêng" in body and "sonla.village.ntm.2021" in body  # the next level's result
    assert body.index("Bản Phiêng") < body.index("Còn thiếu để đạt: Bản đạt chuẩn nông thôn mới")
    assert "còn thiếu 3,8" in body
    top = ok(run("explain", "-r", VILLAGE_LADDER, village_data, "-u", "B01", "--lang", "en")).stdout
    assert top.startswith("Place on") and "sonla.village.kieu-mau.2021" in top
    assert "The top level of the ladder is reached." in top


def test_gap_on_ladder_text(village_data: Path) -> None:
    out = ok(run("gap", "-r", VILLAGE_LADDER, village_data, "--unit", "B03")).stdout
    assert out.splitlines()[0] == "Đơn vị: B03 Bản Phiêng"
    assert "Còn thiếu để đạt: Bản đạt chuẩn nông thôn mới" in out
    assert (
        "V5.1 Thu nhập bình quân đầu người của thôn, bản: còn thiếu 3,8 triệu đồng/người/năm" in out
    )
    english = ok(run("gap", "-r", VILLAGE_LADDER, village_data, "-u", "B02", "--lang", "en")).stdout
    assert "Missing for: Model NTM village" in english and "short by 3 " in english


def test_gap_on_ladder_json(village_data: Path) -> None:
    document = json.loads(
        ok(run("gap", "-r", VILLAGE_LADDER, village_data, "-u", "B03", "-f", "json")).stdout
    )
    assert isinstance(document, dict) and isinstance(document["criteria"], list)
    assert document["ruleset"] == "sonla.village.ntm.2021" and document["closed"] is False
    assert document["unit"] == {"code": "B03", "name": "Bản Phiêng"}
    assert document["ladder"] == VILLAGE_LADDER and document["place"]["level"] is None
    assert document["criteria"][0]["items"][0]["shortfall"] == pytest.approx(3.8)
    missing = json.loads(
        ok(run("gap", "-r", VILLAGE_LADDER, village_data, "-u", "B05", "-f", "json")).stdout
    )
    assert missing["status"] == "missing" and missing["missing"]


def test_gap_target(village_data: Path) -> None:
    # two levels up: the gap to kiểu mẫu, then the lower level to reach first
    out = ok(
        run(
            "gap",
            "-r",
            VILLAGE_LADDER,
            village_data,
            "-u",
            "B03",
            "--target",
            "sonla.village.kieu-mau.2021",
        )
    ).stdout
    assert "Còn thiếu để đạt: Bản nông thôn mới kiểu mẫu" in out
    assert "Trước hết phải đạt:" in out
    assert out.index("Bản nông thôn mới kiểu mẫu") < out.index("còn thiếu 3,8")
    document = json.loads(
        ok(
            run(
                "gap",
                "-r",
                VILLAGE_LADDER,
                village_data,
                "-u",
                "B03",
                "-t",
                "ban_kieu_mau",
                "-f",
                "json",
            )
        ).stdout
    )
    assert document["ruleset"] == "sonla.village.kieu-mau.2021"
    assert document["prerequisite_gap"]["ruleset"] == "sonla.village.ntm.2021"
    # a level already held: the gap is closed
    held = ok(
        run("gap", "-r", VILLAGE_LADDER, village_data, "-u", "B02", "-t", "sonla.village.ntm.2021")
    ).stdout
    assert "Đã đạt." in held


def test_gap_unknown_target(village_data: Path) -> None:
    line = failed(run("gap", "-r", VILLAGE_LADDER, village_data, "-u", "B03", "--target", "nope"))
    assert "'nope'" in line and "sonla.village.ntm.2021, sonla.village.kieu-mau.2021" in line
    line = failed(
        run("gap", "-r", VILLAGE_LADDER, village_data, "-u", "B03", "-t", "x", "-l", "en")
    )
    assert line.startswith("Error: --target must be one of the levels of sonla.village.2021")


def test_gap_on_ruleset(village_data: Path) -> None:
    out = ok(run("gap", "-r", "sonla.village.ntm.2021", village_data, "-u", "B03")).stdout
    assert "còn thiếu 3,8" in out and "Vị trí" not in out
    document = json.loads(
        ok(
            run("gap", "-r", "sonla.village.ntm.2021", village_data, "-u", "B03", "-f", "json")
        ).stdout
    )
    assert document["criteria"] and "ladder" not in document
    # a level's own prerequisite is a valid --target
    document = json.loads(
        ok(
            run(
                "gap",
                "-r",
                "sonla.village.kieu-mau.2021",
                village_data,
                "-u",
                "B03",
                "-t",
                "sonla.village.ntm.2021",
                "-f",
                "json",
            )
        ).stdout
    )
    assert document["ruleset"] == "sonla.village.ntm.2021"
    assert "sonla.village.kieu-mau.2021" in failed(
        run("gap", "-r", "sonla.village.kieu-mau.2021", village_data, "-u", "B03", "-t", "vn")
    )


def test_gap_unknown_unit(village_data: Path) -> None:
    line = failed(run("gap", "-r", VILLAGE_LADDER, village_data, "-u", "B3"))
    assert "'B3'" in line and "B03" in line


# -- rulesets, validate, audit ------------------------------------------------------------------
def test_rulesets_lists_ladders() -> None:
    result = ok(run("rulesets"))
    assert "Thang mức đạt chuẩn" in result.stdout and VILLAGE_LADDER in result.stdout
    assert "Chưa đạt chuẩn bản NTM" in result.stdout
    assert result.stderr == ""
    document = json.loads(ok(run("rulesets", "-f", "json")).stdout)
    ladders = {info["id"]: info for info in document["ladders"]}
    village = ladders[VILLAGE_LADDER]
    assert [level["ruleset"] for level in village["levels"]] == list(
        get_ladder(VILLAGE_LADDER).levels
    )
    assert village["targets"] and village["unit"] == "village"
    assert VILLAGE_LADDER not in {info["id"] for info in document["rulesets"]}


def test_validate_ladder_file() -> None:
    path = ladder_files()[VILLAGE_LADDER]
    out = ok(run("validate", path)).stdout
    assert f"OK  {path}: thang {VILLAGE_LADDER} — 2 mức: sonla.village.ntm.2021 → " in out
    assert "Hợp lệ: 1/1 tệp" in out
    ok(run("validate", path.parent))  # ladders and rulesets side by side


def test_validate_broken_ladder(tmp_path: Path) -> None:
    text = ladder_files()[VILLAGE_LADDER].read_text(encoding="utf-8")
    bad = tmp_path / "ladder.yaml"
    bad.write_text(
        text.replace("- sonla.village.ntm.2021", "- sonla.village.nope"), encoding="utf-8"
    )
    line = failed(run("validate", bad))
    assert str(bad) in line and "sonla.village.nope" in line


def test_audit_all_rulesets_lists_each_item_once() -> None:
    result = ok(run("audit", "-f", "json"))
    document = json.loads(result.stdout)
    ids = {ref["id"] for ref in document["rulesets"]}
    assert "vn.commune.ntm.2021" in ids and VILLAGE_LADDER not in ids
    items = document["items"]
    keys = Counter(
        (
            i["kind"],
            i["ruleset"],
            i["name"],
            i["axis"],
            i["axis_key"],
            i["effective_from"],
            i["criterion"],
            i["file"],
            i["line"],
        )
        for i in items
    )
    assert max(keys.values()) == 1
    assert document["summary"]["total"] == len(items)
    # the national items inherited by the Sơn La ruleset are listed once, under national
    national = json.loads(ok(run("audit", "-r", "vn.commune.ntm.2021", "-f", "json")).stdout)
    defined = [i for i in items if i["ruleset"] == "vn.commune.ntm.2021"]
    assert len(defined) == len(national["items"])


def test_audit_ladder() -> None:
    document = json.loads(ok(run("audit", "-r", VILLAGE_LADDER, "-f", "json")).stdout)
    assert [ref["id"] for ref in document["rulesets"]] == list(get_ladder(VILLAGE_LADDER).levels)
    assert set(document["summary"]["by_ruleset"]) <= set(get_ladder(VILLAGE_LADDER).levels)


# -- the bundled samples ------------------------------------------------------------------------
def _units(path: Path) -> list[dict[str, Any]]:
    loaded = json.loads(path.read_text(encoding="utf-8"))
    return list(loaded["units"] if isinstance(loaded, dict) else loaded)


@pytest.mark.parametrize("ladder", COMMUNE_LADDERS)
def test_commune_ladder_on_sample(ladder: str) -> None:
    if not COMMUNES.exists() or ladder not in ladder_files():
        pytest.skip(f"{ladder} or {COMMUNES.name} not available")
    units = _units(COMMUNES)
    document = json.loads(ok(run("evaluate", "-r", ladder, COMMUNES, "-f", "json")).stdout)
    assert document["ladder"] == ladder and len(document["results"]) == len(units)
    summary = document["summary"]
    assert sum(p["units"] for p in summary["places"]) == len(units)
    levels = summary["levels"]
    for n, level in enumerate(levels):
        above = sum(p["units"] for p in summary["places"][n + 1 :])
        assert level["at_or_above"] == above
    # the first level counts exactly what its own ruleset says
    first = json.loads(
        ok(run("evaluate", "-r", levels[0]["ruleset"], COMMUNES, "-f", "json")).stdout
    )
    assert levels[0]["met"] == first["summary"]["met"]
    out = ok(run("evaluate", "-r", ladder, COMMUNES)).stdout
    assert set(rows(out)) >= {u["code"] for u in units}
    for target in get_ladder(ladder).targets:
        if target.floor is not None:  # "no commune below 15 criteria": how many are below
            assert f"dưới {target.floor} tiêu chí đến năm {target.year}: còn " in out
        else:
            assert f"/ mục tiêu {target.count} (năm {target.year})" in out
    code = units[0]["code"]
    assert ok(run("explain", "-r", ladder, COMMUNES, "-u", code)).stdout.startswith("Vị trí")
    gap = json.loads(ok(run("gap", "-r", ladder, COMMUNES, "-u", code, "-f", "json")).stdout)
    assert "criteria" in gap


def test_village_ladder_on_sample() -> None:
    if not VILLAGES.exists():
        pytest.skip(f"{VILLAGES.name} not available")
    units = _units(VILLAGES)
    document = json.loads(ok(run("evaluate", "-r", VILLAGE_LADDER, VILLAGES, "-f", "json")).stdout)
    assert len(document["results"]) == len(units)
    assert sum(p["units"] for p in document["summary"]["places"]) == len(units)
    ok(run("evaluate", "-r", VILLAGE_LADDER, VILLAGES))


@pytest.mark.parametrize("columns", ["80", "100"])
@pytest.mark.parametrize(
    ("data", "ladder"), [(COMMUNES, "sonla.commune.2021"), (VILLAGES, VILLAGE_LADDER)]
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_narrow_terminal_shows_every_column_of_a_ladder_table(
    columns: str, data: Path, ladder: str, lang: str
) -> None:
    """In 80 or 100 columns no column is squeezed to nothing: every line fits, every unit's
    code and count of criteria met is there whole, and every '*' the summary counts."""
    out = ok(run("evaluate", data, "-r", ladder, "--lang", lang, env={"COLUMNS": columns})).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= int(columns)
    found = json.loads(data.read_text(encoding="utf-8"))
    codes = [unit["code"] for unit in (found["units"] if isinstance(found, dict) else found)]
    known = set(codes)
    starts = [line.split()[0] for line in lines if line.split() and line.split()[0] in known]
    assert starts == codes  # each unit once, its code whole, in order
    units = [line for line in lines if line.split() and line.split()[0] in known]
    assert all(re.search(r" (\d+/\d+|—) ", line) for line in units)
    flagged = sum(line.rstrip().endswith("*") for line in units)
    assert re.search(rf"\({flagged} ", out)  # "(147 xã; xem: ...)" / "(147 communes; ..."
