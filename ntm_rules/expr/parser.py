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
from ..text import Text
from .ast import And, Binary, Compare, Expr, In, ListLit, Literal, Name, Neg, Not, Or


class ExprSyntaxError(ValueError):
    """A condition cannot be parsed; ``pos`` is the offset of the problem in the text."""

    def __init__(self, text: Text, pos: int) -> None:
        super().__init__(text.en)
        self.text = text
        self.pos = pos

    @property
    def message(self) -> str:
        return self.text.en


# what an author may write from other languages or from Vietnamese, and what the condition
# language says instead
_MISTAKES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), wrote, use)
    for pattern, wrote, use in (
        (r"=(?![=<>])", "=", "=="),
        (r"=>", "=>", ">="),
        (r"=<", "=<", "<="),
        (r"&&?", "&&", "and"),
        (r"\|\|?", "||", "or"),
        (r"!(?!=)", "!", "not"),
        (r"≥", "≥", ">="),
        (r"≤", "≤", "<="),
        (r"≠", "≠", "!="),
        (r"<>", "<>", "!="),
        (r"và(?!\w)", "và", "and"),
        (r"hoặc(?!\w)", "hoặc", "or"),
        (r"không(?!\w)", "không", "not"),
        (r"AND(?!\w)", "AND", "and"),
        (r"OR(?!\w)", "OR", "or"),
        (r"NOT(?!\w)", "NOT", "not"),
    )
)


def _mistake(text: str, pos: int) -> Text | None:
    """A hint when the condition has, at ``pos``, an operator of another language."""
    before = text[pos - 1] if pos else " "
    for pattern, wrote, use in _MISTAKES:
        if wrote[0].isalpha() and (before.isalnum() or before == "_"):
            continue  # inside a longer name
        found = pattern.match(text, pos)
        if found and (wrote not in ("AND", "OR", "NOT") or found.group() != wrote.lower()):
            shown = found.group()
            return Text(
                vi=f"'{shown}' không dùng được trong điều kiện; viết '{use}'",
                en=f"'{shown}' is not part of the condition language; write '{use}'",
            )
    return None


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
        raise ExprSyntaxError(
            Text(
                vi=f"điều kiện dài hơn {MAX_LENGTH} ký tự",
                en=f"condition is longer than {MAX_LENGTH} characters",
            ),
            0,
        )
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        hint = _mistake(text, pos)
        if hint is not None:
            raise ExprSyntaxError(hint, pos)
        match = _TOKEN.match(text, pos)
        if not match:
            shown = repr(text[pos])
            raise ExprSyntaxError(
                Text(vi=f"ký tự không hợp lệ {shown}", en=f"unexpected character {shown}"), pos
            )
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    if len(tokens) > MAX_TOKENS:
        raise ExprSyntaxError(
            Text(
                vi=f"điều kiện có hơn {MAX_TOKENS} thành phần; hãy tách nhỏ",
                en=f"condition has more than {MAX_TOKENS} terms; split it",
            ),
            0,
        )
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
            found = self.describe()
            raise ExprSyntaxError(
                Text(
                    vi=f"cần '{text}', nhưng gặp {found.vi}",
                    en=f"expected '{text}', found {found.en}",
                ),
                self.tok.pos,
            )
        return self.take()

    def describe(self) -> Text:
        if self.tok.kind == "end":
            return Text(vi="cuối điều kiện", en="end of condition")
        return Text(vi=repr(self.tok.text), en=repr(self.tok.text))

    def parse(self) -> Expr:
        expr = self.or_()
        if self.tok.kind != "end":
            found = self.describe()
            raise ExprSyntaxError(
                Text(vi=f"không mong đợi {found.vi}", en=f"unexpected {found.en}"), self.tok.pos
            )
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
            raise ExprSyntaxError(
                Text(vi="điều kiện lồng nhau quá sâu", en="condition is nested too deeply"),
                self.tok.pos,
            )
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
                raise ExprSyntaxError(
                    Text(
                        vi=f"số {tok.text} vượt quá {MAX_MAGNITUDE:.0e}",
                        en=f"number {tok.text} is above {MAX_MAGNITUDE:.0e}",
                    ),
                    tok.pos,
                )
            return Literal(float(tok.text), tok.pos)
        if tok.kind == "str":
            self.take()
            if len(tok.text) - 2 > MAX_TEXT_LENGTH:
                raise ExprSyntaxError(
                    Text(
                        vi=f"văn bản dài hơn {MAX_TEXT_LENGTH} ký tự",
                        en=f"text longer than {MAX_TEXT_LENGTH} characters",
                    ),
                    tok.pos,
                )
            return Literal(tok.text[1:-1], tok.pos)
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                self.take()
                return Literal(tok.text == "true", tok.pos)
            if tok.text in _KEYWORDS:
                raise ExprSyntaxError(
                    Text(
                        vi=f"từ khóa '{tok.text}' đứng sai chỗ (cần một giá trị trước nó)",
                        en=f"unexpected keyword '{tok.text}'",
                    ),
                    tok.pos,
                )
            self.take()
            parts = [tok.text]
            while self.at("."):
                self.take()
                if self.tok.kind != "name" or self.tok.text in _KEYWORDS:
                    found = self.describe()
                    raise ExprSyntaxError(
                        Text(
                            vi=f"cần một tên sau '.', nhưng gặp {found.vi}",
                            en=f"expected a name after '.', found {found.en}",
                        ),
                        self.tok.pos,
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
        found = self.describe()
        raise ExprSyntaxError(
            Text(
                vi=f"cần một giá trị, nhưng gặp {found.vi}",
                en=f"expected a value, found {found.en}",
            ),
            tok.pos,
        )

    def list_(self) -> ListLit:
        pos = self.expect("[").pos
        items: list[Literal] = []
        while not self.at("]"):
            item = self.atom()
            if not isinstance(item, Literal):
                raise ExprSyntaxError(
                    Text(
                        vi="danh sách chỉ được chứa số, văn bản, true hoặc false",
                        en="a list may only hold numbers, texts, true or false",
                    ),
                    item.pos,
                )
            items.append(item)
            if not self.at("]"):
                self.expect(",")
        self.expect("]")
        if not items:
            raise ExprSyntaxError(
                Text(vi="danh sách cần ít nhất một phần tử", en="a list needs at least one item"),
                pos,
            )
        return ListLit(tuple(items), pos)


def parse(text: str) -> Expr:
    """Parse a condition; raises :class:`ExprSyntaxError` with the offending position."""
    if not text.strip():
        raise ExprSyntaxError(Text(vi="điều kiện trống", en="empty condition"), 0)
    return _Parser(text).parse()
