"""Every mistake in a ruleset file is a RulesetError naming the file, line, column and key.

Each bad file is the bundled national ruleset with one spot edited, so the expected line and
column are computed from the text itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ntm_rules import (
    EvaluationError,
    InputError,
    RulesetError,
    evaluator_for,
    get_ruleset,
    load_ruleset,
)
from ntm_rules.engine.compiler import compile_ruleset
from ntm_rules.validation import prove_runs

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO / "rulesets" / "national" / "commune-ntm-2021.yaml"
MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal-valid.yaml"
SOURCE = NATIONAL.read_text(encoding="utf-8")


# -- helpers -----------------------------------------------------------------------------------
def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def replace_once(text: str, old: str, new: str, start: int = 0) -> tuple[str, int]:
    """Replace the first ``old`` at or after ``start``; return the text and the edit's offset."""
    offset = text.index(old, start)
    return text[:offset] + new + text[offset + len(old) :], offset


def block(text: str, header: str) -> int:
    """Offset of a line that is exactly ``header`` (e.g. ``"  income_per_capita:"``)."""
    match = re.search(rf"^{re.escape(header)}$", text, re.MULTILINE)
    assert match, f"{header!r} not found in the national ruleset"
    return match.start()


def load_error(tmp_path: Path, text: str) -> tuple[RulesetError, Path]:
    path = tmp_path / "commune-ntm-2021.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    return info.value, path


def assert_located(
    error: RulesetError, path: Path, line: int, column: int, key: str | None, *fragments: str
) -> None:
    text = str(error)
    assert Path(error.file or "").resolve() == path.resolve(), text
    assert (error.line, error.column) == (line, column), text
    assert text.startswith(f"{error.file}:{line}:{column}:"), text
    if key is not None:
        assert error.key == key, text
        assert f" {key}: " in text, text
    for fragment in fragments:
        assert fragment in text, text


def test_the_unedited_national_ruleset_loads(tmp_path: Path) -> None:
    path = tmp_path / "commune-ntm-2021.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    ruleset = load_ruleset(path)
    assert ruleset.id == "vn.commune.ntm.2021"
    assert len(ruleset.criteria) == 19


# -- one error each ----------------------------------------------------------------------------
def test_duplicate_key(tmp_path: Path) -> None:
    match = re.search(r"^version: .*\n", SOURCE, re.MULTILINE)
    assert match
    text = SOURCE[: match.end()] + 'version: "9.9"\n' + SOURCE[match.end() :]
    error, path = load_error(tmp_path, text)
    line, _ = position(text, match.end())
    assert_located(
        error, path, line, 1, None, "duplicate key 'version'", f"first at line {line - 1}"
    )


def test_unknown_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    text, offset = replace_once(SOURCE, "\nparameters:\n", "\nparamters:\n")
    error, path = load_error(tmp_path, text)
    line, _ = position(text, offset + 1)
    assert_located(
        error, path, line, 1, "paramters", "unknown key 'paramters'", "did you mean 'parameters'?"
    )


def test_missing_required_top_level_key(tmp_path: Path) -> None:
    match = re.search(r"^version: .*\n", SOURCE, re.MULTILINE)
    assert match
    text = SOURCE[: match.start()] + SOURCE[match.end() :]
    error, path = load_error(tmp_path, text)
    # the file's top-level mapping starts at line 1 (the leading comments belong to it)
    assert_located(error, path, 1, 1, None, "missing required key 'version'")


def test_missing_required_key_of_an_indicator(tmp_path: Path) -> None:
    item = SOURCE.index('      - id: "1.1"\n')
    source_line = re.compile(r"^        source: .*\n", re.MULTILINE).search(SOURCE, item)
    assert source_line
    text = SOURCE[: source_line.start()] + SOURCE[source_line.end() :]
    error, path = load_error(tmp_path, text)
    line, column = position(text, item + len("      - "))
    assert_located(
        error, path, line, column, "criteria[0].indicators[0]", "missing required key 'source'"
    )


def test_text_where_a_number_is_expected(tmp_path: Path) -> None:
    start = block(SOURCE, "  irrigation_share:")
    text, offset = replace_once(SOURCE, "        value: 80\n", "        value: eighty\n", start)
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("        value: "))
    assert_located(
        error,
        path,
        line,
        column,
        "parameters.irrigation_share.values[0].value",
        "expected a number, found the text 'eighty'",
    )


def test_text_where_a_whole_number_is_expected(tmp_path: Path) -> None:
    text, offset = replace_once(SOURCE, "\nformat: 1\n", "\nformat: one\n")
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("\nformat: "))
    assert_located(error, path, line, column, "format", "expected a whole number")


INCOME_CONDITION = "condition: income_per_capita >= param.income_per_capita"
INCOME_KEY = "criteria[9].indicators[0].condition"


def test_unknown_input_name_in_a_condition(tmp_path: Path) -> None:
    bad = "condition: income_per_capit >= param.income_per_capita"
    text, offset = replace_once(SOURCE, INCOME_CONDITION, bad)
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("condition: "))
    assert_located(
        error,
        path,
        line,
        column,
        INCOME_KEY,
        "unknown name 'income_per_capit'",
        "did you mean 'income_per_capita'?",
    )


def test_unknown_parameter(tmp_path: Path) -> None:
    bad = "condition: income_per_capita >= param.income_per_capit"
    text, offset = replace_once(SOURCE, INCOME_CONDITION, bad)
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + bad.index("param."))
    assert_located(
        error,
        path,
        line,
        column,
        INCOME_KEY,
        "unknown parameter 'param.income_per_capit'",
        "did you mean 'param.income_per_capita'?",
    )


def test_unit_mismatch(tmp_path: Path) -> None:
    bad = "condition: income_per_capita >= param.irrigation_share"
    text, offset = replace_once(SOURCE, INCOME_CONDITION, bad)
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + bad.index(">="))
    assert_located(
        error,
        path,
        line,
        column,
        INCOME_KEY,
        "unit mismatch",
        "mvnd_per_person_year",
        "percent",
    )


def test_error_column_inside_a_quoted_condition(tmp_path: Path) -> None:
    bad = 'condition: "income_per_capita >= param.income_per_capit"'
    text, offset = replace_once(SOURCE, INCOME_CONDITION, bad)
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + bad.index("param."))
    assert_located(error, path, line, column, INCOME_KEY, "unknown parameter")


def test_syntax_error_in_a_condition(tmp_path: Path) -> None:
    bad = "condition: income_per_capita => param.income_per_capita"
    text, offset = replace_once(SOURCE, INCOME_CONDITION, bad)
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + bad.index("=>"))
    assert_located(error, path, line, column, INCOME_KEY, "'=>'", "write '>='")


def test_unknown_document_in_a_source(tmp_path: Path) -> None:
    start = block(SOURCE, "  irrigation_share:")
    text, offset = replace_once(SOURCE, "source: {doc: qd318,", "source: {doc: qd319,", start)
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("source: {doc: "))
    assert_located(
        error,
        path,
        line,
        column,
        "parameters.irrigation_share.values[0].source.doc",
        "unknown document 'qd319'",
        "qd318",
    )


def test_unverified_value_without_note(tmp_path: Path) -> None:
    start = block(SOURCE, "  income_per_capita:")
    entry = SOURCE.index("      - from: ", start)
    note = re.compile(r"^        note: .*\n", re.MULTILINE).search(SOURCE, entry)
    assert note
    assert "verified: false" in SOURCE[entry : note.start()]
    text = SOURCE[: note.start()] + SOURCE[note.end() :]
    error, path = load_error(tmp_path, text)
    line, column = position(text, entry + len("      - "))
    assert_located(
        error,
        path,
        line,
        column,
        "parameters.income_per_capita.values[0]",
        "an unverified value needs a `note`",
    )


def test_parameter_dates_must_increase(tmp_path: Path) -> None:
    start = block(SOURCE, "  income_per_capita:")
    first = SOURCE.index("      - from: ", start)
    second = SOURCE.index("      - from: ", first + 1)
    old = SOURCE[second : SOURCE.index("\n", second)]
    text, offset = replace_once(SOURCE, old, "      - from: 2022-01-01", second)
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("      - from: "))
    assert_located(
        error,
        path,
        line,
        column,
        "parameters.income_per_capita.values[1].from",
        "dates must increase",
        "2022-01-01",
    )


def test_by_missing_regions_without_general(tmp_path: Path) -> None:
    start = block(SOURCE, "  income_per_capita:")
    match = re.compile(r"by: \{general: [\d.]+, tdmnpb: [\d.]+, ").search(SOURCE, start)
    assert match
    text = SOURCE[: match.start()] + "by: {" + SOURCE[match.end() :]
    error, path = load_error(tmp_path, text)
    line, column = position(text, match.start() + len("by: "))
    assert_located(
        error,
        path,
        line,
        column,
        "parameters.income_per_capita.values[0].by",
        "no value for tdmnpb",
        "general",
    )


def test_duplicate_indicator_id(tmp_path: Path) -> None:
    text, offset = replace_once(SOURCE, '      - id: "1.2"\n', '      - id: "1.1"\n')
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("      - id: "))
    assert_located(
        error, path, line, column, "criteria[0].indicators[1].id", "duplicate indicator id '1.1'"
    )


def test_unused_parameter(tmp_path: Path) -> None:
    text, _ = replace_once(
        SOURCE,
        "condition: irrigated_farmland_pct >= param.irrigation_share",
        "condition: irrigated_farmland_pct >= 80",
    )
    error, path = load_error(tmp_path, text)
    header = block(text, "  irrigation_share:")
    # the error points at the parameter's block, whose first key is on the line after its name
    line, _ = position(text, header)
    assert_located(
        error,
        path,
        line + 1,
        5,
        "parameters.irrigation_share",
        "parameter 'irrigation_share' is defined but no condition uses it",
    )


def test_invalid_yaml_syntax(tmp_path: Path) -> None:
    match = re.search(r"^unit: commune\n", SOURCE, re.MULTILINE)
    assert match
    text = SOURCE[: match.start()] + "unit: commune: x\n" + SOURCE[match.end() :]
    error, path = load_error(tmp_path, text)
    line, column = position(text, match.start() + len("unit: commune"))
    assert_located(error, path, line, column, None, "mapping values are not allowed here")


def test_tab_indentation_is_a_yaml_error(tmp_path: Path) -> None:
    match = re.search(r"^unit: commune\n", SOURCE, re.MULTILINE)
    assert match
    text = SOURCE[: match.start()] + "unit:\tcommune\n\tx: 1\n" + SOURCE[match.end() :]
    error, path = load_error(tmp_path, text)
    line, column = position(text, match.start() + len("unit:"))
    assert_located(error, path, line, column, None, "a tab character", "spaces")


@pytest.mark.parametrize(
    "text", ["- a\n- b\n", "just text\n", "", "# only a comment\n", "42\n", "[1, 2]\n"]
)
def test_a_file_that_is_not_a_mapping(tmp_path: Path, text: str) -> None:
    error, path = load_error(tmp_path, text)
    assert_located(error, path, 1, 1, None, "must be a YAML mapping")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Quy hoạch\n".encode("utf-16"))
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    assert str(path.name) in str(info.value)


def test_a_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.yaml"
    path.write_bytes(b"format: 1\nid: x\ntitle: Quy ho\xe1ch\n")
    with pytest.raises(RulesetError) as info:
        get_ruleset(path)  # asks first whether it is a ladder: that read names the file too
    assert (info.value.file, info.value.line) == (str(path), 3)
    assert "not UTF-8" in str(info.value)


def test_a_neighbour_that_is_not_utf8_does_not_stop_resolving_ids(tmp_path: Path) -> None:
    """A ruleset's `extends` by id looks at the files next to it first: a broken neighbour is
    skipped (and logged), not blamed for the ruleset being loaded."""
    (tmp_path / "notes.yaml").write_bytes(b"ghi ch\xfa: \xff\xfe\n")
    provincial = REPO / "rulesets" / "son-la" / "commune-ntm-2021.yaml"
    copy = tmp_path / "sonla.yaml"
    copy.write_text(provincial.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_ruleset(copy).extends == "vn.commune.ntm.2021"


@pytest.mark.parametrize(
    "variant",
    [
        lambda text: text.replace("\n", "\r\n"),
        lambda text: "\ufeff" + text,
        lambda text: unicodedata.normalize("NFD", text),
    ],
    ids=["crlf", "bom", "nfd"],
)
def test_the_content_hash_ignores_line_endings_bom_and_unicode_form(
    tmp_path: Path, variant: Any
) -> None:
    original = load_ruleset(NATIONAL)
    path = tmp_path / "variant.yaml"
    path.write_bytes(variant(SOURCE).encode("utf-8"))
    copy = load_ruleset(path)
    assert copy.content_hash == original.content_hash
    assert copy.parameters == original.parameters


def test_a_four_megabyte_comment_line_is_refused_fast(tmp_path: Path) -> None:
    """ruamel gathers a comment character by character (quadratic: 188 s for 4 MB)."""
    path = tmp_path / "comment.yaml"
    path.write_text("# " + "x" * 4_000_000 + "\n" + SOURCE, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    assert time.perf_counter() - started < 5
    assert (info.value.line, info.value.column) == (1, 10_001)
    assert "longer than 10,000 characters" in str(info.value)


@pytest.mark.parametrize("date", ["2022-02-30", "2021-13-01"])
def test_an_impossible_date_is_located(tmp_path: Path, date: str) -> None:
    text, offset = replace_once(SOURCE, "from: 2022-03-08", f"from: {date}")
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("from: "))
    assert_located(error, path, line, column, None, "expected a date written YYYY-MM-DD")


def test_loading_a_ruleset_leaves_other_yaml_loaders_alone() -> None:
    """The loader keeps dates as text with its own constructor class, not by changing ruamel's
    (an application embedding the library may read YAML too)."""
    load_ruleset(NATIONAL)
    for typ in ("rt", "safe"):
        assert YAML(typ=typ, pure=True).load("a: 2022-01-01")["a"] == dt.date(2022, 1, 1)


def test_a_list_as_a_key_is_located(tmp_path: Path) -> None:
    text, offset = replace_once(SOURCE, "documents:\n", "documents:\n  ? [1, [2]]\n  : 1\n")
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("documents:\n  ? "))
    assert_located(error, path, line, column, None, "a key must be a plain name")


@pytest.mark.parametrize("date", ["0001-01-01", "1989-12-31", "2101-01-01"])
def test_a_validity_outside_the_years_a_unit_can_be_assessed(tmp_path: Path, date: str) -> None:
    text, offset = replace_once(SOURCE, "valid: {from: 2022-03-08", f"valid: {{from: {date}")
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("valid: {from: "))
    assert_located(error, path, line, column, "valid.from", "must lie in 1990-2100")


def test_a_parameter_without_a_value_at_the_start_of_validity(tmp_path: Path) -> None:
    """Once an EvaluationError of `validate`: now an error at the value's `from`."""
    old = '      - from: 2022-01-01\n        source: {doc: doc1, item: "1.1"}'
    text = MINIMAL.read_text(encoding="utf-8")
    text, offset = replace_once(text, old, old.replace("2022-01-01", "2023-01-01"))
    error, path = load_error(tmp_path, text)
    line, column = position(text, offset + len("      - from: "))
    assert_located(error, path, line, column, None, "no value would be in force")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RulesetError) as info:
        load_ruleset(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(info.value)


# -- YAML tags are never executed --------------------------------------------------------------
@pytest.mark.parametrize(
    ("template", "outcome"),
    [
        ('!!python/object/apply:os.system ["touch {marker}"]\n', "not a mapping"),
        ('{source}note: !!python/object/apply:os.system ["touch {marker}"]\n', "note"),
        ('{source}note: !!python/object/apply:os.system\n  args: ["touch {marker}"]\n', "note"),
        ('{source}note: !!python/object/new:pathlib.Path ["{marker}"]\n', "note"),
        ('{source}note: !!python/name:os.system ""\n', "note"),
        ('{version}!!python/object/apply:os.system ["touch {marker}"]\n{rest}', "version"),
        (
            '{version}!!python/object/apply:subprocess.call [["touch", "{marker}"]]\n{rest}',
            "version",
        ),
        (
            "{version}!!python/object/apply:builtins.exec [\"open('{marker}', 'w')\"]\n{rest}",
            "version",
        ),
        ("{version}!!python/name:os.system\n{rest}", "version"),
    ],
)
def test_python_tags_are_inert(tmp_path: Path, template: str, outcome: str) -> None:
    """Tags are never constructed as Python objects: either the value has the wrong type for
    its key, or (under the free-text top-level ``note``) it is kept as inert data."""
    marker = tmp_path / "marker"
    source = MINIMAL.read_text(encoding="utf-8")
    match = re.search(r"^version: .*\n", source, re.MULTILINE)
    assert match
    text = template.format(
        marker=marker,
        source=source,
        version=source[: match.start()] + "version: ",
        rest=source[match.end() :],
    )
    path = tmp_path / "tagged.yaml"
    path.write_text(text, encoding="utf-8")
    if outcome == "note":
        # the top-level `note` is free text: the tagged value is either kept as inert data or
        # rejected as not being text
        try:
            assert load_ruleset(path).id == "test.minimal"
        except RulesetError as error:
            line, column = position(text, len(source) + len("note: "))
            assert_located(error, path, line, column, "note")
    else:
        with pytest.raises(RulesetError) as info:
            load_ruleset(path)
        if outcome == "version":
            line, column = position(text, match.start() + len("version: "))
            assert_located(info.value, path, line, column, "version", "expected text")
        else:
            assert_located(info.value, path, 1, 1, None, "must be a YAML mapping")
    assert not marker.exists()


# -- random mutations of a small valid ruleset -------------------------------------------------
def _plain(value: Any) -> Any:
    """ruamel's round-trip containers as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date()
    return value


MINIMAL_DATA: dict[str, Any] = _plain(YAML(typ="safe", pure=True).load(MINIMAL.read_text("utf-8")))
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "province_decides", "true", "region", "param.income", "not", "[", "{"]),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(
        st.sampled_from(["value", "vi", "en", "doc", "x"]), st.integers(0, 3), max_size=2
    ),
)


def _slots(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside the data (excluding the root)."""
    found = []
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found.append((*path, key))
        found.extend(_slots(value, (*path, key)))
    return found


def _containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if isinstance(data, dict) else []
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found.extend(_containers(value, (*path, key)))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    import copy

    data = copy.deepcopy(MINIMAL_DATA)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "replace", "insert"]))
        if kind == "insert":
            containers = _containers(data)
            target = _at(data, draw(st.sampled_from(containers)))
            junk_key = draw(st.sampled_from(["junk", "valeu", "notes", "by", "value", "axis"]))
            target[junk_key] = draw(JUNK)
            continue
        slots = _slots(data)
        if not slots:
            break
        path = draw(st.sampled_from(slots))
        parent = _at(data, path[:-1])
        if kind == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JUNK)
    return data


_counter = itertools.count()


@pytest.fixture(scope="module")
def mutation_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutations")


def test_minimal_fixture_is_valid() -> None:
    ruleset = load_ruleset(MINIMAL)
    assert ruleset.id == "test.minimal"
    compile_ruleset(ruleset)


def validate_and_evaluate(path: Path) -> None:
    """What `ntm-rules validate` does, then evaluations: a ruleset that validates must evaluate
    (only the library's own errors may escape either step, and evaluation raises none of
    RulesetError or EngineError: those would be structural failures validate missed)."""
    try:
        ruleset = load_ruleset(path)
        prove_runs(ruleset)
    except RulesetError as error:
        assert error.file is not None
        assert str(error).startswith(error.file)
        return
    evaluator = evaluator_for(ruleset)
    for record in (
        {"code": "A", "region": "tn", "year": 2024},
        {"code": "B", "region": "dbsh", "year": 2023, "income_per_capita": 50.0},
        {"code": "C", "region": "tdmnpb", "year": 2025, "dbkk": True, "has_craft_village": True},
    ):
        # e.g. a year outside a mutated validity: an input error, not a failure
        with contextlib.suppress(InputError, EvaluationError):
            evaluator.evaluate(record).explain("en")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated())
def test_random_mutations_only_raise_ruleset_errors(
    mutation_dir: Path, data: dict[str, Any]
) -> None:
    # a fresh name per example: the loader caches by (path, mtime, size)
    path = mutation_dir / f"mutant-{next(_counter)}.yaml"
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    validate_and_evaluate(path)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_line_edits_only_raise_ruleset_errors(
    mutation_dir: Path, data: st.DataObject
) -> None:
    lines = MINIMAL.read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "dedent", "indent", "truncate"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "dedent":
            lines[index] = lines[index][2:]
        elif action == "indent":
            lines[index] = "  " + lines[index]
        else:
            lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))] + "\n"
        if not lines:
            break
    path = mutation_dir / f"edited-{next(_counter)}.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    validate_and_evaluate(path)


def test_overlong_arithmetic_chain_is_a_ruleset_error(tmp_path: Path) -> None:
    bad = INCOME_CONDITION + " + " + " + ".join(["1"] * 400)
    text, _ = replace_once(SOURCE, INCOME_CONDITION, bad)
    error, _ = load_error(tmp_path, text)
    assert error.key == INCOME_KEY
