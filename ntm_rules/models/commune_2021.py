"""Inputs of the 2021-2025 commune criteria (Decisions 318/QĐ-TTg, 211/QĐ-TTg, 319/QĐ-TTg,
18/2022/QĐ-TTg). One field per measured fact; ``None`` means not reported (status ``missing``).

Field names are the names conditions use in ``rulesets/``. The 2026-2030 criteria measure other
things and get their own model.
"""

from __future__ import annotations

import attrs

from .commune import Commune
from .fields import amount, count, flag, percent


@attrs.frozen(kw_only=True)
class Commune2021(Commune):
    """A commune and what it measures for the 2021-2025 NTM, nâng cao and kiểu mẫu sets."""

    # 1 Quy hoạch
    master_plan_approved: bool | None = flag(
        "Có quy hoạch chung xây dựng xã được phê duyệt, công bố công khai",
        "Commune master plan approved and published",
    )
    planning_rules_enforced: bool | None = flag(
        "Có quy định quản lý quy hoạch và thực hiện theo quy hoạch",
        "Planning rules issued and enforced",
    )
    # 2 Giao thông
    commune_roads_paved_pct: float | None = percent(
        "Tỷ lệ đường xã được nhựa hóa hoặc bê tông hóa", "Commune roads paved"
    )
    village_roads_hardened_pct: float | None = percent(
        "Tỷ lệ đường thôn, bản, liên thôn được cứng hóa", "Village roads hardened"
    )
    alleys_clean_pct: float | None = percent(
        "Tỷ lệ đường ngõ, xóm sạch, đi lại thuận tiện", "Alleys clean and passable"
    )
    field_roads_pct: float | None = percent(
        "Tỷ lệ đường trục chính nội đồng đảm bảo vận chuyển", "Main field roads usable"
    )
    # 3 Thủy lợi và phòng, chống thiên tai
    irrigated_farmland_pct: float | None = percent(
        "Tỷ lệ diện tích đất sản xuất nông nghiệp được tưới và tiêu nước chủ động",
        "Farmland actively irrigated and drained",
    )
    disaster_prevention_on_site: bool | None = flag(
        "Đảm bảo phòng chống thiên tai theo phương châm 4 tại chỗ",
        "Disaster preparedness on the '4 on-the-spot' motto",
    )
    # 4 Điện
    power_system_standard: bool | None = flag(
        "Hệ thống điện đạt chuẩn", "Power grid meets standard"
    )
    households_safe_power_pct: float | None = percent(
        "Tỷ lệ hộ sử dụng điện thường xuyên, an toàn", "Households with regular, safe power"
    )
    # 5 Trường học
    schools_standard_pct: float | None = percent(
        "Tỷ lệ trường học có cơ sở vật chất và thiết bị dạy học đạt chuẩn",
        "Schools with standard facilities",
    )
    # 6 Cơ sở vật chất văn hóa
    commune_culture_house: bool | None = flag(
        "Xã có nhà văn hóa hoặc hội trường đa năng và sân thể thao",
        "Commune culture house and sports ground",
    )
    play_areas_children_elderly: bool | None = flag(
        "Xã có điểm vui chơi, giải trí và thể thao cho trẻ em và người cao tuổi",
        "Play and sports areas for children and the elderly",
    )
    villages_culture_house_pct: float | None = percent(
        "Tỷ lệ thôn, bản có nhà văn hóa hoặc nơi sinh hoạt văn hóa, thể thao",
        "Villages with a culture house",
    )
    # 7 Cơ sở hạ tầng thương mại nông thôn
    rural_market_standard: bool | None = flag(
        "Xã có chợ nông thôn hoặc nơi mua bán, trao đổi hàng hóa", "Rural market or trading place"
    )
    # 8 Thông tin và Truyền thông
    postal_service_point: bool | None = flag("Xã có điểm phục vụ bưu chính", "Postal service point")
    telecom_internet: bool | None = flag(
        "Xã có dịch vụ viễn thông, internet", "Telecom and internet"
    )
    loudspeaker_system: bool | None = flag(
        "Xã có đài truyền thanh và hệ thống loa đến các thôn",
        "Radio station and village loudspeakers",
    )
    it_in_administration: bool | None = flag(
        "Xã ứng dụng công nghệ thông tin trong quản lý, điều hành", "IT used in administration"
    )
    # 9 Nhà ở dân cư
    temporary_houses: int | None = count("Số nhà tạm, dột nát", "Temporary or dilapidated houses")
    solid_houses_pct: float | None = percent(
        "Tỷ lệ hộ có nhà ở kiên cố hoặc bán kiên cố", "Households in solid or semi-solid houses"
    )
    # 10 Thu nhập
    income_per_capita: float | None = amount(
        "mvnd_per_person_year",
        "Thu nhập bình quân đầu người khu vực nông thôn",
        "Rural income per capita",
    )
    # 11 Nghèo đa chiều
    multidimensional_poverty_pct: float | None = percent(
        "Tỷ lệ nghèo đa chiều", "Multidimensional poverty rate"
    )
    # 12 Lao động
    employment_rate_pct: float | None = percent(
        "Tỷ lệ người có việc làm trên dân số trong độ tuổi lao động",
        "Employment rate of the working-age population",
    )
    # 13 Tổ chức sản xuất và phát triển kinh tế nông thôn
    cooperative_effective: bool | None = flag(
        "Xã có hợp tác xã hoạt động hiệu quả", "Cooperative operating effectively"
    )
    value_chain_model: bool | None = flag(
        "Xã có mô hình liên kết sản xuất gắn với tiêu thụ nông sản chủ lực",
        "Production-to-market link for key products",
    )
    traceability_certified: bool | None = flag(
        "Sản phẩm chủ lực được truy xuất nguồn gốc, chứng nhận VietGAP hoặc tương đương",
        "Key products traceable and VietGAP-certified",
    )
    has_craft_village: bool | None = flag("Xã có làng nghề", "Commune has a craft village")
    craft_village_plan: bool | None = flag(
        "Có kế hoạch bảo tồn, phát triển làng nghề", "Craft-village conservation plan in place"
    )
    extension_team_effective: bool | None = flag(
        "Có tổ khuyến nông cộng đồng hoạt động hiệu quả", "Community extension team effective"
    )
    # 14 Giáo dục và Đào tạo
    education_universalised: bool | None = flag(
        "Đạt phổ cập giáo dục và xóa mù chữ", "Education universalised, illiteracy eliminated"
    )
    lower_secondary_continuing_pct: float | None = percent(
        "Tỷ lệ học sinh tốt nghiệp THCS được tiếp tục học",
        "Lower-secondary graduates continuing their studies",
    )
    trained_workers_pct: float | None = percent(
        "Tỷ lệ lao động có việc làm qua đào tạo", "Employed workers with training"
    )
    # 15 Y tế
    health_insurance_pct: float | None = percent(
        "Tỷ lệ người dân tham gia bảo hiểm y tế", "Health-insurance coverage"
    )
    commune_health_standard: bool | None = flag(
        "Xã đạt tiêu chí quốc gia về y tế", "Commune meets the national health criteria"
    )
    child_stunting_pct: float | None = percent(
        "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể thấp còi", "Stunting among children under 5"
    )
    e_health_records_pct: float | None = percent(
        "Tỷ lệ dân số có sổ sức khỏe điện tử", "Population with an electronic health record"
    )
    # 16 Văn hóa
    cultural_villages_pct: float | None = percent(
        "Tỷ lệ thôn, bản đạt chuẩn văn hóa", "Villages recognised as cultural villages"
    )
    # 17 Môi trường và an toàn thực phẩm
    hygienic_water_pct: float | None = percent(
        "Tỷ lệ hộ sử dụng nước hợp vệ sinh", "Households using hygienic water"
    )
    clean_water_pct: float | None = percent(
        "Tỷ lệ hộ sử dụng nước sạch đạt quy chuẩn", "Households using clean water to standard"
    )
    businesses_env_compliant_pct: float | None = percent(
        "Tỷ lệ cơ sở sản xuất, kinh doanh đảm bảo quy định về bảo vệ môi trường",
        "Businesses complying with environmental rules",
    )
    landscape_green_clean: bool | None = flag(
        "Cảnh quan, không gian xanh - sạch - đẹp, an toàn", "Green, clean, safe landscape"
    )
    public_green_m2_per_person: float | None = amount(
        "m2_per_person", "Đất cây xanh sử dụng công cộng", "Public green space"
    )
    burial_per_plan: bool | None = flag(
        "Mai táng, hỏa táng phù hợp quy định và quy hoạch", "Burial and cremation per plan"
    )
    waste_collected_treated: bool | None = flag(
        "Chất thải rắn và nước thải được thu gom, xử lý theo quy định",
        "Solid waste and wastewater collected and treated",
    )
    pesticide_medical_waste_pct: float | None = percent(
        "Tỷ lệ bao gói thuốc bảo vệ thực vật và chất thải rắn y tế được thu gom, xử lý",
        "Pesticide packaging and medical waste collected and treated",
    )
    households_sanitation_pct: float | None = percent(
        "Tỷ lệ hộ có nhà tiêu, nhà tắm, thiết bị chứa nước hợp vệ sinh",
        "Households with hygienic toilet, bathroom and water storage",
    )
    livestock_farms_compliant_pct: float | None = percent(
        "Tỷ lệ cơ sở chăn nuôi đảm bảo quy định về vệ sinh thú y và môi trường",
        "Livestock farms complying with veterinary and environmental rules",
    )
    food_safety_compliant_pct: float | None = percent(
        "Tỷ lệ hộ và cơ sở tuân thủ quy định về an toàn thực phẩm",
        "Households and businesses complying with food safety rules",
    )
    waste_sorting_households_pct: float | None = percent(
        "Tỷ lệ hộ phân loại chất thải rắn tại nguồn", "Households sorting solid waste at source"
    )
    plastic_waste_managed: bool | None = flag(
        "Chất thải nhựa được thu gom, tái sử dụng, tái chế, xử lý theo quy định",
        "Plastic waste collected, reused, recycled or treated",
    )
    # 18 Hệ thống chính trị và tiếp cận pháp luật
    officials_meet_standard: bool | None = flag(
        "Cán bộ, công chức xã đạt chuẩn", "Commune officials meet the standard"
    )
    legal_access_standard: bool | None = flag(
        "Đạt chuẩn tiếp cận pháp luật", "Access-to-law standard met"
    )
    political_orgs_complete: bool | None = flag(
        "Có đủ các tổ chức trong hệ thống chính trị cơ sở",
        "All grassroots political bodies present",
    )
    party_government_rated_good: bool | None = flag(
        "Đảng bộ, chính quyền xã hoàn thành tốt nhiệm vụ trở lên",
        "Party committee and government rated 'good' or better",
    )
    mass_orgs_rated_good: bool | None = flag(
        "Tổ chức chính trị - xã hội hoàn thành tốt nhiệm vụ trở lên",
        "Socio-political organisations rated 'good' or better",
    )
    gender_equality_ensured: bool | None = flag(
        "Đảm bảo bình đẳng giới và phòng chống bạo lực gia đình",
        "Gender equality and domestic-violence prevention ensured",
    )
    # 19 Quốc phòng và An ninh
    militia_strong: bool | None = flag(
        "Dân quân vững mạnh, rộng khắp; hoàn thành chỉ tiêu quốc phòng",
        "Strong militia; defence targets completed",
    )
    security_order_safe: bool | None = flag(
        "Xã đạt chuẩn an toàn về an ninh, trật tự", "Commune safe on security and order"
    )
    # NTM nâng cao (318 Phụ lục II)
    # Measures the advanced set adds; where it raises the threshold of a measure the NTM set
    # already has, it reuses the field above. Names of the annex items are from recollection.
    # 1 Quy hoạch
    detailed_plan_approved: bool | None = flag(
        "Có quy hoạch chi tiết xây dựng trung tâm xã hoặc điểm dân cư nông thôn",
        "Detailed plan for the commune centre or a rural settlement",
    )
    # 2 Giao thông
    commune_roads_maintained_pct: float | None = percent(
        "Tỷ lệ đường xã được bảo trì hàng năm, đảm bảo sáng - xanh - sạch - đẹp",
        "Commune roads maintained yearly (lit, green, clean, tidy)",
    )
    alleys_hardened_pct: float | None = percent(
        "Tỷ lệ đường ngõ, xóm được cứng hóa", "Alleys hardened"
    )
    field_roads_hardened_pct: float | None = percent(
        "Tỷ lệ đường trục chính nội đồng được cứng hóa", "Main field roads hardened"
    )
    # 3 Thủy lợi và phòng, chống thiên tai
    irrigation_org_effective: bool | None = flag(
        "Tổ chức thủy lợi cơ sở hoạt động hiệu quả, bền vững",
        "Grassroots irrigation organisation effective and sustainable",
    )
    water_saving_irrigation_pct: float | None = percent(
        "Tỷ lệ diện tích cây trồng chủ lực được tưới tiên tiến, tiết kiệm nước",
        "Key-crop area under advanced, water-saving irrigation",
    )
    irrigation_works_maintained_pct: float | None = percent(
        "Tỷ lệ công trình thủy lợi do xã quản lý được bảo trì hàng năm",
        "Commune-managed irrigation works maintained yearly",
    )
    # 5 Giáo dục
    schools_facility_level2_pct: float | None = percent(
        "Tỷ lệ trường học đạt tiêu chuẩn cơ sở vật chất mức độ 2",
        "Schools meeting facility standard level 2",
    )
    national_standard_level2_schools: int | None = count(
        "Số trường đạt chuẩn quốc gia mức độ 2", "Schools recognised as national standard, level 2"
    )
    education_universalised_advanced: bool | None = flag(
        "Đạt phổ cập giáo dục và xóa mù chữ ở mức độ theo chuẩn nâng cao",
        "Universal education and literacy at the levels the advanced set requires",
    )
    learning_community_rated: bool | None = flag(
        "Cộng đồng học tập cấp xã được đánh giá, xếp loại đạt yêu cầu",
        "Commune learning community assessed and rated as required",
    )
    # 6 Văn hóa
    cultural_families_pct: float | None = percent(
        "Tỷ lệ hộ gia đình được công nhận gia đình văn hóa",
        "Households recognised as cultural families",
    )
    culture_sports_model: bool | None = flag(
        "Có mô hình hoạt động văn hóa, thể thao tiêu biểu, hoạt động thường xuyên",
        "Exemplary cultural or sports activity model, active regularly",
    )
    heritage_preserved: bool | None = flag(
        "Di sản văn hóa được kiểm kê, bảo vệ và phát huy giá trị",
        "Cultural heritage inventoried, protected and promoted",
    )
    commune_culture_sports_standard: bool | None = flag(
        "Nhà văn hóa, khu thể thao xã đạt chuẩn và hoạt động hiệu quả",
        "Commune culture house and sports area meet the standard and are used effectively",
    )
    # 7 Cơ sở hạ tầng thương mại nông thôn
    commercial_facility_standard: bool | None = flag(
        "Xã có chợ đạt chuẩn hoặc siêu thị mini, cửa hàng tiện lợi đạt chuẩn",
        "Standard market, or standard mini-supermarket or convenience store",
    )
    # 8 Thông tin và Truyền thông
    smartphone_subscribers_pct: float | None = percent(
        "Tỷ lệ thuê bao sử dụng điện thoại thông minh", "Subscribers using a smartphone"
    )
    press_media_service: bool | None = flag(
        "Xã có dịch vụ báo chí, truyền thông", "Press and media services available"
    )
    public_wifi_free: bool | None = flag(
        "Có mạng wifi miễn phí ở các điểm công cộng", "Free wifi at public places"
    )
    # 12 Lao động
    trained_certified_workers_pct: float | None = percent(
        "Tỷ lệ lao động có việc làm qua đào tạo có bằng cấp, chứng chỉ",
        "Employed workers with training and a diploma or certificate",
    )
    # 13 Tổ chức sản xuất và phát triển kinh tế nông thôn
    ocop_products: int | None = count(
        "Số sản phẩm OCOP được công nhận còn hiệu lực", "OCOP-rated products (rating in force)"
    )
    hightech_digital_model: bool | None = flag(
        "Có mô hình sản xuất ứng dụng công nghệ cao, chuyển đổi số hoặc thương mại điện tử",
        "Production model using high technology, digital tools or e-commerce",
    )
    # 14 Y tế
    elderly_health_managed_pct: float | None = percent(
        "Tỷ lệ người cao tuổi được quản lý sức khỏe", "Elderly people under health management"
    )
    # 15 Hành chính công
    online_public_services: bool | None = flag(
        "Có dịch vụ công trực tuyến theo quy định", "Online public services provided"
    )
    admin_procedures_on_time: bool | None = flag(
        "Giải quyết thủ tục hành chính đúng quy định, đúng hạn",
        "Administrative procedures handled lawfully and on time",
    )
    no_escalated_complaints: bool | None = flag(
        "Không có khiếu nại, tố cáo vượt cấp, kéo dài", "No escalated or prolonged complaints"
    )
    # 16 Tiếp cận pháp luật
    legal_education_model: bool | None = flag(
        "Có mô hình điển hình về phổ biến, giáo dục pháp luật, hòa giải ở cơ sở hoạt động hiệu quả",
        "Recognised model of legal education or grassroots mediation, working effectively",
    )
    mediation_success_pct: float | None = percent(
        "Tỷ lệ mâu thuẫn, tranh chấp, vi phạm thuộc phạm vi hòa giải được hòa giải thành",
        "Disputes within the scope of mediation settled by mediation",
    )
    legal_aid_provided_pct: float | None = percent(
        "Tỷ lệ người thuộc diện trợ giúp pháp lý được trợ giúp khi có yêu cầu",
        "Eligible people given legal aid on request",
    )
    # 17 Môi trường
    solid_waste_treated_pct: float | None = percent(
        "Tỷ lệ chất thải rắn sinh hoạt và không nguy hại được thu gom, xử lý theo quy định",
        "Household and non-hazardous solid waste collected and treated",
    )
    organic_waste_reused_pct: float | None = percent(
        "Tỷ lệ chất thải hữu cơ, phụ phẩm nông nghiệp được thu gom, tái sử dụng, tái chế",
        "Organic waste and farm by-products collected, reused or recycled",
    )
    wastewater_treated_pct: float | None = percent(
        "Tỷ lệ nước thải sinh hoạt được thu gom, xử lý bằng biện pháp, công trình phù hợp",
        "Domestic wastewater collected and treated by suitable means",
    )
    # 18 Chất lượng môi trường sống
    centralised_clean_water_pct: float | None = percent(
        "Tỷ lệ hộ sử dụng nước sạch theo quy chuẩn từ hệ thống cấp nước tập trung",
        "Households using standard clean water from a centralised supply",
    )
    water_works_sustainable_pct: float | None = percent(
        "Tỷ lệ công trình cấp nước tập trung có tổ chức quản lý, khai thác bền vững",
        "Centralised water-supply works with sustainable management",
    )
    no_food_safety_incident: bool | None = flag(
        "Không để xảy ra sự cố về an toàn thực phẩm trên địa bàn",
        "No food-safety incident in the commune",
    )
    # 19 Quốc phòng và An ninh
    security_model_effective: bool | None = flag(
        "Có mô hình về an ninh, trật tự hoạt động hiệu quả",
        "Security and order model working effectively",
    )
    # NTM kiểu mẫu (319/QĐ-TTg): the province defines what counts (UBND cấp tỉnh quy định)
    smart_village_models: int | None = count(
        "Số mô hình thôn thông minh đạt tiêu chí của tỉnh",
        "Smart-village models meeting the province's criteria",
    )
    standout_production: bool | None = flag(
        "Đạt tiêu chí kiểu mẫu của tỉnh về sản xuất",
        "Meets the province's standout criteria: production",
    )
    standout_education: bool | None = flag(
        "Đạt tiêu chí kiểu mẫu của tỉnh về giáo dục",
        "Meets the province's standout criteria: education",
    )
    standout_culture: bool | None = flag(
        "Đạt tiêu chí kiểu mẫu của tỉnh về văn hóa",
        "Meets the province's standout criteria: culture",
    )
    standout_tourism: bool | None = flag(
        "Đạt tiêu chí kiểu mẫu của tỉnh về du lịch",
        "Meets the province's standout criteria: tourism",
    )
    standout_landscape: bool | None = flag(
        "Đạt tiêu chí kiểu mẫu của tỉnh về cảnh quan môi trường",
        "Meets the province's standout criteria: landscape and environment",
    )
    standout_security: bool | None = flag(
        "Đạt tiêu chí kiểu mẫu của tỉnh về an ninh trật tự",
        "Meets the province's standout criteria: security and order",
    )
    standout_digital: bool | None = flag(
        "Đạt tiêu chí kiểu mẫu của tỉnh về chuyển đổi số",
        "Meets the province's standout criteria: digital transformation",
    )
    # Recognition conditions (18/2022/QĐ-TTg)
    no_construction_debt: bool | None = flag(
        "Không có nợ đọng xây dựng cơ bản", "No outstanding construction debt"
    )
    resident_satisfaction_pct: float | None = percent(
        "Tỷ lệ người dân hài lòng với kết quả xây dựng NTM", "Residents satisfied with NTM results"
    )
    security_not_complex: bool | None = flag(
        "Không có tình hình an ninh, trật tự phức tạp", "Security and order not complex"
    )
