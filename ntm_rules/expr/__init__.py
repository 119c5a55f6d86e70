"""The condition language of rulesets: parsed and type-checked, never evaluated as Python."""

from .ast import (
    And,
    Binary,
    Compare,
    Expr,
    In,
    ListLit,
    Literal,
    Name,
    Neg,
    Not,
    Or,
    names_in,
)
from .interpret import MissingValueError, evaluate
from .parser import ExprSyntaxError, parse
from .types import BOOL, NUMBER, TEXT, ExprType, ExprTypeError, TypeEnv, check

__all__ = [
    "BOOL",
    "NUMBER",
    "TEXT",
    "And",
    "Binary",
    "Compare",
    "Expr",
    "ExprSyntaxError",
    "ExprType",
    "ExprTypeError",
    "In",
    "ListLit",
    "Literal",
    "MissingValueError",
    "Name",
    "Neg",
    "Not",
    "Or",
    "TypeEnv",
    "check",
    "evaluate",
    "names_in",
    "parse",
]
