"""Tokeniser and recursive-descent parser of the condition language.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum ((< | <= | > | >= | == | !=) sum | ["not"] "in" list)?
    sum     := product ((+ | -) product)*
    product := unary ((* | /) unary)*
    unary   := "-" unary | atom
    atom    := number | 'text' | true | false | name ("." name)* | "(" expr ")" | list
    list    := "[" (literal ("," literal)*)? "]"
"""

from __future__ import annotations

import re

import attrs

from ..bounds import MAX_MAGNITUDE, MAX_TEXT_LENGTH
from .ast import And, Binary, Compare, Expr, In, ListLit, Literal, Name, Neg, Not, Or


class ExprSyntaxError(ValueError):
    """A condition cannot be parsed; ``pos`` is the offset of the problem in the text."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


@attrs.frozen
class _Token:
    kind: str  # num, str, name, op, end
    text: str
    pos: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|\.)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
MAX_LENGTH = 2000
MAX_TOKENS = 300  # keeps every tree shallow enough to check and compile without deep recursion


def _tokens(text: str) -> list[_Token]:
    if len(text) > MAX_LENGTH:
        raise ExprSyntaxError(f"condition is longer than {MAX_LENGTH} characters", 0)
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExprSyntaxError(f"unexpected character {text[pos]!r}", pos)
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    if len(tokens) > MAX_TOKENS:
        raise ExprSyntaxError(f"condition has more than {MAX_TOKENS} terms; split it", 0)
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "name") and self.tok.text in texts

    def take(self) -> _Token:
        tok = self.tok
        self.i += 1
        return tok

    def expect(self, text: str) -> _Token:
        if not self.at(text):
            raise ExprSyntaxError(f"expected '{text}', found {self.describe()}", self.tok.pos)
        return self.take()

    def describe(self) -> str:
        return "end of condition" if self.tok.kind == "end" else repr(self.tok.text)

    def parse(self) -> Expr:
        expr = self.or_()
        if self.tok.kind != "end":
            raise ExprSyntaxError(f"unexpected {self.describe()}", self.tok.pos)
        return expr

    def or_(self) -> Expr:
        pos = self.tok.pos
        items = [self.and_()]
        while self.at("or"):
            self.take()
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(items), pos)

    def and_(self) -> Expr:
        pos = self.tok.pos
        items = [self.not_()]
        while self.at("and"):
            self.take()
            items.append(self.not_())
        return items[0] if len(items) == 1 else And(tuple(items), pos)

    def not_(self) -> Expr:
        if self.at("not"):
            pos = self.take().pos
            return Not(self.nested(self.not_), pos)
        return self.compare()

    def nested(self, rule: object) -> Expr:
        self.depth += 1
        if self.depth > 50:
            raise ExprSyntaxError("condition is nested too deeply", self.tok.pos)
        try:
            return rule()  # type: ignore[operator,no-any-return]
        finally:
            self.depth -= 1

    def compare(self) -> Expr:
        left = self.sum()
        if self.at("<", "<=", ">", ">=", "==", "!="):
            tok = self.take()
            return Compare(tok.text, left, self.sum(), tok.pos)
        if self.at("in"):
            pos = self.take().pos
            return In(left, self.list_(), False, pos)
        if self.at("not") and self.tokens[self.i + 1].text == "in":
            pos = self.take().pos
            self.take()
            return In(left, self.list_(), True, pos)
        return left

    def sum(self) -> Expr:
        left = self.product()
        while self.at("+", "-"):
            tok = self.take()
            left = Binary(tok.text, left, self.product(), tok.pos)
        return left

    def product(self) -> Expr:
        left = self.unary()
        while self.at("*", "/"):
            tok = self.take()
            left = Binary(tok.text, left, self.unary(), tok.pos)
        return left

    def unary(self) -> Expr:
        if self.at("-"):
            pos = self.take().pos
            return Neg(self.nested(self.unary), pos)
        return self.atom()

    def atom(self) -> Expr:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            if float(tok.text) > MAX_MAGNITUDE:
                raise ExprSyntaxError(f"number {tok.text} is above {MAX_MAGNITUDE:.0e}", tok.pos)
            return Literal(float(tok.text), tok.pos)
        if tok.kind == "str":
            self.take()
            if len(tok.text) - 2 > MAX_TEXT_LENGTH:
                raise ExprSyntaxError(f"text longer than {MAX_TEXT_LENGTH} characters", tok.pos)
            return Literal(tok.text[1:-1], tok.pos)
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                self.take()
                return Literal(tok.text == "true", tok.pos)
            if tok.text in _KEYWORDS:
                raise ExprSyntaxError(f"unexpected keyword '{tok.text}'", tok.pos)
            self.take()
            parts = [tok.text]
            while self.at("."):
                self.take()
                if self.tok.kind != "name" or self.tok.text in _KEYWORDS:
                    raise ExprSyntaxError(
                        f"expected a name after '.', found {self.describe()}", self.tok.pos
                    )
                parts.append(self.take().text)
            return Name(tuple(parts), tok.pos)
        if self.at("("):
            self.take()
            expr = self.nested(self.or_)
            self.expect(")")
            return expr
        if self.at("["):
            return self.list_()
        raise ExprSyntaxError(f"expected a value, found {self.describe()}", tok.pos)

    def list_(self) -> ListLit:
        pos = self.expect("[").pos
        items: list[Literal] = []
        while not self.at("]"):
            item = self.atom()
            if not isinstance(item, Literal):
                raise ExprSyntaxError(
                    "a list may only hold numbers, texts, true or false", item.pos
                )
            items.append(item)
            if not self.at("]"):
                self.expect(",")
        self.expect("]")
        if not items:
            raise ExprSyntaxError("a list needs at least one item", pos)
        return ListLit(tuple(items), pos)


def parse(text: str) -> Expr:
    """Parse a condition; raises :class:`ExprSyntaxError` with the offending position."""
    if not text.strip():
        raise ExprSyntaxError("empty condition", 0)
    return _Parser(text).parse()
