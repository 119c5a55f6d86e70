"""The village (thôn, bản) as a unit, and the inputs of the 2021-2025 village criteria.

Resolution 25/2021/QH15 leaves the criteria for an NTM village (thôn, bản đạt chuẩn nông thôn
mới) in the particularly difficult (ĐBKK) communes to the provincial People's Committee. No
province's village decision was available when this model was written: the fields below are
the commune criteria of Decision 318/QĐ-TTg that make sense at village level, plus the few facts
a model village (bản nông thôn mới kiểu mẫu) is usually judged on. ``None`` means not reported
(status ``missing``).
"""

from __future__ import annotations

import attrs

from .commune import REGIONS, _text
from .fields import amount, count, flag, known_flag, percent, year_field


@attrs.frozen(kw_only=True)
class Village:
    """Who the village is and which commune it belongs to; kept apart from what it measures."""

    code: str = _text("Mã thôn, bản", "Village code", required=True)
    name: str | None = _text("Tên thôn, bản", "Village name", required=False)
    commune_code: str = _text("Mã xã", "Commune code", required=True)
    commune_name: str | None = _text("Tên xã", "Commune name", required=False)
    province: str | None = _text("Tỉnh", "Province", required=False)
    district: str | None = _text("Huyện", "District", required=False)
    region: str = _text("Vùng", "Region", required=True, choices=tuple(REGIONS))
    year: int | None = year_field("Năm đánh giá", "Year assessed")
    dbkk: bool = known_flag(
        "Thôn, bản thuộc xã đặc biệt khó khăn (ĐBKK)",
        "Village in a particularly difficult (ĐBKK) commune",
    )
    recognised_village_ntm_year: int | None = year_field(
        "Năm được công nhận bản đạt chuẩn NTM", "Year recognised as an NTM village"
    )
    recognised_village_model_year: int | None = year_field(
        "Năm được công nhận bản NTM kiểu mẫu", "Year recognised as a model NTM village"
    )


@attrs.frozen(kw_only=True)
class Village2021(Village):
    """A village and what it measures for the 2021-2025 village NTM and model-village sets."""

    # Giao thông
    village_roads_hardened_pct: float | None = percent(
        "Tỷ lệ đường trục thôn, bản và đường liên thôn, bản được cứng hóa",
        "Village and inter-village roads hardened",
    )
    alleys_clean_pct: float | None = percent(
        "Tỷ lệ đường ngõ, xóm sạch, không lầy lội vào mùa mưa",
        "Alleys clean and not muddy in the rainy season",
    )
    # Điện
    households_safe_power_pct: float | None = percent(
        "Tỷ lệ hộ sử dụng điện thường xuyên, an toàn", "Households with regular, safe power"
    )
    # Nhà văn hóa
    has_culture_house: bool | None = flag(
        "Thôn, bản có nhà văn hóa hoặc nơi sinh hoạt văn hóa, thể thao",
        "Village has a culture house or a place for cultural and sports activities",
    )
    # Nhà ở dân cư
    temporary_houses: int | None = count("Số nhà tạm, dột nát", "Temporary or dilapidated houses")
    solid_houses_pct: float | None = percent(
        "Tỷ lệ hộ có nhà ở kiên cố hoặc bán kiên cố", "Households in solid or semi-solid houses"
    )
    # Thu nhập
    income_per_capita: float | None = amount(
        "mvnd_per_person_year",
        "Thu nhập bình quân đầu người của thôn, bản",
        "Village income per capita",
    )
    # Nghèo đa chiều
    multidimensional_poverty_pct: float | None = percent(
        "Tỷ lệ hộ nghèo đa chiều", "Multidimensional poverty rate"
    )
    # Tổ chức sản xuất
    has_production_model: bool | None = flag(
        "Có tổ hợp tác, hợp tác xã hoặc mô hình liên kết sản xuất gắn với tiêu thụ sản phẩm "
        "hoạt động hiệu quả",
        "An effective cooperative group, cooperative or production-to-market model",
    )
    # Giáo dục - Y tế - Văn hóa
    school_age_attendance_pct: float | None = percent(
        "Tỷ lệ trẻ em trong độ tuổi đi học được đến trường",
        "School-age children attending school",
    )
    health_insurance_pct: float | None = percent(
        "Tỷ lệ người dân tham gia bảo hiểm y tế", "Health-insurance coverage"
    )
    cultural_village: bool | None = flag(
        "Bản được công nhận danh hiệu bản văn hóa", "Village recognised as a cultural village"
    )
    # Môi trường
    hygienic_water_pct: float | None = percent(
        "Tỷ lệ hộ sử dụng nước hợp vệ sinh", "Households using hygienic water"
    )
    households_sanitation_pct: float | None = percent(
        "Tỷ lệ hộ có nhà tiêu, nhà tắm, thiết bị chứa nước hợp vệ sinh",
        "Households with hygienic toilet, bathroom and water storage",
    )
    waste_collected: bool | None = flag(
        "Rác thải sinh hoạt được thu gom, xử lý theo quy định",
        "Household waste collected and treated as required",
    )
    landscape_green_clean: bool | None = flag(
        "Cảnh quan, không gian xanh - sạch - đẹp, an toàn", "Green, clean, safe landscape"
    )
    # An ninh, trật tự
    security_order_safe: bool | None = flag(
        "Thôn, bản đảm bảo an ninh, trật tự xã hội", "Village safe on security and social order"
    )
    # Bản nông thôn mới kiểu mẫu
    model_gardens: int | None = count("Số vườn mẫu", "Model gardens")
    lit_roads: bool | None = flag(
        "Đường trục chính của thôn, bản được chiếu sáng", "Main village roads lit"
    )
    community_digital: bool | None = flag(
        "Có nền tảng số cộng đồng hoặc ứng dụng thôn, bản thông minh",
        "Community digital platform or smart-village application",
    )
    # Điều kiện công nhận
    resident_satisfaction_pct: float | None = percent(
        "Tỷ lệ người dân hài lòng với kết quả xây dựng bản NTM",
        "Residents satisfied with the village's NTM results",
    )
