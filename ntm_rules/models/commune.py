"""The commune as a unit: identity, region and status attributes shared by every criteria set."""

from __future__ import annotations

from typing import Any

import attrs

from ..text import Text, did_you_mean
from .fields import KIND_TEXT, REQUIRED, FieldValueError, known_flag, year_field

REGIONS: dict[str, Text] = {
    "tdmnpb": Text(vi="Trung du và miền núi phía Bắc", en="Northern midlands and mountains"),
    "dbsh": Text(vi="Đồng bằng sông Hồng", en="Red River Delta"),
    "btb": Text(vi="Bắc Trung Bộ", en="North Central"),
    "dhntb": Text(vi="Duyên hải Nam Trung Bộ", en="South Central Coast"),
    "tn": Text(vi="Tây Nguyên", en="Central Highlands"),
    "dnb": Text(vi="Đông Nam Bộ", en="Southeast"),
    "dbscl": Text(vi="Đồng bằng sông Cửu Long", en="Mekong River Delta"),
}
"""The seven socio-economic regions of Decision 318/QĐ-TTg: the values the input ``region`` may
take, and their names for the input schema. A ruleset names them itself, in its ``axes``
(explanations and criteria tables use those names)."""


def _text(vi: str, en: str, *, required: bool, choices: tuple[str, ...] = ()) -> Any:
    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            if required:
                raise FieldValueError(attribute.name, REQUIRED)
            return
        if not isinstance(value, str):
            shown = f"{type(value).__name__} {value!r}"
            raise FieldValueError(
                attribute.name,
                Text(vi=f"cần văn bản, nhưng gặp {shown}", en=f"expected a text, found {shown}"),
            )
        if required and not value.strip():
            raise FieldValueError(
                attribute.name, Text(vi="không được để trống", en="must not be empty")
            )
        if choices and value not in choices:
            listed, hint = ", ".join(choices), did_you_mean(value, choices)
            raise FieldValueError(
                attribute.name,
                Text(
                    vi=f"'{value}' không phải một trong các giá trị {listed}{hint.vi}",
                    en=f"'{value}' is not one of {listed}{hint.en}",
                ),
            )

    meta = {"kind": KIND_TEXT, "unit": None, "label": Text(vi=vi, en=en), "choices": choices}
    if required:
        return attrs.field(validator=validate, metadata={**meta, "required": True})
    return attrs.field(default=None, validator=validate, metadata=meta)


@attrs.frozen(kw_only=True)
class Commune:
    """Who the commune is; kept apart from what it measures and from what is computed."""

    code: str = _text("Mã xã", "Commune code", required=True)
    name: str | None = _text("Tên xã", "Commune name", required=False)
    province: str | None = _text("Tỉnh", "Province", required=False)
    district: str | None = _text("Huyện", "District", required=False)
    district_code: str | None = _text("Mã huyện", "District code", required=False)
    region: str = _text("Vùng", "Region", required=True, choices=tuple(REGIONS))
    year: int | None = year_field("Năm đánh giá", "Year assessed")
    dbkk: bool = known_flag("Xã đặc biệt khó khăn (ĐBKK)", "Particularly difficult commune (ĐBKK)")
    atk: bool = known_flag("Xã an toàn khu", "Safe-zone (an toàn khu) commune")
    poor_district: bool = known_flag(
        "Thuộc huyện nghèo hoặc huyện thoát nghèo giai đoạn 2018-2020",
        "In a poor district, or one that left poverty in 2018-2020",
    )
    recognised_ntm_year: int | None = year_field(
        "Năm được công nhận đạt chuẩn NTM", "Year recognised as NTM"
    )
    recognised_advanced_year: int | None = year_field(
        "Năm được công nhận NTM nâng cao", "Year recognised as advanced NTM"
    )
    recognised_model_year: int | None = year_field(
        "Năm được công nhận NTM kiểu mẫu", "Year recognised as model NTM"
    )
