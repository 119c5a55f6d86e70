"""Which unit belongs to which: members linked to their parents, and what does not link.

A parent that names its members (``"members": {"communes": [...]}``) decides: a listed code with
no record is *missing*, a record that points to the parent without being listed is *extra*. A
parent that names none gets the records that point to it by code (``district_code``) or by
name (``district``). A record that points to no parent in the data set is *unlinked*. Every such
case is a :class:`LinkProblem`; none is dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..models.normalise import normalise_name
from ..text import Lang, Text
from ..unit_kinds import KINDS, member_kinds, unit_kind
from .dataset import DataSet, Row

MISSING_MEMBER = "missing"
EXTRA_MEMBER = "extra"
UNLINKED = "unlinked"
LISTED_TWICE = "listed_twice"


@attrs.frozen
class UnitRef:
    """A unit named in provenance: its kind, code and name."""

    kind: str
    code: str
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code, "name": self.name}

    def label(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code


def ref(row: Row) -> UnitRef:
    name = row.values.get("name")
    return UnitRef(row.kind, row.code, normalise_name(name) if isinstance(name, str) else None)


@attrs.frozen
class LinkProblem:
    problem: str  # missing | extra | unlinked | listed_twice
    member_kind: str
    code: str
    parent: UnitRef | None = None
    record: str | None = None  # the record's label, when there is a record
    pointer: str | None = None  # what the record names as its parent

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "kind": self.member_kind,
            "code": self.code,
            "parent": self.parent.to_dict() if self.parent else None,
            "record": self.record,
            "names_parent": self.pointer,
        }

    def describe(self, lang: Lang = "vi") -> str:
        kind = unit_kind(self.member_kind).name
        parent = self.parent.label() if self.parent else ""
        texts = {
            MISSING_MEMBER: Text(
                vi=f"{parent} kê {kind.vi} {self.code} nhưng dữ liệu không có bản ghi này",
                en=f"{parent} lists {kind.en} {self.code} but the data set has no such record",
            ),
            EXTRA_MEMBER: Text(
                vi=f"{kind.vi} {self.code} ghi thuộc {parent} nhưng {parent} không kê nó "
                "(không được tính)",
                en=f"{kind.en} {self.code} names {parent} but {parent} does not list it "
                "(not counted)",
            ),
            UNLINKED: Text(
                vi=f"{kind.vi} {self.code} không thuộc đơn vị nào trong dữ liệu"
                + (f" (ghi '{self.pointer}')" if self.pointer else " (không ghi đơn vị cấp trên)"),
                en=f"{kind.en} {self.code} belongs to no unit of the data set"
                + (f" (names '{self.pointer}')" if self.pointer else " (names no parent)"),
            ),
            LISTED_TWICE: Text(
                vi=f"{kind.vi} {self.code} được kê ở hai đơn vị; chỉ tính ở đơn vị đầu",
                en=f"{kind.en} {self.code} is listed by two units; counted in the first only",
            ),
        }
        return texts[self.problem](lang)


PREFIXES = ("huyện ", "thị xã ", "thành phố ", "tp. ", "tp ", "tx. ", "tx ", "tỉnh ", "xã ")
"""Words an office writes before a name ("Huyện Quỳnh Nhai", "TP Sơn La"): a name links with
or without them."""


def _key(text: str) -> str:
    key = " ".join(normalise_name(text).casefold().split())
    for prefix in PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


@attrs.frozen
class Membership:
    """Every row's parent (by kind and code), and the problems met linking them."""

    parent_of: Mapping[tuple[str, str], tuple[str, str]]  # (kind, code) -> (kind, code)
    children: Mapping[tuple[str, str], Mapping[str, tuple[str, ...]]]  # parent -> kind -> codes
    missing: Mapping[tuple[str, str], Mapping[str, tuple[str, ...]]]  # parent -> kind -> codes
    problems: tuple[LinkProblem, ...]

    def members(self, kind: str, code: str, member_kind: str) -> tuple[str, ...]:
        """The codes of the ``member_kind`` units of a unit, directly or through its members."""
        direct = self.children.get((kind, code), {})
        if member_kind in direct or member_kind in member_kinds(kind):
            return tuple(direct.get(member_kind, ()))
        found: list[str] = []
        for child_kind, codes in direct.items():
            for child in codes:
                found.extend(self.members(child_kind, child, member_kind))
        return tuple(found)

    def missing_members(self, kind: str, code: str, member_kind: str) -> tuple[str, ...]:
        """Listed members of ``member_kind`` with no record, directly or through members."""
        found = list(self.missing.get((kind, code), {}).get(member_kind, ()))
        if member_kind not in member_kinds(kind):
            for child_kind, codes in self.children.get((kind, code), {}).items():
                for child in codes:
                    found.extend(self.missing_members(child_kind, child, member_kind))
        return tuple(found)


def link(data: DataSet) -> Membership:
    """Link every row of ``data`` to its parent."""
    parent_of: dict[tuple[str, str], tuple[str, str]] = {}
    children: dict[tuple[str, str], dict[str, list[str]]] = {}
    missing: dict[tuple[str, str], dict[str, list[str]]] = {}
    problems: list[LinkProblem] = []
    for kind in KINDS.values():
        parents = [row for parent in kind.parent for row in data.of(parent)]
        if not data.has(kind.id) or not parents:
            continue
        rows = {row.code: row for row in data.of(kind.id)}
        listing = _declared(kind.id, parents, rows, parent_of, children, missing, problems)
        by_code = {row.code: row for row in parents}
        by_name = _names(parents)
        for row in rows.values():
            if (kind.id, row.code) in parent_of:
                continue
            parent, pointer = _pointed(row, kind.link_fields, by_code, by_name)
            if parent is None:
                problems.append(LinkProblem(UNLINKED, kind.id, row.code, None, row.label, pointer))
            elif parent.code in listing.get(parent.kind, set()):
                problems.append(
                    LinkProblem(EXTRA_MEMBER, kind.id, row.code, ref(parent), row.label, pointer)
                )
            else:
                parent_of[(kind.id, row.code)] = (parent.kind, parent.code)
                children.setdefault((parent.kind, parent.code), {}).setdefault(kind.id, []).append(
                    row.code
                )
    return Membership(
        parent_of,
        {p: {k: tuple(v) for k, v in kinds.items()} for p, kinds in children.items()},
        {p: {k: tuple(v) for k, v in kinds.items()} for p, kinds in missing.items()},
        tuple(problems),
    )


def _declared(
    kind: str,
    parents: Sequence[Row],
    rows: Mapping[str, Row],
    parent_of: dict[tuple[str, str], tuple[str, str]],
    children: dict[tuple[str, str], dict[str, list[str]]],
    missing: dict[tuple[str, str], dict[str, list[str]]],
    problems: list[LinkProblem],
) -> dict[str, set[str]]:
    """Link the members parents list; return, by parent kind, the codes of parents that list
    members of ``kind`` (only their lists count for them)."""
    listing: dict[str, set[str]] = {}
    for parent in parents:
        if parent.members is None or kind not in parent.members:
            continue
        listing.setdefault(parent.kind, set()).add(parent.code)
        key = (parent.kind, parent.code)
        for code in parent.members[kind]:
            if code not in rows:
                missing.setdefault(key, {}).setdefault(kind, []).append(code)
                problems.append(LinkProblem(MISSING_MEMBER, kind, code, ref(parent)))
            elif (kind, code) in parent_of:
                problems.append(
                    LinkProblem(LISTED_TWICE, kind, code, ref(parent), rows[code].label)
                )
            else:
                parent_of[(kind, code)] = key
                children.setdefault(key, {}).setdefault(kind, []).append(code)
    return listing


def _names(parents: Sequence[Row]) -> dict[str, Row | None]:
    """Parents by name (None for a name two parents share: it links nothing)."""
    found: dict[str, Row | None] = {}
    for row in parents:
        name = row.values.get("name")
        if isinstance(name, str):
            key = _key(name)
            found[key] = None if key in found else row
    return found


def _pointed(
    row: Row,
    fields: Sequence[str],
    by_code: Mapping[str, Row],
    by_name: Mapping[str, Row | None],
) -> tuple[Row | None, str | None]:
    """The parent a row names (by code, else by name) and what it wrote."""
    code_field, name_field = fields
    code = row.values.get(code_field)
    if isinstance(code, str) and code.strip():
        return by_code.get(normalise_name(code)), normalise_name(code)
    name = row.values.get(name_field)
    if isinstance(name, str) and name.strip():
        return by_name.get(_key(name)), normalise_name(name)
    return None, None
