"""The fast YAML reader (ntm_rules/yaml_fast.py): libyaml builds the very tree ruamel builds.

Whenever the fast reader returns a tree, ruamel must read the same text without error into the
same tree (types, values, line and column of every key, value and item, flow style); when it
returns None, ruamel reads the file as before, so errors are ruamel's by construction. Checked on
every bundled file, on the loaded rulesets (equal models, content hashes and pickles), on
generated YAML of every style (YAML 1.1 look-alikes, duplicate keys, empty values, comments,
escapes, block scalars) and on mutated ruleset files.
"""

from __future__ import annotations

import os
import pickle
import random
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from generated_rulesets import random_ruleset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarint import OctalInt, ScalarInt
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

import ntm_rules.ruleset.loader as loader
import ntm_rules.yaml_fast as yaml_fast
import ntm_rules.yaml_source as yaml_source
from ntm_rules.errors import NtmRulesError, RulesetError
from ntm_rules.ruleset.files import ruleset_files
from ntm_rules.ruleset.search import bundled_dir
from ntm_rules.yaml_fast import fast_tree
from ntm_rules.yaml_source import load_yaml_text, ruamel_loader

BUNDLED = sorted(p for p in bundled_dir().rglob("*.yaml") if not p.name.endswith(".test.yaml"))
TEXTS = [p.read_text(encoding="utf-8-sig") for p in BUNDLED]


# -- comparing trees -------------------------------------------------------------------------
def _attributes(value: Any) -> dict[str, Any]:
    """A scalar's layout attributes (a ScalarInt's width, a ScalarFloat's precision...); the
    comment after a block scalar's indicator and a folded scalar's fold positions only serve
    the writer."""
    return {
        k: v for k, v in getattr(value, "__dict__", {}).items() if k not in ("comment", "fold_pos")
    }


def differs(fast: Any, ruamel: Any, at: str = "$") -> str | None:
    """Where two trees differ, or None."""
    if type(fast) is not type(ruamel):
        return f"{at}: {type(fast).__name__} {fast!r} != {type(ruamel).__name__} {ruamel!r}"
    if isinstance(fast, CommentedMap | CommentedSeq):
        if (fast.lc.line, fast.lc.col, fast.lc.data) != (
            ruamel.lc.line,
            ruamel.lc.col,
            ruamel.lc.data,
        ):
            return f"{at}: positions {fast.lc.data} != {ruamel.lc.data}"
        if fast.fa.flow_style() != ruamel.fa.flow_style():
            return f"{at}: flow style"
        if isinstance(fast, CommentedMap):
            if [(type(k), k) for k in fast] != [(type(k), k) for k in ruamel]:
                return f"{at}: keys {list(fast)} != {list(ruamel)}"
            pairs = [(f"{at}.{k}", fast[k], ruamel[k]) for k in fast]
        else:
            if len(fast) != len(ruamel):
                return f"{at}: {len(fast)} items != {len(ruamel)}"
            pairs = [
                (f"{at}[{i}]", a, b) for i, (a, b) in enumerate(zip(fast, ruamel, strict=True))
            ]
        return next((d for p, a, b in pairs if (d := differs(a, b, p))), None)
    same_value = fast == ruamel or (fast != fast and ruamel != ruamel)  # NaN
    if not same_value or _attributes(fast) != _attributes(ruamel):
        return f"{at}: {fast!r} {_attributes(fast)} != {ruamel!r} {_attributes(ruamel)}"
    return None


def agree(text: str) -> bool:
    """Check the fast reader against ruamel on ``text``; whether the fast reader took it."""
    tree = fast_tree(text)
    if tree is None:
        return False
    reference = ruamel_loader().load(text)  # must not fail: the fast reader accepted the text
    difference = differs(tree, reference)
    assert difference is None, difference
    return True


def outcome(text: str, *, fast: bool) -> tuple[Any, ...]:
    """What ``load_yaml_text`` gives: the tree's shape, or the error as the author reads it."""
    with mock.patch.object(yaml_source, "fast_tree", fast_tree if fast else lambda text: None):
        try:
            node = load_yaml_text(text, "f.yaml")
        except RulesetError as exc:
            return ("error", exc.describe("en"), exc.describe("vi"), exc.line, exc.column)
    return ("tree", repr(node.value))


# -- the bundled rulesets --------------------------------------------------------------------
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_file_is_read_by_the_fast_reader_into_ruamels_tree(path: Path) -> None:
    assert agree(path.read_text(encoding="utf-8-sig")), "the fast reader fell back to ruamel"


@pytest.fixture
def no_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NTM_RULES_CACHE", "0")
    monkeypatch.setattr(loader, "_cache", {})


@pytest.mark.parametrize("ruleset_id", sorted(ruleset_files()))
def test_both_readers_load_identical_rulesets(ruleset_id: str, no_caches: None) -> None:
    path = ruleset_files()[ruleset_id]
    fast = loader.load_ruleset(path)
    loader._cache.clear()
    with mock.patch.object(yaml_source, "fast_tree", lambda text: None):
        slow = loader.load_ruleset(path)
    assert fast == slow
    assert fast.content_hash == slow.content_hash
    assert pickle.dumps(fast) == pickle.dumps(slow)


def test_a_generated_ruleset_loads_identically(tmp_path: Path, no_caches: None) -> None:
    rng = random.Random(8)
    for n in range(3):
        path = tmp_path / f"r{n}.yaml"
        path.write_text(random_ruleset(rng, max_criteria=6, max_per=4), encoding="utf-8")
        assert agree(path.read_text(encoding="utf-8"))
        fast = loader.load_ruleset(path)
        loader._cache.clear()
        with mock.patch.object(yaml_source, "fast_tree", lambda text: None):
            slow = loader.load_ruleset(path)
        loader._cache.clear()
        assert pickle.dumps(fast) == pickle.dumps(slow)


# -- scalars: YAML 1.2 as ruamel reads it, not PyYAML's 1.1 -------------------------------------
@pytest.mark.parametrize(
    ("written", "expected", "kind"),
    [
        ("yes", "yes", str),
        ("No", "No", str),
        ("on", "on", str),
        ("off", "off", str),
        ("y", "y", str),
        ("true", True, bool),
        ("FALSE", False, bool),
        ("~", None, type(None)),
        ("Null", None, type(None)),
        ("0", 0, ScalarInt),
        ("7", 7, int),
        ("-12", -12, int),
        ("017", 17, ScalarInt),
        ("0o17", 15, OctalInt),
        ("1_000", 1000, ScalarInt),
        ("1:30", "1:30", str),
        ("2022-03-08", "2022-03-08", str),
        ("2022-02-30", "2022-02-30", str),
        ('"yes"', "yes", DoubleQuotedScalarString),
        (">-\n  a\n  b", "a b", FoldedScalarString),
    ],
)
def test_scalars_are_typed_as_ruamel_types_them(written: str, expected: Any, kind: type) -> None:
    text = f"key: {written}\n"
    assert agree(text)
    value = fast_tree(text)["key"]  # type: ignore[index]
    assert type(value) is kind and value == expected


@pytest.mark.parametrize("written", ["1e3", "1.5", "-0.25", ".5", "1.", "+.inf", ".NaN", "1_0.5"])
def test_floats_keep_ruameles_layout(written: str) -> None:
    assert agree(f"key: {written}\n")


# -- what the fast reader leaves to ruamel ---------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a duplicate key: ruamel's error, with both lines
        "a: 1\n b: 2\n",  # bad indentation
        "a: 'open\n",  # a quote never closed
        "a: [1, 2\n",  # a bracket never closed
        "a:\n\tb: 1\n",  # a tab
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # a tag
        "%YAML 1.1\n---\na: yes\n",  # another YAML version
        "a: 1\n---\nb: 2\n",  # two documents
        "- a\n- b\n",  # not a mapping
        "# nothing\n",  # empty
        "[a]: 1\n",  # a key that is a list
        "base: &b {x: 1}\nc:\n  <<: *b\n",  # a merge key
        "a: 1\r\nb: 2\r\n",  # Windows line ends as given (files are read with \n)
        "a: x\u2028y\n",  # a line separator
        "a: {x: , y: 1}\n",  # an empty value in a flow mapping
        "a: # nothing yet\nb: 1\n",  # an empty value with a comment
        "a: " + "[" * 60 + "]" * 60 + "\n",  # nesting deeper than MAX_DEPTH
    ],
)
def test_the_fast_reader_leaves_unusual_files_to_ruamel(text: str) -> None:
    assert fast_tree(text) is None
    assert outcome(text, fast=True) == outcome(text, fast=False)


def test_a_duplicate_key_is_reported_as_before() -> None:
    text = "format: 1\nid: x\nformat: 2\n"
    kind, english, _, line, _ = outcome(text, fast=True)
    assert kind == "error" and "duplicate key 'format' (first at line 1)" in english and line == 3


@pytest.mark.parametrize("missing", ["PyYAML", "libyaml"])
def test_without_libyaml_ruamel_reads_every_file(missing: str, no_caches: None) -> None:
    import yaml

    yaml_fast._parser.cache_clear()
    try:
        if missing == "PyYAML":
            gone = mock.patch.dict("sys.modules", {"yaml": None})
        else:
            gone = mock.patch.object(yaml, "__with_libyaml__", False)
        with gone:
            assert fast_tree(TEXTS[0]) is None
            without = loader.load_ruleset(ruleset_files()["sonla.commune.ntm.2021"])
    finally:
        yaml_fast._parser.cache_clear()
    loader._cache.clear()
    assert fast_tree(TEXTS[0]) is not None
    assert loader.load_ruleset(ruleset_files()["sonla.commune.ntm.2021"]) == without


# -- generated YAML --------------------------------------------------------------------------
PLAIN = [
    "yes", "no", "on", "off", "y", "n", "Yes", "OFF", "true", "False", "TRUE", "null", "Null",
    "~", "0", "00", "-0", "+1", "7", "017", "0o17", "0x1F", "0b101", "1_000", "1__0", "1e3",
    "1E3", "1.5", ".5", "1.", "+.5", "-.inf", ".Inf", ".nan", "1:30", "12:30:00", "2022-03-08",
    "2022-02-30", "2022-01-01T10:00:00Z", "2022-1-1", "=", "<<", "a b", "a:b", "a#b", "Sơn La",
    "xã nông thôn mới", "e\u0301", "-x", "?x", ":x", "a:", "%x", "@x", "`x", "1 000",
    "income_per_capita >= param.income", "x'y", 'x"y', "a,b", "[x", "x]", "{x", "x}", "!x",
    "&x", "*x", "|", ">", "#x", "- x", "? x", ": x", "a: b", "...", "---", "' '", "\\",
]  # fmt: skip
ESCAPES = ["\\n", "\\t", "\\\\", '\\"', "\\x41", "\\u00e9", "\\U0001F600", "\\/", "\\ ", "\\_",
           "\\N", "\\0", "\\e", "\\L", "\\P", "\\a", "\\q", "\\\n  "]  # fmt: skip
WORDS = ["a", "b", "xã", "Sơn", "1", "x y", "đạt", "id", "c"]


class Writer:
    """YAML text of random shape and style, valid or not."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def word(self) -> str:
        r = self.rng
        return r.choice(PLAIN) if self.chance(0.5) else " ".join(r.sample(WORDS, r.randint(1, 3)))

    def scalar(self, flow: bool) -> str:
        r, text = self.rng, self.word()
        style = r.choice(["plain", "plain", "single", "double", "escaped"])
        if style == "single":
            return "'" + text.replace("'", "''" if self.chance(0.9) else "'") + "'"
        if style == "double":
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if style == "escaped":
            return '"' + r.choice(WORDS) + r.choice(ESCAPES) + r.choice(WORDS) + '"'
        return text

    def key(self) -> str:
        return self.rng.choice([*WORDS[:4], "id", "'q'", '"d"', "1", "true", "null", "1.5"])

    def comment(self) -> str:
        return "  # note" if self.chance(0.15) else ""

    def flow(self, depth: int) -> str:
        r = self.rng
        if depth <= 0 or self.chance(0.5):
            return self.scalar(flow=True)
        items = r.randint(0, 3)
        if self.chance(0.5):
            return "[" + ", ".join(self.flow(depth - 1) for _ in range(items)) + "]"
        pairs = (f"{self.key()}: {self.flow(depth - 1)}" for _ in range(items))
        return "{" + ", ".join(pairs) + "}"

    def block_scalar(self, indent: int) -> list[str]:
        r = self.rng
        head = r.choice(["|", ">"]) + r.choice(["", "-", "+"]) + self.comment()
        lines = [head]
        for _ in range(r.randint(1, 4)):
            extra = " " * r.choice([0, 0, 0, 2])
            lines.append("" if self.chance(0.2) else " " * indent + extra + self.word())
        return lines

    def value(self, indent: int, depth: int) -> list[str]:
        """A value after ``key:`` or ``-``: its first line's rest, then its own lines."""
        r = self.rng
        roll = r.random()
        if roll < 0.1:
            return ["" + self.comment()]  # empty value
        if roll < 0.5 or depth <= 0:
            return [" " + self.scalar(flow=False) + self.comment()]
        if roll < 0.6:
            first, *rest = self.block_scalar(indent + 2)
            return [" " + first, *rest]
        if roll < 0.7:
            return [" " + self.flow(2) + self.comment()]
        step = r.choice([2, 4])
        if self.chance(0.5):
            return [self.comment(), *self.mapping(indent + step, depth - 1)]
        return [self.comment(), *self.sequence(indent + r.choice([0, step]), depth - 1)]

    def mapping(self, indent: int, depth: int) -> list[str]:
        lines: list[str] = []
        for _ in range(self.rng.randint(1, 4)):
            if self.chance(0.1):
                lines.append(self.rng.choice(["", "# comment", " " * indent + "# indented"]))
            first, *rest = self.value(indent, depth)
            lines.append(" " * indent + self.key() + ":" + first)
            lines.extend(rest)
        return lines

    def sequence(self, indent: int, depth: int) -> list[str]:
        lines: list[str] = []
        for _ in range(self.rng.randint(1, 3)):
            if depth > 0 and self.chance(0.4):  # ``- key: value`` then the other keys
                first, *rest = self.mapping(indent + 2, depth - 1)
                lines.append(" " * indent + "- " + first.lstrip(" "))
                lines.extend(rest)
            else:
                first, *rest = self.value(indent, depth)
                lines.append(" " * indent + "-" + first)
                lines.extend(rest)
        return lines

    def document(self) -> str:
        lines = self.mapping(0, 3)
        if self.chance(0.1):
            lines.insert(0, "---")
        return "\n".join(lines) + ("\n" if self.chance(0.9) else "")


def mutate(rng: random.Random, text: str) -> str:
    """A ruleset text with a few random edits an author might make."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        line, roll = lines[i], rng.random()
        if roll < 0.3:
            cut = rng.randint(0, len(line))
            lines[i] = line[:cut] + rng.choice([*PLAIN, ":", " ", "  ", "- ", "#"]) + line[cut:]
        elif roll < 0.45 and line:
            cut = rng.randrange(len(line))
            lines[i] = line[:cut] + line[cut + 1 :]
        elif roll < 0.6:
            lines.insert(i, line)  # often a duplicate key
        elif roll < 0.75:
            lines[i] = line.lstrip(" ") if rng.random() < 0.5 else "  " + line
        elif ": " in line:
            lines[i] = line.partition(": ")[0] + ": " + rng.choice(PLAIN)
        else:
            lines[i] = line.partition(":")[0] + ":"
    return "\n".join(lines)


FAST = settings(
    max_examples=int(os.environ.get("NTM_YAML_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FAST
@given(st.randoms(use_true_random=False))
def test_generated_yaml_is_read_as_ruamel_reads_it(rng: random.Random) -> None:
    agree(Writer(rng).document())


def test_the_writer_makes_files_the_fast_reader_takes() -> None:
    """The property above checks something: most generated files take the fast path."""
    rng = random.Random(1)
    taken = sum(agree(Writer(rng).document()) for _ in range(200))
    assert taken > 60


SHORT = [t for t in TEXTS if len(t) < 12_000]


@FAST
@given(st.randoms(use_true_random=False), st.sampled_from(SHORT))
def test_edited_ruleset_files_read_as_ruamel_reads_them(rng: random.Random, text: str) -> None:
    edited = mutate(rng, text)
    agree(edited)
    assert outcome(edited, fast=True) == outcome(edited, fast=False)


# -- whole rulesets, edited ------------------------------------------------------------------
RULESETS = [
    Path(__file__).resolve().parent / "fixtures" / "minimal-valid.yaml",
    bundled_dir() / "son-la" / "commune-ntm-2021.yaml",  # extends the national NTM set
]


def load_outcome(path: Path, *, fast: bool) -> tuple[Any, ...]:
    """The loaded ruleset (pickled, so that every field counts) or every error as said."""
    loader._cache.clear()
    with mock.patch.object(yaml_source, "fast_tree", fast_tree if fast else lambda text: None):
        try:
            ruleset = loader.load_ruleset(path)
        except NtmRulesError as exc:
            return ("error", exc.describe("en"), exc.describe("vi"))
    return ("ruleset", ruleset.content_hash, pickle.dumps(ruleset))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.sampled_from(RULESETS), st.booleans())
def test_edited_rulesets_load_identically_by_both_readers(
    rng: random.Random, base: Path, generated: bool
) -> None:
    text = random_ruleset(rng, max_criteria=4, max_per=3) if generated else base.read_text("utf-8")
    edited = mutate(rng, text) if rng.random() < 0.8 else text
    with tempfile.TemporaryDirectory() as folder, mock.patch.dict(os.environ, NTM_RULES_CACHE="0"):
        path = Path(folder) / "edited.yaml"
        path.write_text(edited, encoding="utf-8")
        assert load_outcome(path, fast=True) == load_outcome(path, fast=False)
