"""A fast reader of ruleset YAML: libyaml's C parser builds the very tree ruamel's round-trip
loader builds, for the files rule authors write every day.

:func:`fast_tree` reads the events of PyYAML's C parser (``yaml.CSafeLoader``: safe, no Python
objects) and builds ruamel's own containers (:class:`CommentedMap`, :class:`CommentedSeq` with
the same line and column of every key, value and item) and scalars (the same quoted, literal and
folded string classes, YAML 1.2 typing by ruamel's own resolver table and constructors). It
returns ``None`` whenever the file holds anything it does not handle exactly as ruamel would:
a syntax error, a duplicate key, an anchor, an alias, a tag, a ``%YAML`` directive, a merge key,
a key that is not a scalar, more than one document, a root that is not a mapping, a tab or a
line break other than ``\\n``. The caller then reads the file with ruamel, which gives the result
or the error message of today: the fast path can only change how fast a file is read.

Comments are not kept (the read path never uses them; ``audit --apply`` edits files with ruamel).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq, LineCol
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

logger = logging.getLogger(__name__)

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"  # kept as text: ``Node.date`` reads it
_PLAIN_INT = re.compile(r"[-+]?[1-9][0-9]*")  # ruamel: 0 is a ScalarInt of width 1
_QUOTED: dict[str, type[str]] = {
    "'": SingleQuotedScalarString,
    '"': DoubleQuotedScalarString,
    "|": LiteralScalarString,
    ">": FoldedScalarString,
}
# characters whose handling differs between libyaml and ruamel (tabs in indentation, line
# breaks other than ``\n`` counted into line numbers, a byte-order mark inside the text)
_UNUSUAL = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
_LINE_COL = LineCol.attrib
MAX_DEPTH = 50  # deeper nesting is read by ruamel, which may run out of recursion


class _Unsupported(Exception):
    """Something this reader does not build exactly as ruamel does: read with ruamel."""


@functools.cache
def _parser() -> Any:
    """PyYAML's C loader class, its error class and its events module; None without libyaml
    (PyYAML's pure-Python parser is no faster than ruamel's)."""
    try:
        import yaml
        from yaml import events
    except ImportError:  # PyYAML is a dependency, but a broken install must still load
        return None
    if not getattr(yaml, "__with_libyaml__", False):
        logger.debug("PyYAML has no libyaml: ruleset files are read with ruamel.yaml")
        return None
    return yaml.CSafeLoader, yaml.YAMLError, events


@functools.cache
def _constructor() -> Any:
    """ruamel's round-trip constructor, for the numbers whose typing carries layout (widths,
    underscores, exponents): ``construct_yaml_int`` and ``construct_yaml_float``."""
    from .yaml_source import ruamel_loader

    return ruamel_loader().constructor


@functools.cache
def _resolvers() -> dict[str | None, tuple[tuple[str, Any], ...]]:
    """ruamel's YAML 1.2 implicit resolvers (no ``yes``/``no``/``on``/``off`` booleans, no
    ``017`` octals, no sexagesimals) by a scalar's first character, each list followed by the
    resolvers of any character, as its versioned resolver tries them; ``None``: any other
    first character."""
    table: dict[str | None, list[tuple[str, Any]]] = {}  # ruamel compiles each pattern lazily
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            chars: list[str | None] = list(first) if first is not None else [None]
            for char in chars:
                table.setdefault(char, []).append((tag, regexp))
    anything = tuple(table.pop(None, ()))
    by_first: dict[str | None, tuple[tuple[str, Any], ...]] = {
        char: (*found, *anything) for char, found in table.items()
    }
    by_first[None] = anything
    return by_first


def _resolve(value: str) -> str:
    """The tag ruamel's YAML 1.2 resolver gives a plain scalar."""
    table = _resolvers()
    for tag, regexp in table.get(value[:1], table[None]):
        if regexp.match(value):
            return str(tag)
    return _STR


def _scalar(event: Any) -> Any:
    """A scalar's value as ruamel's round-trip constructor makes it."""
    if event.anchor is not None or event.tag is not None:
        raise _Unsupported
    value: str = event.value
    style = event.style
    if style:
        return _QUOTED[style](value)
    tag = _resolve(value)
    if tag in (_STR, _TIMESTAMP):
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT and _PLAIN_INT.fullmatch(value):
        return int(value)
    if tag in (_INT, _FLOAT):
        node = ScalarNode(tag, value, event.start_mark, event.end_mark, style=None)
        method = "construct_yaml_int" if tag == _INT else "construct_yaml_float"
        try:
            return getattr(_constructor(), method)(node)
        except Exception:
            raise _Unsupported from None
    raise _Unsupported  # merge ``<<``, value ``=``


def fast_tree(text: str) -> CommentedMap | None:
    """The tree ruamel's round-trip loader would build from ``text``, or None when ruamel must
    read it (see the module's docstring)."""
    parser = _parser()
    if parser is None or _UNUSUAL.search(text):
        return None
    loader_class, yaml_error, events = parser
    try:
        return _build(text, loader_class(text), events)
    except (_Unsupported, yaml_error):
        return None
    except Exception as exc:  # libyaml refusing text that Python can hold (a lone surrogate)
        logger.debug("fast YAML reader not used: %s", exc)
        return None


_NO_KEY = object()
_BLANKS = re.compile(r"(?:[ \n]|(?<![^ \n])#[^\n]*)*")


class _Mark:
    """A place in the text (0-based line and column)."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _empty_value_mark(text: str, after_colon: Any, flow: bool | None) -> _Mark:
    """Where ruamel places a value left empty in a block mapping (``key:`` then the end of the
    line): at the next token, after the blank lines and comment lines (libyaml places it right
    after the colon). Elsewhere (a comment after the colon, a flow mapping) the two differ in
    ways not worth following: ruamel reads the file."""
    if flow is not False:
        raise _Unsupported
    index = after_colon.index
    end = _BLANKS.match(text, index).end()  # type: ignore[union-attr]
    newline = text.find("\n", index, end)
    if "#" in text[index : newline if newline >= 0 else end]:
        raise _Unsupported
    return _Mark(text.count("\n", 0, end), end - text.rfind("\n", 0, end) - 1)


class _Open:
    """A mapping or sequence being filled: its line-column data, and a mapping's pending key."""

    __slots__ = ("container", "data", "flow", "key", "key_mark", "mapping")

    def __init__(self, container: Any, mapping: bool, flow: bool | None) -> None:
        self.container = container
        self.mapping = mapping
        self.flow = flow
        self.data: dict[Any, list[int]] = {}
        self.key: Any = _NO_KEY
        self.key_mark: Any = None


def _build(text: str, loader: Any, events: Any) -> CommentedMap:
    scalar_event = events.ScalarEvent
    mapping_start = events.MappingStartEvent
    sequence_start = events.SequenceStartEvent
    collection_end = events.CollectionEndEvent
    stack: list[_Open] = []
    root: CommentedMap | None = None
    documents = 0
    try:
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is scalar_event or kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                if kind is scalar_event:
                    value = _scalar(event)
                else:
                    if event.anchor is not None or event.tag is not None:
                        raise _Unsupported
                    value = CommentedMap() if kind is mapping_start else CommentedSeq()
                    lc = LineCol()
                    lc.line, lc.col = mark.line, mark.column
                    setattr(value, _LINE_COL, lc)
                if not stack:
                    if kind is not mapping_start:
                        raise _Unsupported
                    root = value
                else:
                    top = stack[-1]
                    if not top.mapping:
                        top.data[len(top.container)] = [mark.line, mark.column]
                        top.container.append(value)
                    elif top.key is _NO_KEY:
                        if kind is not scalar_event or value in top.container:
                            raise _Unsupported  # a complex or duplicate key
                        top.key, top.key_mark = value, mark
                    else:
                        if kind is scalar_event and not event.value and not event.style:
                            mark = _empty_value_mark(text, mark, top.flow)  # ``key:``
                        key_mark = top.key_mark
                        top.data[top.key] = [key_mark.line, key_mark.column, mark.line, mark.column]
                        top.container[top.key] = value
                        top.key = _NO_KEY
                if kind is not scalar_event:
                    if len(stack) >= MAX_DEPTH:
                        raise _Unsupported  # ruamel's recursion decides
                    stack.append(_Open(value, kind is mapping_start, event.flow_style))
            elif isinstance(event, collection_end):
                _close(stack.pop())
            elif isinstance(event, events.AliasEvent):
                raise _Unsupported
            elif isinstance(event, events.DocumentStartEvent):
                documents += 1
                if documents > 1 or event.version is not None or event.tags:
                    raise _Unsupported
    finally:
        loader.dispose()
    if root is None:
        raise _Unsupported
    return root


def _close(done: _Open) -> None:
    """What ruamel sets on a finished collection: the line-column data and the flow style."""
    container = done.container
    if done.data:
        getattr(container, _LINE_COL).data = done.data
    if container:
        if done.flow is True:
            container.fa.set_flow_style()
        elif done.flow is False:
            container.fa.set_block_style()
