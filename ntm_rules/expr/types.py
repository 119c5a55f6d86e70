"""Static type and unit checking of conditions, done once when a ruleset is loaded."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..text import Text, did_you_mean
from .ast import And, Binary, Compare, Expr, In, ListLit, Literal, Name, Neg, Not, Or, names_in
from .interpret import evaluate


@attrs.frozen
class ExprType:
    """``kind`` is number, bool or text; ``unit`` a unit id (None: a plain number);
    ``choices`` the allowed values of an enumerated text."""

    kind: str
    unit: str | None = None
    choices: tuple[str, ...] = ()

    def describe(self) -> Text:
        if self.kind == "number" and self.unit:
            return Text(vi=f"một số tính bằng {self.unit}", en=f"a number in {self.unit}")
        vi, en = {
            "number": ("một số", "a number"),
            "bool": ("đúng/sai (true/false)", "true/false"),
            "text": ("một văn bản", "a text"),
        }[self.kind]
        return Text(vi=vi, en=en)


NUMBER = ExprType("number")
BOOL = ExprType("bool")
TEXT = ExprType("text")

TypeEnv = Mapping[str, ExprType]


class ExprTypeError(ValueError):
    """A condition names something unknown or mixes types or units; ``pos`` is where."""

    def __init__(self, text: Text, pos: int) -> None:
        super().__init__(text.en)
        self.text = text
        self.pos = pos

    @property
    def message(self) -> str:
        return self.text.en


def check(expr: Expr, env: TypeEnv, expected: ExprType | None = None) -> ExprType:
    """Return the type of ``expr``; raise :class:`ExprTypeError` on any mismatch."""
    found = _type(expr, env)
    if expected is not None and found.kind != expected.kind:
        want, got = expected.describe(), found.describe()
        raise ExprTypeError(
            Text(
                vi=f"phải là {want.vi}, nhưng là {got.vi}", en=f"must be {want.en}, but is {got.en}"
            ),
            expr.pos,
        )
    return found


def _type(expr: Expr, env: TypeEnv) -> ExprType:
    if isinstance(expr, Literal):
        if isinstance(expr.value, bool):
            return BOOL
        return NUMBER if isinstance(expr.value, float) else TEXT
    if isinstance(expr, Name):
        found = env.get(expr.dotted)
        if found is None:
            hint = did_you_mean(expr.dotted, env)
            vi_what, en_what = ("tham số", "parameter") if expr.is_param else ("tên", "name")
            raise ExprTypeError(
                Text(
                    vi=f"không có {vi_what} '{expr.dotted}'{hint.vi}",
                    en=f"unknown {en_what} '{expr.dotted}'{hint.en}",
                ),
                expr.pos,
            )
        return found
    if isinstance(expr, ListLit):
        raise ExprTypeError(
            Text(vi="danh sách chỉ được đứng sau 'in'", en="a list may only follow 'in'"), expr.pos
        )
    if isinstance(expr, Neg):
        return _number(expr.operand, env, "'-'")
    if isinstance(expr, Binary):
        return _arith(expr, env)
    if isinstance(expr, Compare):
        _compare(expr, env)
        return BOOL
    if isinstance(expr, In):
        left = _type(expr.left, env)
        if left.kind == "bool":
            raise ExprTypeError(
                Text(
                    vi="bên trái 'in' phải là một số hoặc một văn bản",
                    en="'in' needs a number or a text on its left",
                ),
                expr.pos,
            )
        for item in expr.items.items:
            item_type = _type(item, env)
            if item_type.kind != left.kind:
                got, side = item_type.describe(), left.describe()
                raise ExprTypeError(
                    Text(
                        vi=f"phần tử {item.value!r} là {got.vi}, còn vế trái là {side.vi}",
                        en=f"list item {item.value!r} is {got.en}, the left side is {side.en}",
                    ),
                    item.pos,
                )
            if left.choices and item.value not in left.choices:
                raise ExprTypeError(_not_a_choice(item.value, left.choices), item.pos)
        return BOOL
    if isinstance(expr, Not):
        check(expr.operand, env, BOOL)
        return BOOL
    assert isinstance(expr, And | Or)
    for operand in expr.items:
        check(operand, env, BOOL)
    return BOOL


def _number(expr: Expr, env: TypeEnv, what: str) -> ExprType:
    found = _type(expr, env)
    if found.kind != "number":
        got = found.describe()
        raise ExprTypeError(
            Text(
                vi=f"{what} cần một số, nhưng gặp {got.vi}",
                en=f"{what} needs a number, found {got.en}",
            ),
            expr.pos,
        )
    return found


def _arith(expr: Binary, env: TypeEnv) -> ExprType:
    left = _number(expr.left, env, f"'{expr.op}'")
    right = _number(expr.right, env, f"'{expr.op}'")
    if expr.op == "/" and not names_in(expr.right) and evaluate(expr.right, {}) == 0:
        raise ExprTypeError(Text(vi="chia cho 0", en="division by zero"), expr.right.pos)
    if expr.op in "+-":
        if left.unit and right.unit and left.unit != right.unit:
            vi_op, en_op = ("cộng", "add") if expr.op == "+" else ("trừ", "subtract")
            raise ExprTypeError(
                Text(
                    vi=f"đơn vị không khớp: không thể {vi_op} {right.unit} và {left.unit}",
                    en=f"unit mismatch: cannot {en_op} {right.unit} and {left.unit}",
                ),
                expr.pos,
            )
        return ExprType("number", left.unit or right.unit)
    if left.unit is None or right.unit is None:
        unit = left.unit or right.unit
        if expr.op == "/" and right.unit and not left.unit:
            unit = f"1/{right.unit}"
        return ExprType("number", unit)
    if expr.op == "/":
        return ExprType("number", None if left.unit == right.unit else f"{left.unit}/{right.unit}")
    return ExprType("number", f"{left.unit}*{right.unit}")


def _compare(expr: Compare, env: TypeEnv) -> None:
    left = _type(expr.left, env)
    right = _type(expr.right, env)
    if left.kind != right.kind:
        one, two = left.describe(), right.describe()
        raise ExprTypeError(
            Text(
                vi=f"không thể so sánh {one.vi} với {two.vi}",
                en=f"cannot compare {one.en} with {two.en}",
            ),
            expr.pos,
        )
    if left.kind != "number" and expr.op not in ("==", "!="):
        got = left.describe()
        raise ExprTypeError(
            Text(
                vi=f"'{expr.op}' cần các số, nhưng gặp {got.vi}",
                en=f"'{expr.op}' needs numbers, found {got.en}",
            ),
            expr.pos,
        )
    if left.kind == "number" and left.unit and right.unit and left.unit != right.unit:
        raise ExprTypeError(
            Text(
                vi=f"đơn vị không khớp: so sánh {left.unit} với {right.unit}",
                en=f"unit mismatch: {left.unit} compared with {right.unit}",
            ),
            expr.pos,
        )
    for side, other in ((expr.left, right), (expr.right, left)):
        if isinstance(side, Literal) and other.choices and side.value not in other.choices:
            raise ExprTypeError(_not_a_choice(side.value, other.choices), side.pos)


def _not_a_choice(value: object, choices: tuple[str, ...]) -> Text:
    listed = ", ".join(choices)
    hint = did_you_mean(str(value), choices)
    return Text(
        vi=f"{value!r} không phải một trong các giá trị {listed}{hint.vi}",
        en=f"{value!r} is not one of {listed}{hint.en}",
    )
