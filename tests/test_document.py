"""Printable criteria tables (``ntm-rules document``): every indicator and every threshold value
of a ruleset is printed, unverified values are marked exactly where ``verified`` is false, text
is escaped, the Excel workbook opens and is byte-stable, and docs/criteria is up to date."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

import attrs
import openpyxl
import pytest
from cli_support import failed, ok, run
from generated_rulesets import SPECS, random_ruleset
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ntm_rules.document import FORMATS, build, render
from ntm_rules.document.layout import Cell, columns, rows
from ntm_rules.document.model import RulesetDoc
from ntm_rules.document.wording import PROVINCIAL, UNVERIFIED
from ntm_rules.document.xlsx import UNVERIFIED_FILL, _sheet_name
from ntm_rules.expr import Literal
from ntm_rules.ladder import load_ladder
from ntm_rules.models.commune import REGIONS
from ntm_rules.ruleset.loader import load_ruleset
from ntm_rules.ruleset.model import GENERAL, Ruleset
from ntm_rules.ruleset.registry import get_ruleset, ladder_files, ruleset_files
from ntm_rules.text import LANGS, Lang, format_number

ROOT = Path(__file__).resolve().parent.parent
CRITERIA_DOCS = ROOT / "docs" / "criteria"
REGENERATE = "ntm-rules document --all --output-dir docs/criteria"
PERCENT_INPUTS = [s.name for s in SPECS if s.kind == "number" and s.unit == "percent"]
REGION_KEYS = tuple(REGIONS)
START = dt.date(2022, 1, 1)


def load_text(tmp_path: Path, text: str, name: str = "generated.yaml") -> Ruleset:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_ruleset(path)


def table_cells(doc: RulesetDoc, lang: Lang) -> list[tuple[str, Cell]]:
    """(column key, cell) of every cell of every table of the document."""
    cols = columns(doc, lang)
    groups = [c.indicators for c in doc.criteria]
    if doc.recognition is not None:
        groups.append(doc.recognition.conditions)
    return [
        (col.key, cell)
        for group in groups
        for row in rows(group, cols, lang)
        for col, cell in zip(cols, row.cells, strict=True)
    ]


# -- rulesets with dated, regional, partly unverified thresholds ---------------------------------
@st.composite
def cell_text(draw: st.DrawFn) -> tuple[str, float | None, bool | None]:
    """A value as YAML, its number (None: province_decides) and its own verified flag."""
    value: float | None = draw(
        st.one_of(
            st.integers(0, 100).map(float),
            st.integers(0, 1000).map(lambda n: n / 10),
            st.none(),
        )
    )
    shown = "province_decides" if value is None else format(value, "g")
    own = draw(st.sampled_from([None, True, False]))
    if own is None:
        return shown, value, None
    return f"{{value: {shown}, verified: {str(own).lower()}, note: own}}", value, own


@st.composite
def threshold_rulesets(draw: st.DrawFn) -> tuple[str, dict[str, list[tuple[dt.date, dict]]]]:
    """A ruleset text with 1-4 parameters (some by region, some dated several times, cells
    verified or not, some left to the province) and one indicator comparing an input with
    each; and what each parameter holds: [(start, {key: (value, verified)})]."""
    count = draw(st.integers(1, 4))
    lines = [
        "format: 1",
        "id: test.thresholds",
        'version: "1"',
        "unit: commune",
        "inputs: commune_2021",
        "title: {vi: Bộ thử, en: Test set}",
        "level: {id: ntm, name: {vi: Đạt, en: Met}}",
        f"valid: {{from: {START.isoformat()}}}",
        "documents:",
        "  d: {number: 1/QĐ-TEST}",
        "axes:",
        "  region:",
        "    name: {vi: Vùng, en: Region}",
        "    choices: {"
        + ", ".join(f"{k}: {{vi: {k}, en: {k}, short: {k.upper()}}}" for k in REGION_KEYS)
        + "}",
        "    rules:",
        "      - {id: dbkk, when: dbkk, value: tdmnpb, reason: {vi: ĐBKK, en: ĐBKK}}",
        "      - {id: own, when: 'true', value: region, reason: {vi: Vùng, en: Region}}",
        "parameters:",
    ]
    expected: dict[str, list[tuple[dt.date, dict]]] = {}
    for k in range(count):
        by_region = draw(st.booleans())
        offsets = sorted(draw(st.sets(st.integers(1, 1500), max_size=2)) | {0})
        lines += [f"  p{k}:", f"    name: {{vi: Mức {k}, en: Level {k}}}", "    unit: percent"]
        if by_region:
            lines.append("    axis: region")
        lines.append("    values:")
        entries = []
        for offset in offsets:
            start = START + dt.timedelta(days=offset)
            verified = draw(st.booleans())
            lines += [
                f"      - from: {start.isoformat()}",
                "        source: {doc: d, item: '1'}",
                f"        verified: {str(verified).lower()}",
                "        note: n",
            ]
            cells: dict[str, tuple[float | None, bool]] = {}
            keys = [GENERAL]
            if by_region:
                keys += sorted(draw(st.sets(st.sampled_from(REGION_KEYS))))
            written = []
            for key in keys:
                text, value, own = draw(cell_text())
                cells[key] = (value, verified if own is None else own)
                written.append(f"{key}: {text}")
            if by_region:
                lines.append(f"        by: {{{', '.join(written)}}}")
            else:
                lines.append(f"        value: {written[0].split(': ', 1)[1]}")
            entries.append((start, cells))
        expected[f"p{k}"] = entries
    lines.append("criteria:")
    for k in range(count):
        verified = draw(st.booleans())
        lines += [
            f"  - id: '{k + 1}'",
            f"    name: {{vi: Tiêu chí {k + 1}, en: Criterion {k + 1}}}",
            "    source: {doc: d}",
            "    indicators:",
            f"      - id: '{k + 1}.1'",
            f"        name: {{vi: Chỉ tiêu {k + 1}, en: Indicator {k + 1}}}",
            f"        condition: {PERCENT_INPUTS[k]} >= param.p{k}",
            "        source: {doc: d}",
            f"        verified: {str(verified).lower()}",
            "        note: n",
        ]
    return "\n".join(lines) + "\n", expected


@settings(max_examples=40)
@given(case=threshold_rulesets())
def test_every_threshold_value_is_printed_with_its_mark(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, dict]
) -> None:
    text, expected = case
    ruleset = load_text(tmp_path_factory.mktemp("r"), text)
    doc = build(ruleset)
    assert isinstance(doc, RulesetDoc)
    for k, (name, entries) in enumerate(expected.items()):
        indicator = doc.criteria[k].indicators[0]
        assert indicator.id == f"{k + 1}.1"
        for start, cells in entries:
            shown = [t for t in indicator.thresholds if t.start <= start <= (t.until or start)]
            assert len(shown) == 1, (name, start, indicator.thresholds)
            keys = [GENERAL, *REGION_KEYS] if ruleset.parameters[name].axis else [GENERAL]
            for key in keys:
                value, verified = cells.get(key, cells[GENERAL])  # a missing key: general
                cell = shown[0].cells[key]
                assert (cell.value, cell.verified) == (value, verified), (name, start, key)
    for lang in LANGS:
        marked = table_cells(doc, lang)
        for _, cell in marked:
            assert (UNVERIFIED in cell.text) == cell.unverified, cell
        unverified_values = sum(
            1
            for t in (t for i in doc.indicators for t in i.thresholds)
            for c in t.cells.values()
            if not c.verified
        )
        assert sum(1 for key, c in marked if key == "value" and c.unverified) == unverified_values
        numbers = [c for key, c in marked if key == "number" and c.text]
        assert [c.unverified for c in numbers] == [not i.verified for i in doc.indicators]
        markdown = render(doc, "md", lang).decode("utf-8")
        legend_marks = 1
        assert markdown.count(UNVERIFIED) == legend_marks + sum(c.unverified for _, c in marked)
        for key, cell in marked:
            if key == "value" and cell.number is not None:
                assert format_number(cell.number, lang) in cell.text
        html = render(doc, "html", lang).decode("utf-8")
        highlighted = re.findall(r'<td class="[^"]*\bunverified\b', html)
        assert len(highlighted) == sum(c.unverified for _, c in marked)


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1))
def test_every_indicator_appears_in_decision_order(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    text = random_ruleset(random.Random(seed), max_criteria=8)
    assume(all(len(line) < 1500 for line in text.splitlines()))  # the 2,000-character limit
    ruleset = load_text(tmp_path_factory.mktemp("r"), text)
    doc = build(ruleset)
    assert isinstance(doc, RulesetDoc)
    assert [i.id for i in doc.indicators] == [i.id for i in ruleset.indicators]
    for lang in LANGS:
        for output_format in ("md", "html"):
            text = render(doc, output_format, lang).decode("utf-8")
            found = [m.group(1) for m in re.finditer(r"(?:\| |<td[^>]*>)(i\d+)\b", text)]
            assert found == [i.id for i in ruleset.indicators]
            for criterion in ruleset.criteria:
                assert f"{criterion.name(lang)}" in text


# -- the bundled rulesets ------------------------------------------------------------------------
BUNDLED = sorted(ruleset_files())


@pytest.mark.parametrize("ruleset_id", BUNDLED)
def test_bundled_ruleset_has_every_indicator_and_value(ruleset_id: str) -> None:
    ruleset = get_ruleset(ruleset_id)
    doc = build(ruleset)
    assert isinstance(doc, RulesetDoc)
    assert [i.id for i in doc.indicators] == [
        i.id
        for i in (
            *ruleset.indicators,
            *(ruleset.recognition.conditions if ruleset.recognition else ()),
        )
    ]
    used = [t for i in doc.indicators for t in i.thresholds]
    for lang in LANGS:
        markdown = render(doc, "md", lang).decode("utf-8")
        for indicator in doc.indicators:
            assert indicator.name(lang).replace("*", "\\*") in markdown
        for threshold in used:
            for cell in threshold.cells.values():
                if cell.value is not None:
                    assert format_number(cell.value, lang) in markdown


def test_a_region_threshold_shows_every_region_and_the_dbkk_rule() -> None:
    doc = build(get_ruleset("vn.commune.ntm.2021"))
    assert isinstance(doc, RulesetDoc)
    income = next(i for i in doc.indicators if i.id == "10")
    assert [t.start.year for t in income.thresholds] == [2022, 2025]  # two income levels
    for threshold in income.thresholds:
        assert set(threshold.cells) == {GENERAL, *REGION_KEYS}
    text = render(doc, "md", "vi").decode("utf-8")
    assert "ĐBKK" in text and "dùng cột TDMNPB" in text
    header = next(line for line in text.splitlines() if line.startswith("| Số |"))
    assert "| Chung | TDMNPB | ĐBSH | BTB | DHNTB | TN | ĐNB | ĐBSCL |" in header
    row = next(line for line in text.splitlines() if line.startswith("| 10 "))
    assert "08/03/2022 – 31/12/2024" in row


def test_axes_are_read_from_the_ruleset_not_assumed(tmp_path: Path) -> None:
    """Columns and rules come from whatever axes the ruleset has (commune groups, say)."""
    ruleset = get_ruleset("vn.commune.ntm.2021")
    region = ruleset.axes["region"]
    rename = {"tdmnpb": "g1", "dbsh": "g2"}
    rules = tuple(
        attrs.evolve(rule, value=Literal(rename[rule.value.value]))
        if isinstance(rule.value, Literal) and rule.value.value in rename
        else rule
        for rule in region.rules
    )
    choices = tuple(rename.get(c, c) for c in region.choices)
    groups = attrs.evolve(region, name="group", choices=choices, rules=rules)
    renamed = {
        name: attrs.evolve(
            param,
            axis="group" if param.axis else None,
            entries=tuple(
                attrs.evolve(
                    entry,
                    cells={
                        {"tdmnpb": "g1", "dbsh": "g2"}.get(key, key): cell
                        for key, cell in entry.cells.items()
                    },
                )
                for entry in param.entries
            ),
        )
        for name, param in ruleset.parameters.items()
    }
    doc = build(attrs.evolve(ruleset, axes={"group": groups}, parameters=renamed))
    assert isinstance(doc, RulesetDoc)
    titles = [c.title for c in columns(doc, "en")]
    assert titles[5:8] == ["General", "g1", "g2"]
    assert "TDMNPB" not in titles
    income = next(i for i in doc.indicators if i.id == "10")
    assert income.thresholds[0].axis == "group"
    assert income.thresholds[0].cells["g1"].value == 39
    assert "use the column g1" in render(doc, "md", "en").decode("utf-8")


def provincial_text() -> str:
    return """format: 1
id: test.province.ntm
version: "1"
extends: vn.commune.ntm.2021
scope: {province: Sơn La, region: tdmnpb}
title: {vi: Bộ thử của tỉnh, en: Test provincial set}
documents:
  sl: {number: 1/QĐ-UBND, date: 2022-06-06}
overrides:
  - parameter: income_per_capita
    from: 2023-01-01
    until: 2024-12-31
    by: {tdmnpb: 45}
    source: {doc: sl, item: "10"}
    verified: true
add_indicators:
  - criterion: "17"
    id: "17.13"
    name: {vi: "Hộ phân loại rác <b>tại nguồn</b> & tái chế", en: Households sorting waste}
    condition: waste_sorting_households_pct >= 50
    source: {doc: sl, item: "17.13"}
    verified: false
    note: test
"""


def test_a_provincial_value_is_marked_with_the_value_it_replaces(tmp_path: Path) -> None:
    doc = build(load_text(tmp_path, provincial_text()))
    assert isinstance(doc, RulesetDoc)
    income = next(i for i in doc.indicators if i.id == "10")
    periods = [(t.start, t.until, t.cells["tdmnpb"]) for t in income.thresholds]
    assert [(s.isoformat(), u.isoformat() if u else None) for s, u, _ in periods] == [
        ("2022-03-08", "2022-12-31"),
        ("2023-01-01", "2024-12-31"),
        ("2025-01-01", "2025-12-31"),
    ]
    national, provincial, later = (cell for _, _, cell in periods)
    assert not national.provincial and not later.provincial
    assert provincial.value == 45 and provincial.authority == "Sơn La"
    assert provincial.replaces is not None and provincial.replaces.value == national.value
    assert income.thresholds[1].cells["dbsh"] == income.thresholds[0].cells["dbsh"]
    added = next(i for i in doc.indicators if i.id == "17.13")
    assert added.provincial and not income.provincial
    text = render(doc, "md", "vi").decode("utf-8")
    assert f"45 {PROVINCIAL} (thay 39)" in text
    assert f"| 17.13 {UNVERIFIED} {PROVINCIAL} |" in text
    assert "Sơn La" in text


def test_a_value_left_to_the_province_is_said_so(tmp_path: Path) -> None:
    text = (
        (ROOT / "rulesets" / "national" / "commune-ntm-2021.yaml")
        .read_text(encoding="utf-8")
        .replace("id: vn.commune.ntm.2021", "id: test.open")
        .replace("        value: 100\n", "        value: province_decides\n", 1)
    )
    doc = build(load_text(tmp_path, text))
    assert isinstance(doc, RulesetDoc)
    cells = [c for _, c in table_cells(doc, "en") if c.open]
    assert len(cells) == 1 and cells[0].text.startswith("set by province")
    assert "set by province" in render(doc, "html", "en").decode("utf-8")


def test_text_is_escaped_in_html_and_markdown(tmp_path: Path) -> None:
    doc = build(load_text(tmp_path, provincial_text()))
    assert isinstance(doc, RulesetDoc)
    html = render(doc, "html", "vi").decode("utf-8")
    assert "<b>tại nguồn</b>" not in html
    assert "&lt;b&gt;tại nguồn&lt;/b&gt; &amp; tái chế" in html
    markdown = render(doc, "md", "vi").decode("utf-8")
    assert "<b>" not in markdown and "&lt;b&gt;tại nguồn&lt;/b&gt;" in markdown


def test_html_is_one_self_contained_printable_page() -> None:
    html = render(build(get_ruleset("sonla.commune.ntm.2021")), "html", "en").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "@page { size: A4 landscape" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html


# -- Excel ---------------------------------------------------------------------------------------
def test_xlsx_has_a_sheet_per_level_the_rows_and_highlighted_unverified_values() -> None:
    ladder = load_ladder(ladder_files()["sonla.commune.2021"])
    levels = [get_ruleset(level) for level in ladder.levels]
    doc = build(ladder, levels)
    book = openpyxl.load_workbook(io.BytesIO(render(doc, "xlsx", "vi")))
    assert book.sheetnames == [*ladder.levels, "Chú giải"]
    for level, sheet in zip(doc.levels, book.worksheets, strict=False):
        header = [c.value for c in sheet[4]]
        assert header[:3] == ["Tiêu chí", "Số", "Chỉ tiêu"]
        assert sheet.freeze_panes == "C5"
        cells = table_cells(level, "vi")
        width = len(columns(level, "vi"))
        assert sheet.max_row - 4 == len(cells) // width
        body = list(sheet.iter_rows(min_row=5, min_col=2, max_col=width + 1))
        flat = [c for line in body for c in line]
        for (key, expected), found in zip(cells, flat, strict=True):
            highlighted = found.fill.fgColor.rgb == UNVERIFIED_FILL.fgColor.rgb
            assert highlighted == expected.unverified, (found.coordinate, expected)
            if key == "value" and expected.number is not None:
                assert found.value == expected.number
        numbers = [line[0].value for line in body if line[0].value]
        assert [n.split()[0] for n in numbers] == [i.id for i in level.indicators]


def test_xlsx_bytes_are_stable() -> None:
    doc = build(get_ruleset("vn.commune.nang-cao.2021"))
    data = render(doc, "xlsx", "en")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "2000-01-01T00:00:00Z" in core
    assert data == render(doc, "xlsx", "en")


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    names = [_sheet_name(n, taken) for n in ["a/b:c*" * 8, "a/b:c*" * 8, "Chú giải"]]
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert len({n.lower() for n in names}) == 3


# -- the command line ----------------------------------------------------------------------------
@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_cli_writes_each_format(tmp_path: Path, output_format: str, lang: str) -> None:
    target = tmp_path / f"out.{output_format}"
    ok(run("document", "-r", "sonla.village.2021", "-f", output_format, "-o", target, "-l", lang))
    data = target.read_bytes()
    if output_format == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert len(book.sheetnames) == 3
    else:
        text = data.decode("utf-8")
        assert ("Chỉ tiêu" if lang == "vi" else "Indicator") in text
        assert "sonla.village.ntm.2021" in text and "sonla.village.kieu-mau.2021" in text


def test_cli_prints_markdown_and_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(provincial_text(), encoding="utf-8")
    result = ok(run("document", "--ruleset", path, "--lang", "en"))
    assert result.stdout.startswith("# Test provincial set")
    assert "| 17.13 " in result.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((), 2),
        (("--all",), 2),
        (("--all", "-r", "vn.commune.ntm.2021", "--output-dir", "x"), 2),
        (("-r", "vn.commune.ntm.2021", "--output-dir", "x"), 2),
        (("-r", "vn.commune.ntm.2021", "-f", "pdf"), 2),
        (("-r", "vn.commune.ntm.2021", "-l", "fr"), 2),
        (("-r", "no.such.ruleset"), 1),
        (("-r", "missing/file.yaml"), 1),
        (("-r", "vn.commune.ntm.2021", "-o", "no/such/dir/out.md"), 1),
    ],
)
def test_cli_exit_codes(args: tuple[str, ...], code: int) -> None:
    failed(run("document", *args), code)


def test_cli_all_writes_both_languages_and_an_index(tmp_path: Path) -> None:
    result = ok(run("document", "--all", "--output-dir", tmp_path / "out", "--format", "html"))
    ids = [*ruleset_files(), *ladder_files()]
    assert str(len(ids) * 2 + 1) in result.stdout
    for lang in LANGS:
        assert sorted(p.stem for p in (tmp_path / "out" / lang).iterdir()) == sorted(ids)
    index = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert all(f"(vi/{i}.html)" in index and f"(en/{i}.html)" in index for i in ids)


def test_docs_criteria_is_up_to_date(tmp_path: Path) -> None:
    """docs/criteria is what the command writes now; otherwise run the command it names."""
    ok(run("document", "--all", "--output-dir", tmp_path))
    expected = {p.relative_to(tmp_path): p for p in tmp_path.rglob("*") if p.is_file()}
    present = {p.relative_to(CRITERIA_DOCS): p for p in CRITERIA_DOCS.rglob("*") if p.is_file()}
    stale = sorted(
        str(name)
        for name in expected.keys() | present.keys()
        if name not in present
        or name not in expected
        or present[name].read_bytes() != expected[name].read_bytes()
    )
    assert not stale, (
        f"docs/criteria is stale ({', '.join(stale)}): run `{REGENERATE}` "
        "(and delete files no ruleset writes any more)"
    )


def test_cli_documents_the_working_folder_copy(tmp_path: Path) -> None:
    """With --rulesets DIR, an id is the rule author's edited file, not the bundled one."""
    work = tmp_path / "work"
    work.mkdir()
    text = (ROOT / "rulesets" / "national" / "commune-ntm-2021.yaml").read_text(encoding="utf-8")
    edited = text.replace("by: {general: 48, tdmnpb: 39,", "by: {general: 48, tdmnpb: 41,", 1)
    assert edited != text
    (work / "commune-ntm-2021.yaml").write_text(edited, encoding="utf-8")
    row = re.compile(r"^\| 10 .*$", re.MULTILINE)
    bundled = row.findall(ok(run("document", "-r", "vn.commune.ntm.2021")).stdout)
    mine = row.findall(ok(run("document", "-r", "vn.commune.ntm.2021", "--rulesets", work)).stdout)
    assert "| 39 ⚠ |" in bundled[0] and "| 41 ⚠ |" in mine[0]
    ok(run("document", "--all", "--rulesets", work, "--output-dir", tmp_path / "out"))
    written = (tmp_path / "out" / "vi" / "vn.commune.ntm.2021.md").read_text(encoding="utf-8")
    assert "| 41 ⚠ |" in row.findall(written)[0]


def test_cli_writes_a_workbook_to_a_pipe_and_is_listed_in_help() -> None:
    result = ok(run("document", "-r", "vn.commune.kieu-mau.2021", "-f", "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
    assert book.sheetnames == ["vn.commune.kieu-mau.2021", "Chú giải"]
    assert "document" in ok(run("--help")).stdout
