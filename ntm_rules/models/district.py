"""Who the units above and beside the commune are: districts, towns, townships, wards, provinces.

These classes hold identity and recognition only; a vocabulary (``district_2021``…) adds what a
unit measures. A member names its parent by code (``district_code``, ``province_code``) or, when
the office's sheet has no codes, by name (``district``, ``province``).
"""

from __future__ import annotations

import attrs

from .commune import REGIONS, _text
from .fields import flag, year_field


@attrs.frozen(kw_only=True)
class District:
    """A rural district (huyện): the unit Decision 320/QĐ-TTg Phụ lục I assesses."""

    code: str = _text("Mã huyện", "District code", required=True)
    name: str | None = _text("Tên huyện", "District name", required=False)
    province: str | None = _text("Tỉnh", "Province", required=False)
    province_code: str | None = _text("Mã tỉnh", "Province code", required=False)
    region: str | None = _text("Vùng", "Region", required=False, choices=tuple(REGIONS))
    year: int | None = year_field("Năm đánh giá", "Year assessed")
    recognised_ntm_year: int | None = year_field(
        "Năm được công nhận huyện đạt chuẩn NTM", "Year recognised as an NTM district"
    )
    recognised_advanced_year: int | None = year_field(
        "Năm được công nhận huyện NTM nâng cao", "Year recognised as an advanced NTM district"
    )


@attrs.frozen(kw_only=True)
class Town:
    """A town (thị xã) or provincial city (thành phố thuộc tỉnh): 320/QĐ-TTg Phụ lục II."""

    code: str = _text("Mã thị xã, thành phố", "Town or city code", required=True)
    name: str | None = _text("Tên thị xã, thành phố", "Town or city name", required=False)
    province: str | None = _text("Tỉnh", "Province", required=False)
    province_code: str | None = _text("Mã tỉnh", "Province code", required=False)
    region: str | None = _text("Vùng", "Region", required=False, choices=tuple(REGIONS))
    year: int | None = year_field("Năm đánh giá", "Year assessed")
    recognised_completed_year: int | None = year_field(
        "Năm được công nhận hoàn thành nhiệm vụ xây dựng NTM",
        "Year recognised as having completed the NTM task",
    )


@attrs.frozen(kw_only=True)
class UrbanArea:
    """What a township and a ward share: counted by their district or town, assessed as urban
    areas ("đô thị văn minh"), never against the commune criteria."""

    province: str | None = _text("Tỉnh", "Province", required=False)
    year: int | None = year_field("Năm đánh giá", "Year assessed")
    civilised_urban: bool | None = flag(
        "Đạt chuẩn đô thị văn minh", "Recognised as a civilised urban area (đô thị văn minh)"
    )


@attrs.frozen(kw_only=True)
class Township(UrbanArea):
    """A township (thị trấn) of a district."""

    code: str = _text("Mã thị trấn", "Township code", required=True)
    name: str | None = _text("Tên thị trấn", "Township name", required=False)
    district: str | None = _text("Huyện", "District", required=False)
    district_code: str | None = _text("Mã huyện", "District code", required=False)


@attrs.frozen(kw_only=True)
class Ward(UrbanArea):
    """A ward (phường) of a town or provincial city."""

    code: str = _text("Mã phường", "Ward code", required=True)
    name: str | None = _text("Tên phường", "Ward name", required=False)
    district: str | None = _text("Thị xã, thành phố", "Town or city", required=False)
    district_code: str | None = _text("Mã thị xã, thành phố", "Town or city code", required=False)


@attrs.frozen(kw_only=True)
class Province:
    """A province or centrally-run city: Decision 321/QĐ-TTg."""

    code: str = _text("Mã tỉnh", "Province code", required=True)
    name: str | None = _text("Tên tỉnh", "Province name", required=False)
    province: str | None = _text("Tỉnh", "Province", required=False)
    region: str | None = _text("Vùng", "Region", required=False, choices=tuple(REGIONS))
    year: int | None = year_field("Năm đánh giá", "Year assessed")
    recognised_completed_year: int | None = year_field(
        "Năm được công nhận hoàn thành nhiệm vụ xây dựng NTM",
        "Year recognised as having completed the NTM task",
    )
