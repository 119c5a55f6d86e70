"""A direct evaluator of conditions over plain values.

The library uses it for what belongs outside the rule engine: computing a threshold from
parameters (``1.1 * param.income``), an arithmetic measure, or which axis rule applies.
"""

from __future__ import annotations

from collections.abc import Mapping

from .ast import And, Binary, Compare, Expr, In, ListLit, Literal, Name, Neg, Not, Or, Scalar


class MissingValueError(LookupError):
    """A name the expression needs has no value."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def evaluate(expr: Expr, values: Mapping[str, Scalar | None]) -> Scalar:
    """Evaluate a type-checked expression; raises :class:`MissingValueError` for a missing name
    and :class:`ZeroDivisionError` for a division by zero."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Name):
        value = values.get(expr.dotted)
        if value is None:
            raise MissingValueError(expr.dotted)
        return value
    if isinstance(expr, Neg):
        return -_num(evaluate(expr.operand, values))
    if isinstance(expr, Binary):
        left = _num(evaluate(expr.left, values))
        right = _num(evaluate(expr.right, values))
        if expr.op == "+":
            return left + right
        if expr.op == "-":
            return left - right
        if expr.op == "*":
            return left * right
        return left / right
    if isinstance(expr, Compare):
        return bool(_COMPARE[expr.op](evaluate(expr.left, values), evaluate(expr.right, values)))
    if isinstance(expr, In):
        found = evaluate(expr.left, values) in {i.value for i in expr.items.items}
        return found != expr.negated
    if isinstance(expr, Not):
        return not evaluate(expr.operand, values)
    if isinstance(expr, And):
        return all(evaluate(i, values) for i in expr.items)
    if isinstance(expr, Or):
        return any(evaluate(i, values) for i in expr.items)
    assert isinstance(expr, ListLit)
    raise TypeError("a list is not a value")


def _num(value: Scalar) -> float:
    assert isinstance(value, int | float) and not isinstance(value, bool)
    return float(value)
