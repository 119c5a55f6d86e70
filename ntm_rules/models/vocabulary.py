"""Input vocabularies: the attrs model a ruleset's conditions are written against."""

from __future__ import annotations

from typing import Any

import attrs

from ..errors import NtmRulesError
from ..expr import ExprType
from ..text import Text, did_you_mean
from .commune import Commune
from .commune_2021 import Commune2021
from .district import District, Province, Town, Township, Ward
from .district_2021 import District2021, DistrictSpecial2021, Province2021, Town2021
from .fields import KIND_BOOL, KIND_TEXT
from .village_2021 import Village, Village2021

VOCABULARIES: dict[str, type[Any]] = {
    "commune_2021": Commune2021,
    "village_2021": Village2021,
    "district_2021": District2021,
    "district_special_2021": DistrictSpecial2021,
    "town_2021": Town2021,
    "province_2021": Province2021,
    "township": Township,
    "ward": Ward,
}
"""Vocabulary name (the ``inputs:`` key of a ruleset) -> attrs model class."""

UNIT_CLASSES: tuple[type[Any], ...] = (Commune, Village, District, Town, Township, Ward, Province)
"""The classes that say who a unit is; a vocabulary adds what the unit measures."""


def identity_fields(model: type[Any]) -> tuple[str, ...]:
    """The fields of ``model`` that describe the unit itself (region, ĐBKK, recognition years),
    not what it measures; name, code, province and district are left out."""
    unit = next((c for c in UNIT_CLASSES if issubclass(model, c)), None)
    if unit is None:
        return ()
    skip = ("code", "name", "province", "district", "district_code", "province_code")
    return tuple(f.name for f in attrs.fields(unit) if f.name not in skip)


@attrs.frozen
class FieldSpec:
    """What one input field is: its type, unit, label and allowed values."""

    name: str
    kind: str
    unit: str | None
    label: Text
    required: bool
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def expr_type(self) -> ExprType:
        if self.kind == KIND_BOOL:
            return ExprType("bool")
        if self.kind == KIND_TEXT:
            return ExprType("text", None, self.choices)
        return ExprType("number", self.unit)


def always_given(model: type[Any]) -> frozenset[str]:
    """The fields every record of ``model`` has a value for: required ones, and those with a
    default (a ĐBKK flag left blank means "not on the list")."""
    return frozenset(f.name for f in attrs.fields(model) if f.default is not None)


def vocabulary(name: str) -> type[Any]:
    try:
        return VOCABULARIES[name]
    except KeyError:
        known, hint = ", ".join(sorted(VOCABULARIES)), did_you_mean(name, VOCABULARIES)
        raise NtmRulesError(
            Text(
                vi=f"không có bộ dữ liệu vào (inputs) '{name}'{hint.vi}; các bộ có: {known}",
                en=f"unknown input vocabulary '{name}'{hint.en}; known: {known}",
            )
        ) from None


def field_specs(model: type[Any]) -> tuple[FieldSpec, ...]:
    specs = []
    for field in attrs.fields(model):
        meta = field.metadata
        specs.append(
            FieldSpec(
                name=field.name,
                kind=meta["kind"],
                unit=meta["unit"],
                label=meta["label"],
                required=meta.get("required", False) and field.default is attrs.NOTHING,
                choices=tuple(meta.get("choices", ())),
                minimum=meta.get("minimum"),
                maximum=meta.get("maximum"),
            )
        )
    return tuple(specs)
