"""The JSON Schema of ruleset and ladder files: every bundled file validates; it is generated
from the same key definitions the loader checks with, so a key one accepts the other accepts and
a misspelt key is refused by both; the copy in docs/ is current."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import json
import tempfile
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest
from cli_support import failed, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ntm_rules.errors import RulesetError
from ntm_rules.ladder import load_ladder
from ntm_rules.ruleset.files import is_ladder_file
from ntm_rules.ruleset.format_schema import DRAFT, ruleset_schema
from ntm_rules.ruleset.format_spec import SHAPES, ListOf, MapOf, Ref, Shape, Switch, ValueType
from ntm_rules.ruleset.loader import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
DOCS_COPY = ROOT / "docs" / "ruleset.schema.json"
FILES = sorted(
    path
    for path in (ROOT / "rulesets").rglob("*.yaml")
    if not path.name.endswith(".test.yaml") and "tests" not in path.relative_to(ROOT).parts[1:]
)
SCHEMA = ruleset_schema()
VALIDATOR: Any = jsonschema.Draft202012Validator(SCHEMA)
DRAFT7: Any = jsonschema.Draft7Validator(SCHEMA)  # what older YAML language servers implement
ALL_KEYS = sorted({key for shape in SHAPES for key in shape.allowed})


def plain(value: Any) -> Any:
    """YAML data as a YAML editor sees it (YAML 1.2: a date is text), as JSON."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_plain(path: Path) -> Any:
    return plain(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))


def messages(validator: Any, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


# -- the schema and the bundled files ---------------------------------------------------------
def test_schema_is_a_valid_schema() -> None:
    assert SCHEMA["$schema"] == DRAFT
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft7Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_files_validate(path: Path) -> None:
    document = read_plain(path)
    assert messages(VALIDATOR, document) == []
    assert messages(DRAFT7, document) == []


def test_every_bundled_kind_is_covered() -> None:
    kinds = {("ladder" in d, "extends" in d) for d in map(read_plain, FILES)}
    assert kinds == {(True, False), (False, True), (False, False)}


def test_docs_copy_is_current() -> None:
    expected = json.dumps(SCHEMA, ensure_ascii=False, indent=2) + "\n"
    assert DOCS_COPY.read_text(encoding="utf-8") == expected, (
        "docs/ruleset.schema.json is stale: ntm-rules schema --ruleset-format "
        "--output docs/ruleset.schema.json"
    )


def test_command_prints_the_schema() -> None:
    assert json.loads(ok(run("schema", "--ruleset-format")).stdout) == SCHEMA
    assert "--ruleset-format" in failed(run("schema", "--ruleset-format", "--result"), code=2)


# -- one definition for the loader and the schema --------------------------------------------
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_every_key_the_loader_accepts_is_in_the_schema(shape: Shape) -> None:
    definition = SCHEMA["$defs"][shape.name]
    assert tuple(definition["properties"]) == shape.allowed
    assert tuple(definition.get("required", ())) == shape.required
    assert definition["additionalProperties"] is False
    for key in shape.keys:
        description = definition["properties"][key.name]["description"]
        assert key.about.vi in description and key.about.en in description


def _refs(value: ValueType) -> list[str]:
    if isinstance(value, Ref):
        return [value.shape]
    if isinstance(value, ListOf):
        return _refs(value.item)
    if isinstance(value, MapOf):
        return _refs(value.value)
    if isinstance(value, Switch):
        return [ref.shape for _, ref in value.cases] + _refs(value.otherwise)
    return [r for option in getattr(value, "options", ()) for r in _refs(option)]


def test_every_shape_is_reachable_and_every_reference_defined() -> None:
    names = [shape.name for shape in SHAPES]
    assert len(set(names)) == len(names)
    reached = {"ruleset", "extension", "ladder_file"}
    pending = list(reached)
    while pending:
        shape = SHAPES[names.index(pending.pop())]
        for key in shape.keys:
            for ref in _refs(key.value):
                assert ref in names, (shape.name, key.name, ref)
                if ref not in reached:
                    reached.add(ref)
                    pending.append(ref)
    assert reached == set(names)


def test_the_loader_checks_keys_only_against_the_definitions() -> None:
    """No key list is written in the loader itself: every ``check_keys`` call takes a shape's
    ``allowed`` and ``required`` (or a list computed from the file, as the keys of ``by``)."""
    literal = []
    for path in (ROOT / "ntm_rules").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "check_keys"
            ):
                for arg in node.args:
                    if not isinstance(arg, ast.Attribute | ast.Name):
                        literal.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert literal == []


# -- misspelt keys ------------------------------------------------------------------------------
def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    return yaml


def mappings(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every mapping in a document."""
    found = []
    if isinstance(data, dict):
        found.append(path)
        for key, value in data.items():
            found += mappings(value, (*path, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            found += mappings(value, (*path, n))
    return found


def at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def load_file(path: Path) -> None:
    """Load a file as ``ntm-rules validate`` does: a ladder, or a ruleset."""
    if is_ladder_file(path):
        load_ladder(path)
    else:
        load_ruleset(path)


def loader_refuses_key(path: Path, key: str) -> bool:
    """Whether the loader refuses ``key`` itself (an unknown key), not its value: a problem it
    reports stands where the key is written."""
    try:
        load_file(path)
    except RulesetError as exc:
        lines = path.read_text(encoding="utf-8").splitlines()
        return any(
            part.line is not None
            and part.column is not None
            and lines[part.line - 1][part.column - 1 :].startswith(f"{key}:")
            for part in getattr(exc, "parts", (exc,))  # one problem, or several at once
            if isinstance(part, RulesetError)
        )
    return False


def schema_refuses_key(document: Any, where: tuple[Any, ...], key: str) -> bool:
    """Whether the schema reports ``key`` as a key not allowed in the mapping at ``where``."""
    pending = list(VALIDATOR.iter_errors(document))
    while pending:
        error = pending.pop()
        pending.extend(error.context or ())
        if (
            error.validator == "additionalProperties"
            and tuple(error.absolute_path) == where
            and key in error.instance
            and key not in error.schema.get("properties", {})
        ):
            return True
    return False


@functools.cache
def plain_document(path: Path) -> Any:
    return read_plain(path)


def verdicts(source: Path, where: tuple[Any, ...], key: str, value: Any) -> tuple[bool, bool]:
    """(loader, schema): whether each refuses ``key: value``, added to the mapping at ``where``
    of ``source``, as an unknown key. The loader reads the edited file; the schema checks the
    same data as an editor sees it."""
    with tempfile.TemporaryDirectory() as folder:
        yaml = _yaml()
        data = yaml.load(source.read_text(encoding="utf-8"))
        at(data, where)[key] = value
        path = Path(folder) / source.name
        with path.open("w", encoding="utf-8") as stream:
            yaml.dump(data, stream)
        by_loader = loader_refuses_key(path, key)
    document = json.loads(json.dumps(plain_document(source)))
    at(document, where)[key] = value
    return by_loader, schema_refuses_key(document, where, key)


@pytest.mark.parametrize(
    ("name", "where", "key"),
    [
        ("national/commune-ntm-2021.yaml", (), "critera"),
        ("national/commune-ntm-2021.yaml", ("criteria", 0, "indicators", 0), "verifed"),
        ("national/commune-ntm-2021.yaml", ("parameters", "income_per_capita"), "stricer"),
        ("national/commune-ntm-2021.yaml", ("documents", "qd318"), "tittle"),
        ("son-la/commune-ntm-2021.yaml", (), "override"),
        ("son-la/commune-ntm-2021.yaml", (), "criteria"),
        ("son-la/commune-ladder-2021.yaml", ("ladder",), "level"),
        ("son-la/commune-ladder-2021.yaml", (), "version"),
    ],
)
def test_a_misspelt_key_is_refused_by_both(name: str, where: tuple[Any, ...], key: str) -> None:
    assert verdicts(ROOT / "rulesets" / name, where, key, "x") == (True, True)


@pytest.mark.parametrize(
    ("name", "where", "key", "value"),
    [
        ("national/commune-ntm-2021.yaml", ("criteria", 0), "note", "x"),  # allowed
        ("national/commune-ntm-2021.yaml", ("criteria", 0, "indicators", 0), "applies_if", 3),
        ("national/commune-ntm-2021.yaml", (), "extends", "x"),  # makes it an extension
        ("son-la/commune-ntm-2021.yaml", (), "ladder", "x"),  # makes it a ladder
    ],
)
def test_a_known_key_is_not_called_unknown(
    name: str, where: tuple[Any, ...], key: str, value: Any
) -> None:
    assert verdicts(ROOT / "rulesets" / name, where, key, value) == (False, False)


def pattern(where: tuple[Any, ...]) -> tuple[Any, ...]:
    """A mapping's path with list positions and names chosen by the author (parameter and
    document names, region codes) left out: the mappings of one kind share it."""
    return tuple(step if step in ALL_KEYS else "*" for step in where)


@functools.cache
def places() -> list[tuple[Path, tuple[Any, ...], tuple[str, ...], tuple[str, ...]]]:
    """Every mapping of every bundled file, with the keys it has and the keys mappings of the
    same kind have elsewhere (often allowed here too)."""
    found = [
        (path, where, tuple(at(plain_document(path), where)))
        for path in FILES
        for where in mappings(plain_document(path))
    ]
    seen: dict[tuple[Any, ...], set[str]] = {}
    for _, where, keys in found:
        seen.setdefault(pattern(where), set()).update(keys)
    return [
        (path, where, keys, tuple(sorted(seen[pattern(where)] - set(keys))))
        for path, where, keys in found
    ]


_VALUES = st.one_of(st.sampled_from(["x", "true", "2022-03-08"]), st.integers(0, 99), st.booleans())


@st.composite
def insertions(draw: st.DrawFn) -> tuple[Path, tuple[Any, ...], str, Any]:
    path, where, existing, elsewhere = draw(st.sampled_from(places()))
    typo = st.sampled_from(existing).map(lambda k: k[:-1] if len(k) > 1 else k + "x")
    invented = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
    keys = [st.sampled_from(ALL_KEYS), typo, invented]
    if elsewhere:
        keys.append(st.sampled_from(elsewhere))
    key = draw(st.one_of(keys))
    if key in existing:
        key += "_"
    return path, where, key, draw(_VALUES)


@settings(max_examples=40, deadline=None)
@given(insertions())
def test_schema_and_loader_agree_on_unknown_keys(
    insertion: tuple[Path, tuple[Any, ...], str, Any],
) -> None:
    """A key added anywhere in a bundled file: the schema calls it unknown exactly when the
    loader does (a known key with a wrong value is refused by both for its value instead)."""
    source, where, key, value = insertion
    by_loader, by_schema = verdicts(source, where, key, value)
    assert by_schema == by_loader, (source.name, where, key, value)


def acceptance(source: Path, where: tuple[Any, ...], key: str, value: Any) -> tuple[bool, bool]:
    """(loader, schema): whether each accepts the file with ``key`` set to ``value`` in the
    mapping at ``where``."""
    with tempfile.TemporaryDirectory() as folder:
        yaml = _yaml()
        data = yaml.load(source.read_text(encoding="utf-8"))
        at(data, where)[key] = value
        path = Path(folder) / source.name
        with path.open("w", encoding="utf-8") as stream:
            yaml.dump(data, stream)
        try:
            load_file(path)
            by_loader = True
        except RulesetError:
            by_loader = False
    document = json.loads(json.dumps(plain_document(source)))
    at(document, where)[key] = value
    return by_loader, not messages(VALIDATOR, document)


NTM = "national/commune-ntm-2021.yaml"
NANG_CAO = "national/commune-nang-cao-2021.yaml"


@pytest.mark.parametrize(
    ("name", "where", "key", "value", "valid"),
    [
        (NTM, ("parameters", "irrigation_share"), "stricter", "higher", True),
        (NTM, ("parameters", "irrigation_share"), "stricter", "lower", True),
        (NTM, ("parameters", "irrigation_share"), "stricter", "bigger", False),
        (NTM, ("criteria", 0), "policy", "any", True),
        (NTM, ("criteria", 0), "policy", "most", False),
        (NTM, ("criteria", 0), "policy", {"at_least": 1}, True),
        (NTM, (), "unit", "village", True),
        (NTM, (), "unit", "hamlet", False),
        (NTM, (), "inputs", "commune_2030", False),
        (NTM, ("parameters", "irrigation_share"), "unit", "hectare", False),
        (NANG_CAO, ("requires",), "accept", ["computed"], True),
        (NANG_CAO, ("requires",), "accept", ["computed", "maybe"], False),
        (NTM, ("documents", "qd318"), "date", "8/3/2022", False),
    ],
)
def test_values_from_a_fixed_list_agree(
    name: str, where: tuple[Any, ...], key: str, value: Any, valid: bool
) -> None:
    """Values with a fixed list (units, unit kinds, input vocabularies, `stricter`, `policy`,
    `accept`) and dates are accepted by the schema exactly when the loader accepts them."""
    assert acceptance(ROOT / "rulesets" / name, where, key, value) == (valid, valid)
