"""Syntax tree of the condition language (immutable)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

Scalar = float | bool | str


@attrs.frozen
class Literal:
    value: Scalar
    pos: int = 0


@attrs.frozen
class Name:
    """A reference: an input (``income_per_capita``) or a parameter (``param.x``)."""

    parts: tuple[str, ...]
    pos: int = 0

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)

    @property
    def is_param(self) -> bool:
        return self.parts[0] == "param"


@attrs.frozen
class ListLit:
    items: tuple[Literal, ...]
    pos: int = 0


@attrs.frozen
class Neg:
    operand: Expr
    pos: int = 0


@attrs.frozen
class Binary:
    """Arithmetic: ``+ - * /``."""

    op: str
    left: Expr
    right: Expr
    pos: int = 0


@attrs.frozen
class Compare:
    """``< <= > >= == !=``."""

    op: str
    left: Expr
    right: Expr
    pos: int = 0


@attrs.frozen
class In:
    left: Expr
    items: ListLit
    negated: bool = False
    pos: int = 0


@attrs.frozen
class Not:
    operand: Expr
    pos: int = 0


@attrs.frozen
class And:
    items: tuple[Expr, ...]
    pos: int = 0


@attrs.frozen
class Or:
    items: tuple[Expr, ...]
    pos: int = 0


Expr = Literal | Name | ListLit | Neg | Binary | Compare | In | Not | And | Or


def children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, Neg | Not):
        return (expr.operand,)
    if isinstance(expr, Binary | Compare):
        return (expr.left, expr.right)
    if isinstance(expr, In):
        return (expr.left, expr.items)
    if isinstance(expr, And | Or):
        return expr.items
    if isinstance(expr, ListLit):
        return expr.items
    return ()


def walk(expr: Expr) -> Iterator[Expr]:
    yield expr
    for child in children(expr):
        yield from walk(child)


def names_in(expr: Expr) -> tuple[Name, ...]:
    """Every name the expression refers to, in order of appearance."""
    return tuple(node for node in walk(expr) if isinstance(node, Name))


def to_source(expr: Expr) -> str:
    """Render an expression back to text (used in explanations)."""
    if isinstance(expr, Literal):
        if isinstance(expr.value, bool):
            return "true" if expr.value else "false"
        if isinstance(expr.value, str):
            quote = "'" if "'" not in expr.value else '"'
            return f"{quote}{expr.value}{quote}"
        return _number(expr.value)
    if isinstance(expr, Name):
        return expr.dotted
    if isinstance(expr, ListLit):
        return "[" + ", ".join(to_source(i) for i in expr.items) + "]"
    if isinstance(expr, Neg):
        return f"-{_wrap(expr.operand)}"
    if isinstance(expr, Binary | Compare):
        return f"{_wrap(expr.left)} {expr.op} {_wrap(expr.right)}"
    if isinstance(expr, In):
        op = "not in" if expr.negated else "in"
        return f"{_wrap(expr.left)} {op} {to_source(expr.items)}"
    if isinstance(expr, Not):
        return f"not {_wrap(expr.operand)}"
    joiner = " and " if isinstance(expr, And) else " or "
    return joiner.join(_wrap(i) for i in expr.items)


def _wrap(expr: Expr) -> str:
    text = to_source(expr)
    return f"({text})" if isinstance(expr, Binary | Compare | In | And | Or | Not) else text


def _number(value: float) -> str:
    """Exact decimal text with no exponent (the parser reads digits and one point only)."""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")
