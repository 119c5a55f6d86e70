"""What a district, town or province is assessed on, 2021-2025 (Decisions 320, 211, 321/QĐ-TTg).

Fields ending in ``_pct``/``_min_pct`` that count members (communes at NTM, townships that are
"đô thị văn minh", the lowest commune satisfaction) are computed by the library from the members'
results when the data set holds the members (see ``aggregates:`` in the ruleset); a record may
give them itself when it does not. The list of the nine district criteria of 320 Phụ lục I is
recalled, not verified, so each is one appraisal input (the appraisal council's đạt / chưa đạt):
their indicators are not known.
"""

from __future__ import annotations

import attrs

from .district import District, Province, Town
from .fields import amount, count, flag, percent


@attrs.frozen(kw_only=True, slots=False)
class MemberShares:
    """The shares of members a district-level unit is judged on."""

    communes_ntm_pct: float | None = percent(
        "Tỷ lệ xã đạt chuẩn NTM", "Share of communes meeting the NTM standard"
    )
    communes_advanced_pct: float | None = percent(
        "Tỷ lệ xã đạt chuẩn NTM nâng cao", "Share of communes meeting the advanced NTM standard"
    )
    communes_model_pct: float | None = percent(
        "Tỷ lệ xã đạt chuẩn NTM kiểu mẫu", "Share of communes meeting the model NTM standard"
    )
    commune_satisfaction_min_pct: float | None = percent(
        "Tỷ lệ người dân hài lòng thấp nhất trong các xã",
        "Lowest residents' satisfaction among the communes",
    )


@attrs.frozen(kw_only=True, slots=False)
class DistrictCriteria:
    """The nine criteria of an NTM district, as appraised (list recalled, not verified)."""

    planning_met: bool | None = flag("Tiêu chí Quy hoạch đạt", "Planning criterion met")
    transport_met: bool | None = flag("Tiêu chí Giao thông đạt", "Transport criterion met")
    irrigation_met: bool | None = flag(
        "Tiêu chí Thủy lợi và phòng, chống thiên tai đạt",
        "Irrigation and disaster prevention criterion met",
    )
    electricity_met: bool | None = flag("Tiêu chí Điện đạt", "Electricity criterion met")
    health_culture_education_met: bool | None = flag(
        "Tiêu chí Y tế - Văn hóa - Giáo dục đạt", "Health, culture and education criterion met"
    )
    economy_met: bool | None = flag("Tiêu chí Kinh tế đạt", "Economy criterion met")
    environment_met: bool | None = flag("Tiêu chí Môi trường đạt", "Environment criterion met")
    living_environment_met: bool | None = flag(
        "Tiêu chí Chất lượng môi trường sống đạt", "Living-environment quality criterion met"
    )
    governance_security_met: bool | None = flag(
        "Tiêu chí Hệ thống chính trị - An ninh trật tự - Hành chính công đạt",
        "Political system, security and public administration criterion met",
    )
    resident_satisfaction_pct: float | None = percent(
        "Tỷ lệ người dân hài lòng với kết quả xây dựng NTM của huyện",
        "Residents satisfied with the district's NTM results",
    )
    advanced_criteria_met: bool | None = flag(
        "Đạt các tiêu chí huyện NTM nâng cao (theo thẩm định)",
        "Meets the advanced NTM district criteria (as appraised)",
    )


@attrs.frozen(kw_only=True)
class District2021(DistrictCriteria, MemberShares, District):
    """A district and what it is assessed on for the 2021-2025 NTM and advanced NTM levels."""

    townships_civilised_pct: float | None = percent(
        "Tỷ lệ thị trấn đạt chuẩn đô thị văn minh",
        "Share of townships recognised as civilised urban areas",
    )
    townships_count: int | None = count("Số thị trấn của huyện", "Townships in the district")


@attrs.frozen(kw_only=True)
class Town2021(DistrictCriteria, MemberShares, Town):
    """A town or provincial city and what it is assessed on to complete the NTM task."""

    wards_civilised_pct: float | None = percent(
        "Tỷ lệ phường đạt chuẩn đô thị văn minh",
        "Share of wards recognised as civilised urban areas",
    )
    wards_count: int | None = count("Số phường", "Wards of the town or city")
    communes_advanced_count: int | None = count(
        "Số xã đạt chuẩn NTM nâng cao", "Communes meeting the advanced NTM standard"
    )


@attrs.frozen(kw_only=True)
class DistrictSpecial2021(District):
    """A district without commune-level units (211/QĐ-TTg Phụ lục V, items verified in part)."""

    resident_satisfaction_pct: float | None = percent(
        "Tỷ lệ người dân hài lòng với kết quả xây dựng NTM của huyện",
        "Residents satisfied with the district's NTM results",
    )
    construction_plan_valid: bool | None = flag(
        "Có quy hoạch xây dựng vùng huyện còn hiệu lực",
        "A valid district construction plan",
    )
    infrastructure_projects: int | None = count(
        "Số công trình hạ tầng thiết yếu được đầu tư theo quy hoạch",
        "Essential infrastructure projects built to the plan",
    )
    district_roads_standard_pct: float | None = percent(
        "Tỷ lệ km đường huyện đạt chuẩn theo quy hoạch, được bảo trì hằng năm",
        "District-road km meeting the planning standard and maintained yearly",
    )
    district_roads_trees_pct: float | None = percent(
        "Tỷ lệ km đường huyện được trồng cây xanh", "District-road km planted with trees"
    )
    has_waterways: bool | None = flag(
        "Huyện có đường thủy nội địa, bến thủy", "The district has inland waterways or wharves"
    )
    waterways_safe: bool | None = flag(
        "Đường thủy nội địa, bến thủy (nếu có) bảo đảm an toàn, được cấp phép",
        "Inland waterways and wharves (if any) safe and licensed",
    )
    has_farmland: bool | None = flag(
        "Huyện có đất sản xuất nông nghiệp", "The district has agricultural land"
    )
    irrigated_farmland_pct: float | None = percent(
        "Tỷ lệ diện tích đất sản xuất nông nghiệp được tưới và tiêu nước chủ động (nếu có)",
        "Farmland actively irrigated and drained (if any)",
    )
    disaster_four_on_site: bool | None = flag(
        'Đảm bảo yêu cầu phòng, chống thiên tai theo phương châm "4 tại chỗ"',
        'Disaster preparedness on the "four on-site" principle',
    )
    electricity_synchronised: bool | None = flag(
        "Hệ thống điện liên xã đồng bộ, đáp ứng yêu cầu", "District power system synchronised"
    )
    other_criteria_met: bool | None = flag(
        "Đạt các tiêu chí còn lại của Phụ lục V (theo thẩm định)",
        "Meets the remaining criteria of Phụ lục V (as appraised)",
    )


@attrs.frozen(kw_only=True)
class Province2021(Province):
    """A province and the eight conditions of Decision 321/QĐ-TTg (all verified)."""

    districts_ntm_pct: float | None = percent(
        "Tỷ lệ huyện đạt chuẩn NTM", "Share of districts meeting the NTM standard"
    )
    towns_completed_pct: float | None = percent(
        "Tỷ lệ thị xã, thành phố thuộc tỉnh hoàn thành nhiệm vụ xây dựng NTM",
        "Share of towns and provincial cities that completed the NTM task",
    )
    districts_advanced_pct: float | None = percent(
        "Tỷ lệ huyện đạt chuẩn NTM nâng cao", "Share of districts meeting the advanced standard"
    )
    communes_advanced_pct: float | None = percent(
        "Tỷ lệ xã đạt chuẩn NTM nâng cao", "Share of communes meeting the advanced NTM standard"
    )
    towns_count: int | None = count(
        "Số thị xã, thành phố thuộc tỉnh", "Towns and provincial cities of the province"
    )
    ntm_scheme_approved: bool | None = flag(
        "Có Đề án xây dựng NTM cấp tỉnh giai đoạn 2021-2025 được HĐND tỉnh phê duyệt",
        "A provincial NTM scheme 2021-2025 approved by the People's Council",
    )
    roads_tree_lined_pct: float | None = percent(
        "Tỷ lệ km đường huyện, tỉnh, quốc lộ được trồng cây xanh dọc tuyến",
        "District, provincial and national road km planted with trees along the route",
    )
    public_green_m2_per_person: float | None = amount(
        "m2_per_person", "Diện tích đất cây xanh công cộng", "Public green land"
    )
    admin_satisfaction_pct: float | None = percent(
        "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính cấp tỉnh",
        "Satisfaction of people and organisations with provincial public administration",
    )


DISTRICT_CRITERIA_FLAGS: tuple[str, ...] = tuple(
    field.name
    for field in attrs.fields(DistrictCriteria)
    if field.name.endswith("_met") and field.name != "advanced_criteria_met"
)
"""The appraisal inputs of the nine district criteria, in the order of the list."""
