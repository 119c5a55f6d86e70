"""Finding a value or an indicator in a ruleset file's round-trip YAML tree, and editing it so
that only the lines concerned change (comments, key order, quoting and layout kept)."""

from __future__ import annotations

import io
from typing import Any

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..ruleset.model import GENERAL

__all__ = [
    "Cell",
    "bump_version",
    "dump",
    "entry_cells",
    "find_cell",
    "find_indicator",
    "load",
    "mapping_line",
    "own_cell",
    "set_number",
    "set_verified",
    "set_version",
]


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str) -> Any:
    """The round-trip tree of a ruleset file's text."""
    return _yaml().load(text)


def dump(tree: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(tree, stream)
    return stream.getvalue()


@attrs.define
class Cell:
    """One value in the tree: ``holder[key]`` is the number; ``flags`` is the mapping whose
    ``verified`` and ``note`` apply to it (the cell's own mapping, or its dated entry's)."""

    entry: CommentedMap  # the dated entry (`values` item or `overrides` item)
    holder: CommentedMap  # the mapping that holds the number under `key`
    key: str
    own: bool  # the cell is a mapping of its own (`tdmnpb: {value: 72, verified: true}`)

    @property
    def value(self) -> Any:
        return self.holder[self.key]

    @property
    def flags(self) -> CommentedMap:
        return self.holder if self.own else self.entry

    @property
    def verified(self) -> bool:
        return bool(self.flags.get("verified", self.entry.get("verified")))

    @property
    def line(self) -> int:
        """1-based line of the number."""
        return int(self.holder.lc.value(self.key)[0]) + 1


def _same_date(value: Any, iso: str | None) -> bool:
    return iso is not None and str(value)[:10] == iso


def find_cell(tree: Any, name: str, axis_key: str | None, start: str | None) -> Cell | None:
    """The value of parameter ``name`` for ``axis_key`` in the entry from ``start``: in
    ``parameters`` (a ruleset that extends none) or in ``overrides`` (one that does)."""
    entries: list[Any] = []
    params = tree.get("parameters")
    if isinstance(params, CommentedMap) and isinstance(params.get(name), CommentedMap):
        entries.extend(params[name].get("values") or [])
    for item in tree.get("overrides") or []:
        if isinstance(item, CommentedMap) and item.get("parameter") == name:
            entries.append(item)
    for entry in entries:
        if not isinstance(entry, CommentedMap) or not _same_date(entry.get("from"), start):
            continue
        holder, key = _holder(entry, axis_key)
        if holder is None:
            continue
        cell = holder[key]
        if isinstance(cell, CommentedMap):
            if "value" in cell:
                return Cell(entry, cell, "value", own=True)
            continue
        return Cell(entry, holder, key, own=False)
    return None


def _holder(entry: CommentedMap, axis_key: str | None) -> tuple[CommentedMap | None, str]:
    by = entry.get("by")
    if isinstance(by, CommentedMap):
        key = axis_key or GENERAL
        return (by, key) if key in by else (None, key)
    if "value" in entry and axis_key in (None, GENERAL):
        return entry, "value"
    return None, ""


def entry_cells(entry: CommentedMap) -> list[Cell]:
    """Every cell of a dated entry."""
    by = entry.get("by")
    if isinstance(by, CommentedMap):
        holder: CommentedMap = by
        keys = list(by)
    else:
        holder, keys = entry, ["value"]
    cells = []
    for key in keys:
        value = holder.get(key)
        if isinstance(value, CommentedMap):
            cells.append(Cell(entry, value, "value", own=True))
        else:
            cells.append(Cell(entry, holder, key, own=False))
    return cells


def find_indicator(tree: Any, indicator: str, criterion: str | None) -> CommentedMap | None:
    """The mapping that defines (or, in an extending ruleset, overrides or adds) an indicator or
    recognition condition."""
    found: list[Any] = []
    if criterion == "recognition":
        recognition = tree.get("recognition")
        if isinstance(recognition, CommentedMap):
            found.extend(recognition.get("conditions") or [])
    else:
        for crit in tree.get("criteria") or []:
            if isinstance(crit, CommentedMap):
                found.extend(crit.get("indicators") or [])
        found.extend(tree.get("add_indicators") or [])
    for item in found:
        if isinstance(item, CommentedMap) and str(item.get("id")) == indicator:
            return item
    for item in tree.get("overrides") or []:
        if isinstance(item, CommentedMap) and str(item.get("indicator")) == indicator:
            return item
    return None


def mapping_line(node: CommentedMap) -> int:
    """1-based line where a mapping starts."""
    return int(node.lc.line) + 1


def set_number(holder: CommentedMap, key: str, number: float) -> None:
    """Write ``number`` at ``holder[key]`` unless it already holds that number (so ``100`` stays
    ``100`` and ``1.5`` stays ``1.5``)."""
    if float(holder[key]) != number:
        holder[key] = int(number) if number.is_integer() else number


def set_verified(flags: CommentedMap, note: str) -> None:
    """``verified: true`` and ``note`` (replaced in place, or added after ``verified``)."""
    flags["verified"] = True
    quoted = DoubleQuotedScalarString(note)
    if "note" in flags:
        flags["note"] = quoted
    else:
        flags.insert(list(flags).index("verified") + 1, "note", quoted)


def own_cell(cell: Cell, number: float, note: str) -> None:
    """Turn a plain number that shares its entry's ``verified`` into a mapping of its own:
    ``tdmnpb: {value: 72, verified: true, note: "..."}`` (on the same line)."""
    value = int(number) if number.is_integer() else number
    if float(cell.value) == number:
        value = cell.value
    mapping = CommentedMap()
    mapping["value"] = value
    mapping["verified"] = True
    mapping["note"] = DoubleQuotedScalarString(note)
    mapping.fa.set_flow_style()
    cell.holder[cell.key] = mapping


def bump_version(version: str) -> str:
    """The next version: ``2022.06`` -> ``2022.06.1``, ``2022.06.1`` -> ``2022.06.2`` (a third
    or later part that is a number goes up by one; otherwise ``.1`` is added)."""
    parts = version.split(".")
    if len(parts) >= 3 and parts[-1].isdigit():
        return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])
    return f"{version}.1"


def set_version(tree: CommentedMap, version: str) -> None:
    """Replace ``version``, keeping its quoting."""
    old = tree["version"]
    tree["version"] = type(old)(version) if isinstance(old, str) else version
