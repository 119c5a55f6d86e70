"""Static type and unit checking of conditions, done once when a ruleset is loaded."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import attrs

from .ast import And, Binary, Compare, Expr, In, ListLit, Literal, Name, Neg, Not, Or, names_in
from .interpret import evaluate


@attrs.frozen
class ExprType:
    """``kind`` is number, bool or text; ``unit`` a unit id (None: a plain number);
    ``choices`` the allowed values of an enumerated text."""

    kind: str
    unit: str | None = None
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "number" and self.unit:
            return f"a number in {self.unit}"
        return {"number": "a number", "bool": "true/false", "text": "a text"}[self.kind]


NUMBER = ExprType("number")
BOOL = ExprType("bool")
TEXT = ExprType("text")

TypeEnv = Mapping[str, ExprType]


class ExprTypeError(ValueError):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


def check(expr: Expr, env: TypeEnv, expected: ExprType | None = None) -> ExprType:
    """Return the type of ``expr``; raise :class:`ExprTypeError` on any mismatch."""
    found = _type(expr, env)
    if expected is not None and found.kind != expected.kind:
        raise ExprTypeError(f"must be {expected.describe()}, but is {found.describe()}", expr.pos)
    return found


def _type(expr: Expr, env: TypeEnv) -> ExprType:
    if isinstance(expr, Literal):
        if isinstance(expr.value, bool):
            return BOOL
        return NUMBER if isinstance(expr.value, float) else TEXT
    if isinstance(expr, Name):
        found = env.get(expr.dotted)
        if found is None:
            hint = difflib.get_close_matches(expr.dotted, list(env), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            what = "parameter" if expr.is_param else "name"
            raise ExprTypeError(f"unknown {what} '{expr.dotted}'{suggestion}", expr.pos)
        return found
    if isinstance(expr, ListLit):
        raise ExprTypeError("a list may only follow 'in'", expr.pos)
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
            raise ExprTypeError("'in' needs a number or a text on its left", expr.pos)
        for item in expr.items.items:
            item_type = _type(item, env)
            if item_type.kind != left.kind:
                raise ExprTypeError(
                    f"list item {item.value!r} is {item_type.describe()}, "
                    f"the left side is {left.describe()}",
                    item.pos,
                )
            if left.choices and item.value not in left.choices:
                raise ExprTypeError(
                    f"{item.value!r} is not one of {', '.join(left.choices)}", item.pos
                )
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
        raise ExprTypeError(f"{what} needs a number, found {found.describe()}", expr.pos)
    return found


def _arith(expr: Binary, env: TypeEnv) -> ExprType:
    left = _number(expr.left, env, f"'{expr.op}'")
    right = _number(expr.right, env, f"'{expr.op}'")
    if expr.op == "/" and not names_in(expr.right) and evaluate(expr.right, {}) == 0:
        raise ExprTypeError("division by zero", expr.right.pos)
    if expr.op in "+-":
        if left.unit and right.unit and left.unit != right.unit:
            raise ExprTypeError(
                f"unit mismatch: cannot {'add' if expr.op == '+' else 'subtract'} "
                f"{right.unit} and {left.unit}",
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
        raise ExprTypeError(f"cannot compare {left.describe()} with {right.describe()}", expr.pos)
    if left.kind != "number" and expr.op not in ("==", "!="):
        raise ExprTypeError(f"'{expr.op}' needs numbers, found {left.describe()}", expr.pos)
    if left.kind == "number" and left.unit and right.unit and left.unit != right.unit:
        raise ExprTypeError(f"unit mismatch: {left.unit} compared with {right.unit}", expr.pos)
    for side, other in ((expr.left, right), (expr.right, left)):
        if isinstance(side, Literal) and other.choices and side.value not in other.choices:
            raise ExprTypeError(
                f"{side.value!r} is not one of {', '.join(other.choices)}", side.pos
            )
