"""Axes declared in the ruleset (issue 9 item 6): a set keyed by commune group instead of region
needs only YAML. The axis, its values and their names come from the file; parameters, scopes and
overrides address it by name; explanations, criteria tables and worksheets show its labels; a
file still using the old `group:` key for a criterion's heading loads, with a notice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from cli_support import ok, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ntm_rules import evaluator_for, load_ruleset
from ntm_rules.compare.diff import diff_rulesets
from ntm_rules.document import build, render
from ntm_rules.errors import RulesetError
from ntm_rules.ruleset.model import GENERAL

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "commune-group.yaml"
GROUPS = ("nhom1", "nhom2", "nhom3")
REGIONS = ("tdmnpb", "dbsh", "btb", "dhntb", "tn", "dnb", "dbscl")
ON = dt.date(2026, 6, 1)


def commune(code: str, region: str, dbkk: bool = False, **values: Any) -> dict[str, Any]:
    return {"code": code, "region": region, "dbkk": dbkk, "year": 2026, **values}


def expected_group(region: str, dbkk: bool) -> str:
    """The fixture's rules, written again by hand: the first that holds wins."""
    if dbkk:
        return "nhom3"
    return "nhom2" if region in ("tdmnpb", "tn") else "nhom1"


def write(tmp_path: Path, text: str, name: str = "set.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> RulesetError:
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    return info.value


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def parts(error: RulesetError) -> list[RulesetError]:
    return [p for p in error.parts if isinstance(p, RulesetError)]


# -- the commune-group set, from YAML only --------------------------------------------------
def test_the_fixture_declares_its_axis_with_labels() -> None:
    ruleset = load_ruleset(FIXTURE)
    axis = ruleset.axes["commune_group"]
    assert axis.choices == GROUPS
    assert axis.title.vi == "Nhóm xã" and axis.title.en == "Commune group"
    assert axis.choice_name("nhom3").vi == "Nhóm 3 - xã đặc biệt khó khăn"
    assert axis.choice_short("nhom2").en == "GROUP 2"
    assert {p.axis for p in ruleset.parameters.values()} == {"commune_group"}
    assert ruleset.criteria[0].heading is not None
    assert ruleset.criteria[0].heading.vi == "Kinh tế"
    assert ruleset.notices == ()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=st.sampled_from(REGIONS), dbkk=st.booleans())
def test_every_unit_gets_the_value_of_its_group_or_the_general_one(region: str, dbkk: bool) -> None:
    """Property: a unit's threshold is the `by` value of the group its rules give it, or the
    `general` value when the table does not name that group."""
    ruleset = load_ruleset(FIXTURE)
    result = evaluator_for(ruleset).evaluate(commune("X", region, dbkk), on=ON)
    group = expected_group(region, dbkk)
    assert [(c.axis, c.value) for c in result.axes] == [("commune_group", group)]
    thresholds = {
        p.param.name: (p.value, p.axis_key)
        for i in result.indicators
        for check in i.checks
        for p in check.params
    }
    for name, param in ruleset.parameters.items():
        cells = param.entries[0].cells
        key = group if group in cells else GENERAL
        assert thresholds[name] == (cells[key].value, key)


def test_results_follow_the_groups(tmp_path: Path) -> None:
    evaluator = evaluator_for(load_ruleset(FIXTURE))
    rich = commune("A", "dbsh", income_per_capita=65, multidimensional_poverty_pct=2)
    mountain = commune("B", "tdmnpb", income_per_capita=55, multidimensional_poverty_pct=9)
    poor = commune("C", "tdmnpb", True, income_per_capita=52, multidimensional_poverty_pct=11)
    statuses = [evaluator.evaluate(u, on=ON).status for u in (rich, mountain, poor)]
    assert statuses == ["not_met", "not_met", "met"]  # A: 65 < general 70; B: 55 < 60


def test_explanations_name_the_group_and_the_rule(tmp_path: Path) -> None:
    result = evaluator_for(load_ruleset(FIXTURE)).evaluate(
        commune("C", "tdmnpb", True, income_per_capita=40, multidimensional_poverty_pct=11),
        on=ON,
    )
    vi, en = result.explain("vi"), result.explain("en")
    assert "mức nhóm xã NHÓM 3 (Nhóm 3 - xã đặc biệt khó khăn)" in vi
    assert "lý do: Xã đặc biệt khó khăn thuộc nhóm 3 (1/QĐ-THỬ, Điều 1)" in vi
    assert "value for commune group GROUP 3 (Group 3 - particularly difficult communes)" in en
    assert "region" not in en.split("CRITERIA NOT MET")[0].lower().replace("regional", "")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_criteria_tables_have_a_column_per_group(lang: str) -> None:
    doc = build(load_ruleset(FIXTURE))
    text = render(doc, "md", lang).decode("utf-8")
    general, group = ("Chung", "NHÓM") if lang == "vi" else ("General", "GROUP")
    header = next(line for line in text.splitlines() if line.startswith("| S") or "| No." in line)
    assert f"| {general} | {group} 1 | {group} 2 | {group} 3 |" in header
    assert "TDMNPB" not in text
    html = render(doc, "html", lang).decode("utf-8")
    assert f"{group} 3" in html
    assert render(doc, "xlsx", lang)[:2] == b"PK"


def test_cli_explains_and_documents_the_fixture(tmp_path: Path) -> None:
    data = tmp_path / "communes.json"
    data.write_text(
        '[{"code": "G3", "region": "tdmnpb", "dbkk": true, "year": 2026,'
        ' "income_per_capita": 52, "multidimensional_poverty_pct": 11}]',
        encoding="utf-8",
    )
    env = {"COLUMNS": "80"}
    out = ok(run("explain", "-r", FIXTURE, data, "-u", "G3", env=env)).stdout
    assert "mức nhóm xã NHÓM 3" in out
    out = ok(run("explain", "-r", FIXTURE, data, "-u", "G3", "--lang", "en", env=env)).stdout
    assert "value for commune group GROUP 3" in out
    out = ok(run("document", "-r", FIXTURE, "--lang", "en", env=env)).stdout
    assert "Which column applies (commune group)" in out
    ok(run("validate", FIXTURE, env=env))


# -- an axis read from an input field -------------------------------------------------------
def field_axis_text() -> str:
    """The fixture with a second axis that has no rules, read by poverty_max: its value is the
    unit's region."""
    text = FIXTURE.read_text(encoding="utf-8")
    labels = ", ".join(f"{r}: {{vi: Vùng {r}, en: Region {r}}}" for r in REGIONS)
    axis = "  zone:\n    name: {vi: Khu vực, en: Zone}\n    field: region\n"
    text = text.replace("parameters:\n", f"{axis}    choices: {{{labels}}}\nparameters:\n", 1)
    second = text.rindex("    axis: commune_group\n")
    text = text[:second] + "    axis: zone\n" + text[second + len("    axis: commune_group\n") :]
    return text.replace("by: {nhom1: 3, nhom2: 8, nhom3: 12}", "by: {general: 10, dbsh: 2}")


def test_an_axis_without_rules_reads_its_field(tmp_path: Path) -> None:
    ruleset = load_ruleset(write(tmp_path, field_axis_text()))
    assert ruleset.parameters["poverty_max"].axis == "zone"
    evaluator = evaluator_for(ruleset)
    for region in REGIONS:
        result = evaluator.evaluate(commune("Z", region), on=ON)
        chosen = {c.axis: c for c in result.axes}
        assert chosen["zone"].value == region
        assert chosen["zone"].rule_id == "field"
    explained = evaluator.evaluate(commune("Z", "dbsh"), on=ON).explain("en")
    assert "value for zone dbsh (Region dbsh)" in explained


def test_an_axis_field_must_be_an_input_every_unit_has(tmp_path: Path) -> None:
    text = field_axis_text().replace("    field: region\n", "    field: regoin\n")
    error = error_of(write(tmp_path, text))
    assert error.line == line_of(text, "field: regoin")
    assert "'regoin' is not a text input" in error.describe("en")
    assert "region" in error.describe("en")  # did you mean


# -- errors, each with its file and line ------------------------------------------------------
def test_an_unknown_axis_names_the_declared_ones(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "    axis: commune_group\n", "    axis: comune_group\n", 1
    )
    path = write(tmp_path, text)
    error = error_of(path)
    assert Path(error.file or "") == path and error.line == line_of(text, "axis: comune_group")
    message = error.describe("en")
    assert "unknown axis 'comune_group'" in message and "commune_group" in message
    assert "không có trục 'comune_group'" in error.describe("vi")


def test_a_by_key_that_is_not_a_choice_names_the_axis_and_the_keys(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("nhom2: 60", "tdmnpb: 60")
    error = error_of(write(tmp_path, text))
    assert error.line == line_of(text, "tdmnpb: 60")
    message = error.describe("en")
    assert "'tdmnpb' is not a value of axis 'commune_group'" in message
    assert "general, nhom1, nhom2, nhom3" in message


def test_a_choice_without_a_label_is_an_error(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.strip().startswith("nhom2:"))
    text = text.replace(line, "      nhom2:")
    error = error_of(write(tmp_path, text))
    assert error.line == line_of(text, "      nhom2:")
    assert "value 'nhom2' of axis 'commune_group' has no name" in error.describe("en")


def test_a_label_without_english_is_an_error(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(", en: Group 1 - favourable communes", "")
    error = error_of(write(tmp_path, text))
    assert error.line == line_of(text, "nhom1: {")
    assert "missing required key 'en'" in error.describe("en")


def test_choices_as_a_plain_list_need_labels(tmp_path: Path) -> None:
    text = re.sub(
        r"    choices:\n(      nhom.*\n)+",
        "    choices: [nhom1, nhom2, nhom3]\n",
        FIXTURE.read_text(encoding="utf-8"),
    )
    error = error_of(write(tmp_path, text))
    assert error.line == line_of(text, "choices: [")
    assert "needs a name" in error.describe("en") and "nhom1: {vi: ..." in error.describe("en")


def test_a_rule_value_that_is_not_a_choice(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("value: nhom3", "value: nhom4")
    error = error_of(write(tmp_path, text))
    assert error.line == line_of(text, "value: nhom4")
    assert "'nhom4' is not a value of axis 'commune_group'" in error.describe("en")


def test_an_axis_with_neither_field_nor_a_last_catch_all_rule(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    start = text.index("      - id: others")
    end = text.index("parameters:")
    text = text[:start] + text[end:]
    error = error_of(write(tmp_path, text))
    assert "needs a `field`" in error.describe("en")
    assert error.line == line_of(text, "      - id: dbkk")


# -- scopes and extensions ----------------------------------------------------------------------
def provincial(tmp_path: Path, scope: str, extra: str = "") -> tuple[Path, str]:
    write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "base.yaml")
    text = (
        "format: 1\nid: test.province.group\nversion: '1'\nextends: base.yaml\n"
        f"scope: {scope}\n"
        "title: {vi: Bộ của tỉnh, en: Provincial set}\n"
        "documents:\n  qdt: {number: 2/QĐ-UBND}\n" + extra
    )
    return write(tmp_path, text, "province.yaml"), text


def test_a_scope_fixes_an_axis_by_name(tmp_path: Path) -> None:
    path, _ = provincial(tmp_path, "{province: Sơn La, axes: {commune_group: nhom2}}")
    ruleset = load_ruleset(path)
    assert dict(ruleset.scope.axes) == {"commune_group": "nhom2"}  # type: ignore[union-attr]
    assert ruleset.axes["commune_group"].choices == GROUPS  # inherited
    text = render(build(ruleset), "md", "en").decode("utf-8")
    assert "province of Sơn La, commune group GROUP 2" in text


def test_a_scope_value_must_be_a_choice(tmp_path: Path) -> None:
    path, text = provincial(tmp_path, "{province: Sơn La, axes: {commune_group: nhom9}}")
    error = error_of(path)
    assert error.line == line_of(text, "scope:")
    assert "'nhom9' is not a value of axis 'commune_group'" in error.describe("en")


def test_a_scope_naming_an_unknown_axis(tmp_path: Path) -> None:
    path, _ = provincial(tmp_path, "{province: Sơn La, axes: {group: nhom2}}")
    error = error_of(path)
    assert "names axis 'group', which the ruleset lacks" in error.describe("en")
    assert "commune_group" in error.describe("en")


def test_the_region_shorthand_still_works(tmp_path: Path) -> None:
    text = (
        Path(__file__).resolve().parent.parent / "rulesets" / "son-la" / "commune-ntm-2021.yaml"
    ).read_text(encoding="utf-8")
    assert "scope: {province: Sơn La, region: tdmnpb}" in text
    ruleset = load_ruleset(write(tmp_path, text, "sonla.yaml"))
    assert dict(ruleset.scope.axes) == {"region": "tdmnpb"}  # type: ignore[union-attr]
    spelled = text.replace("region: tdmnpb}", "axes: {region: tdmnpb}}")
    again = load_ruleset(write(tmp_path, spelled, "sonla2.yaml"))
    assert again.scope == ruleset.scope
    both = text.replace("region: tdmnpb}", "region: tdmnpb, axes: {region: tdmnpb}}")
    assert "given twice" in error_of(write(tmp_path, both, "sonla3.yaml")).describe("en")


def test_an_extension_may_not_change_the_axes(tmp_path: Path) -> None:
    extra = "axes:\n  commune_group:\n    choices: {nhom1: {vi: Một, en: One}}\n"
    path, text = provincial(tmp_path, "{province: Sơn La}", extra)
    error = error_of(path)
    assert error.line == line_of(text, "axes:")
    assert "inherits the axes of test.commune.group" in error.describe("en")


def test_an_override_is_addressed_by_the_axis_keys(tmp_path: Path) -> None:
    override = (
        "overrides:\n  - parameter: income_per_capita\n    from: 2026-01-01\n"
        "    source: {doc: qdt}\n    verified: true\n    by: {nhom2: 65}\n"
    )
    path, _ = provincial(tmp_path, "{province: Sơn La, axes: {commune_group: nhom2}}", override)
    result = evaluator_for(load_ruleset(path)).evaluate(
        commune("B", "tdmnpb", income_per_capita=62, multidimensional_poverty_pct=1), on=ON
    )
    income = next(p for i in result.indicators for c in i.checks for p in c.params)
    assert (income.value, income.axis_key, income.cell.authority) == (65, "nhom2", "Sơn La")
    looser = override.replace("nhom2: 65", "nhom2: 55")
    path, text = provincial(tmp_path, "{province: Sơn La}", looser)
    error = error_of(path)
    assert error.line == line_of(text, "nhom2: 55")
    assert "(nhom2)" in error.describe("en") and "looser" in error.describe("en")
    wrong = override.replace("nhom2: 65", "dbsh: 65")
    path, text = provincial(tmp_path, "{province: Sơn La}", wrong)
    assert "not a value of axis 'commune_group'" in error_of(path).describe("en")


# -- heading, formerly group ----------------------------------------------------------------
def test_the_old_group_key_loads_with_a_notice(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("    heading:", "    group:")
    path = write(tmp_path, text)
    ruleset = load_ruleset(path)
    assert ruleset.criteria[0].heading == load_ruleset(FIXTURE).criteria[0].heading
    lines = [n.line for n in ruleset.notices]
    assert lines == [
        line_of(text, "    group:"),
        text.count("\n", 0, text.rindex("    group:")) + 1,
    ]
    result = run("validate", path, "--lang", "en", env={"COLUMNS": "80"})
    ok(result)
    assert f"Note: {path}:{lines[0]}: criteria[0].group:" in result.stderr
    assert "rename `group:` to `heading:`" in result.stderr
    vi = run("validate", path, env={"COLUMNS": "80"}).stderr
    assert "Lưu ý:" in vi and "đổi `group:` thành `heading:`" in vi


def test_group_and_heading_together_is_an_error(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        '    heading: {vi: Kinh tế, en: Economy}\n    source: {doc: qdx, part: "Phụ lục", '
        'item: "10"}',
        "    heading: {vi: Kinh tế, en: Economy}\n    group: {vi: Kinh tế, en: Economy}\n"
        '    source: {doc: qdx, part: "Phụ lục", item: "10"}',
        1,
    )
    error = error_of(write(tmp_path, text))
    assert error.line == line_of(text, "    group:")
    assert "remove `group`" in error.describe("en")


def test_bundled_rulesets_use_heading_and_declare_region_labels() -> None:
    root = Path(__file__).resolve().parent.parent / "rulesets"
    for path in root.rglob("*.yaml"):
        assert not re.search(r"^\s+group:", path.read_text(encoding="utf-8"), re.M), path
    national = load_ruleset(root / "national" / "commune-ntm-2021.yaml")
    region = national.axes["region"]
    assert region.choice_short("dbsh").vi == "ĐBSH" and region.choice_short("dbsh").en == "DBSH"
    assert region.choice_name("tdmnpb").vi == "Trung du và miền núi phía Bắc"
    sonla = load_ruleset(root / "son-la" / "commune-ntm-2021.yaml")
    assert sonla.axes["region"] == region  # inherited, labels and all


def test_diff_compares_tables_keyed_by_group_and_the_value_names(tmp_path: Path) -> None:
    """poverty_max has no `general` value: the diff compares it by group only."""
    text = FIXTURE.read_text(encoding="utf-8")
    changed = text.replace("nhom2: 60", "nhom2: 62").replace(
        "Nhóm 2 - xã miền núi", "Nhóm 2 - xã vùng cao"
    )
    after = write(tmp_path, changed)
    before = write(tmp_path, text, "before.yaml")
    changes = diff_rulesets(load_ruleset(before), load_ruleset(after)).changes
    found = {(c.section, c.item, c.field) for c in changes}
    assert ("axis", "commune_group.nhom2", "name") in found
    assert any(c.section == "value" and c.axis_key == "nhom2" for c in changes)
    assert len(changes) == 2
    out = ok(run("diff", before, after, env={"COLUMNS": "80"})).stdout
    assert "commune_group.nhom2" in out and "Nhóm 2 - xã miền núi" in out


# -- any axis, generated ------------------------------------------------------------------------
_IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True).filter(
    lambda s: s not in (GENERAL, "true", "false", "and", "or", "not", "in")
)


@st.composite
def axis_sets(draw: st.DrawFn) -> tuple[str, str, list[str], list[str]]:
    """A ruleset text with one generated axis and one parameter by it: (text, axis name,
    choices, keys of `by`), the keys sometimes holding one that is not a choice."""
    name = draw(_IDENT)
    choices = draw(st.lists(_IDENT, min_size=1, max_size=5, unique=True))
    keys = [GENERAL, *draw(st.lists(st.sampled_from(choices), unique=True))]
    if draw(st.booleans()):
        keys.append(draw(_IDENT.filter(lambda k: k not in choices)))
    labels = ", ".join(
        f"{c}: {{vi: Tên {c}, en: Name {c}, short: Cột{n}}}" for n, c in enumerate(choices)
    )
    by = ", ".join(f"{k}: {n + 10}" for n, k in enumerate(keys))
    text = "\n".join(
        [
            "format: 1",
            "id: test.generated",
            'version: "1"',
            "unit: commune",
            "inputs: commune_2021",
            "title: {vi: Bộ thử, en: Test set}",
            "level: {id: ntm, name: {vi: Đạt, en: Met}}",
            "valid: {from: 2026-01-01}",
            "documents:",
            "  d: {number: 1/QĐ-TEST}",
            "axes:",
            f"  {name}:",
            f"    name: {{vi: Trục {name}, en: Axis {name}}}",
            f"    choices: {{{labels}}}",
            "    rules:",
            f"      - {{id: all, when: 'true', value: {choices[-1]}, reason: {{vi: Mọi xã, en: All}}}}",
            "parameters:",
            "  p:",
            "    name: {vi: Mức, en: Level}",
            "    unit: percent",
            f"    axis: {name}",
            "    values:",
            "      - from: 2026-01-01",
            "        source: {doc: d}",
            "        verified: true",
            f"        by: {{{by}}}",
            "criteria:",
            "  - id: '1'",
            "    name: {vi: Một, en: One}",
            "    source: {doc: d}",
            "    indicators:",
            "      - id: '1'",
            "        name: {vi: Một, en: One}",
            "        condition: water_saving_irrigation_pct >= param.p",
            "        source: {doc: d}",
            "        verified: true",
            "",
        ]
    )
    return text, name, choices, keys


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(generated=axis_sets())
def test_any_declared_axis_keys_tables_and_columns(
    tmp_path: Path, generated: tuple[str, str, list[str], list[str]]
) -> None:
    """Property: `by` is accepted exactly when its keys are `general` and choices of the axis;
    an accepted set's tables have one column per choice, headed by its short name, in order, and
    a unit gets the value of the choice its rule gives (or `general`)."""
    text, name, choices, keys = generated
    path = write(tmp_path, text)
    stray = [k for k in keys if k != GENERAL and k not in choices]
    if stray:
        message = error_of(path).describe("en")
        assert f"'{stray[0]}' is not a value of axis '{name}'" in message
        return
    ruleset = load_ruleset(path)
    assert ruleset.axes[name].choices == tuple(choices)
    header = next(
        line
        for line in render(build(ruleset), "md", "en").decode("utf-8").splitlines()
        if line.startswith("| No.")
    )
    shorts = " | ".join(f"Cột{n}" for n in range(len(choices)))
    assert f"| General | {shorts} |" in header
    result = evaluator_for(ruleset).evaluate(
        commune("X", "dbsh", water_saving_irrigation_pct=50), on=ON
    )
    param = next(p for i in result.indicators for c in i.checks for p in c.params)
    chosen = choices[-1]
    assert param.axis_key == (chosen if chosen in keys else GENERAL)
    assert param.value == keys.index(param.axis_key) + 10


def importer(tmp_path: Path, axes: str) -> tuple[Path, str]:
    """A ruleset importing the fixture's thresholds, with the given `axes:` block."""
    write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "groups.yaml")
    text = (
        "format: 1\nid: test.importer\nversion: '1'\nunit: commune\ninputs: commune_2021\n"
        "title: {vi: Bộ nhập, en: Importer}\nlevel: {id: x, name: {vi: X, en: X}}\n"
        "valid: {from: 2026-01-01}\ndocuments:\n  d: {number: 3/QĐ}\n  qdx: {number: 1/QĐ-THỬ}\n"
        f"{axes}imports:\n  g: groups.yaml\ncriteria:\n  - id: '1'\n    name: {{vi: A, en: A}}\n"
        "    source: {doc: d}\n    indicators:\n      - id: '1'\n        name: {vi: A, en: A}\n"
        "        condition: income_per_capita >= 1.1 * param.g.income_per_capita\n"
        "        source: {doc: d}\n        verified: true\n"
    )
    return write(tmp_path, text, "importer.yaml"), text


def test_imported_thresholds_need_the_same_axis(tmp_path: Path) -> None:
    same = FIXTURE.read_text(encoding="utf-8")
    block = same[same.index("axes:\n") : same.index("parameters:\n")]
    path, _ = importer(tmp_path, block)
    result = evaluator_for(load_ruleset(path)).evaluate(
        commune("C", "tn", income_per_capita=66), on=ON
    )
    assert result.status == "met"  # group 2: 1.1 × 60 = 66
    path, text = importer(tmp_path, "")
    error = error_of(path)
    assert "uses axis 'commune_group' which this ruleset lacks" in error.describe("en")
    fewer = block.replace(next(x for x in block.splitlines() if "nhom3: {" in x) + "\n", "")
    fewer = fewer.replace("value: nhom3", "value: nhom2")
    path, text = importer(tmp_path, fewer)
    error = error_of(path)
    assert error.line == line_of(text, "g: groups.yaml")
    assert "axis 'commune_group' of 'test.commune.group' has the values" in error.describe("en")
