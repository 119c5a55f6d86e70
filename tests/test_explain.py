"""The plain-text explanation: numbers in the reader's format, thresholds with their provenance,
citations, unverified marks, missing data, ĐBKK reason, recognition, in Vietnamese and English."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from records import all_met_record

from ntm_rules import Evaluator, evaluate, load_ruleset
from ntm_rules.explain import default_labels, render
from ntm_rules.result import EvaluationResult, IndicatorResult
from ntm_rules.ruleset.registry import ruleset_files
from ntm_rules.text import Text

NATIONAL = "vn.commune.ntm.2021"
INCOME = 35.2


def national_file() -> Path:
    return ruleset_files()[NATIONAL].resolve()


def vi_number(value: float) -> str:
    """Test-local Vietnamese number format: decimal comma."""
    return f"{value:g}".replace(".", ",")


def indicator(result: EvaluationResult, ind_id: str) -> IndicatorResult:
    conditions = result.recognition.conditions if result.recognition else ()
    return next(i for i in (*result.indicators, *conditions) if i.id == ind_id)


def failing_commune(**extra: Any) -> dict[str, Any]:
    """A Đồng bằng sông Hồng commune on the ĐBKK list, failing 1, 9, 10, 11 and 17."""
    return {
        "code": "14103",
        "name": "Tà Xùa",
        "district": "Bắc Yên",
        "province": "Sơn La",
        "region": "dbsh",
        "dbkk": True,
        "year": 2024,
        "income_per_capita": INCOME,
        "master_plan_approved": False,
        "temporary_houses": 3,
        "multidimensional_poverty_pct": 40,
        "hygienic_water_pct": 10,
        "clean_water_pct": 5,
        "recognised_ntm_year": 2019,
        **extra,
    }


@pytest.fixture(scope="module")
def failing() -> EvaluationResult:
    return evaluate(NATIONAL, failing_commune())


@pytest.fixture(scope="module")
def text_vi(failing: EvaluationResult) -> str:
    return render(failing, "vi")


@pytest.fixture(scope="module")
def text_en(failing: EvaluationResult) -> str:
    return render(failing, "en")


def section(text: str, start: str, end: str | None = None) -> str:
    body = text.split(start, 1)[1]
    return body.split(end, 1)[0] if end else body


# -- Vietnamese --------------------------------------------------------------------------------
def test_header_names_unit_date_ruleset_and_hash(failing: EvaluationResult, text_vi: str) -> None:
    assert "Xã: Tà Xùa (mã 14103) – Huyện: Bắc Yên – Tỉnh: Sơn La" in text_vi
    assert "Ngày đánh giá: 31/12/2024" in text_vi
    ruleset = failing.ruleset
    assert ruleset.title("vi") in text_vi
    assert f"{ruleset.id}, phiên bản {ruleset.version}" in text_vi
    assert ruleset.content_hash[:12] in text_vi
    assert ruleset.content_hash[:13] not in text_vi


def test_dbkk_reason_shown(failing: EvaluationResult, text_vi: str) -> None:
    (choice,) = failing.axes
    assert choice.value == "tdmnpb" and choice.rule_id == "dbkk_atk"
    assert "mức vùng TDMNPB (Trung du và miền núi phía Bắc)" in text_vi
    assert choice.reason("vi") in text_vi
    assert "Xã ĐBKK" in text_vi
    assert "318/QĐ-TTg, Điều 1" in text_vi


def test_own_region_reason_without_dbkk() -> None:
    text = render(evaluate(NATIONAL, failing_commune(dbkk=False)))
    assert "mức vùng ĐBSH (Đồng bằng sông Hồng)" in text
    assert "lý do: Vùng của xã" in text
    assert "Xã ĐBKK" not in text
    assert "xem lý do ở phần đầu" not in text


def test_outcome_and_counts(failing: EvaluationResult, text_vi: str) -> None:
    assert failing.status == "not_met"
    assert "Kết luận: Chưa đạt chuẩn (mức xét: Xã đạt chuẩn nông thôn mới)" in text_vi
    assert f"Số tiêu chí đạt: {failing.criteria_met}/19" in text_vi
    failed = [c.id for c in failing.criteria if c.status == "not_met"]
    assert failed == ["1", "9", "10", "11", "17"]
    assert f"Các tiêu chí chưa đạt: {', '.join(failed)}" in text_vi


def test_income_indicator_numbers_threshold_and_provenance(
    failing: EvaluationResult, text_vi: str
) -> None:
    income = indicator(failing, "10")
    threshold = income.checks[0].threshold
    block = section(text_vi, "Tiêu chí 10 – Thu nhập", "Tiêu chí 11")
    assert "Chỉ tiêu 10 – Thu nhập bình quân đầu người khu vực nông thôn" in block
    assert "Giá trị: 35,2 triệu đồng/người/năm" in block
    assert f"yêu cầu ≥ {vi_number(threshold)} triệu đồng/người/năm" in block
    shortfall = round(threshold - INCOME, 6)
    assert f"còn thiếu {vi_number(shortfall)} triệu đồng/người/năm" in block
    assert "[giá trị chưa được kiểm chứng]" in block
    assert "[nội dung chỉ tiêu chưa được kiểm chứng]" in block
    param = income.checks[0].params[0]
    assert param.axis_key == "tdmnpb"
    assert f"áp dụng từ {param.effective_from:%d/%m/%Y}" in block
    assert "mức vùng TDMNPB" in block and "xem lý do ở phần đầu" in block
    assert "quy định cấp quốc gia tại bộ tiêu chí vn.commune.ntm.2021" in block
    assert "Căn cứ: 318/QĐ-TTg, Phụ lục I, mục 10" in block


def test_boolean_and_maximum_indicators(text_vi: str) -> None:
    planning = section(text_vi, "Tiêu chí 1 – ", "Tiêu chí 9")
    assert "Chỉ tiêu 1.1" in planning
    assert "Giá trị: Không đạt; yêu cầu: Đạt" in planning
    houses = section(text_vi, "Tiêu chí 9 – ", "Tiêu chí 10")
    assert "Giá trị: 3; yêu cầu ≤ 0; vượt mức tối đa 3" in houses
    poverty = section(text_vi, "Tiêu chí 11 – ", "Tiêu chí 17")
    assert "Giá trị: 40%; yêu cầu ≤" in poverty
    assert "vượt mức tối đa" in poverty


def test_multi_check_indicator_lists_each_check(failing: EvaluationResult, text_vi: str) -> None:
    water = indicator(failing, "17.1")
    assert len(water.checks) == 2
    block = section(text_vi, "Chỉ tiêu 17.1", "DỮ LIỆU CÒN THIẾU")
    assert "- Tỷ lệ hộ sử dụng nước hợp vệ sinh: không đạt" in block
    assert "- Tỷ lệ hộ sử dụng nước sạch đạt quy chuẩn: không đạt" in block
    for check, value in zip(water.checks, (10, 5), strict=True):
        assert f"Giá trị: {value}%; yêu cầu ≥ {vi_number(check.threshold)}%" in block
        assert f"còn thiếu {vi_number(check.threshold - value)}%" in block
    assert block.count("Căn cứ mức yêu cầu:") == 2


def test_met_indicators_not_detailed(text_vi: str) -> None:
    assert "Chỉ tiêu 3.1" not in text_vi  # missing, listed only in the missing section
    assert "Các tiêu chí chưa đủ dữ liệu:" in text_vi


def test_missing_section_lists_inputs_with_labels(failing: EvaluationResult, text_vi: str) -> None:
    missing = section(text_vi, "DỮ LIỆU CÒN THIẾU:", "ĐIỀU KIỆN CÔNG NHẬN")
    labels = default_labels()
    assert "• 1.2 – " in missing
    assert f"planning_rules_enforced ({labels['planning_rules_enforced'].vi})" in missing
    assert "has_craft_village (Xã có làng nghề)" in missing  # 13.4's applicability input
    lacking = [i for i in failing.indicators if i.status == "missing"]
    assert all(f"• {i.id} – " in missing for i in lacking)
    assert "• 10 – " not in missing


def test_recognition_inputs_kept_apart(text_vi: str) -> None:
    block = section(text_vi, "Công nhận trước đây", "CÁC TIÊU CHÍ CHƯA ĐẠT")
    assert "Đã được công nhận: Xã đạt chuẩn nông thôn mới (năm 2019)" in block
    assert "đã công nhận nhưng hiện chưa đạt các tiêu chí 1, 9, 10, 11, 17" in block


def test_recognised_commune_failing_one_criterion() -> None:
    record = all_met_record(recognised_ntm_year=2019)
    record["multidimensional_poverty_pct"] = 99.0
    text = render(evaluate(NATIONAL, record))
    assert "đã công nhận nhưng hiện chưa đạt tiêu chí 11" in text


def test_recognition_conditions_section(failing: EvaluationResult, text_vi: str) -> None:
    assert failing.recognition is not None
    block = section(text_vi, "ĐIỀU KIỆN CÔNG NHẬN")
    assert "18/2022/QĐ-TTg" in block
    assert "Tình trạng: chưa đủ dữ liệu" in block
    assert "R1 – Không có nợ đọng xây dựng cơ bản: chưa đủ dữ liệu" in block
    assert "Đủ điều kiện đề nghị công nhận: không" in block


def test_failing_recognition_condition_detailed() -> None:
    text = render(evaluate(NATIONAL, failing_commune(resident_satisfaction_pct=50)))
    block = section(text, "ĐIỀU KIỆN CÔNG NHẬN")
    assert "Điều kiện R2 – " in block
    assert "Giá trị: 50%; yêu cầu ≥" in block


def test_closing_line_on_unverified(failing: EvaluationResult, text_vi: str) -> None:
    assert failing.rests_on_unverified
    assert text_vi.rstrip().endswith("(danh sách: lệnh `ntm-rules audit`).")
    assert "LƯU Ý: kết luận này dựa trên giá trị hoặc nội dung chưa được kiểm chứng" in text_vi


def test_all_met() -> None:
    result = evaluate(NATIONAL, all_met_record())
    assert result.status == "met"
    text = render(result)
    assert "Kết luận: Đạt chuẩn – Xã đạt chuẩn nông thôn mới" in text
    assert "Số tiêu chí đạt: 19/19" in text
    assert (
        "Các tiêu chí đạt: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19"
        in text
    )
    assert "CÁC TIÊU CHÍ CHƯA ĐẠT" not in text
    assert "Không thiếu dữ liệu." in text
    assert "Đủ điều kiện đề nghị công nhận: có" in text


def test_no_data_at_all() -> None:
    text = render(evaluate(NATIONAL, {"code": "E", "region": "tn", "year": 2023}))
    assert "Kết luận: Chưa đủ dữ liệu để kết luận" in text
    assert "Số tiêu chí đạt: 0/19" in text
    assert "LƯU Ý" not in text


# -- English -----------------------------------------------------------------------------------
def test_english(failing: EvaluationResult, text_en: str) -> None:
    threshold = indicator(failing, "10").checks[0].threshold
    assert "Commune: Tà Xùa (code 14103) – District: Bắc Yên – Province: Sơn La" in text_en
    assert "Assessment date: 2024-12-31" in text_en
    assert "Outcome: Not achieved (level assessed: New rural commune (NTM standard))" in text_en
    assert "value for region TDMNPB (Northern midlands and mountains)" in text_en
    assert failing.axes[0].reason("en") in text_en
    assert "Indicator 10 – Rural income per capita" in text_en
    assert "Value: 35.2 million VND/person/year" in text_en
    assert f"required ≥ {threshold:g} million VND/person/year" in text_en
    assert f"short by {round(threshold - INCOME, 6):g} million VND/person/year" in text_en
    assert "[unverified value]" in text_en and "[unverified wording]" in text_en
    assert "Legal basis: 318/QĐ-TTg, Phụ lục I, item 10" in text_en
    assert "Value: no; required: yes" in text_en
    assert "Recognised: New rural commune (NTM standard) (2019)" in text_en
    assert "MISSING DATA:" in text_en
    assert "planning_rules_enforced (Planning rules issued and enforced)" in text_en
    assert "NOTE: this outcome rests on values or wording not yet checked" in text_en
    for word in ("Giá trị", "Tiêu chí", "yêu cầu", "còn thiếu", "Đạt"):
        assert word not in text_en


# -- form --------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plain_nfc_text(failing: EvaluationResult, lang: str) -> None:
    text = render(failing, lang)  # type: ignore[arg-type]
    assert unicodedata.is_normalized("NFC", text)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert not re.search(r"\[/?(bold|red|green|yellow|dim|italic)", text)
    assert "\x1b" not in text


def test_explain_method_is_render(failing: EvaluationResult) -> None:
    assert failing.explain() == render(failing)
    assert failing.explain("en") == render(failing, "en")


def test_custom_labels(failing: EvaluationResult) -> None:
    text = render(failing, labels={"planning_rules_enforced": Text("Nhãn riêng", "Own label")})
    assert "planning_rules_enforced (Nhãn riêng)" in text
    assert "field_roads_pct;" not in text  # other inputs named without a label
    assert "field_roads_pct" in text


# -- rulesets beyond the national one ----------------------------------------------------------
def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_open_provincial_value_listed_as_missing(tmp_path: Path) -> None:
    source = national_file().read_text(encoding="utf-8")
    block = source.split("  employment_rate:\n", 1)[1].split("\n\n", 1)[0]
    assert "        value: 90" in block
    changed = source.replace(block, block.replace("value: 90", "value: province_decides"), 1)
    changed = changed.replace(f"id: {NATIONAL}", "id: test.open", 1)
    ruleset = load_ruleset(_write(tmp_path, "open.yaml", changed))
    result = evaluate(
        ruleset, {"code": "B", "region": "tn", "year": 2023, "employment_rate_pct": 95}
    )
    assert indicator(result, "12").missing == ("param.employment_rate",)
    for lang, words in (
        ("vi", "chưa có mức do tỉnh quy định"),
        ("en", "no value set by the province"),
    ):
        missing = render(result, lang).split("\n  • 12 – ", 1)[1].split("\n", 1)[0]  # type: ignore[arg-type]
        assert words in missing
        assert ruleset.parameters["employment_rate"].label(lang) in missing  # type: ignore[arg-type]
        assert "(param.employment_rate)" in missing


def test_provincial_value_explained(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "son-la.yaml",
        f"""format: 1
id: test.son-la.commune.ntm.2021
version: "test"
extends: {national_file()}
title: {{vi: Bộ tiêu chí xã NTM tỉnh Sơn La (thử), en: Sơn La NTM commune criteria (test)}}
scope: {{province: Sơn La, region: tdmnpb}}
documents:
  qdsl: {{number: 1234/QĐ-UBND, date: 2022-06-01}}
overrides:
  - parameter: income_per_capita
    from: 2022-06-01
    until: 2024-12-31
    source: {{doc: qdsl, part: "Phụ lục", item: "10"}}
    verified: true
    by: {{general: 60, tdmnpb: 50}}
""",
    )
    result = evaluate(load_ruleset(path), failing_commune(dbkk=False, region="tdmnpb"))
    national = indicator(evaluate(NATIONAL, failing_commune()), "10").checks[0].threshold
    text = render(result)
    block = section(text, "Tiêu chí 10 – Thu nhập", "Tiêu chí 11")
    assert "yêu cầu ≥ 50 triệu đồng/người/năm; còn thiếu 14,8 triệu đồng/người/năm" in block
    assert "áp dụng từ 01/06/2022" in block
    assert "quy định của tỉnh Sơn La tại bộ tiêu chí test.son-la.commune.ntm.2021" in block
    assert f"thay cho mức {vi_number(national)} triệu đồng/người/năm của {NATIONAL}" in block
    assert "căn cứ: 1234/QĐ-UBND, Phụ lục, mục 10" in block
    value_line = next(line for line in block.splitlines() if "Giá trị:" in line)
    assert "[giá trị chưa được kiểm chứng]" not in value_line  # the provincial value is verified
    english = render(result, "en")
    assert "provincial rule (Sơn La) in ruleset test.son-la.commune.ntm.2021" in english


def test_prerequisite_explained(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "advanced.yaml",
        f"""format: 1
id: test.commune.advanced
version: "test"
extends: {national_file()}
title: {{vi: Bộ tiêu chí thử NTM nâng cao, en: Test advanced NTM criteria}}
level:
  id: advanced
  name: {{vi: Xã đạt chuẩn nông thôn mới nâng cao, en: Advanced new rural commune}}
documents:
  qdx: {{number: 999/QĐ-TEST}}
requires:
  ruleset: {national_file()}
  accept: [computed, recognised]
  recognised_field: recognised_ntm_year
  recognised_since: 2021
  name: {{vi: Xã đã đạt chuẩn nông thôn mới, en: Commune already meets the NTM standard}}
  source: {{doc: qdx, part: "Điều 5"}}
""",
    )
    # Evaluator() rather than evaluate(): see the report on evaluator_for's lock.
    evaluator = Evaluator(load_ruleset(path))
    result = evaluator.evaluate(failing_commune(recognised_ntm_year=2022))
    assert result.prerequisite is not None and result.prerequisite.satisfied_by == "recognised"
    text = render(result)
    block = section(text, "Điều kiện tiên quyết:", "Công nhận trước đây")
    assert "Xã đã đạt chuẩn nông thôn mới (999/QĐ-TEST, Điều 5): đạt" in block
    assert "đáp ứng do đã được công nhận" in block
    assert "Năm được công nhận: 2022" in block
    assert "đã công nhận nhưng hiện chưa đạt các tiêu chí 1, 9, 10, 11, 17" in block
    old = evaluator.evaluate(failing_commune(recognised_ntm_year=2019))
    assert old.prerequisite is not None and old.prerequisite.status == "not_met"
    text = render(old, "en")
    assert "(does not count: recognised in an earlier phase)" in text
    assert "This level cannot be reached until the prerequisite is held." in text
