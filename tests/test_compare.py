"""``diff`` and ``impact``: what changed between two versions of the rules, and what the change
does to the units of a data file.

Versions being edited are copies of ``rulesets/`` in ``tmp_path`` (as a rule author works on a
copy), loaded by path, so two versions of one id are compared in one process.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from cli_support import failed, ok, run
from generated_rulesets import BOOLS, random_condition, ruleset_text
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules import evaluator_for, load_ruleset
from ntm_rules.compare import diff_folders, diff_ladders, diff_rulesets, impact
from ntm_rules.compare.diff import CHANGED
from ntm_rules.compare.impact import ladder_rulesets
from ntm_rules.ladder import get_ladder
from ntm_rules.models.structuring import load_records
from ntm_rules.ruleset.model import Ruleset
from ntm_rules.ruleset.registry import bundled_dir, get_ruleset
from ntm_rules.ruleset.resolve import AxisChoice, resolve_params
from ntm_rules.text import Text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "sonla-communes-2023.json"
NATIONAL = "vn.commune.ntm.2021"
SONLA = "sonla.commune.ntm.2021"
SONLA_FILE = Path("son-la") / "commune-ntm-2021.yaml"
NATIONAL_FILE = Path("national") / "commune-ntm-2021.yaml"
INCOME = "income_per_capita"
RAISE = 3.0  # how much the tests' Sơn La override raises the income level


def applied(ruleset: Ruleset, name: str, key: str | None, on: dt.date) -> float | None:
    """A parameter's value for an axis key on a date, as evaluation resolves it."""
    param = ruleset.parameters[name]
    axes = {}
    if param.axis and key:
        axes[param.axis] = AxisChoice(param.axis, key, "", Text(vi="", en=""), None)
    return resolve_params(ruleset, on, axes)[name].value


def copy_rulesets(tmp_path: Path) -> Path:
    folder = tmp_path / "rulesets"
    shutil.copytree(bundled_dir(), folder, ignore=shutil.ignore_patterns("tests"))
    return folder


def income_override(folder: Path, value: float, extra: str = "") -> Path:
    """Give the copied Sơn La NTM ruleset an income level for its region from 2022-06-06 to the
    end of 2024 (and ``extra`` overrides)."""
    path = folder / SONLA_FILE
    text = path.read_text(encoding="utf-8").replace('version: "2022.06"', 'version: "2022.07"')
    text += (
        "overrides:\n"
        f"  - parameter: {INCOME}\n"
        "    from: 2022-06-06\n"
        "    until: 2024-12-31\n"
        f"    by: {{tdmnpb: {value:g}}}\n"
        '    source: {doc: sl1002, part: "Phụ lục I", item: "10"}\n'
        "    verified: true\n"
        '    note: "1002/QĐ-UBND Phụ lục I, tiêu chí 10 (ví dụ trong kiểm thử)"\n'
        f"{extra}"
    )
    path.write_text(text, encoding="utf-8")
    return path


def old_income_level(on: dt.date) -> float:
    level = applied(get_ruleset(SONLA), INCOME, "tdmnpb", on)
    assert level is not None
    return level


# -- diff ---------------------------------------------------------------------------------------
def generated(seed: int) -> str:
    """A ruleset of random conditions (shallow enough to stay within the loader's limits)."""
    rng = random.Random(seed)
    depth = rng.randint(0, 2)
    shape = [rng.randint(1, 4) for _ in range(rng.randint(1, 6))]
    conditions = [[random_condition(rng, depth) for _ in range(n)] for n in shape]
    applies = {
        (c, k): rng.choice(BOOLS)
        for c, n in enumerate(shape)
        for k in range(n)
        if rng.random() < 0.2
    }
    return ruleset_text(conditions, applies)


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_ruleset_has_no_difference_with_itself(tmp_path_factory: Any, seed: int) -> None:
    """Loaded once, or from two files with the same text: no change at all."""
    text = generated(seed)
    folder = tmp_path_factory.mktemp("same")
    first, second = folder / "a.yaml", folder / "b.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text, encoding="utf-8")
    ruleset = load_ruleset(first)
    assert diff_rulesets(ruleset, ruleset).empty
    found = diff_rulesets(ruleset, load_ruleset(second))
    assert found.changes == () and found.to_dict()["empty"] is True


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1), value=st.integers(0, 200).filter(lambda v: v != 40))
def test_a_changed_value_is_the_only_change(tmp_path_factory: Any, seed: int, value: int) -> None:
    text = generated(seed)
    assert "value: 40}" in text
    folder = tmp_path_factory.mktemp("value")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    (folder / "b.yaml").write_text(text.replace("value: 40}", f"value: {value}}}"), "utf-8")
    found = diff_rulesets(load_ruleset(folder / "a.yaml"), load_ruleset(folder / "b.yaml"))
    (change,) = found.changes
    assert (change.section, change.item, change.kind, change.field) == (
        "value",
        "income",
        CHANGED,
        "value",
    )
    assert (change.before, change.after) == (40, value)
    assert change.start == dt.date(2022, 1, 1) and change.until is None
    assert change.axis_key is None


def test_bundled_rulesets_equal_themselves() -> None:
    for ruleset_id in (NATIONAL, SONLA, "sonla.village.ntm.2021"):
        ruleset = get_ruleset(ruleset_id)
        assert diff_rulesets(ruleset, ruleset).empty


def test_a_changed_threshold_in_a_copied_folder(tmp_path: Path) -> None:
    """The national 2022 income level for one region, changed in a copy: the folder diff names
    the parameter, the region and the dates it applied on, with both values; the copy's Sơn La
    set, which extends the copy's national set, inherits the same change."""
    folder = copy_rulesets(tmp_path)
    national = folder / NATIONAL_FILE
    text = national.read_text(encoding="utf-8")
    old_row = "by: {general: 48, tdmnpb: 39,"
    assert text.count(old_row) == 1
    national.write_text(text.replace(old_row, "by: {general: 48, tdmnpb: 40,"), "utf-8")
    before = get_ruleset(NATIONAL)
    later = before.parameters[INCOME].entries[1].start  # the next level's first day
    last_day = later - dt.timedelta(days=1)

    found = diff_folders(bundled_dir(), folder)
    assert found.added == () and found.removed == ()
    changed = {d.before.id: d for d in found.rulesets if not d.empty}
    assert set(changed) == {NATIONAL, SONLA}
    for ruleset_id in (NATIONAL, SONLA):
        (change,) = changed[ruleset_id].changes
        assert (change.section, change.item, change.field) == ("value", INCOME, "value")
        assert change.axis_key == "tdmnpb"
        assert change.start == before.parameters[INCOME].entries[0].start
        assert change.until == last_day
        assert (change.before, change.after) == (applied(before, INCOME, "tdmnpb", last_day), 40)
    assert changed[NATIONAL].after.file == str(national.resolve())


def test_an_override_shows_as_the_values_it_changes(tmp_path: Path) -> None:
    folder = copy_rulesets(tmp_path)
    path = income_override(folder, 45)
    before, after = get_ruleset(SONLA), load_ruleset(path)
    found = diff_rulesets(before, after)
    fields = {c.field: c for c in found.changes if c.section == "value"}
    assert set(fields) == {"value", "verified", "source", "origin", "note"}
    value = fields["value"]
    assert value.axis_key == "tdmnpb" and value.start == dt.date(2022, 6, 6)
    assert value.until == before.parameters[INCOME].entries[1].start - dt.timedelta(days=1)
    assert (value.before, value.after) == (old_income_level(dt.date(2023, 12, 31)), 45)
    assert (fields["origin"].before, fields["origin"].after) == (NATIONAL, SONLA)
    assert (fields["verified"].before, fields["verified"].after) == (False, True)
    version = [c for c in found.changes if c.section == "ruleset"]
    assert [(c.field, c.before, c.after) for c in version] == [("version", "2022.06", "2022.07")]


@pytest.fixture(scope="module")
def overridden(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ruleset, Ruleset, Any]:
    """The national NTM ruleset, a Sơn La one with two income overrides (one for its region
    until the end of 2024, one general for half of 2025), and their diff."""
    folder = copy_rulesets(tmp_path_factory.mktemp("overridden"))
    extra = (
        f"  - parameter: {INCOME}\n"
        "    from: 2025-01-01\n"
        "    until: 2025-06-30\n"
        "    by: {general: 60}\n"
        "    source: {doc: sl1002}\n"
        "    verified: false\n"
        "    note: thử\n"
    )
    path = income_override(folder, 41, extra)
    before, after = get_ruleset(NATIONAL), load_ruleset(path)
    return before, after, diff_rulesets(before, after)


@settings(max_examples=40)
@given(
    on=st.dates(dt.date(2021, 1, 1), dt.date(2027, 12, 31)),
    region=st.sampled_from(["general", "tdmnpb", "dbsh", "tn", "dbscl"]),
)
def test_value_changes_agree_with_evaluation(
    overridden: tuple[Ruleset, Ruleset, Any], on: dt.date, region: str
) -> None:
    """On any date and for any region, the value evaluation applies in each ruleset differs
    exactly when a value change of the diff covers that date and region, with those values."""
    before, after, found = overridden
    changes = [c for c in found.changes if c.section == "value" and c.field == "value"]
    for name, param in before.parameters.items():
        if on < param.entries[0].start:
            continue
        was, now = applied(before, name, region, on), applied(after, name, region, on)
        covering = [
            c
            for c in changes
            if c.item == name
            and c.axis_key == (region if param.axis else None)
            and c.start is not None
            and c.start <= on
            and (c.until is None or on <= c.until)
        ]
        if was == now:
            assert covering == [], (name, region, on)
        else:
            assert [(c.before, c.after) for c in covering] == [(was, now)], (name, region, on)


def test_an_override_for_a_while_has_its_dates(overridden: tuple[Ruleset, Ruleset, Any]) -> None:
    *_, found = overridden
    spans = {
        (c.axis_key, c.start, c.until)
        for c in found.changes
        if c.section == "value" and c.field == "value" and c.axis_key == "tdmnpb"
    }
    assert spans == {
        ("tdmnpb", dt.date(2022, 6, 6), dt.date(2024, 12, 31)),
        ("tdmnpb", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
    }
    general = [c for c in found.changes if c.field == "value" and c.axis_key == "dbsh"]
    assert [(c.start, c.until, c.after) for c in general] == [
        (dt.date(2025, 1, 1), dt.date(2025, 6, 30), 60)
    ]


def test_ladders_pair_their_levels(tmp_path: Path) -> None:
    folder = copy_rulesets(tmp_path)
    income_override(folder, 45)
    before = get_ladder("sonla.commune.2021")
    after = get_ladder(folder / "son-la" / "commune-ladder-2021.yaml")
    found = diff_ladders((before, ladder_rulesets(before)), (after, ladder_rulesets(after)))
    assert found.changes == ()
    changed = [d.after.id for d in found.levels if not d.empty]
    assert changed == [SONLA]
    assert len(found.levels) == len(before.levels)


def test_folders_report_added_and_removed_ids(tmp_path: Path) -> None:
    folder = copy_rulesets(tmp_path)
    for path in (folder / "son-la").glob("village-*.yaml"):
        path.unlink()
    found = diff_folders(bundled_dir(), folder)
    assert set(found.removed) == {
        "sonla.village.ntm.2021",
        "sonla.village.kieu-mau.2021",
        "sonla.village.2021",
    }
    assert found.added == () and all(d.empty for d in found.rulesets)
    assert not found.empty
    back = diff_folders(folder, bundled_dir())
    assert back.added == found.removed and back.removed == ()


def test_indicator_override_is_a_condition_change(tmp_path: Path) -> None:
    folder = copy_rulesets(tmp_path)
    extra = (
        '  - indicator: "10"\n'
        f"    condition: {INCOME} >= param.{INCOME} + 1\n"
        '    source: {doc: sl1002, part: "Phụ lục I", item: "10"}\n'
        "    verified: false\n"
        "    note: thử\n"
    )
    path = income_override(folder, old_income_level(dt.date(2023, 12, 31)), extra)
    found = diff_rulesets(get_ruleset(SONLA), load_ruleset(path))
    indicator = {c.field: c for c in found.changes if c.section == "indicator"}
    assert indicator["condition"].after == f"{INCOME} >= param.{INCOME} + 1"
    assert indicator["condition"].before == f"{INCOME} >= param.{INCOME}"
    assert indicator["origin"].after == SONLA


# -- impact -------------------------------------------------------------------------------------
def units() -> list[dict[str, Any]]:
    return list(json.loads(DATA.read_text(encoding="utf-8"))["units"])


def test_impact_flips_exactly_the_units_between_the_two_levels(tmp_path: Path) -> None:
    """Raising Sơn La's income level flips indicator 10 for the communes whose income lies
    between the old level and the new one, and for no other; the parameter is named."""
    rows = units()
    assert {row["region"] for row in rows} == {"tdmnpb"}  # every unit uses Sơn La's row
    year = rows[0]["year"]
    old = old_income_level(dt.date(year, 12, 31))
    new = old + RAISE
    folder = copy_rulesets(tmp_path)
    before, after = get_ruleset(SONLA), load_ruleset(income_override(folder, new))
    expected = {
        row["code"] for row in rows if row.get(INCOME) is not None and old <= row[INCOME] < new
    }
    assert expected, "the example data should have communes in the band"

    found = impact(before, after, load_records(DATA, before.model))
    assert len(found.units) == len(rows)
    flipped = {u.code for u in found.units if any(f.kind == "indicator" for f in u.flips)}
    assert flipped == expected
    by_code = {row["code"]: row for row in rows}
    for unit in found.changed:
        indicators = [f for f in unit.flips if f.kind == "indicator"]
        assert [(f.item, f.before, f.after) for f in indicators] == [("10", "met", "not_met")]
        (reason,) = indicators[0].reasons
        assert (reason.kind, reason.subject, reason.axis_key) == ("parameter", INCOME, "tdmnpb")
        assert (reason.before, reason.after) == (old, new)
        assert reason.unit_value == by_code[unit.code][INCOME]
        assert all(f.lost for f in unit.flips if f.kind == "criterion")
        assert all(f.after != "met" for f in unit.flips)  # raising a level never helps
    summary = found.summary()
    assert summary["changed"] == len(expected)
    (criterion,) = summary["criteria"]
    assert (criterion["criterion"], criterion["lost"], criterion["gained"]) == (
        "10",
        len(expected),
        0,
    )
    assert summary["parameters"][0]["parameter"] == INCOME
    assert summary["parameters"][0]["units"] == len(expected)
    assert summary["up"] == 0
    met_before = {u.code for u in found.units if u.before.key == "met"}
    assert {u.code for u in found.units if u.direction == "down"} == expected & met_before


def test_impact_on_ladders(tmp_path: Path) -> None:
    folder = copy_rulesets(tmp_path)
    old = old_income_level(dt.date(2023, 12, 31))
    income_override(folder, old + RAISE)
    before = get_ladder("sonla.commune.2021")
    after = get_ladder(folder / "son-la" / "commune-ladder-2021.yaml")
    model = ladder_rulesets(after)[-1].model
    found = impact(before, after, load_records(DATA, model))
    assert found.kind == "ladder"
    for unit in found.units:
        if unit.direction == "down":
            assert unit.after.rank < unit.before.rank
            levels = [f for f in unit.flips if f.kind == "level"]
            assert levels and levels[0].ruleset == SONLA
    # a higher level that flips because the one below it did says so
    higher = [
        r
        for u in found.units
        for f in u.flips
        if f.kind == "level" and f.ruleset != SONLA
        for r in f.reasons
    ]
    assert all(r.kind in ("prerequisite", "parameter") for r in higher)


def test_condition_change_is_the_reason(tmp_path: Path) -> None:
    folder = copy_rulesets(tmp_path)
    old = old_income_level(dt.date(2023, 12, 31))
    extra = (
        '  - indicator: "10"\n'
        f"    condition: {INCOME} >= param.{INCOME} + 1\n"
        '    source: {doc: sl1002, part: "Phụ lục I", item: "10"}\n'
        "    verified: false\n"
        "    note: thử\n"
    )
    before = get_ruleset(SONLA)
    after = load_ruleset(income_override(folder, old, extra))
    found = impact(before, after, load_records(DATA, before.model))
    rows = {row["code"]: row for row in units()}
    expected = {
        c for c, row in rows.items() if row.get(INCOME) is not None and old <= row[INCOME] < old + 1
    }
    assert {u.code for u in found.changed} == expected
    for unit in found.changed:
        (flip,) = [f for f in unit.flips if f.kind == "indicator"]
        kinds = [r.kind for r in flip.reasons]
        assert kinds == ["condition"]  # the value itself did not move


def test_evaluators_of_two_versions_of_one_id_are_apart(tmp_path: Path) -> None:
    folder = copy_rulesets(tmp_path)
    before = get_ruleset(SONLA)
    after = load_ruleset(income_override(folder, old_income_level(dt.date(2023, 12, 31)) + RAISE))
    assert before.id == after.id and before.content_hash != after.content_hash
    first, second = evaluator_for(before), evaluator_for(after)
    assert first is not second
    assert first.ruleset.content_hash == before.content_hash
    assert (second.ruleset.content_hash, second.ruleset.version) == (after.content_hash, "2022.07")
    assert evaluator_for(load_ruleset(folder / SONLA_FILE)) is second
    row = next(r for r in units() if r.get(INCOME) is not None)
    row = {**row, INCOME: old_income_level(dt.date(2023, 12, 31))}  # on the old level exactly
    results = [e.evaluate(row) for e in (first, second)]
    status = [next(c.status for c in r.criteria if c.id == "10") for r in results]
    assert status == ["met", "not_met"]


def test_impact_refuses_a_ruleset_against_a_ladder() -> None:
    from ntm_rules.errors import NtmRulesError

    with pytest.raises(NtmRulesError, match="one kind"):
        impact(get_ruleset(SONLA), get_ladder("sonla.commune.2021"), [])


# -- command line -------------------------------------------------------------------------------
@pytest.fixture
def edited(tmp_path: Path) -> Path:
    folder = copy_rulesets(tmp_path)
    income_override(folder, old_income_level(dt.date(2023, 12, 31)) + RAISE)
    return folder


def narrow(result: Any) -> str:
    out = ok(result).stdout
    assert max(len(line) for line in out.splitlines()) <= 80, out
    return str(out)


COLUMNS_80 = {"COLUMNS": "80"}


def test_cli_diff_table_in_vietnamese_and_english(edited: Path) -> None:
    path = edited / SONLA_FILE
    out = narrow(run("diff", SONLA, path, env=COLUMNS_80))
    assert "Giá trị tham số" in out and INCOME in out and "[tdmnpb]" in out
    assert "2022-06-06" in out and "đã kiểm chứng" in out and "phiên bản" in out
    english = narrow(run("diff", SONLA, path, "--lang", "en", env=COLUMNS_80))
    assert "Parameter value" in english and "verified" in english and "changes." in english


def test_cli_diff_exit_code_is_0_with_or_without_differences(edited: Path) -> None:
    same = narrow(run("diff", SONLA, SONLA, env=COLUMNS_80))
    assert "Không có khác biệt." in same
    folders = narrow(run("diff", bundled_dir(), edited, env=COLUMNS_80))
    assert SONLA in folders and "Không đổi:" in folders and "Tổng cộng: " in folders


def test_cli_diff_json(edited: Path) -> None:
    document = json.loads(ok(run("diff", bundled_dir(), edited, "-f", "json")).stdout)
    assert document["kind"] == "folders" and document["empty"] is False
    (pair,) = [d for d in document["rulesets"] if not d["empty"]]
    value = next(c for c in pair["changes"] if c["field"] == "value")
    assert value["axis_key"] == "tdmnpb" and value["from"] == "2022-06-06"
    ladder = json.loads(
        ok(run("diff", "sonla.commune.2021", "vn.commune.2021", "-f", "json")).stdout
    )
    assert ladder["kind"] == "ladder" and len(ladder["levels"]) == 3


def test_cli_diff_output_file(edited: Path, tmp_path: Path) -> None:
    target = tmp_path / "diff.txt"
    assert ok(run("diff", SONLA, edited / SONLA_FILE, "-o", target)).stdout == ""
    assert INCOME in target.read_text(encoding="utf-8")


def test_cli_diff_errors(edited: Path) -> None:
    assert "thư mục" in failed(run("diff", edited, SONLA), 2)
    assert "thang" in failed(run("diff", SONLA, "sonla.commune.2021"))
    failed(run("diff", SONLA, "no.such.ruleset"))
    failed(run("diff", SONLA, SONLA, "--format", "xml"), 2)


def test_cli_impact_table(edited: Path) -> None:
    out = narrow(
        run(
            "impact",
            "--before",
            bundled_dir(),
            "--after",
            edited,
            "-r",
            SONLA,
            DATA,
            env=COLUMNS_80,
        )
    )
    assert "Tác động của thay đổi" in out and "Đơn vị có thay đổi: " in out
    assert "Chỉ tiêu 10" in out and "ngưỡng" in out and INCOME in out
    english = narrow(
        run(
            "impact",
            "--before",
            SONLA,
            "--after",
            edited / SONLA_FILE,
            DATA,
            "-l",
            "en",
            env=COLUMNS_80,
        )
    )
    assert "Units with a change: " in english and "Lost" in english and "threshold" in english


def test_cli_impact_csv_and_json(edited: Path, tmp_path: Path) -> None:
    target = tmp_path / "impact.csv"
    ok(
        run(
            "impact",
            "--before",
            SONLA,
            "--after",
            edited / SONLA_FILE,
            DATA,
            "-f",
            "csv",
            "-o",
            target,
        )
    )
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the UTF-8 mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and {r["kind"] for r in rows} == {"level", "criterion", "indicator"}
    indicator = [r for r in rows if r["kind"] == "indicator"]
    assert {r["parameters"] for r in indicator} == {INCOME}
    assert all(
        float(r["threshold_after"]) - float(r["threshold_before"]) == RAISE for r in indicator
    )
    document = json.loads(
        ok(
            run("impact", "--before", SONLA, "--after", edited / SONLA_FILE, DATA, "-f", "json")
        ).stdout
    )
    assert document["summary"]["changed"] == len({r["code"] for r in rows})
    assert document["after"]["file"] == str((edited / SONLA_FILE).resolve())


def test_cli_impact_errors(edited: Path) -> None:
    message = failed(run("impact", "--before", bundled_dir(), "--after", edited, DATA), 2)
    assert "--ruleset" in message and SONLA in message and "sonla.commune.2021" in message
    failed(run("impact", "--before", SONLA, "--after", SONLA, "-r", SONLA, DATA), 2)
    failed(run("impact", "--before", SONLA, "--after", "sonla.commune.2021", DATA))
    villages = ROOT / "examples" / "sonla-villages-2023.json"
    kinds = failed(
        run("impact", "--before", "sonla.village.2021", "--after", "sonla.commune.2021", villages)
    )
    assert "village" in kinds and "commune" in kinds
    failed(run("impact", "--before", edited, "--after", edited, "-r", "nope", DATA))
    failed(run("impact", "--before", SONLA, "--after", SONLA, DATA, "-f", "xlsx"), 2)
    assert (
        ok(run("impact", "--before", SONLA, "--after", SONLA, DATA)).stdout.count(
            "Không đơn vị nào thay đổi."
        )
        == 1
    )


def test_cli_impact_of_two_folders_reads_each_folder_as_a_whole(tmp_path: Path) -> None:
    """A national value changed in a copied folder reaches the copy's Sơn La sets: comparing the
    folders on the Sơn La ladder flips the communes between the two values."""
    folder = copy_rulesets(tmp_path)
    national = folder / NATIONAL_FILE
    text = national.read_text(encoding="utf-8")
    old_row = "by: {general: 100, tdmnpb: 70, dbsh: 100, btb: 90"
    assert text.count(old_row) == 1
    national.write_text(text.replace(old_row, old_row.replace("70", "75")), "utf-8")
    low = applied(get_ruleset(SONLA), "village_roads_hardened", "tdmnpb", dt.date(2023, 12, 31))
    expected = {
        row["code"]
        for row in units()
        if row.get("village_roads_hardened_pct") is not None
        and low <= row["village_roads_hardened_pct"] < 75
    }
    assert expected
    args = ("impact", "--before", bundled_dir(), "--after", folder, "-r", "sonla.commune.2021")
    document = json.loads(ok(run(*args, DATA, "-f", "json")).stdout)
    flipped = {
        u["code"]
        for u in document["units"]
        if any(f["kind"] == "indicator" and f["item"] == "2.2" for f in u["flips"])
    }
    assert flipped == expected
    assert [p["parameter"] for p in document["summary"]["parameters"]] == ["village_roads_hardened"]


def test_cli_rulesets_option(edited: Path) -> None:
    """``--rulesets DIR`` puts a working folder first: the id then names the edited copy."""
    before = bundled_dir() / SONLA_FILE
    args = ("impact", "--before", before, "--after", SONLA, "--rulesets", edited, DATA)
    document = json.loads(ok(run(*args, "-f", "json")).stdout)
    assert document["after"]["file"] == str((edited / SONLA_FILE).resolve())
    assert document["summary"]["changed"] > 0
    found = json.loads(ok(run("diff", before, SONLA, "--rulesets", edited, "-f", "json")).stdout)
    assert not found["empty"]
    failed(run("diff", SONLA, SONLA, "--rulesets", edited / "nope"))


def test_cli_a_working_folder_alone_is_compared_with_the_bundled_sets(tmp_path: Path) -> None:
    """``ntm-rules init`` copies one province: ``diff DIR`` and ``impact --after DIR`` compare
    its ids with the bundled sets, and the national ids it lacks are not "removed"."""
    work = tmp_path / "work"
    ok(run("init", work, "--province", "sonla"))
    income_override(work, old_income_level(dt.date(2023, 12, 31)) + RAISE)
    document = json.loads(ok(run("diff", work, "-f", "json")).stdout)
    assert document["removed"] == [] and document["added"] == []
    assert [d["after"]["id"] for d in document["rulesets"] if not d["empty"]] == [SONLA]
    message = failed(run("impact", "--after", work, DATA), 2)
    assert SONLA in message and "sonla.commune.2021" in message
    alone = json.loads(ok(run("impact", "--after", work / SONLA_FILE, DATA, "-f", "json")).stdout)
    assert alone["before"]["file"] == str((bundled_dir() / SONLA_FILE).resolve())
    ladder = json.loads(
        ok(run("impact", "--after", work, "-r", "sonla.commune.2021", DATA, "-f", "json")).stdout
    )
    assert ladder["kind"] == "ladder"
    assert {u["code"] for u in alone["units"]} == {u["code"] for u in ladder["units"]}
    assert "thư mục" in failed(run("diff", SONLA), 2)


def test_cli_both_sides_one_file_is_pointed_out(edited: Path) -> None:
    """With the working folder on the search path, an id names the edited copy: comparing it
    with its own file says so, and says how to compare with the bundled sets."""
    path = edited / SONLA_FILE
    out = narrow(run("diff", SONLA, path, "--rulesets", edited, env=COLUMNS_80))
    assert "Không có khác biệt." in out and "cùng một tệp" in out
    args = ("impact", "--before", SONLA, "--after", path, "--rulesets", edited, DATA, "-l", "en")
    assert "both sides are the same file" in narrow(run(*args, env=COLUMNS_80))
    assert "cùng một tệp" not in narrow(run("diff", SONLA, path, env=COLUMNS_80))
