"""The condition language: parser, printer and type checker.

Conditions are data: they are tokenised and parsed by a small recursive-descent parser and never
handed to Python's ``eval``. Every error carries the offset of the problem (``pos``) so the loader
can point at the right column of the ruleset file.
"""

from __future__ import annotations

import builtins
import contextlib
import keyword
import re
import string
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ntm_rules.expr import (
    BOOL,
    NUMBER,
    And,
    Binary,
    Compare,
    Expr,
    ExprSyntaxError,
    ExprType,
    ExprTypeError,
    In,
    ListLit,
    Literal,
    Name,
    Neg,
    Not,
    Or,
    check,
    parse,
)
from ntm_rules.expr.ast import to_source, walk
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.vocabulary import field_specs

ENV: dict[str, ExprType] = {spec.name: spec.expr_type for spec in field_specs(Commune2021)}
ENV["param.income_per_capita"] = ExprType("number", "mvnd_per_person_year")
ENV["param.irrigation_share"] = ExprType("number", "percent")


# -- helpers -----------------------------------------------------------------------------------
def strip(expr: Any) -> Any:
    """The same tree with every ``pos`` set to 0 (positions differ between equal trees)."""
    if isinstance(expr, tuple):
        return tuple(strip(item) for item in expr)
    if not attrs.has(type(expr)):
        return expr
    changes = {
        field.name: strip(getattr(expr, field.name))
        for field in attrs.fields(type(expr))
        if field.name != "pos"
    }
    return attrs.evolve(expr, pos=0, **changes)


def lit(value: float | bool | str) -> Literal:
    return Literal(
        float(value) if isinstance(value, int) and not isinstance(value, bool) else value
    )


def name(dotted: str) -> Name:
    return Name(tuple(dotted.split(".")))


A, B, C = name("a"), name("b"), name("c")


# -- precedence and structure ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("1 + 2 * 3", Binary("+", lit(1), Binary("*", lit(2), lit(3)))),
        ("(1 + 2) * 3", Binary("*", Binary("+", lit(1), lit(2)), lit(3))),
        ("1 - 2 - 3", Binary("-", Binary("-", lit(1), lit(2)), lit(3))),
        ("8 / 4 / 2", Binary("/", Binary("/", lit(8), lit(4)), lit(2))),
        ("1 - (2 - 3)", Binary("-", lit(1), Binary("-", lit(2), lit(3)))),
        ("a + 1 >= b * 2", Compare(">=", Binary("+", A, lit(1)), Binary("*", B, lit(2)))),
        ("a or b and c", Or((A, And((B, C))))),
        ("(a or b) and c", And((Or((A, B)), C))),
        ("a or b or c", Or((A, B, C))),
        ("a and b and c", And((A, B, C))),
        ("not a and b", And((Not(A), B))),
        ("not (a and b)", Not(And((A, B)))),
        ("not a == b", Not(Compare("==", A, B))),
        ("not not a", Not(Not(A))),
        ("-2 * 3", Binary("*", Neg(lit(2)), lit(3))),
        ("-(2 * 3)", Neg(Binary("*", lit(2), lit(3)))),
        ("- - a", Neg(Neg(A))),
        ("a * -b", Binary("*", A, Neg(B))),
        ("-a >= -1.5", Compare(">=", Neg(A), Neg(lit(1.5)))),
        ("a in [1, 2]", In(A, ListLit((lit(1), lit(2))))),
        ("a not in ['x', \"y\"]", In(A, ListLit((lit("x"), lit("y"))), negated=True)),
        ("not a in ['x']", Not(In(A, ListLit((lit("x"),))))),
        ("a + 1 in [2]", In(Binary("+", A, lit(1)), ListLit((lit(2),)))),
        (
            "a in [1] and b not in [2]",
            And((In(A, ListLit((lit(1),))), In(B, ListLit((lit(2),)), negated=True))),
        ),
        ("param.income >= 3", Compare(">=", name("param.income"), lit(3))),
        ("true and false", And((lit(True), lit(False)))),
        ("region == 'Đồng bằng'", Compare("==", name("region"), lit("Đồng bằng"))),
        ("a != b", Compare("!=", A, B)),
        ("((a))", A),
    ],
)
def test_precedence_and_structure(text: str, tree: Expr) -> None:
    assert strip(parse(text)) == tree


def test_positions_are_offsets_into_the_text() -> None:
    expr = parse("income_per_capita >= param.x * 2")
    assert isinstance(expr, Compare)
    assert expr.pos == 18  # the operator
    assert expr.left.pos == 0
    assert isinstance(expr.right, Binary)
    assert expr.right.pos == 29  # '*'
    assert expr.right.left.pos == 21  # 'param.x'
    assert expr.right.right.pos == 31


def test_numbers_are_floats_and_texts_keep_their_characters() -> None:
    assert parse("42") == Literal(42.0)
    assert parse("0.25") == Literal(0.25)
    assert parse('"it\'s"') == Literal("it's")


# -- syntax errors -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "pos", "fragment"),
    [
        ("a >= ", 5, "end of condition"),
        ("a >= 1 1", 7, "unexpected '1'"),
        ("a < b < c", 6, "unexpected '<'"),
        ("(a", 2, "expected ')'"),
        ("a $ b", 2, "unexpected character '$'"),
        ("a = 1", 2, "'=' is not part of the condition language; write '=='"),
        ("x in []", 5, "at least one item"),
        ("x in [y]", 6, "only hold numbers"),
        ("x in 1", 5, "expected '['"),
        ("param.", 6, "expected a name after '.'"),
        ("param.and", 6, "expected a name after '.'"),
        ("a and", 5, "expected a value"),
        ("and", 0, "unexpected keyword 'and'"),
        ("a == 1 )", 7, "unexpected ')'"),
        ("'unclosed", 0, "unexpected character"),
        ("", 0, "empty condition"),
        ("   ", 0, "empty condition"),
        ("'it''s'", 4, "unexpected \"'s'\""),
        ("a && b", 2, "'&&' is not part of the condition language; write 'and'"),
        ("1e5 > a", 1, "unexpected 'e5'"),
        ("a >= 1,5", 6, "unexpected ','"),
    ],
)
def test_syntax_errors_name_the_position(text: str, pos: int, fragment: str) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse(text)
    assert info.value.pos == pos
    assert fragment in info.value.message
    assert str(info.value) == info.value.message


@pytest.mark.parametrize(
    "text",
    [
        "not " * 60 + "a",
        "(" * 60 + "a" + ")" * 60,
        "-" * 60 + "1",
    ],
)
def test_deep_nesting_is_a_syntax_error(text: str) -> None:
    with pytest.raises(ExprSyntaxError, match="nested too deeply"):
        parse(text)


def test_overlong_condition_is_a_syntax_error() -> None:
    with pytest.raises(ExprSyntaxError, match="longer than") as info:
        parse("a" + " + a" * 600)
    assert info.value.pos == 0


# -- no Python evaluation ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "pos"),
    [
        ("__import__('os').system('x')", 10),
        ("eval('1')", 4),
        ("exec('import os')", 4),
        ("lambda: 1", 6),
        ("().__class__", 1),
        ("[x for x in [1]]", 1),
        ("a if b else c", 2),
        ("open('/etc/passwd').read()", 4),
    ],
)
def test_python_code_is_a_syntax_error(text: str, pos: int) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse(text)
    assert info.value.pos == pos


def test_attribute_access_is_only_a_name(tmp_path: Path) -> None:
    """``a.__class__`` parses as the dotted name of an input, which the checker rejects."""
    expr = parse("a.__class__")
    assert strip(expr) == Name(("a", "__class__"))
    with pytest.raises(ExprTypeError, match=re.escape("unknown name 'a.__class__'")):
        check(expr, ENV, BOOL)


def test_parsing_and_checking_never_run_python(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    attempts = [
        f"__import__('pathlib').Path('{marker}').touch()",
        f"__import__('os').system('touch {marker}')",
        f"exec(\"open('{marker}', 'w')\")",
        "eval",
    ]

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the condition language must not call eval/exec/compile")

    with (
        mock.patch.object(builtins, "eval", forbidden),
        mock.patch.object(builtins, "exec", forbidden),
        mock.patch.object(builtins, "compile", forbidden),
    ):
        for text in attempts:
            with contextlib.suppress(ExprSyntaxError, ExprTypeError):
                check(parse(text), ENV, BOOL)
    assert not marker.exists()


# -- type checking -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "pos", "fragments"),
    [
        (
            "income_per_capit >= 50",
            0,
            ("unknown name 'income_per_capit'", "did you mean 'income_per_capita'?"),
        ),
        (
            "income_per_capita >= param.income_per_capit",
            21,
            (
                "unknown parameter 'param.income_per_capit'",
                "did you mean 'param.income_per_capita'?",
            ),
        ),
        ("dbkk and zzzz_qqqq_xxxx", 9, ("unknown name 'zzzz_qqqq_xxxx'",)),
        (
            "irrigated_farmland_pct >= income_per_capita",
            23,
            ("unit mismatch", "percent", "mvnd_per_person_year"),
        ),
        (
            "income_per_capita >= param.irrigation_share",
            18,
            ("unit mismatch", "mvnd_per_person_year compared with percent"),
        ),
        (
            "irrigated_farmland_pct + income_per_capita >= 1",
            23,
            ("unit mismatch: cannot add", "mvnd_per_person_year", "percent"),
        ),
        (
            "income_per_capita - irrigated_farmland_pct >= 1",
            18,
            ("unit mismatch: cannot subtract",),
        ),
        (
            "income_per_capita * income_per_capita >= param.income_per_capita",
            38,
            ("unit mismatch", "mvnd_per_person_year*mvnd_per_person_year"),
        ),
        ("master_plan_approved >= 1", 21, ("cannot compare true/false with a number",)),
        ("master_plan_approved == 1", 21, ("cannot compare true/false with a number",)),
        ("master_plan_approved and 5", 25, ("must be true/false, but is a number",)),
        ("income_per_capita", 0, ("must be true/false, but is a number in mvnd_per_person_year",)),
        ("not income_per_capita", 4, ("must be true/false",)),
        ("-master_plan_approved >= 1", 1, ("'-' needs a number, found true/false",)),
        ("master_plan_approved + 1 >= 1", 0, ("'+' needs a number",)),
        ("region == 'mekong'", 10, ("'mekong' is not one of", "tdmnpb")),
        ("'mekong' != region", 0, ("'mekong' is not one of",)),
        ("region in ['tdmnpb', 'mekong']", 21, ("'mekong' is not one of",)),
        ("region not in ['mekong']", 15, ("'mekong' is not one of",)),
        ("region in [1]", 11, ("list item 1.0 is a number", "left side is a text")),
        ("region >= 'tdmnpb'", 7, ("'>=' needs numbers, found a text",)),
        ("region == 1", 7, ("cannot compare a text with a number",)),
        ("master_plan_approved in [true]", 21, ("'in' needs a number or a text",)),
        ("[1] == income_per_capita", 0, ("a list may only follow 'in'",)),
    ],
)
def test_type_errors_name_the_position(text: str, pos: int, fragments: tuple[str, ...]) -> None:
    with pytest.raises(ExprTypeError) as info:
        check(parse(text), ENV, BOOL)
    assert info.value.pos == pos, info.value.message
    for fragment in fragments:
        assert fragment in info.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("income_per_capita >= param.income_per_capita", BOOL),
        ("income_per_capita >= 1.1 * param.income_per_capita", BOOL),
        ("income_per_capita / 2 >= param.income_per_capita", BOOL),
        ("irrigated_farmland_pct >= 80", BOOL),
        ("irrigated_farmland_pct + solid_houses_pct >= 2 * param.irrigation_share", BOOL),
        ("income_per_capita / income_per_capita >= 1", BOOL),
        ("region in ['tdmnpb', 'tn'] and not dbkk", BOOL),
        ("region != 'dbsh' or master_plan_approved == true", BOOL),
        ("temporary_houses <= 0", BOOL),
        ("true", BOOL),
    ],
)
def test_well_typed_conditions(text: str, expected: ExprType) -> None:
    assert check(parse(text), ENV, BOOL) == expected


def test_arithmetic_types_carry_units() -> None:
    assert check(parse("income_per_capita * 2"), ENV) == ExprType("number", "mvnd_per_person_year")
    assert check(parse("2 * income_per_capita"), ENV) == ExprType("number", "mvnd_per_person_year")
    assert check(parse("1 / income_per_capita"), ENV).unit == "1/mvnd_per_person_year"
    assert check(parse("income_per_capita / income_per_capita"), ENV) == NUMBER
    assert check(parse("-irrigated_farmland_pct"), ENV) == ExprType("number", "percent")
    assert check(parse("region"), ENV).choices == ENV["region"].choices


def test_long_arithmetic_chain_is_rejected_or_accepted_cleanly() -> None:
    text = "income_per_capita >= " + " + ".join(["1"] * 400)
    assert len(text) < 2000
    with contextlib.suppress(ExprSyntaxError, ExprTypeError):
        assert check(parse(text), ENV, BOOL) == BOOL


# -- printing: parse(to_source(parse(s))) == parse(s) ------------------------------------------
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
identifiers = st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True).filter(
    lambda s: s not in _KEYWORDS and not keyword.iskeyword(s)
)
names = st.one_of(identifiers, identifiers.map(lambda s: f"param.{s}"))
# Numbers for the round-trip property; test_printer_round_trips_edge_cases covers the edge cases.
numbers = st.one_of(
    st.integers(0, 999_999).map(str),
    st.integers(0, 9_999).map(lambda n: repr(n / 100)),
)
_TEXT_ALPHABET = string.ascii_letters + string.digits + " _-.,'ăâđêôơưĐÁàảãạ"
texts = st.text(_TEXT_ALPHABET, max_size=8).map(lambda s: f'"{s}"' if "'" in s else f"'{s}'")
literals = st.one_of(numbers, texts, st.sampled_from(["true", "false"]))
atoms = st.one_of(names, literals)


def _spaced(*parts: str) -> st.SearchStrategy[str]:
    return st.sampled_from([" ", "  ", "\t"]).map(lambda sep: sep.join(parts))


@st.composite
def values(draw: st.DrawFn, depth: int = 0) -> str:
    """An arithmetic operand (what may stand on either side of a comparison)."""
    if depth >= 3:
        return draw(atoms)
    kind = draw(st.sampled_from(["atom", "atom", "neg", "binary", "paren", "bool"]))
    if kind == "atom":
        return draw(atoms)
    if kind == "neg":
        return "-" + draw(values(depth + 1))
    if kind == "binary":
        op = draw(st.sampled_from(["+", "-", "*", "/"]))
        return f"{draw(values(depth + 1))} {op} ({draw(values(depth + 1))})"
    if kind == "paren":
        return f"({draw(values(depth + 1))})"
    return f"({draw(conditions(depth + 1))})"


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth >= 3:
        return draw(st.one_of(names, st.sampled_from(["true", "false"])))
    kind = draw(st.sampled_from(["compare", "in", "not", "and", "or", "name", "paren"]))
    if kind == "compare":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return f"{draw(values(depth + 1))} {op} {draw(values(depth + 1))}"
    if kind == "in":
        items = draw(st.lists(literals, min_size=1, max_size=3))
        negated = draw(st.booleans())
        return f"{draw(values(depth + 1))} {'not in' if negated else 'in'} [{', '.join(items)}]"
    if kind == "not":
        return f"not {draw(conditions(depth + 1))}"
    if kind in ("and", "or"):
        parts = draw(st.lists(conditions(depth + 1), min_size=2, max_size=3))
        return f" {kind} ".join(f"({p})" for p in parts)
    if kind == "paren":
        return f"({draw(conditions(depth + 1))})"
    return draw(names)


def _not_as_operand(expr: Expr) -> bool:
    """A ``not`` directly under ``-``, arithmetic, a comparison or ``in`` (covered by
    test_printer_round_trips_edge_cases)."""
    for node in walk(expr):
        operands: tuple[Any, ...] = ()
        if isinstance(node, Neg):
            operands = (node.operand,)
        elif isinstance(node, Binary | Compare):
            operands = (node.left, node.right)
        elif isinstance(node, In):
            operands = (node.left,)
        if any(isinstance(o, Not) for o in operands):
            return True
    return False


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(conditions(), values()))
def test_printing_round_trips(text: str) -> None:
    first = parse(text)
    assume(not _not_as_operand(first))
    printed = to_source(first)
    assert strip(parse(printed)) == strip(first), printed
    # printing is a fixed point after one round
    assert to_source(parse(printed)) == printed


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("income_per_capita >= 1000000", id="million-printed-1e+06"),
        pytest.param("income_per_capita >= 1234567", id="seven-digits-rounded"),
        pytest.param("irrigated_farmland_pct >= 0.00001", id="small-printed-1e-05"),
        pytest.param("irrigated_farmland_pct >= 80.1234567", id="precision-lost"),
        pytest.param("name == 'a\\b'", id="backslash-doubled"),
        pytest.param("(not a) == b", id="not-under-compare"),
        pytest.param("(not a) + 1 >= 2", id="not-under-arithmetic"),
        pytest.param("-(not a) >= 1", id="not-under-minus"),
        pytest.param("(not a) in [true]", id="not-left-of-in"),
    ],
)
def test_printer_round_trips_edge_cases(text: str) -> None:
    first = parse(text)
    assert strip(parse(to_source(first))) == strip(first)


# -- robustness --------------------------------------------------------------------------------
_WORDS = "a param.x region income_per_capita dbkk 1 2.5 0 'tdmnpb' \"x\" true false"
_PUNCTUATION = "and or not in ( ) [ ] , . + - * / < <= > >= == != = ! ' \" __import__ @ ặ 1e5 ０"
_TOKENS = [*_WORDS.split(), *_PUNCTUATION.split(), "not in", "\\", "\n"]


def _latin1(data: bytes) -> str:
    return data.decode("latin-1")


token_soup = st.lists(st.sampled_from(_TOKENS), max_size=40).map(" ".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), token_soup, st.binary(max_size=40).map(_latin1)))
def test_random_text_only_raises_language_errors(text: str) -> None:
    try:
        expr = parse(text)
    except ExprSyntaxError as exc:
        assert 0 <= exc.pos <= len(text)
        return
    to_source(expr)  # printing any parsed tree works
    try:
        found = check(expr, ENV, BOOL)
    except ExprTypeError as exc:
        assert 0 <= exc.pos <= len(text)
        return
    assert found == BOOL
