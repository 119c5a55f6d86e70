"""The kinds of administrative unit: what each is called, what it belongs to, what it contains.

One entry per kind. A kind's ``parent`` is the kind of unit that counts it as a member, and
``link_fields`` are the fields of its records that name that parent (a code first, then a name).
A ward or township is counted by the town or district it lies in but is never assessed against
the commune criteria.
"""

from __future__ import annotations

import attrs

from .text import Lang, Text


@attrs.frozen
class UnitKind:
    id: str
    name: Text  # singular, lower case in Vietnamese running text
    plural: Text
    heading: Text  # capitalised, for a column or a line label
    section: str  # the key holding records of this kind in a data set file
    parent: tuple[str, ...] = ()  # the kinds that count this kind as a member
    link_fields: tuple[str, ...] = ()  # fields naming the parent: code first, then name

    def words(self, lang: Lang) -> dict[str, str]:
        """``unit`` / ``units`` to fill a message with."""
        return {"unit": self.name(lang), "units": self.plural(lang)}


def _kind(
    id: str,
    vi: str,
    en: str,
    en_plural: str,
    heading: tuple[str, str],
    section: str,
    parent: tuple[str, ...] = (),
    link_fields: tuple[str, ...] = (),
) -> UnitKind:
    return UnitKind(
        id,
        Text(vi=vi, en=en),
        Text(vi=vi, en=en_plural),
        Text(vi=heading[0], en=heading[1]),
        section,
        parent,
        link_fields,
    )


_DISTRICT_LINK = ("district_code", "district")
_PROVINCE_LINK = ("province_code", "province")

KINDS: dict[str, UnitKind] = {
    kind.id: kind
    for kind in (
        _kind(
            "village",
            "thôn, bản",
            "village",
            "villages",
            ("Thôn, bản", "Village"),
            "villages",
            ("commune",),
            ("commune_code", "commune_name"),
        ),
        _kind(
            "commune",
            "xã",
            "commune",
            "communes",
            ("Xã", "Commune"),
            "communes",
            ("district", "town"),
            _DISTRICT_LINK,
        ),
        _kind(
            "township",
            "thị trấn",
            "township",
            "townships",
            ("Thị trấn", "Township"),
            "townships",
            ("district",),
            _DISTRICT_LINK,
        ),
        _kind(
            "ward",
            "phường",
            "ward",
            "wards",
            ("Phường", "Ward"),
            "wards",
            ("town",),
            _DISTRICT_LINK,
        ),
        _kind(
            "district",
            "huyện",
            "district",
            "districts",
            ("Huyện", "District"),
            "districts",
            ("province",),
            _PROVINCE_LINK,
        ),
        _kind(
            "town",
            "thị xã, thành phố",
            "town or provincial city",
            "towns and provincial cities",
            ("Thị xã, thành phố", "Town / city"),
            "towns",
            ("province",),
            _PROVINCE_LINK,
        ),
        _kind(
            "province",
            "tỉnh",
            "province",
            "provinces",
            ("Tỉnh", "Province"),
            "provinces",
        ),
    )
}
"""Every unit kind by id, smallest first."""

UNIT_KINDS: tuple[str, ...] = tuple(KINDS)


def unit_kind(kind: str) -> UnitKind:
    """The registry entry of ``kind``; an unknown kind gets a neutral entry named after it."""
    found = KINDS.get(kind)
    if found is not None:
        return found
    same = Text(vi=kind, en=kind)
    return UnitKind(kind, same, same, same, kind)


def member_kinds(kind: str) -> tuple[str, ...]:
    """The kinds a unit of ``kind`` may count as members."""
    return tuple(k.id for k in KINDS.values() if kind in k.parent)


def descendant_kinds(kind: str) -> tuple[str, ...]:
    """The kinds a unit of ``kind`` contains, directly or through its members."""
    found: list[str] = []
    todo = list(member_kinds(kind))
    while todo:
        child = todo.pop(0)
        if child not in found:
            found.append(child)
            todo.extend(member_kinds(child))
    return tuple(found)
